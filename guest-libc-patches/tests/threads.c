/* pthreads on WALI: threads are instances sharing memory (__wasm_thread_spawn),
 * with per-thread stacks and TLS, futex-based mutexes and condition variables. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 4
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static _Thread_local int tls_value = 7;
static _Thread_local char tls_name[16];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	char local[256];
	memset(local, id, sizeof local);
	tls_value += id;
	snprintf(tls_name, sizeof tls_name, "worker-%d", id);
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	while (!ready) pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	long r = tls_value * 1000 + local[100] + (strcmp(tls_name, "worker-0") ? 1 : 0) * 0;
	return (void *)r;
}

static int detached_done;

static void *detached(void *arg)
{
	pthread_mutex_lock(&lock);
	detached_done++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	if ((long)arg & 1) pthread_exit(0);
	return 0;
}

static void *spawner(void *arg)
{
	/* a thread that starts and joins its own thread */
	pthread_t t;
	void *r;
	pthread_create(&t, 0, worker, arg);
	pthread_join(t, &r);
	return r;
}

static void more(void)
{
	/* detached threads free their own stacks */
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < 8; i++) {
		pthread_t t;
		if (pthread_create(&t, &a, detached, (void *)i)) { puts("detached create failed"); exit(1); }
	}
	pthread_mutex_lock(&lock);
	while (detached_done < 8) pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	printf("detached threads done: %d\n", detached_done);

	/* many short-lived joinable threads reuse stack memory */
	long sum = 0;
	for (long i = 0; i < 40; i++) {
		pthread_t t;
		void *r;
		pthread_create(&t, 0, spawner, (void *)(i % 4));
		pthread_join(t, &r);
		sum += (long)r;
	}
	printf("nested create/join sum=%ld\n", sum);
}

int main(void)
{
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], 0, worker, (void *)i)) { puts("pthread_create failed"); return 1; }
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread %d returned %ld\n", i, (long)r);
	}
	printf("counter=%ld (expected %d) main tls=%d\n", counter, NTHREADS * ITERS, tls_value);
	more();
	return 0;
}
