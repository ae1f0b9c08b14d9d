// wali-test: dir=TMP
// signalfd/signalfd4 on top of wali's signal engine: readable (poll, select,
// epoll) while a blocked signal of its mask is pending, read returns
// 128-byte signalfd_siginfo records and takes the signal, the mask can be
// changed; errors (sizemask, flags, not a signalfd, bad fd, bad pointer,
// short buffer).
#include "../common.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>

static int readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void take(const char *label, int fd, size_t len)
{
	struct signalfd_siginfo si[2];
	memset(si, 0, sizeof si);
	ssize_t n = read(fd, si, len);
	if (n < 0) {
		printf("%s: -1 %s\n", label, errname(errno));
		return;
	}
	printf("%s: %zd bytes\n", label, n);
	for (ssize_t i = 0; i < n / (ssize_t)sizeof *si; i++) {
		printf("  signo %u code %d\n", si[i].ssi_signo, si[i].ssi_code);
		FACT("  pid is ours", si[i].ssi_pid == (uint32_t)getpid());
		FACT("  uid is ours", si[i].ssi_uid == (uint32_t)getuid());
	}
}

int main(void)
{
	printf("signalfd_siginfo: %zu bytes\n", sizeof(struct signalfd_siginfo));
	sigset_t block, mask;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGKILL); /* silently ignored, as on Linux */
	int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	FACT("signalfd created", fd >= 0);
	FACT("cloexec", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	FACT("nonblock", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	FACT("nothing pending: not readable", !readable(fd));
	take("read with nothing pending", fd, sizeof(struct signalfd_siginfo));

	/* A signal to the thread, then one to the process. */
	raise(SIGUSR1);
	FACT("SIGUSR1 pending: readable", readable(fd));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7}, out[2];
	CHECK("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	int n = epoll_wait(ep, out, 2, 0);
	printf("epoll_wait: %d data %llu\n", n, n > 0 ? (unsigned long long)out[0].data.u64 : 0ULL);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = {0, 0};
	CHECK("select", select(fd + 1, &rs, NULL, NULL, &tv));
	take("short buffer", fd, sizeof(struct signalfd_siginfo) - 1);
	take("read SIGUSR1", fd, sizeof(struct signalfd_siginfo));
	FACT("taken: not readable", !readable(fd));
	CHECK("epoll_wait after", epoll_wait(ep, out, 2, 0));

	/* SIGUSR2 is not in the mask until the mask changes. */
	kill(getpid(), SIGUSR2);
	FACT("SIGUSR2 outside the mask: not readable", !readable(fd));
	sigaddset(&mask, SIGUSR2);
	CHECK("change the mask", signalfd(fd, &mask, 0));
	FACT("SIGUSR2 in the mask: readable", readable(fd));
	raise(SIGUSR1);
	take("read two", fd, 2 * sizeof(struct signalfd_siginfo));
	sigset_t p;
	sigpending(&p);
	FACT("nothing pending after the reads", !sigismember(&p, SIGUSR1) && !sigismember(&p, SIGUSR2));

	/* A blocking read returns once a signal arrives. */
	int bfd = signalfd(-1, &mask, 0);
	kill(getpid(), SIGUSR2);
	take("blocking read", bfd, sizeof(struct signalfd_siginfo));

	/* The old call: signalfd4 with no flags. */
	int ofd = RSYS3(SYS_signalfd, -1, &mask, 8);
	FACT("raw signalfd", ofd >= 0);
	FACT("raw signalfd: no cloexec", ofd >= 0 && !(fcntl(ofd, F_GETFD) & FD_CLOEXEC));
	raise(SIGUSR1);
	take("raw signalfd read", ofd, sizeof(struct signalfd_siginfo));

	/* Errors. */
	CHECK("raw sizemask 4", RSYS4(SYS_signalfd4, -1, &mask, 4, 0));
	CHECK("raw bad flags", RSYS4(SYS_signalfd4, -1, &mask, 8, 1));
	CHECK("raw bad mask pointer", RSYS4(SYS_signalfd4, -1, BADPTR, 8, 0));
	int pfd[2];
	pipe(pfd);
	CHECK("not a signalfd", signalfd(pfd[0], &mask, 0));
	CHECK("bad fd", signalfd(99, &mask, 0));
	CHECK("close", close(fd));
	return 0;
}
