// wali-test: timeout=30
// FUTEX_WAIT on a word of a shared mapping (the host kernel's futex) is
// interrupted by a caught signal (EINTR, the handler ran) and times out
// with ETIMEDOUT; a mismatching value is EAGAIN.
#include "../common.h"
#include <sys/mman.h>
#include <time.h>
#define FUTEX_WAIT 0
#define FUTEX_WAIT_BITSET 9

static volatile int caught;
static void on_alarm(int s) { caught = s; }

int main(void)
{
	int *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, LT_OFF(0));
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, 0);
	alarm(1);
	struct timespec ts = { 10, 0 };
	CHECK("wait interrupted", syscall(SYS_futex, w, FUTEX_WAIT, 0, &ts, 0, 0));
	SAY("handler ran: %d\n", caught == SIGALRM);
	struct timespec shortt = { 0, 50000000 };
	CHECK("wait times out", syscall(SYS_futex, w, FUTEX_WAIT, 0, &shortt, 0, 0));
	CHECK("value mismatch", syscall(SYS_futex, w, FUTEX_WAIT, 1, &shortt, 0, 0));
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 50000000;
	if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
	CHECK("bitset wait to an absolute deadline", syscall(SYS_futex, w, FUTEX_WAIT_BITSET, 0, &now, 0, -1));
	return 0;
}
