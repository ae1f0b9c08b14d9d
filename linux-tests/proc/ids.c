// wali-test: dir=TMP
// getpid, getppid, gettid, set_tid_address, set_robust_list and futex in a
// single-threaded process (the table note for futex: single-threaded only
// for now; WAIT returns EAGAIN or times out, WAKE wakes nobody).
#include "../common.h"
#include <time.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128

int main(void)
{
	pid_t p = getpid();
	FACT("getpid > 0", p > 0);
	FACT("getpid stable", getpid() == p);
	FACT("raw getpid", RSYS0(SYS_getpid) == p);
	pid_t pp = getppid();
	FACT("getppid > 0", pp > 0);
	FACT("getppid != getpid", pp != p);
	FACT("raw getppid", RSYS0(SYS_getppid) == pp);
	FACT("gettid == getpid in main thread", gettid() == p);
	FACT("raw gettid", RSYS0(SYS_gettid) == p);
	static int tidword;
	FACT("set_tid_address returns tid", RSYS1(SYS_set_tid_address, &tidword) == p);

	struct { void *next; long off; void *pending; } head = { &head, 0, NULL };
	CHECK("set_robust_list", RSYS2(SYS_set_robust_list, &head, sizeof head));
	CHECK("set_robust_list bad len", RSYS2(SYS_set_robust_list, &head, 7));

	static int word = 5;
	CHECK("futex wait value mismatch", RSYS6(SYS_futex, &word, FUTEX_WAIT, 4, NULL, NULL, 0));
	struct timespec ts = { 0, 20000000 };
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK("futex wait timeout", RSYS6(SYS_futex, &word, FUTEX_WAIT, 5, &ts, NULL, 0));
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long el = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	FACT("waited about 20ms", el >= 15000000 && el < 2000000000LL);
	CHECK("futex wake nobody", RSYS6(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0));
	CHECK("futex private wake", RSYS6(SYS_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0));
	CHECK("futex private wait mismatch", RSYS6(SYS_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0));
	CHECK("futex bad op", RSYS6(SYS_futex, &word, 99, 0, NULL, NULL, 0));
	CHECK("futex unaligned", RSYS6(SYS_futex, (char *)&word + 1, FUTEX_WAKE, 1, NULL, NULL, 0));
	CHECK("futex bad address", RSYS6(SYS_futex, BADPTR, FUTEX_WAIT, 0, NULL, NULL, 0));
	struct timespec bad = { 0, 2000000000 };
	CHECK("futex bad timeout", RSYS6(SYS_futex, &word, FUTEX_WAIT, 5, &bad, NULL, 0));
	return 0;
}
