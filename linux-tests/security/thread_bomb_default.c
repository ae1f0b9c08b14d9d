// wali-test: dir=TMP needs=threads wali-only timeout=120
// Under the default policy (no --policy) a thread bomb is bounded too:
// limits.threads = 1024 (the main thread included), pthread_create answers
// EAGAIN beyond; after joining, threads start again.
#include "sandbox.h"
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go;

static void *wait_go(void *a)
{
	pthread_mutex_lock(&mu);
	while (!go) pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return a;
}

static pthread_t t[4096];

int main(void)
{
	pthread_attr_t small;
	pthread_attr_init(&small);
	pthread_attr_setstacksize(&small, 16384);
	int n = 0, err = 0;
	while (n < 4096) {
		err = pthread_create(&t[n], &small, wait_go, NULL);
		if (err) break;
		n++;
	}
	SAY("created %d, then %s\n", n, errname(err));
	pthread_mutex_lock(&mu);
	go = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
	pthread_t again;
	CHECK_ERRNUM("create after join", pthread_create(&again, NULL, wait_go, NULL));
	CHECK_ERRNUM("join", pthread_join(again, NULL));
	return 0;
}
