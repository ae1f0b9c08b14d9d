// wali-test: needs=threads,fork timeout=60
// A shared mapping made by one thread is seen by the others (one linear
// memory per process); a thread of the parent blocked in FUTEX_WAIT on a
// word of it is woken by a forked child's FUTEX_WAKE.
#include "../common.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

static int *shared;

static void *mapper(void *x)
{
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, LT_OFF(0));
	shared[1] = 77;
	return x;
}

static void *waiter(void *x)
{
	int rounds = 0;
	while (__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST) == 0 && rounds++ < 5) {
		struct timespec ts = { 2, 0 };
		syscall(SYS_futex, &shared[0], FUTEX_WAIT, 0, &ts, 0, 0);
	}
	return (void *)(intptr_t)__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, mapper, 0);
	pthread_join(t, 0);
	SAY("main thread reads the thread's mapping: %d\n", shared[1]);
	pthread_create(&t, 0, waiter, 0);
	usleep(100000);
	pid_t c = fork();
	if (c == 0) {
		__atomic_store_n(&shared[0], 5, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &shared[0], FUTEX_WAKE, 1, 0, 0, 0);
		_exit(0);
	}
	void *r;
	pthread_join(t, &r);
	waitpid(c, 0, 0);
	SAY("waiter thread saw: %d\n", (int)(intptr_t)r);
	return 0;
}
