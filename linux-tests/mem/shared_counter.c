// wali-test: needs=fork timeout=60
// Two processes increment one counter in a MAP_SHARED file mapping under a
// process-shared mutex (a futex in the shared page, woken across
// processes); the file holds the total afterwards. A raw cross-process
// FUTEX_WAIT/FUTEX_WAKE on a word of the mapping too.
#include "../common.h"
#include <pthread.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/wait.h>
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

#define ROUNDS 3000
struct page {
	pthread_mutex_t lock;
	int counter;
	int flag;
	int atomic;
};

static void work(struct page *pg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&pg->lock);
		int v = pg->counter;
		if (i % 64 == 0)
			sched_yield(); /* let the other process contend for the lock */
		pg->counter = v + 1;
		pthread_mutex_unlock(&pg->lock);
		__atomic_fetch_add(&pg->atomic, 1, __ATOMIC_SEQ_CST);
	}
}

int main(void)
{
	int fd = open("counter", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK("ftruncate", ftruncate(fd, 4096));
	struct page *pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	FACT("mapped", pg != MAP_FAILED);
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	CHECK_ERRNUM("setpshared", pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED));
	CHECK_ERRNUM("mutex init", pthread_mutex_init(&pg->lock, &a));

	pid_t c = fork();
	if (c == 0) {
		work(pg);
		/* Wait (shared futex) until the parent says go, then answer. */
		while (__atomic_load_n(&pg->flag, __ATOMIC_SEQ_CST) == 0) {
			struct timespec ts = { 5, 0 };
			if (syscall(SYS_futex, &pg->flag, FUTEX_WAIT, 0, &ts, 0, 0) != 0 && errno == ETIMEDOUT)
				_exit(3); /* never woken */
		}
		__atomic_store_n(&pg->flag, 2, __ATOMIC_SEQ_CST);
		_exit(0);
	}
	work(pg);
	usleep(100000);
	__atomic_store_n(&pg->flag, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &pg->flag, FUTEX_WAKE, 1, 0, 0, 0);
	int st;
	waitpid(c, &st, 0);
	SAY("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	SAY("flag the child set: %d\n", __atomic_load_n(&pg->flag, __ATOMIC_SEQ_CST));
	SAY("counter under the mutex: %d\n", pg->counter);
	SAY("atomic counter: %d\n", pg->atomic);
	int in_file[4] = { 0 };
	pread(fd, in_file, sizeof in_file, offsetof(struct page, counter));
	SAY("counter in the file (no msync): %d\n", in_file[0]);
	CHECK("munmap", munmap(pg, 4096));
	return 0;
}
