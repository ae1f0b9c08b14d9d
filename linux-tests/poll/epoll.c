// wali-test: dir=TMP needs=poll
// epoll_create/create1, epoll_ctl, epoll_wait/pwait on pipes and eventfds.
#include "../common.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>

static void wait_show(const char *label, int ep, int timeout)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, 8, timeout);
	SAY("%s: %d", label, n);
	if (n < 0) SAY(" %s", errname(errno));
	/* order of ready events is not specified: print sorted by data */
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (ev[j].data.u64 < ev[i].data.u64) { struct epoll_event t = ev[i]; ev[i] = ev[j]; ev[j] = t; }
	for (int i = 0; i < n; i++) SAY(" {data=%llu events=%#x}", (unsigned long long)ev[i].data.u64, ev[i].events);
	SAY("\n");
}

int main(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	FACT("epoll_create1", ep >= 0);
	FACT("cloexec", fcntl(ep, F_GETFD) & FD_CLOEXEC);
	CHECK("epoll_create1 bad flags", epoll_create1(1));
	int ep2 = epoll_create(10);
	FACT("epoll_create", ep2 >= 0);
	CHECK("epoll_create 0", epoll_create(0));
	CHECK("raw epoll_create", RSYS1(SYS_epoll_create, 1) >= 0 ? 0 : -1);
	CHECK("raw epoll_create1", RSYS1(SYS_epoll_create1, 0) >= 0 ? 0 : -1);

	int p[2];
	pipe(p);
	struct epoll_event e = { .events = EPOLLIN, .data.u64 = 1 };
	CHECK("ctl add reader", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	CHECK("ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	e.data.u64 = 2; e.events = EPOLLOUT;
	CHECK("ctl add writer", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &e));
	wait_show("writer ready", ep, 0);
	write(p[1], "ab", 2);
	wait_show("both ready", ep, 0);
	wait_show("level-triggered again", ep, 0);
	e.events = EPOLLIN | EPOLLET; e.data.u64 = 1;
	CHECK("ctl mod reader edge", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
	CHECK("ctl del writer", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	wait_show("edge first", ep, 0);
	wait_show("edge second", ep, 0);
	char buf[4];
	read(p[0], buf, 2);
	CHECK("ctl mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e));
	CHECK("ctl del missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	CHECK("ctl bad op", epoll_ctl(ep, 99, p[0], &e));
	CHECK("ctl bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &e));
	CHECK("ctl bad epfd", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &e));
	CHECK("ctl epfd not epoll", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &e));
	CHECK("ctl add self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e));
	int f = open("file", O_RDWR | O_CREAT, 0644);
	CHECK("ctl add regular file", epoll_ctl(ep, EPOLL_CTL_ADD, f, &e));
	CHECK("ctl bad event ptr", RSYS4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], BADPTR));
	CHECK("wait maxevents 0", epoll_wait(ep, (struct epoll_event *)buf, 0, 0));
	CHECK("wait bad epfd", epoll_wait(99, (struct epoll_event *)buf, 1, 0));
	CHECK("wait bad buffer", epoll_wait(ep, BADPTR, 1, 0) < 0 ? -1 : 0);

	int efd = eventfd(0, EFD_NONBLOCK);
	e.events = EPOLLIN; e.data.u64 = 7;
	epoll_ctl(ep2, EPOLL_CTL_ADD, efd, &e);
	wait_show("eventfd idle 20ms", ep2, 20);
	uint64_t one = 1;
	write(efd, &one, 8);
	wait_show("eventfd signalled", ep2, 0);
	struct epoll_event out[2];
	sigset_t m;
	sigemptyset(&m);
	CHECK("epoll_pwait", epoll_pwait(ep2, out, 2, 0, &m));
	CHECK("raw epoll_wait", RSYS4(SYS_epoll_wait, ep2, out, 2, 0));
	CHECK("raw epoll_pwait", RSYS6(SYS_epoll_pwait, ep2, out, 2, 0, NULL, 8));
	close(p[0]);
	close(p[1]);
	wait_show("closed fds leave the set", ep, 0);
	return 0;
}
