// wali-test: dir=TMP needs=net,poll
// wali-test: allow-net=127.0.0.1 allow-net=::1
// TCP on 127.0.0.1 and ::1 in one program: bind to port 0, listen,
// connect, accept, names, data both ways, shutdown and EOF, errors,
// non-blocking connect (EINPROGRESS, then SO_ERROR) and refused connects.
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

static socklen_t loopback(int family, struct sockaddr_storage *ss, int port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	a->sin6_addr = in6addr_loopback;
	return sizeof *a;
}

static int port_of(struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? ntohs(((struct sockaddr_in *)ss)->sin_port)
					: ntohs(((struct sockaddr_in6 *)ss)->sin6_port);
}

static void run(int family, const char *name)
{
	struct sockaddr_storage a, b, c;
	socklen_t len, alen;
	char buf[64];
	SAY("== %s\n", name);
	int ls = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	FACT("socket", ls >= 0);
	FACT("cloexec", fcntl(ls, F_GETFD) & FD_CLOEXEC);
	int one = 1;
	CHECK("SO_REUSEADDR", setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
	alen = loopback(family, &a, 0);
	CHECK("bind port 0", bind(ls, (struct sockaddr *)&a, alen));
	CHECK("bind again", bind(ls, (struct sockaddr *)&a, alen));
	len = sizeof b;
	CHECK("getsockname", getsockname(ls, (struct sockaddr *)&b, &len));
	FACT("name length", len == alen);
	FACT("family", b.ss_family == family);
	int port = port_of(&b);
	FACT("ephemeral port", port >= 1024);
	int v = -1;
	len = sizeof v;
	getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	SAY("acceptconn before listen: %d\n", v);
	CHECK("listen", listen(ls, 16));
	getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	SAY("acceptconn after listen: %d\n", v);

	int cs = socket(family, SOCK_STREAM, 0);
	CHECK("getpeername unconnected", getpeername(cs, (struct sockaddr *)&c, &len));
	CHECK("send unconnected", send(cs, "x", 1, MSG_NOSIGNAL));
	alen = loopback(family, &a, port);
	CHECK("connect", connect(cs, (struct sockaddr *)&a, alen));
	CHECK("connect again", connect(cs, (struct sockaddr *)&a, alen));
	len = sizeof c;
	int as = accept(ls, (struct sockaddr *)&c, &len);
	FACT("accept", as >= 0);
	FACT("accepted peer family", c.ss_family == family);
	struct sockaddr_storage cl;
	socklen_t cllen = sizeof cl;
	getsockname(cs, (struct sockaddr *)&cl, &cllen);
	FACT("accepted peer is client", port_of(&c) == port_of(&cl) && len == cllen);
	len = sizeof c;
	CHECK("getpeername", getpeername(cs, (struct sockaddr *)&c, &len));
	FACT("peer port is server", port_of(&c) == port);
	/* a too-small buffer gets the truncated name and the full length */
	len = 4;
	memset(&c, 0, sizeof c);
	CHECK("getsockname short", getsockname(cs, (struct sockaddr *)&c, &len));
	FACT("full length reported", len == alen);

	v = 1;
	CHECK("TCP_NODELAY", setsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v));
	len = sizeof v;
	v = 0;
	getsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &v, &len);
	FACT("nodelay set", v != 0);
	CHECK("send", send(cs, "hello", 5, 0));
	memset(buf, 0, sizeof buf);
	CHECK("recv", recv(as, buf, sizeof buf, 0));
	SAY("got: %s\n", buf);
	CHECK("write", write(as, "world!", 6));
	memset(buf, 0, sizeof buf);
	CHECK("recv peek", recv(cs, buf, 3, MSG_PEEK));
	CHECK("read", read(cs, buf, sizeof buf));
	SAY("got: %s\n", buf);
	CHECK("recv dontwait", recv(cs, buf, sizeof buf, MSG_DONTWAIT));
	CHECK("shutdown WR", shutdown(cs, SHUT_WR));
	CHECK("recv EOF", recv(as, buf, sizeof buf, 0));
	CHECK("send after SHUT_WR", send(cs, "x", 1, MSG_NOSIGNAL));
	CHECK("shutdown bad how", shutdown(cs, 7));
	close(as);
	close(cs);

	/* non-blocking connect */
	cs = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	FACT("nonblock flag", fcntl(cs, F_GETFL) & O_NONBLOCK);
	int r = connect(cs, (struct sockaddr *)&a, alen);
	FACT("nonblocking connect started", r == 0 || errno == EINPROGRESS);
	struct pollfd pf = { cs, POLLOUT, 0 };
	CHECK("poll writable", poll(&pf, 1, 5000));
	int err = -1;
	len = sizeof err;
	CHECK("SO_ERROR", getsockopt(cs, SOL_SOCKET, SO_ERROR, &err, &len));
	SAY("so_error: %s\n", errname(err));
	as = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	FACT("accept4", as >= 0);
	FACT("accept4 nonblock", fcntl(as, F_GETFL) & O_NONBLOCK);
	FACT("accept4 cloexec", fcntl(as, F_GETFD) & FD_CLOEXEC);
	CHECK("accept4 bad flags", accept4(ls, NULL, NULL, 0x1234));
	CHECK("accept nothing pending (nonblocking)", (fcntl(ls, F_SETFL, O_NONBLOCK), accept(ls, NULL, NULL)));
	close(as);
	close(cs);

	/* a port nobody listens on: close the listener, reuse its port */
	close(ls);
	cs = socket(family, SOCK_STREAM, 0);
	CHECK("connect refused", connect(cs, (struct sockaddr *)&a, alen));
	close(cs);
	cs = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r = connect(cs, (struct sockaddr *)&a, alen);
	if (r < 0 && errno == EINPROGRESS) {
		pf.fd = cs;
		poll(&pf, 1, 5000);
		len = sizeof err;
		getsockopt(cs, SOL_SOCKET, SO_ERROR, &err, &len);
		SAY("nonblocking refused: %s\n", errname(err));
	} else {
		SAY("nonblocking refused: %s\n", errname(errno));
	}
	close(cs);
}

int main(void)
{
	run(AF_INET, "127.0.0.1");
	run(AF_INET6, "::1");
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("accept on non-listening", accept(s, NULL, NULL));
	CHECK("listen on fd that is not a socket", listen(1, 1));
	CHECK("listen bad fd", listen(99, 1));
	struct sockaddr_in a = { 0 };
	a.sin_family = AF_INET;
	CHECK("bind short addrlen", bind(s, (struct sockaddr *)&a, 4));
	CHECK("bind bad pointer", bind(s, BADPTR, sizeof a));
	CHECK("socket bad family", socket(12345, SOCK_STREAM, 0));
	CHECK("socket bad type", socket(AF_INET, 77, 0));
	CHECK("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){0, 0}));
	close(s);
	return 0;
}
