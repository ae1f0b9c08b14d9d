// wali-test: needs=threads timeout=60
// Deferred cancellation acts at cancellation points a thread is blocked in
// (pthread_cond_wait with its mutex re-acquired for the cleanup handler,
// read on an empty pipe, sleep, pthread_join), not while it is disabled;
// a software signal (SIGCANCEL) reaches a thread blocked in a host call.
// Also: the main thread's stack bounds from pthread_getattr_np contain its
// locals, and robust mutexes work.
#include "../common.h"
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int pfd[2];
static int cleaned;
static int held_in_cleanup;

static void unlock_cleanup(void *mutex)
{
	cleaned++;
	held_in_cleanup = pthread_mutex_trylock(mutex) == EBUSY;
	pthread_mutex_unlock(mutex);
}

static void count_cleanup(void *arg)
{
	(void)arg;
	cleaned++;
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock_cleanup, &m);
	for (;;)
		pthread_cond_wait(&c, &m);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *reader(void *arg)
{
	char b;
	(void)arg;
	pthread_cleanup_push(count_cleanup, NULL);
	read(pfd[0], &b, 1);
	pthread_cleanup_pop(0);
	return "read returned";
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		sleep(100);
	return NULL;
}

static void *joiner(void *arg)
{
	pthread_join(*(pthread_t *)arg, NULL);
	return "joined";
}

static void *disabled(void *arg)
{
	int old;
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	usleep(200000);
	pthread_setcancelstate(old, NULL);
	pthread_testcancel();
	return "not cancelled";
}

static void cancel_one(const char *name, void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *res;
	pthread_create(&t, NULL, fn, arg);
	usleep(100000); /* let it block */
	int r = pthread_cancel(t);
	int j = pthread_join(t, &res);
	printf("%s: pthread_cancel=%d join=%d cancelled=%s cleanups=%d\n", name, r, j,
	       res == PTHREAD_CANCELED ? "yes" : (char *)res, cleaned);
}

int main(void)
{
	pipe(pfd);
	cancel_one("cond_wait", cond_waiter, NULL);
	printf("mutex held in cleanup: %s\n", held_in_cleanup ? "yes" : "no");
	printf("mutex free after: %s\n", pthread_mutex_trylock(&m) == 0 ? "yes" : "no");
	pthread_mutex_unlock(&m);
	cancel_one("read", reader, NULL);
	cancel_one("sleep", sleeper, NULL);
	pthread_t forever;
	pthread_create(&forever, NULL, sleeper, NULL);
	cancel_one("join", joiner, &forever);
	cancel_one("disabled then testcancel", disabled, NULL);
	pthread_cancel(forever);
	pthread_join(forever, NULL);

	pthread_attr_t a;
	void *addr;
	size_t size;
	int local;
	pthread_getattr_np(pthread_self(), &a);
	pthread_attr_getstack(&a, &addr, &size);
	printf("main stack holds a local: %s, at least 512 KiB: %s\n",
	       (char *)&local >= (char *)addr && (char *)&local < (char *)addr + size ? "yes" : "no",
	       size >= 512 * 1024 ? "yes" : "no");

	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	printf("setrobust: %d\n", pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST));
	pthread_mutex_t rm;
	pthread_mutex_init(&rm, &ma);
	int lock = pthread_mutex_lock(&rm);
	int unlock = pthread_mutex_unlock(&rm);
	printf("robust lock: %d unlock: %d\n", lock, unlock);
	return 0;
}
