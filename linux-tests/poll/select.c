// wali-test: dir=TMP needs=poll
// select and pselect6 on pipes: readiness, timeouts, errors.
#include "../common.h"
#include <sys/select.h>
#include <time.h>

int main(void)
{
	int p[2];
	pipe(p);
	fd_set r, w;
	FD_ZERO(&r); FD_ZERO(&w);
	FD_SET(p[0], &r); FD_SET(p[1], &w);
	struct timeval tv = { 0, 0 };
	CHECK("select empty pipe", select(p[1] + 1, &r, &w, NULL, &tv));
	SAY("read set has reader: %d, write set has writer: %d\n", FD_ISSET(p[0], &r) != 0, FD_ISSET(p[1], &w) != 0);
	write(p[1], "x", 1);
	FD_ZERO(&r); FD_SET(p[0], &r);
	tv.tv_sec = 1;
	CHECK("select readable", select(p[0] + 1, &r, NULL, NULL, &tv));
	FACT("reader set", FD_ISSET(p[0], &r));
	char c;
	read(p[0], &c, 1);
	FD_ZERO(&r); FD_SET(p[0], &r);
	tv.tv_sec = 0; tv.tv_usec = 30000;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	/* raw: musl's select() goes through pselect6 with a copy of the
	 * timeout, glibc's writes the time left back; the syscall does */
	CHECK("raw select timeout 30ms", RSYS5(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long el = (b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec;
	FACT("waited at least 30ms", el >= 30000000);
	FACT("set cleared", !FD_ISSET(p[0], &r));
	SAY("timeval left: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
	FD_ZERO(&r); FD_SET(50, &r);
	tv.tv_usec = 0;
	CHECK("select bad fd", select(51, &r, NULL, NULL, &tv));
	CHECK("select negative nfds", select(-1, NULL, NULL, NULL, &tv));
	tv.tv_sec = -1;
	CHECK("raw select negative timeout", RSYS5(SYS_select, 1, NULL, NULL, NULL, &tv));
	tv.tv_sec = 0; tv.tv_usec = 5000;
	CHECK("select nothing 5ms", select(0, NULL, NULL, NULL, &tv));
	close(p[1]);
	FD_ZERO(&r); FD_SET(p[0], &r);
	tv.tv_usec = 0;
	CHECK("select writer closed", select(p[0] + 1, &r, NULL, NULL, &tv));
	FACT("EOF is readable", FD_ISSET(p[0], &r));
	CHECK("raw select", RSYS5(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));

	struct timespec ts = { 0, 0 };
	FD_ZERO(&r); FD_SET(p[0], &r);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	CHECK("pselect", pselect(p[0] + 1, &r, NULL, NULL, &ts, &m));
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	FACT("mask restored", sigismember(&cur, SIGUSR2) == 0);
	struct { const sigset_t *ss; size_t len; } data = { NULL, 8 };
	CHECK("raw pselect6", RSYS6(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &data));
	ts.tv_nsec = -1;
	CHECK("pselect bad timeout", pselect(1, NULL, NULL, NULL, &ts, NULL));
	return 0;
}
