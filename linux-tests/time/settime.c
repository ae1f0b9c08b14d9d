// wali-test: dir=TMP
// clock_settime never changes a clock here: CLOCK_REALTIME with a valid
// time answers EPERM for a process without CAP_SYS_TIME (wali never has it,
// see the table note; the native run, maybe root, drops it first), the
// CPU-time clock of the process (clock_getcpuclockid) EPERM (never
// settable), clocks without a set operation (whatever the pointer) and
// invalid times EINVAL, a bad pointer EFAULT.
#include "../common.h"
#include <time.h>
#ifndef __wasm__
#include <linux/capability.h>

/* Drops CAP_SYS_TIME from the effective set; 1 when it is gone. */
static int drop_sys_time(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	d[CAP_SYS_TIME / 32].effective &= ~(1u << (CAP_SYS_TIME % 32));
	syscall(SYS_capset, &h, d);
	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	return !(d[CAP_SYS_TIME / 32].effective & (1u << (CAP_SYS_TIME % 32)));
}
#else
static int drop_sys_time(void) { return 1; }
#endif

int main(void)
{
	struct timespec now;
	CHECK("clock_gettime", clock_gettime(CLOCK_REALTIME, &now));
	struct timespec bad_nsec = { now.tv_sec, 1000000000 };
	struct timespec neg = { -1, 0 };
	CHECK("realtime, tv_nsec 1e9", clock_settime(CLOCK_REALTIME, &bad_nsec));
	CHECK("realtime, negative", clock_settime(CLOCK_REALTIME, &neg));
	CHECK("realtime, bad pointer", (int)RSYS2(SYS_clock_settime, CLOCK_REALTIME, BADPTR));
	CHECK("monotonic", clock_settime(CLOCK_MONOTONIC, &now));
	CHECK("monotonic, bad pointer", (int)RSYS2(SYS_clock_settime, CLOCK_MONOTONIC, BADPTR));
	CHECK("boottime", clock_settime(CLOCK_BOOTTIME, &now));
	CHECK("unknown clock", clock_settime(12345, &now));
	CHECK("process cputime", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &now));
	CHECK("thread cputime", clock_settime(CLOCK_THREAD_CPUTIME_ID, &now));
	clockid_t cpu;
	CHECK_ERRNUM("clock_getcpuclockid", clock_getcpuclockid(getpid(), &cpu));
	CHECK("cpu clock of the process", clock_settime(cpu, &now));
	CHECK("cpu clock, bad pointer", (int)RSYS2(SYS_clock_settime, cpu, BADPTR));
	if (!drop_sys_time()) {
		SAY("cannot drop CAP_SYS_TIME: not setting the clock\n");
		return 1;
	}
	CHECK("realtime, valid time", clock_settime(CLOCK_REALTIME, &now));
	return 0;
}
