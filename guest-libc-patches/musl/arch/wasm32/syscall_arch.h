/* WALI: every syscall is a typed import from module "wali" (see
 * shared/wali-abi.md). The __syscallN functions switch on the syscall
 * number; musl always passes a constant, so after inlining only the imports a
 * program really calls remain. Unknown numbers answer -ENOSYS without an import. */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

/* 64-bit arguments (off_t, rlim_t, ...) travel whole, as on x32. */
#define __scc(X) ((long long)(X))
typedef long long syscall_arg_t;

#define __WALI_IMPORT(name) \
	__attribute__((__import_module__("wali"), __import_name__(#name)))

#include "syscall_imports.h"

#define __WALI_SC static __inline __attribute__((__always_inline__))

__WALI_SC long long __wali_syscall(long n, long long a, long long b,
	long long c, long long d, long long e, long long f)
{
	switch (n) {
	__WALI_SYSCALL_CASES
	}
	return -38; /* ENOSYS */
}

__WALI_SC long __syscall0(long n)
{ return __wali_syscall(n, 0, 0, 0, 0, 0, 0); }
__WALI_SC long __syscall1(long n, long long a)
{ return __wali_syscall(n, a, 0, 0, 0, 0, 0); }
__WALI_SC long __syscall2(long n, long long a, long long b)
{ return __wali_syscall(n, a, b, 0, 0, 0, 0); }
__WALI_SC long __syscall3(long n, long long a, long long b, long long c)
{ return __wali_syscall(n, a, b, c, 0, 0, 0); }
__WALI_SC long __syscall4(long n, long long a, long long b, long long c,
	long long d)
{ return __wali_syscall(n, a, b, c, d, 0, 0); }
__WALI_SC long __syscall5(long n, long long a, long long b, long long c,
	long long d, long long e)
{ return __wali_syscall(n, a, b, c, d, e, 0); }
__WALI_SC long __syscall6(long n, long long a, long long b, long long c,
	long long d, long long e, long long f)
{ return __wali_syscall(n, a, b, c, d, e, f); }

/* No vDSO in WALI. */
#define IPC_64 0

/* 64-bit time_t and x86_64's 64-bit kernel time types: the "time64" paths
 * of musl are the plain syscalls (as on x32). */
#define SYS_clock_gettime64 SYS_clock_gettime
#define SYS_clock_settime64 SYS_clock_settime
#define SYS_clock_adjtime64 SYS_clock_adjtime
#define SYS_clock_nanosleep_time64 SYS_clock_nanosleep
#define SYS_timer_gettime64 SYS_timer_gettime
#define SYS_timer_settime64 SYS_timer_settime
#define SYS_timerfd_gettime64 SYS_timerfd_gettime
#define SYS_timerfd_settime64 SYS_timerfd_settime
#define SYS_utimensat_time64 SYS_utimensat
#define SYS_pselect6_time64 SYS_pselect6
#define SYS_ppoll_time64 SYS_ppoll
#define SYS_recvmmsg_time64 SYS_recvmmsg
#define SYS_mq_timedsend_time64 SYS_mq_timedsend
#define SYS_mq_timedreceive_time64 SYS_mq_timedreceive
#define SYS_semtimedop_time64 SYS_semtimedop
#define SYS_rt_sigtimedwait_time64 SYS_rt_sigtimedwait
#define SYS_futex_time64 SYS_futex
#define SYS_sched_rr_get_interval_time64 SYS_sched_rr_get_interval
#define SYS_getrusage_time64 SYS_getrusage
#define SYS_wait4_time64 SYS_wait4

/* futimesat takes 32-bit longs in musl's fallback; never use it. */
#undef SYS_futimesat
