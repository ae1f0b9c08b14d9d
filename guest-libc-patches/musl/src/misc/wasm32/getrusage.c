/* The kernel writes x86_64's struct rusage (all fields 8 bytes); convert it
 * to musl's ILP32 layout. The buffer has the 272 bytes of the WALI ABI. */
#include <sys/resource.h>
#include "syscall.h"

hidden void __wali_rusage_from_kernel(struct rusage *ru, const long long *k)
{
	ru->ru_utime = (struct timeval){ .tv_sec = k[0], .tv_usec = k[1] };
	ru->ru_stime = (struct timeval){ .tv_sec = k[2], .tv_usec = k[3] };
	long *slots = &ru->ru_maxrss;
	for (int i=0; i<14; i++) slots[i] = k[4+i];
}

int getrusage(int who, struct rusage *ru)
{
	long long k[34] = {0};
	int r = __syscall(SYS_getrusage, who, k);
	if (!r) __wali_rusage_from_kernel(ru, k);
	return __syscall_ret(r);
}
