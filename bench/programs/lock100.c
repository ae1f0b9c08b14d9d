// Lock contention: 100 threads each take one mutex 10000 times (bench/run.sh,
// "Locks and timers"). Prints the count, which must be 1000000.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static int iters = 10000;

static void *run(void *arg)
{
	(void)arg;
	for (int i = 0; i < iters; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	if (argc > 2)
		iters = atoi(argv[2]);
	if (n < 1 || n > 1000)
		return 2;
	pthread_t t[1000];
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, run, NULL) != 0)
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("%ld\n", counter);
	return counter == (long)n * iters ? 0 : 1;
}
