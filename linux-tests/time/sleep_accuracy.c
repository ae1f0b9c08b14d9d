// wali-test: dir=TMP needs=threads
// Sleeps never end early: nanosleep, clock_nanosleep (relative and
// TIMER_ABSTIME) and a futex timeout last at least what was asked, measured
// on CLOCK_MONOTONIC. A signal interrupts a sleep with EINTR (SA_RESTART or
// not: Linux never restarts nanosleep after a handler ran) and leaves a
// remaining time no longer than the request; sleeping the remainder ends
// no earlier than the first deadline. How much later a sleep ends is
// measured by bench/ (sleep overshoot), never here: a timed upper bound
// would flake on a loaded machine.
#include "../common.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>

// <linux/futex.h> is not in every libc's headers.
#define FUTEX_WAIT_ 0
#define FUTEX_WAIT_BITSET_ 9
#define FUTEX_PRIVATE_ 128

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec ts_of(long long ns)
{
	struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
	return ts;
}

static void on_usr1(int sig) { (void)sig; }

static atomic_int sleeping_done;
static pthread_t main_thread;

// Signals the main thread every 10 ms until its sleep has returned, so a
// signal that lands before the sleep starts cannot leave it uninterrupted.
static void *interrupter(void *arg)
{
	(void)arg;
	struct timespec ten = {0, 10 * 1000000};
	while (!atomic_load(&sleeping_done)) {
		nanosleep(&ten, NULL);
		if (!atomic_load(&sleeping_done))
			pthread_kill(main_thread, SIGUSR1);
	}
	return NULL;
}

static void interrupted_sleep(const char *label, int flags, int absolute)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
	atomic_store(&sleeping_done, 0);
	main_thread = pthread_self();
	pthread_t t;
	pthread_create(&t, NULL, interrupter, NULL);
	long long want = 5LL * 1000000000LL;
	long long start = now_ns();
	struct timespec req = absolute ? ts_of(start + want) : ts_of(want);
	struct timespec rem = {-1, -1};
	int r;
	if (absolute) {
		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, &rem);
		printf("%s: returned %s, rem untouched: %s\n", label, r == EINTR ? "EINTR" : "other",
		       rem.tv_sec == -1 && rem.tv_nsec == -1 ? "yes" : "no");
	} else {
		r = nanosleep(&req, &rem);
		int e = errno;
		long long left = rem.tv_sec * 1000000000LL + rem.tv_nsec;
		printf("%s: returned %d %s, 0 < rem <= request: %s\n", label, r,
		       r == -1 && e == EINTR ? "EINTR" : "other", left > 0 && left <= want ? "yes" : "no");
	}
	atomic_store(&sleeping_done, 1);
	pthread_join(t, NULL);
	// Finishing the sleep: the rest for nanosleep, the same deadline for
	// TIMER_ABSTIME. Shortened to keep the test quick: sleep 50 ms past
	// the interruption, and check the deadline arithmetic only.
	long long resumed = now_ns();
	struct timespec rest = absolute ? ts_of(resumed + 50000000LL) : ts_of(50000000LL);
	r = absolute ? clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &rest, NULL) : nanosleep(&rest, NULL);
	printf("%s: resumed sleep returned %d, lasted at least 50ms: %s\n", label, r,
	       now_ns() - resumed >= 50000000LL ? "yes" : "no");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	static const long long ns[] = {1000, 1000000, 10000000, 50000000};
	for (unsigned i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		int early = 0;
		for (int k = 0; k < 5; k++) {
			struct timespec req = ts_of(ns[i]);
			long long t0 = now_ns();
			if (nanosleep(&req, NULL) != 0 || now_ns() - t0 < ns[i])
				early++;
			t0 = now_ns();
			if (clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) != 0 || now_ns() - t0 < ns[i])
				early++;
			long long deadline = now_ns() + ns[i];
			struct timespec abs = ts_of(deadline);
			if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL) != 0 || now_ns() < deadline)
				early++;
			int word = 0;
			t0 = now_ns();
			long r = RSYS6(SYS_futex, &word, FUTEX_WAIT_ | FUTEX_PRIVATE_, 0, &req, NULL, 0);
			if (!(r == -1 && errno == ETIMEDOUT) || now_ns() - t0 < ns[i])
				early++;
			t0 = now_ns();
			deadline = t0 + ns[i];
			abs = ts_of(deadline);
			r = RSYS6(SYS_futex, &word, FUTEX_WAIT_BITSET_ | FUTEX_PRIVATE_, 0, &abs, NULL, -1);
			if (!(r == -1 && errno == ETIMEDOUT) || now_ns() < deadline)
				early++;
		}
		printf("%lld ns: sleeps and futex timeouts ending early or failing: %d\n", ns[i], early);
	}
	struct timespec past = ts_of(now_ns() - 1000000);
	CHECK_ERRNUM("clock_nanosleep absolute in the past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));

	interrupted_sleep("nanosleep, handler without SA_RESTART", 0, 0);
	interrupted_sleep("nanosleep, handler with SA_RESTART", SA_RESTART, 0);
	interrupted_sleep("clock_nanosleep TIMER_ABSTIME, handler", 0, 1);
	return 0;
}
