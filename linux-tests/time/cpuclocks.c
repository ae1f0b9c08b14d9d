// wali-test: dir=TMP needs=threads
// CPU-time clocks of the process and of threads (clock ids that encode a
// pid or a tid): readable for our own, EINVAL for a bad kind.
#include "../common.h"
#include <pthread.h>
#include <time.h>
#include <sched.h>

#include <stdatomic.h>
static atomic_int done;
/* Stays alive until main has read its clock (a finished thread's clock is gone). */
static void *idle(void *a) { (void)a; while (!atomic_load(&done)) sched_yield(); return NULL; }

int main(void)
{
	clockid_t c;
	struct timespec ts;
	CHECK_ERRNUM("clock_getcpuclockid self", clock_getcpuclockid(getpid(), &c));
	CHECK_OK("clock_gettime process cpu clock", clock_gettime(c, &ts));
	pthread_t t;
	pthread_create(&t, NULL, idle, NULL);
	CHECK_ERRNUM("pthread_getcpuclockid", pthread_getcpuclockid(t, &c));
	CHECK_OK("clock_gettime thread cpu clock", clock_gettime(c, &ts));
	atomic_store(&done, 1);
	pthread_join(t, NULL);
	CHECK_ERRNUM("pthread_getcpuclockid self", pthread_getcpuclockid(pthread_self(), &c));
	CHECK_OK("clock_getres thread cpu clock", clock_getres(c, &ts));
	CHECK("clock_gettime bad clock kind", clock_gettime((clockid_t)((~0 << 3) | 3), &ts));
	return 0;
}
