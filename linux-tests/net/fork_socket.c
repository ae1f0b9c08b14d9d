// wali-test: dir=TMP needs=net,fork,poll
// Sockets across fork: a socketpair shared by parent and child, a child
// connecting to the parent's AF_UNIX listener by path (accept gives the
// child's bound path back), and the parent's epoll set seeing the child's
// writes.
#include "../common.h"
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

int main(void)
{
	int sv[2];
	CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, "parent.sock");
	CHECK("bind", bind(ls, (struct sockaddr *)&a, sizeof a));
	CHECK("listen", listen(ls, 4));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);

	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		write(sv[1], "from child", 10);
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un me = { .sun_family = AF_UNIX };
		strcpy(me.sun_path, "child.sock");
		if (bind(c, (struct sockaddr *)&me, sizeof me) < 0) _exit(3);
		if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) _exit(4);
		write(c, "hello parent", 12);
		close(c);
		_exit(0);
	}
	close(sv[1]);
	struct epoll_event out;
	CHECK("epoll_wait", epoll_wait(ep, &out, 1, 5000));
	SAY("data: %llu\n", (unsigned long long)out.data.u64);
	char buf[64] = { 0 };
	CHECK("read pair", read(sv[0], buf, sizeof buf - 1));
	SAY("pair: %s\n", buf);
	struct sockaddr_un from;
	socklen_t fl = sizeof from;
	int as = accept(ls, (struct sockaddr *)&from, &fl);
	FACT("accept", as >= 0);
	SAY("child bound as: %s\n", fl > offsetof(struct sockaddr_un, sun_path) ? from.sun_path : "(unnamed)");
	memset(buf, 0, sizeof buf);
	CHECK("read conn", read(as, buf, sizeof buf - 1));
	SAY("conn: %s\n", buf);
	int st = 0;
	CHECK("wait", waitpid(pid, &st, 0) == pid);
	SAY("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK("read EOF", read(sv[0], buf, sizeof buf));
	return 0;
}
