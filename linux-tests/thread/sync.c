// wali-test: dir=TMP needs=threads
// Mutexes, condition variables, barriers, semaphores, once, atomics and a
// raw futex wait/wake between threads.
#include "../common.h"
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

#define NT 4
#define ITER 20000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static atomic_long acounter;
static int ready;
static pthread_barrier_t bar;
static sem_t sem;
static int once_count;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void once_fn(void) { once_count++; }

static void *adder(void *arg)
{
	(void)arg;
	pthread_once(&once, once_fn);
	pthread_barrier_wait(&bar);
	for (int i = 0; i < ITER; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
		atomic_fetch_add(&acounter, 1);
	}
	sem_post(&sem);
	return NULL;
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!ready) pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return (void *)1L;
}

static int fword;
static void *futex_waker(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 20000000 };
	nanosleep(&ts, NULL);
	__atomic_store_n(&fword, 1, __ATOMIC_SEQ_CST);
	long woke = RSYS6(SYS_futex, &fword, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
	return (void *)woke;
}

int main(void)
{
	pthread_barrier_init(&bar, NULL, NT);
	sem_init(&sem, 0, 0);
	pthread_t t[NT];
	for (int i = 0; i < NT; i++) pthread_create(&t[i], NULL, adder, NULL);
	for (int i = 0; i < NT; i++) sem_wait(&sem);
	for (int i = 0; i < NT; i++) pthread_join(t[i], NULL);
	SAY("mutex counter: %ld\n", counter);
	SAY("atomic counter: %ld\n", (long)atomic_load(&acounter));
	SAY("once ran: %d\n", once_count);
	CHECK("sem_trywait empty", sem_trywait(&sem));

	pthread_t w[3];
	for (int i = 0; i < 3; i++) pthread_create(&w[i], NULL, waiter, NULL);
	struct timespec ts = { 0, 20000000 };
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&mu);
	ready = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	long sum = 0;
	for (int i = 0; i < 3; i++) { void *r; pthread_join(w[i], &r); sum += (long)r; }
	SAY("cond waiters woke: %ld\n", sum);

	/* timed waits time out */
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 20000000;
	if (dl.tv_nsec >= 1000000000) { dl.tv_sec++; dl.tv_nsec -= 1000000000; }
	pthread_mutex_lock(&mu);
	CHECK_ERRNUM("cond timedwait", pthread_cond_timedwait(&cv, &mu, &dl));
	pthread_mutex_unlock(&mu);
	CHECK_ERRNUM("mutex trylock free", pthread_mutex_trylock(&mu));
	pthread_t x;
	CHECK_ERRNUM("mutex trylock held (other thread)", (pthread_create(&x, NULL, (void *(*)(void *))pthread_mutex_trylock, &mu), ({ void *r; pthread_join(x, &r); (int)(long)r; })));
	pthread_mutex_unlock(&mu);
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_t em;
	pthread_mutex_init(&em, &ma);
	pthread_mutex_lock(&em);
	CHECK_ERRNUM("errorcheck relock", pthread_mutex_lock(&em));
	pthread_mutex_unlock(&em);
	CHECK_ERRNUM("errorcheck unlock unlocked", pthread_mutex_unlock(&em));

	/* raw futex across threads */
	pthread_create(&x, NULL, futex_waker, NULL);
	long r = 0;
	while (__atomic_load_n(&fword, __ATOMIC_SEQ_CST) == 0) {
		r = RSYS6(SYS_futex, &fword, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
		if (r < 0 && errno != EAGAIN && errno != EINTR) break;
	}
	void *woke;
	pthread_join(x, &woke);
	SAY("futex wait returned: %s\n", r == 0 || errno == EAGAIN ? "ok" : errname(errno));
	FACT("waker woke at most one", (long)woke <= 1 && (long)woke >= 0);
	return 0;
}
