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
	return 0;
}
