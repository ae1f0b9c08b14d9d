// wali-test: needs=threads,fork timeout=60
// A thread of the parent blocked in a futex wait when another forks: in the
// child (where that thread does not exist) a new waiter on the same word
// gets the wake-up. Also raw syscall() with int arguments (FUTEX_WAKE, 1).
#include "../common.h"
#include <pthread.h>
#include <sys/wait.h>
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static int f;
static long fwait(int *a, int v) { return syscall(SYS_futex, a, FUTEX_WAIT, v, 0, 0, 0); }
static long fwake(int *a, int n) { return syscall(SYS_futex, a, FUTEX_WAKE, n, 0, 0, 0); }
static void *waiter(void *x) { while (__atomic_load_n(&f, __ATOMIC_SEQ_CST) == 0) fwait(&f, 0); return x; }
int main(void) {
	pthread_t a;
	pthread_create(&a, 0, waiter, 0);
	usleep(100000); /* a is blocked on f */
	pid_t c = fork();
	if (c == 0) {
		/* Only this thread exists here; a new waiter on the same word
		 * must get the wake-up (not the parent's thread, gone here). */
		pthread_t b;
		pthread_create(&b, 0, waiter, 0);
		usleep(100000);
		__atomic_store_n(&f, 1, __ATOMIC_SEQ_CST);
		fwake(&f, 1);
		pthread_join(b, 0);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	__atomic_store_n(&f, 1, __ATOMIC_SEQ_CST);
	fwake(&f, 1);
	pthread_join(a, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
