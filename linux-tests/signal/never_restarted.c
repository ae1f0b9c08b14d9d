// wali-test: dir=TMP needs=poll,signals
// The calls signal(7) says are never restarted fail with EINTR when a signal
// handler interrupts them, even one installed with SA_RESTART (the syscall
// table's restart column: NeverRestart). Each waits up to 2 s for nothing; a
// 50 ms timer interrupts it. A call wrongly restarted would time out instead
// (0, or hang for pause and rt_sigsuspend). Raw calls, so that each reaches
// its own table entry: musl's nanosleep() is clock_nanosleep, its select() is
// pselect6, its epoll_wait() is epoll_pwait, and its sigtimedwait() retries
// on EINTR itself (glibc's does not).
#include "../common.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t hits;
static void on_alarm(int s) { (void)s; hits++; }

static void arm(void)
{
	hits = 0;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

#define INTERRUPTED(name, call) do { \
	arm(); \
	CHECK(name, call); \
	printf("%s: handler ran %d time(s)\n", name, (int)hits); \
} while (0)

int main(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);

	int p[2];
	pipe(p);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = p[0] };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	struct epoll_event out;
	sigset_t none, usr1;
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	struct timespec two = { 2, 0 };
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	fd_set rd;

	INTERRUPTED("pause", RSYS0(SYS_pause));
	INTERRUPTED("rt_sigsuspend", RSYS2(SYS_rt_sigsuspend, &none, 8));
	INTERRUPTED("rt_sigtimedwait", RSYS4(SYS_rt_sigtimedwait, &usr1, NULL, &two, 8));
	INTERRUPTED("nanosleep", RSYS2(SYS_nanosleep, &two, NULL));
	INTERRUPTED("clock_nanosleep",
		RSYS4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &two, NULL));
	INTERRUPTED("poll", RSYS3(SYS_poll, &pfd, 1, 2000));
	INTERRUPTED("ppoll", RSYS5(SYS_ppoll, &pfd, 1, &two, NULL, 8));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timeval tv = { 2, 0 };
	INTERRUPTED("select", RSYS5(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	INTERRUPTED("pselect6", RSYS6(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &two, NULL));
	INTERRUPTED("epoll_wait", RSYS4(SYS_epoll_wait, ep, &out, 1, 2000));
	INTERRUPTED("epoll_pwait", RSYS6(SYS_epoll_pwait, ep, &out, 1, 2000, NULL, 8));
	return 0;
}
