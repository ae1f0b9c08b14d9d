// wali-test: dir=TMP needs=threads,signals
// pthread_kill reaches a thread spinning in a loop with no syscall, and the
// handler runs on that thread; a process-directed kill is taken by the one
// thread that does not block it; sigwait in a dedicated thread.
#include "../common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

static pthread_t target;
static atomic_int on_target, stop, taken_by_worker;

static void on_usr1(int s)
{
	(void)s;
	atomic_store(&on_target, pthread_equal(pthread_self(), target) ? 1 : 2);
}

static void on_usr2(int s)
{
	(void)s;
	if (pthread_equal(pthread_self(), target))
		atomic_store(&taken_by_worker, 1);
}

static void *spin(void *a)
{
	(void)a;
	volatile unsigned long n = 0;
	while (!atomic_load(&stop))
		n++;
	return NULL;
}

static void *waiter(void *a)
{
	sigset_t *set = a;
	int sig = 0;
	sigwait(set, &sig);
	return (void *)(long)sig;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	pthread_create(&target, NULL, spin, NULL);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &block, NULL); /* main blocks; the spinner does not */

	CHECK_ERRNUM("pthread_kill spinning thread", pthread_kill(target, SIGUSR1));
	while (!atomic_load(&on_target))
		;
	SAY("handler ran on the target thread: %d\n", atomic_load(&on_target) == 1);

	CHECK_OK("kill process SIGUSR2", kill(getpid(), SIGUSR2));
	while (!atomic_load(&taken_by_worker))
		;
	SAY("process signal taken by the unblocked thread: yes\n");
	atomic_store(&stop, 1);
	pthread_join(target, NULL);

	sigset_t waitset;
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGUSR1);
	pthread_t w;
	pthread_create(&w, NULL, waiter, &waitset); /* inherits the blocked mask */
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);
	pthread_kill(w, SIGUSR1);
	void *res;
	pthread_join(w, &res);
	SAY("sigwait in a thread got: %ld\n", (long)res);
	CHECK_ERRNUM("pthread_kill bad signal", pthread_kill(pthread_self(), 999));
	return 0;
}
