#include "pthread_impl.h"
#include "syscall.h"

/* A detached thread frees its own stack: after munmap it only makes the exit
 * import call, which touches no linear memory. */
void __unmapself(void *base, size_t size)
{
	__syscall(SYS_munmap, base, size);
	for (;;) __syscall(SYS_exit, 0);
}
