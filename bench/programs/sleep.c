// Sleep overshoot: the median, over 20 sleeps of 50 ms (nanosleep), of how
// much longer than asked each lasted on CLOCK_MONOTONIC, in milliseconds
// (bench/run.sh, "Locks and timers").
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	enum { N = 20 };
	long long over[N];
	struct timespec req = {0, 50 * 1000000};
	for (int i = 0; i < N; i++) {
		long long t0 = now_ns();
		nanosleep(&req, NULL);
		over[i] = now_ns() - t0 - 50 * 1000000LL;
	}
	qsort(over, N, sizeof over[0], cmp);
	printf("overshoot_ms=%.3f\n", (over[N / 2 - 1] + over[N / 2]) / 2 / 1e6);
	return 0;
}
