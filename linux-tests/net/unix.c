// wali-test: dir=TMP needs=net
// AF_UNIX sockets bound to paths in the (mounted) temp dir: bind, listen,
// connect, accept/accept4, names, errors.
#include "../common.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static socklen_t addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

int main(void)
{
	struct sockaddr_un a, got;
	socklen_t al = addr(&a, "sock"), gl;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	FACT("socket", s >= 0);
	CHECK("bind", bind(s, (struct sockaddr *)&a, al));
	struct stat st;
	CHECK("socket file exists", lstat("sock", &st));
	SAY("type: %s\n", lt_ftype(st.st_mode));
	int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK("bind in use", bind(s2, (struct sockaddr *)&a, al));
	CHECK("bind again same socket", bind(s, (struct sockaddr *)&a, al));
	gl = sizeof got;
	CHECK("getsockname", getsockname(s, (struct sockaddr *)&got, &gl));
	SAY("name: '%s' len %d\n", got.sun_path, (int)gl);
	CHECK("listen", listen(s, 5));
	CHECK("connect", connect(s2, (struct sockaddr *)&a, al));
	gl = sizeof got;
	CHECK("getpeername", getpeername(s2, (struct sockaddr *)&got, &gl));
	SAY("peer: '%s'\n", got.sun_path);
	gl = sizeof got;
	int c = accept4(s, (struct sockaddr *)&got, &gl, SOCK_CLOEXEC | SOCK_NONBLOCK);
	FACT("accept4", c >= 0);
	SAY("accepted peer name len: %d family %d\n", (int)gl, got.sun_family);
	FACT("accepted cloexec", fcntl(c, F_GETFD) & FD_CLOEXEC);
	FACT("accepted nonblock", fcntl(c, F_GETFL) & O_NONBLOCK);
	char buf[16] = { 0 };
	send(s2, "ping", 4, 0);
	CHECK("recv on accepted", recv(c, buf, sizeof buf, 0));
	SAY("got: %s\n", buf);
	CHECK("recv accepted empty", recv(c, buf, sizeof buf, 0));
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	CHECK("accept nothing pending", accept(s, NULL, NULL));
	CHECK("raw accept", RSYS3(SYS_accept, s, NULL, NULL));
	CHECK("raw accept4 bad flags", RSYS4(SYS_accept4, s, NULL, NULL, 0x1));
	CHECK("accept on unlistened", accept(s2, NULL, NULL));
	CHECK("getpeername unconnected", (gl = sizeof got, getpeername(s, (struct sockaddr *)&got, &gl)));
	CHECK("raw getsockname", RSYS3(SYS_getsockname, s, &got, &gl));
	CHECK("raw getpeername", RSYS3(SYS_getpeername, s2, &got, &gl));
	CHECK("raw listen", RSYS2(SYS_listen, s, 1));

	int s3 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK("connect missing", connect(s3, (struct sockaddr *)&a, addr(&a, "nope")));
	lt_write_file("plain", "", 0);
	CHECK("connect to non-socket", connect(s3, (struct sockaddr *)&a, addr(&a, "plain")));
	CHECK("bind missing dir", bind(s3, (struct sockaddr *)&a, addr(&a, "nodir/s")));
	CHECK("raw bind", RSYS3(SYS_bind, s3, &a, addr(&a, "sock2")));
	CHECK("raw connect", RSYS3(SYS_connect, socket(AF_UNIX, SOCK_DGRAM, 0), &a, addr(&a, "sock2")));
	CHECK("connect bad addrlen", connect(s3, (struct sockaddr *)&a, 1));
	CHECK("connect bad family", (a.sun_family = 12345, connect(s3, (struct sockaddr *)&a, sizeof a)));

	/* datagram to a bound path */
	int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(d1, (struct sockaddr *)&a, addr(&a, "dg"));
	CHECK("sendto path", sendto(d2, "hi", 2, 0, (struct sockaddr *)&a, addr(&a, "dg")));
	gl = sizeof got;
	memset(&got, 0, sizeof got);
	CHECK("recvfrom unbound sender", recvfrom(d1, buf, sizeof buf, 0, (struct sockaddr *)&got, &gl));
	SAY("sender name len: %d\n", (int)gl);
	CHECK("unlink socket file", unlink("sock"));

	/* errors */
	CHECK("socket bad domain", socket(12345, SOCK_STREAM, 0));
	CHECK("socket bad type", socket(AF_UNIX, 99, 0));
	CHECK("socket bad protocol", socket(AF_UNIX, SOCK_STREAM, 99));
	CHECK("raw socket", RSYS3(SYS_socket, AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : -1);
	int f = open("plain", O_RDONLY);
	CHECK("bind on file", bind(f, (struct sockaddr *)&a, al));
	CHECK("listen on file", listen(f, 1));
	CHECK("send on file", send(f, "x", 1, 0));
	CHECK("listen bad fd", listen(99, 1));
	return 0;
}
