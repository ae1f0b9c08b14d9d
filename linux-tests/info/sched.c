// wali-test: dir=TMP
// sched_get_priority_max/min for every policy (unknown ones: EINVAL; not 7,
// SCHED_EXT on recent kernels);
// sched_rr_get_interval for 0, the process and a thread id of it (a sane
// interval; the value depends on the machine), a pid that does not exist
// (ESRCH), a negative pid (EINVAL), a bad pointer (EFAULT); the affinity
// calls with a negative pid (ESRCH).
#include "../common.h"
#include <sched.h>
#include <time.h>

int main(void)
{
	static const struct { const char *name; int policy; } p[] = {
		{ "SCHED_OTHER", SCHED_OTHER }, { "SCHED_FIFO", SCHED_FIFO },
		{ "SCHED_RR", SCHED_RR }, { "SCHED_BATCH", SCHED_BATCH },
		{ "SCHED_IDLE", SCHED_IDLE }, { "SCHED_DEADLINE", 6 },
		{ "policy 42", 42 }, { "policy -1", -1 },
	};
	char label[64];
	for (unsigned i = 0; i < sizeof p / sizeof p[0]; i++) {
		snprintf(label, sizeof label, "%s max", p[i].name);
		CHECK(label, sched_get_priority_max(p[i].policy));
		snprintf(label, sizeof label, "%s min", p[i].name);
		CHECK(label, sched_get_priority_min(p[i].policy));
	}
	struct timespec ts = { -1, -1 };
	CHECK("rr_get_interval 0", sched_rr_get_interval(0, &ts));
	FACT("interval sane", ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	ts.tv_sec = -1;
	CHECK("rr_get_interval getpid", sched_rr_get_interval(getpid(), &ts));
	FACT("interval sane", ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	CHECK("rr_get_interval gettid", sched_rr_get_interval((pid_t)syscall(SYS_gettid), &ts));
	CHECK("rr_get_interval missing pid", sched_rr_get_interval(0x3ffffff0, &ts));
	CHECK("rr_get_interval negative pid", sched_rr_get_interval(-5, &ts));
	/* The affinity calls answer ESRCH for a negative pid (CPython relies on
	 * it: EINVAL makes os.sched_getaffinity grow its set for ever). */
	cpu_set_t set;
	CHECK("getaffinity negative pid", RSYS3(SYS_sched_getaffinity, -1, sizeof set, &set));
	CHECK("setaffinity negative pid", RSYS3(SYS_sched_setaffinity, -1, sizeof set, &set));
	CHECK("rr_get_interval bad pointer", (int)RSYS2(SYS_sched_rr_get_interval, 0, BADPTR));
	return 0;
}
