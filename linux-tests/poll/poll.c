// wali-test: dir=TMP needs=poll
// poll and ppoll on pipes and files: readiness, timeouts, POLLHUP,
// POLLNVAL, negative fds, errors.
#include "../common.h"
#include <poll.h>
#include <time.h>

static void show(const char *label, int r, struct pollfd *p, int n)
{
	SAY("%s: %d", label, r);
	if (r < 0) SAY(" %s", errname(errno));
	for (int i = 0; i < n; i++) SAY(" [%d]=%#x", i, p[i].revents);
	SAY("\n");
}

int main(void)
{
	int p[2];
	pipe(p);
	struct pollfd f[3] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { -1, POLLIN, 0 } };
	show("empty pipe", poll(f, 3, 0), f, 3);
	write(p[1], "x", 1);
	show("after write", poll(f, 3, 0), f, 3);
	f[0].events = POLLIN | POLLPRI | POLLRDNORM;
	show("rdnorm", poll(f, 1, 0), f, 1);
	char c;
	read(p[0], &c, 1);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	f[0].events = POLLIN;
	show("timeout 30ms", poll(f, 1, 30), f, 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long el = (b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec;
	FACT("waited at least 30ms", el >= 30000000);
	close(p[1]);
	show("writer closed", poll(f, 1, 0), f, 1);
	int q[2];
	pipe(q);
	close(q[0]);
	struct pollfd w = { q[1], POLLOUT, 0 };
	show("reader closed", poll(&w, 1, 0), &w, 1);
	struct pollfd bad = { 99, POLLIN, 0 };
	show("bad fd", poll(&bad, 1, 0), &bad, 1);
	show("no fds, 10ms", poll(NULL, 0, 10), NULL, 0);
	CHECK("nfds too large", poll(f, 1u << 30, 0));
	CHECK("bad pointer", poll(BADPTR, 1, 0));
	int fd = open("file", O_RDWR | O_CREAT, 0644);
	struct pollfd ff = { fd, POLLIN | POLLOUT, 0 };
	show("regular file", poll(&ff, 1, 0), &ff, 1);
	int d = open(".", O_RDONLY);
	struct pollfd df = { d, POLLIN, 0 };
	show("directory", poll(&df, 1, 0), &df, 1);
	struct pollfd nul = { open("/dev/null", O_RDONLY), POLLIN, 0 };
	show("/dev/null", poll(&nul, 1, 0), &nul, 1);
	CHECK("raw poll", RSYS3(SYS_poll, &ff, 1, 0));

	/* ppoll */
	struct timespec ts = { 0, 0 };
	pipe(q);
	struct pollfd r = { q[0], POLLIN, 0 };
	show("ppoll empty", ppoll(&r, 1, &ts, NULL), &r, 1);
	write(q[1], "y", 1);
	show("ppoll ready", ppoll(&r, 1, NULL, NULL), &r, 1);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	ts.tv_nsec = 1000000;
	read(q[0], &c, 1);
	show("ppoll with mask", ppoll(&r, 1, &ts, &m), &r, 1);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	FACT("mask restored", sigismember(&cur, SIGUSR1) == 0);
	ts.tv_nsec = 2000000000;
	CHECK("ppoll bad timeout", ppoll(&r, 1, &ts, NULL));
	ts.tv_nsec = 0;
	CHECK("raw ppoll bad sigsetsize", RSYS5(SYS_ppoll, &r, 1, &ts, &m, 4));
	CHECK("raw ppoll", RSYS5(SYS_ppoll, &r, 1, &ts, NULL, 8));
	return 0;
}
