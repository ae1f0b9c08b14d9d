// wali-test: dir=TMP needs=threads
// pthread_create/join, return values, pthread_exit, detached threads,
// thread ids, TLS, per-thread errno, many threads.
#include "../common.h"
#include <pthread.h>

static __thread int tls = 7;
static pthread_t main_self;
static int main_tid;

static void *worker(void *arg)
{
	long n = (long)arg;
	tls += (int)n;
	errno = (int)n;
	int tid = gettid();
	int r = (tid != main_tid && tid > 0) ? 1 : 0;
	r |= (tls == 7 + n) << 1;
	r |= (!pthread_equal(pthread_self(), main_self)) << 2;
	r |= (errno == (int)n) << 3;
	r |= (getpid() != tid) << 4;
	return (void *)(long)r;
}

static void *exiter(void *arg)
{
	(void)arg;
	pthread_exit((void *)42L);
	return NULL;
}

static volatile int detached_ran;
static void *detached(void *arg) { (void)arg; detached_ran = 1; return NULL; }

int main(void)
{
	main_self = pthread_self();
	main_tid = gettid();
	errno = 0;
	pthread_t t[8];
	for (long i = 0; i < 8; i++) {
		int e = pthread_create(&t[i], NULL, worker, (void *)(i + 1));
		if (e) SAY("create %ld: %s\n", i, errname(e));
	}
	for (int i = 0; i < 8; i++) {
		void *ret;
		CHECK_ERRNUM("join", pthread_join(t[i], &ret));
		SAY("thread %d facts: %#lx\n", i, (long)ret);
	}
	FACT("main tls untouched", tls == 7);
	FACT("main errno untouched", errno == 0);
	pthread_t x;
	pthread_create(&x, NULL, exiter, NULL);
	void *ret;
	pthread_join(x, &ret);
	SAY("pthread_exit value: %ld\n", (long)ret);

	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_t d;
	CHECK_ERRNUM("create detached", pthread_create(&d, &at, detached, NULL));
	for (int i = 0; i < 200 && !detached_ran; i++) usleep(5000);
	FACT("detached thread ran", detached_ran);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_JOINABLE);
	pthread_attr_setstacksize(&at, 256 * 1024);
	CHECK_ERRNUM("create with stack size", pthread_create(&x, &at, worker, (void *)1L));
	pthread_join(x, &ret);
	SAY("custom stack facts: %#lx\n", (long)ret);

	/* sequentially create and join many threads: resources are reused */
	int ok = 1;
	for (long i = 0; i < 100; i++) {
		if (pthread_create(&x, NULL, worker, (void *)2L)) { ok = 0; break; }
		pthread_join(x, &ret);
		if ((long)ret != 0x1f) ok = 0;
	}
	FACT("100 threads in sequence", ok);
	return 0;
}
