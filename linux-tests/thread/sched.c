// wali-test: dir=TMP
// sched_setscheduler, sched_getscheduler, sched_setparam, sched_getparam
// (raw: musl's wrappers answer ENOSYS by design) on the calling thread:
// the normal policies, priority rules, errors. Real-time policies need a
// privilege: wali answers EPERM as for an unprivileged process (table
// note), the native run may be privileged; only the agreed fact is printed.
#include "../common.h"
#include <sched.h>

static void policy(const char *label)
{
	CHECK(label, RSYS1(SYS_sched_getscheduler, 0));
}

int main(void)
{
	struct sched_param p = {.sched_priority = 0};
	policy("initial policy");
	p.sched_priority = -1;
	CHECK("getparam", RSYS2(SYS_sched_getparam, 0, &p));
	printf("priority: %d\n", p.sched_priority);
	CHECK("getparam own pid", RSYS2(SYS_sched_getparam, getpid(), &p));
	CHECK("getparam own tid", RSYS2(SYS_sched_getparam, gettid(), &p));

	p.sched_priority = 0;
	CHECK("SCHED_BATCH", RSYS3(SYS_sched_setscheduler, 0, SCHED_BATCH, &p));
	policy("after SCHED_BATCH");
	CHECK("SCHED_IDLE", RSYS3(SYS_sched_setscheduler, 0, SCHED_IDLE, &p));
	policy("after SCHED_IDLE");
	CHECK("back to SCHED_OTHER", RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
	CHECK("SCHED_OTHER | RESET_ON_FORK", RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p));
	policy("with RESET_ON_FORK");
	CHECK("SCHED_OTHER again", RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
	CHECK("setparam 0", RSYS2(SYS_sched_setparam, 0, &p));

	p.sched_priority = 5;
	CHECK("SCHED_OTHER priority 5", RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
	CHECK("setparam priority 5", RSYS2(SYS_sched_setparam, 0, &p));
	p.sched_priority = 0;
	CHECK("SCHED_FIFO priority 0", RSYS3(SYS_sched_setscheduler, 0, SCHED_FIFO, &p));
	p.sched_priority = 100;
	CHECK("SCHED_RR priority 100", RSYS3(SYS_sched_setscheduler, 0, SCHED_RR, &p));
	p.sched_priority = 10;
	errno = 0;
	long r = RSYS3(SYS_sched_setscheduler, 0, SCHED_FIFO, &p);
	FACT("SCHED_FIFO 10: granted, or EPERM as unprivileged", r == 0 || errno == EPERM);
	p.sched_priority = 0;
	RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER, &p);
	policy("final policy");

	CHECK("unknown policy", RSYS3(SYS_sched_setscheduler, 0, 42, &p));
	CHECK("negative policy", RSYS3(SYS_sched_setscheduler, 0, -1, &p));
	CHECK("negative pid", RSYS3(SYS_sched_setscheduler, -1, SCHED_OTHER, &p));
	CHECK("NULL param", RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
	CHECK("bad param", RSYS3(SYS_sched_setscheduler, 0, SCHED_OTHER, BADPTR));
	CHECK("getparam NULL", RSYS2(SYS_sched_getparam, 0, NULL));
	CHECK("getparam bad pointer", RSYS2(SYS_sched_getparam, 0, BADPTR));
	CHECK("getscheduler negative pid", RSYS1(SYS_sched_getscheduler, -1));
	CHECK("getscheduler no such pid", RSYS1(SYS_sched_getscheduler, 0x3ffffff0));
	CHECK("getparam no such pid", RSYS2(SYS_sched_getparam, 0x3ffffff0, &p));
	return 0;
}
