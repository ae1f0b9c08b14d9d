#include <sys/times.h>
#include "syscall.h"

/* The kernel fills x86_64's struct tms (four 8-byte clock_t); musl's clock_t
 * is a 4-byte long on wasm32. */
clock_t times(struct tms *tms)
{
	long long k[4] = {0};
	long r = __syscall(SYS_times, tms ? k : 0);
	if (tms && r >= 0) {
		tms->tms_utime = k[0];
		tms->tms_stime = k[1];
		tms->tms_cutime = k[2];
		tms->tms_cstime = k[3];
	}
	return r;
}
