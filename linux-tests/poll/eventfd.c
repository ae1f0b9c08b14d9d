// wali-test: dir=TMP needs=poll
// eventfd/eventfd2 counters and timerfd_create/settime/gettime.
#include "../common.h"
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>

int main(void)
{
	uint64_t v = 0;
	int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
	FACT("eventfd", e >= 0);
	FACT("cloexec", fcntl(e, F_GETFD) & FD_CLOEXEC);
	CHECK("read", read(e, &v, 8));
	SAY("value: %llu\n", (unsigned long long)v);
	CHECK("read empty", read(e, &v, 8));
	v = 5;
	CHECK("write 5", write(e, &v, 8));
	write(e, &v, 8);
	read(e, &v, 8);
	SAY("sum: %llu\n", (unsigned long long)v);
	CHECK("read 4 bytes", read(e, &v, 4));
	CHECK("write 4 bytes", write(e, &v, 4));
	v = UINT64_MAX;
	CHECK("write max", write(e, &v, 8));
	v = UINT64_MAX - 1;
	CHECK("write max-1", write(e, &v, 8));
	v = 1;
	CHECK("write would overflow", write(e, &v, 8));
	close(e);
	int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	read(s, &v, 8);
	SAY("semaphore read: %llu\n", (unsigned long long)v);
	read(s, &v, 8);
	SAY("semaphore read: %llu\n", (unsigned long long)v);
	CHECK("semaphore empty", read(s, &v, 8));
	CHECK("eventfd bad flags", eventfd(0, 0x10));
	CHECK("raw eventfd", RSYS1(SYS_eventfd, 1) >= 0 ? 0 : -1);
	CHECK("raw eventfd2", RSYS2(SYS_eventfd2, 1, EFD_NONBLOCK) >= 0 ? 0 : -1);

	int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	FACT("timerfd_create", t >= 0);
	CHECK("timerfd_create bad clock", timerfd_create(12345, 0));
	CHECK("timerfd_create bad flags", timerfd_create(CLOCK_MONOTONIC, 0x1));
	CHECK("read unarmed", read(t, &v, 8));
	struct itimerspec its = { { 0, 10000000 }, { 0, 20000000 } }, old;
	CHECK("settime", timerfd_settime(t, 0, &its, &old));
	FACT("old was disarmed", old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0);
	struct itimerspec cur;
	CHECK("gettime", timerfd_gettime(t, &cur));
	FACT("remaining <= 20ms", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 20000000 && cur.it_value.tv_nsec > 0);
	FACT("interval kept", cur.it_interval.tv_nsec == 10000000);
	struct timespec sl = { 0, 45000000 };
	nanosleep(&sl, NULL);
	CHECK("read expirations", read(t, &v, 8));
	FACT("expired at least twice", v >= 2);
	CHECK("read small buffer", read(t, &v, 4));
	its.it_value.tv_nsec = 0; its.it_interval.tv_nsec = 0;
	CHECK("disarm", timerfd_settime(t, 0, &its, NULL));
	timerfd_gettime(t, &cur);
	FACT("disarmed", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	its.it_value.tv_nsec = 1000000000;
	CHECK("settime bad nsec", timerfd_settime(t, 0, &its, NULL));
	CHECK("settime bad flags", timerfd_settime(t, 0x10, &its, NULL));
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	its.it_value = now;
	CHECK("settime absolute in the past", timerfd_settime(t, TFD_TIMER_ABSTIME, &its, NULL));
	CHECK("read past absolute", read(t, &v, 8));
	SAY("expirations: %llu\n", (unsigned long long)v);
	CHECK("gettime on non-timerfd", timerfd_gettime(0, &cur));
	CHECK("raw timerfd_create", RSYS2(SYS_timerfd_create, CLOCK_REALTIME, 0) >= 0 ? 0 : -1);
	CHECK("raw timerfd_gettime", RSYS2(SYS_timerfd_gettime, t, &cur));
	its.it_value.tv_sec = 0; its.it_value.tv_nsec = 0;
	CHECK("raw timerfd_settime", RSYS4(SYS_timerfd_settime, t, 0, &its, NULL));
	return 0;
}
