// wali-test: dir=TMP
// clock_gettime, clock_getres, gettimeofday, time, times, nanosleep,
// clock_nanosleep. Times are compared with each other, never printed.
#include "../common.h"
#include <sys/time.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
	struct timespec a, b, res;
	CHECK("clock_gettime REALTIME", clock_gettime(CLOCK_REALTIME, &a));
	FACT("realtime after 2020", a.tv_sec > 1577836800);
	FACT("nsec in range", a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
	CHECK("clock_gettime MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &a));
	CHECK("clock_gettime MONOTONIC again", clock_gettime(CLOCK_MONOTONIC, &b));
	FACT("monotonic does not go back", ns(b) >= ns(a));
	CHECK("clock_gettime BOOTTIME", clock_gettime(CLOCK_BOOTTIME, &a));
	CHECK("clock_gettime MONOTONIC_RAW", clock_gettime(CLOCK_MONOTONIC_RAW, &a));
	CHECK("clock_gettime REALTIME_COARSE", clock_gettime(CLOCK_REALTIME_COARSE, &a));
	CHECK("clock_gettime MONOTONIC_COARSE", clock_gettime(CLOCK_MONOTONIC_COARSE, &a));
	CHECK("clock_gettime PROCESS_CPUTIME", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	CHECK("clock_gettime THREAD_CPUTIME", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));
	CHECK("clock_gettime bad id", clock_gettime(12345, &a));
	CHECK("raw clock_gettime", RSYS2(SYS_clock_gettime, CLOCK_REALTIME, &a));
	CHECK("raw clock_gettime bad ptr", RSYS2(SYS_clock_gettime, CLOCK_REALTIME, BADPTR));
	CHECK("clock_getres REALTIME", clock_getres(CLOCK_REALTIME, &res));
	FACT("realtime res <= 1ms", res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
	CHECK("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &res));
	CHECK("clock_getres NULL", clock_getres(CLOCK_MONOTONIC, NULL));
	CHECK("clock_getres bad id", clock_getres(12345, &res));
	CHECK("raw clock_getres", RSYS2(SYS_clock_getres, CLOCK_MONOTONIC, &res));

	struct timeval tv;
	struct timezone tz;
	clock_gettime(CLOCK_REALTIME, &a);
	CHECK("gettimeofday", gettimeofday(&tv, NULL));
	FACT("gettimeofday close to realtime", tv.tv_sec - a.tv_sec <= 2 && tv.tv_sec >= a.tv_sec);
	FACT("usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK("gettimeofday tz", gettimeofday(&tv, &tz));
	CHECK("raw gettimeofday", RSYS2(SYS_gettimeofday, &tv, NULL));
	CHECK("raw gettimeofday both NULL", RSYS2(SYS_gettimeofday, NULL, NULL));
	CHECK("raw gettimeofday bad ptr", RSYS2(SYS_gettimeofday, BADPTR, NULL));
	time_t t1 = time(NULL);
	long t2 = RSYS1(SYS_time, NULL);
	FACT("time matches", t2 - t1 >= 0 && t2 - t1 <= 2);
	time_t t3 = 0;
	long t4 = RSYS1(SYS_time, &t3);
	FACT("time stores too", t3 == t4);

	/* times(): time/times (struct tms layout) */
	CHECK("raw times NULL", RSYS1(SYS_times, NULL) == -1 ? -1 : 0);
	FACT("CLK_TCK 100", sysconf(_SC_CLK_TCK) == 100);

	struct timespec req = { 0, 20 * 1000000 }, rem = { 9, 9 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK("nanosleep 20ms", nanosleep(&req, &rem));
	clock_gettime(CLOCK_MONOTONIC, &b);
	FACT("slept at least 20ms", ns(b) - ns(a) >= 20000000);
	FACT("slept less than 2s", ns(b) - ns(a) < 2000000000LL);
	req.tv_nsec = 1000000000;
	CHECK("nanosleep bad nsec", nanosleep(&req, NULL));
	req.tv_sec = -1; req.tv_nsec = 0;
	CHECK("nanosleep negative", nanosleep(&req, NULL));
	req.tv_sec = 0;
	CHECK("nanosleep zero", nanosleep(&req, NULL));
	CHECK("raw nanosleep bad ptr", RSYS2(SYS_nanosleep, BADPTR, NULL));
	req.tv_nsec = 1000000;
	CHECK("raw nanosleep", RSYS2(SYS_nanosleep, &req, NULL));

	req.tv_sec = 0; req.tv_nsec = 10000000;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_ERRNUM("clock_nanosleep relative", clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	FACT("slept at least 10ms", ns(b) - ns(a) >= 10000000);
	struct timespec abs = b;
	abs.tv_nsec += 15000000;
	if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
	CHECK_ERRNUM("clock_nanosleep absolute", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	clock_gettime(CLOCK_MONOTONIC, &a);
	FACT("woke after the deadline", ns(a) >= ns(abs));
	abs.tv_sec -= 10;
	CHECK_ERRNUM("clock_nanosleep past deadline", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	CHECK_ERRNUM("clock_nanosleep REALTIME", clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL));
	CHECK_ERRNUM("clock_nanosleep bad clock", clock_nanosleep(12345, 0, &req, NULL));
	CHECK_ERRNUM("clock_nanosleep cputime clock", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL));
	req.tv_nsec = -1;
	CHECK_ERRNUM("clock_nanosleep bad nsec", clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));
	req.tv_nsec = 1000;
	CHECK("raw clock_nanosleep", RSYS4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL));
	CHECK("raw clock_nanosleep bad ptr", RSYS4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BADPTR, NULL));
	return 0;
}
