// wali-test: dir=TMP needs=net,poll
// poll, select and epoll on sockets: readiness of socketpairs, POLLHUP and
// POLLRDHUP after the peer closes or shuts down, a listening socket
// becoming readable, edge-triggered and one-shot epoll, epoll_pwait with a
// mask, a timerfd and an eventfd in one epoll set, fds above 64 in select.
#include "../common.h"
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>

static void show_poll(const char *label, struct pollfd *p, int n, int timeout)
{
	int r = poll(p, n, timeout);
	SAY("%s: %d", label, r);
	if (r < 0) SAY(" %s", errname(errno));
	for (int i = 0; i < n; i++) SAY(" %#x", p[i].revents);
	SAY("\n");
}

static void show_epoll(const char *label, int ep, int timeout)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, 8, timeout);
	SAY("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (ev[j].data.u64 < ev[i].data.u64) { struct epoll_event t = ev[i]; ev[i] = ev[j]; ev[j] = t; }
	for (int i = 0; i < n; i++) SAY(" {%llu %#x}", (unsigned long long)ev[i].data.u64, ev[i].events);
	SAY("\n");
}

int main(void)
{
	int sv[2];
	char buf[64];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct pollfd p[2] = { { sv[0], POLLIN | POLLOUT | POLLRDHUP, 0 }, { sv[1], POLLIN, 0 } };
	show_poll("fresh pair", p, 2, 0);
	send(sv[1], "abc", 3, 0);
	show_poll("after send", p, 2, 0);
	recv(sv[0], buf, sizeof buf, 0);
	shutdown(sv[1], SHUT_WR);
	show_poll("peer SHUT_WR", p, 2, 0);
	close(sv[1]);
	p[1].fd = -1;
	show_poll("peer closed", p, 2, 0);
	close(sv[0]);
	show_poll("own fd closed", p, 1, 0);

	/* listening unix socket becomes readable with a pending connection */
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, "l.sock");
	bind(ls, (struct sockaddr *)&a, sizeof a);
	listen(ls, 4);
	struct pollfd lp = { ls, POLLIN, 0 };
	show_poll("listener idle", &lp, 1, 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof a);
	show_poll("listener pending", &lp, 1, 100);

	/* select with descriptors above 64 */
	int hi = fcntl(c, F_DUPFD, 100);
	SAY("dup to: %d\n", hi);
	fd_set r, w;
	FD_ZERO(&r); FD_ZERO(&w);
	FD_SET(ls, &r); FD_SET(hi, &w); FD_SET(hi, &r);
	struct timeval tv = { 0, 0 };
	CHECK("select", select(hi + 1, &r, &w, NULL, &tv));
	SAY("listener readable: %d, hi readable: %d, hi writable: %d\n", !!FD_ISSET(ls, &r), !!FD_ISSET(hi, &r), !!FD_ISSET(hi, &w));
	int as = accept(ls, NULL, NULL);

	/* epoll: edge-triggered and one-shot */
	int ep = epoll_create(1);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 1 };
	CHECK("add ET", epoll_ctl(ep, EPOLL_CTL_ADD, as, &ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = 2;
	int sp2[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sp2);
	CHECK("add oneshot", epoll_ctl(ep, EPOLL_CTL_ADD, sp2[0], &ev));
	show_epoll("nothing", ep, 0);
	send(c, "x", 1, 0);
	send(sp2[1], "y", 1, 0);
	show_epoll("both ready", ep, 1000);
	show_epoll("ET and oneshot: not again", ep, 0);
	send(c, "x", 1, 0);
	show_epoll("new data re-arms ET", ep, 1000);
	CHECK("rearm oneshot", epoll_ctl(ep, EPOLL_CTL_MOD, sp2[0], &ev));
	show_epoll("oneshot rearmed", ep, 0);
	CHECK("del", epoll_ctl(ep, EPOLL_CTL_DEL, sp2[0], NULL));
	CHECK("mod deleted", epoll_ctl(ep, EPOLL_CTL_MOD, sp2[0], &ev));

	/* timerfd and eventfd in one set */
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	int efd = eventfd(0, EFD_NONBLOCK);
	ev.events = EPOLLIN;
	ev.data.u64 = 3;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.u64 = 4;
	epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
	ev.data.u64 = 1;
	epoll_ctl(ep, EPOLL_CTL_DEL, as, NULL);
	struct itimerspec its = { .it_value = { 0, 20 * 1000 * 1000 } };
	CHECK("timerfd_settime", timerfd_settime(tfd, 0, &its, NULL));
	show_epoll("timer expires", ep, 2000);
	uint64_t n = 0;
	CHECK("read timer", read(tfd, &n, 8));
	SAY("expirations: %llu\n", (unsigned long long)n);
	uint64_t one = 1;
	write(efd, &one, 8);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	show_epoll("eventfd", ep, 0);
	int pr = epoll_pwait(ep, (struct epoll_event[4]){ 0 }, 4, 0, &m);
	SAY("epoll_pwait: %d\n", pr);
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	FACT("mask restored", !sigismember(&cur, SIGUSR1));
	CHECK("epoll_create 0", epoll_create(0));
	CHECK("epoll_create1 bad flags", epoll_create1(1));
	return 0;
}
