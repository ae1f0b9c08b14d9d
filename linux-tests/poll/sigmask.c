// wali-test: dir=TMP needs=poll,signals
// ppoll, pselect and epoll_pwait with a signal mask: a signal blocked
// outside the call but unblocked by its mask interrupts the wait (EINTR)
// and its handler runs; the old mask is back afterwards; a signal already
// pending when the call starts interrupts it at once; poll without a mask
// is interrupted by an unblocked signal too.
#include "../common.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

static volatile int hits;
static void on_sig(int s) { (void)s; hits++; }

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void arm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void blocked_check(const char *label)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	SAY("%s: handler ran %d, SIGALRM blocked again: %s\n", label, hits, sigismember(&cur, SIGALRM) ? "yes" : "no");
	hits = 0;
}

int main(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_sig;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t block, empty;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);

	int p[2];
	pipe(p);
	struct pollfd pf = { p[0], POLLIN, 0 };
	struct timespec ts = { 5, 0 };
	double t0;

	arm();
	t0 = now();
	CHECK("ppoll", ppoll(&pf, 1, &ts, &empty));
	FACT("woken early", now() - t0 < 4);
	blocked_check("ppoll");

	arm();
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	t0 = now();
	CHECK("pselect", pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty));
	FACT("woken early", now() - t0 < 4);
	blocked_check("pselect");

	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 7 };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	arm();
	t0 = now();
	CHECK("epoll_pwait", epoll_pwait(ep, &ev, 1, 5000, &empty));
	FACT("woken early", now() - t0 < 4);
	blocked_check("epoll_pwait");

	/* already pending: interrupts at once */
	raise(SIGUSR1);
	t0 = now();
	CHECK("ppoll with pending", ppoll(&pf, 1, &ts, &empty));
	FACT("at once", now() - t0 < 1);
	SAY("handler ran: %d\n", hits);
	hits = 0;

	/* ready fds and a pending signal: the count, and the handler waits */
	write(p[1], "x", 1);
	raise(SIGUSR1);
	CHECK("ppoll ready with pending", ppoll(&pf, 1, &ts, &empty));
	SAY("handler ran: %d\n", hits);
	sigset_t pend;
	sigpending(&pend);
	FACT("SIGUSR1 still pending", sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	SAY("after unblocking, handler ran: %d\n", hits);
	hits = 0;
	char c;
	read(p[0], &c, 1);

	/* no mask: an unblocked signal interrupts poll and epoll_wait */
	arm();
	t0 = now();
	CHECK("poll", poll(&pf, 1, 5000));
	FACT("woken early", now() - t0 < 4);
	SAY("handler ran: %d\n", hits);
	hits = 0;
	arm();
	CHECK("epoll_wait", epoll_wait(ep, &ev, 1, 5000));
	SAY("handler ran: %d\n", hits);
	return 0;
}
