// wali-test: dir=TMP needs=threads timeout=120
// 100 threads contending: one mutex taken 2000 times by each (every
// increment counted), a token passed round-robin through all of them with
// one condition variable and broadcasts (a lost wake-up hangs, and the run
// times out), a semaphore chain, and threads exiting while others still
// contend. Speed is measured by bench/ (lock contention), never here.
#include "../common.h"
#include <pthread.h>
#include <semaphore.h>

#define NT 100
#define ITER 2000
#define ROUNDS 20

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;
static long passes;
static sem_t chain[NT];
static long chain_count;

static void *adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITER; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static void *token(void *arg)
{
	int id = (int)(long)arg;
	for (int r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&mu);
		while (turn != id)
			pthread_cond_wait(&turn_cv, &mu);
		passes++;
		turn = (turn + 1) % NT;
		pthread_cond_broadcast(&turn_cv);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static void *link_fn(void *arg)
{
	int id = (int)(long)arg;
	for (int r = 0; r < ROUNDS; r++) {
		sem_wait(&chain[id]);
		chain_count++;
		sem_post(&chain[(id + 1) % NT]);
	}
	return NULL;
}

static int run(void *(*fn)(void *))
{
	pthread_t t[NT];
	int created = 0;
	for (int i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)(long)i) == 0)
			created++;
	for (int i = 0; i < created; i++)
		pthread_join(t[i], NULL);
	return created;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("mutex threads: %d\n", run(adder));
	printf("mutex counter: %ld (expected %ld)\n", counter, (long)NT * ITER);

	printf("token threads: %d\n", run(token));
	printf("token passes: %ld (expected %d), back at 0: %s\n", passes, NT * ROUNDS,
	       turn == 0 ? "yes" : "no");

	for (int i = 0; i < NT; i++)
		sem_init(&chain[i], 0, 0);
	pthread_t t[NT];
	int created = 0;
	for (int i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, link_fn, (void *)(long)i) == 0)
			created++;
	sem_post(&chain[0]);
	for (int i = 0; i < created; i++)
		pthread_join(t[i], NULL);
	printf("chain threads: %d, passes: %ld (expected %d)\n", created, chain_count, NT * ROUNDS);
	return 0;
}
