#define _GNU_SOURCE
#include <sys/wait.h>
#include <sys/resource.h>
#include "syscall.h"

hidden void __wali_rusage_from_kernel(struct rusage *, const long long *);

/* As getrusage: the kernel fills an x86_64 struct rusage. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	long long k[34] = {0};
	int r = __sys_wait4(pid, status, options, ru ? k : 0);
	if (r > 0 && ru) __wali_rusage_from_kernel(ru, k);
	return __syscall_ret(r);
}
