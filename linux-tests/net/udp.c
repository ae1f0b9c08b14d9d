// wali-test: dir=TMP needs=net,poll
// wali-test: allow-net=127.0.0.1 allow-net=::1
// UDP round trips on 127.0.0.1 and ::1: sendto/recvfrom with addresses,
// connected sockets, MSG_PEEK and MSG_TRUNC, SO_RCVTIMEO timeouts, sendmsg
// with a destination and scatter/gather, recvmsg names.
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

static socklen_t lo(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	return sizeof *a;
}

static int same(struct sockaddr_storage *x, struct sockaddr_storage *y)
{
	if (x->ss_family != y->ss_family) return 0;
	if (x->ss_family == AF_INET)
		return memcmp(x, y, sizeof(struct sockaddr_in)) == 0;
	struct sockaddr_in6 *a = (void *)x, *b = (void *)y;
	return a->sin6_port == b->sin6_port && memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void run(int family, const char *name)
{
	SAY("== %s\n", name);
	struct sockaddr_storage sa, ca, from;
	socklen_t alen, flen;
	char buf[64];
	int s = socket(family, SOCK_DGRAM, 0), c = socket(family, SOCK_DGRAM, 0);
	alen = lo(family, &sa);
	CHECK("bind server", bind(s, (struct sockaddr *)&sa, alen));
	CHECK("bind client", (lo(family, &ca), bind(c, (struct sockaddr *)&ca, alen)));
	socklen_t l = sizeof sa;
	getsockname(s, (struct sockaddr *)&sa, &l);
	l = sizeof ca;
	getsockname(c, (struct sockaddr *)&ca, &l);
	CHECK("sendto", sendto(c, "ping", 4, 0, (struct sockaddr *)&sa, alen));
	flen = sizeof from;
	memset(buf, 0, sizeof buf);
	CHECK("recvfrom", recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
	SAY("got: %s\n", buf);
	FACT("from is client", same(&from, &ca) && flen == alen);
	CHECK("reply", sendto(s, "pong!", 5, 0, (struct sockaddr *)&from, flen));
	CHECK("recv peek", recv(c, buf, sizeof buf, MSG_PEEK));
	CHECK("recv truncated", recv(c, buf, 2, MSG_TRUNC));
	CHECK("recv empty nonblocking", recv(c, buf, sizeof buf, MSG_DONTWAIT));

	/* connected UDP */
	CHECK("connect", connect(c, (struct sockaddr *)&sa, alen));
	CHECK("send connected", send(c, "abc", 3, 0));
	CHECK("recv", recv(s, buf, sizeof buf, 0));
	struct sockaddr_storage peer;
	l = sizeof peer;
	CHECK("getpeername", getpeername(c, (struct sockaddr *)&peer, &l));
	FACT("peer is server", same(&peer, &sa));

	/* sendmsg with gather, recvmsg with scatter and name */
	struct iovec iov[3] = { { "one ", 4 }, { "two ", 4 }, { "three", 5 } };
	struct msghdr m = { 0 };
	m.msg_name = &ca;
	m.msg_namelen = alen;
	m.msg_iov = iov;
	m.msg_iovlen = 3;
	CHECK("sendmsg", sendmsg(s, &m, 0));
	char p1[5] = { 0 }, p2[16] = { 0 };
	struct iovec riov[2] = { { p1, 4 }, { p2, 15 } };
	struct msghdr r = { 0 };
	r.msg_name = &from;
	r.msg_namelen = sizeof from;
	r.msg_iov = riov;
	r.msg_iovlen = 2;
	CHECK("recvmsg", recvmsg(c, &r, 0));
	SAY("parts: '%s' '%s'\n", p1, p2);
	FACT("recvmsg name is server", same(&from, &sa) && r.msg_namelen == alen);
	SAY("msg_flags: %#x\n", r.msg_flags);
	/* a datagram bigger than the buffers: MSG_TRUNC in msg_flags */
	sendto(s, "0123456789abcdefghij", 20, 0, (struct sockaddr *)&ca, alen);
	riov[1].iov_len = 4;
	r.msg_namelen = sizeof from;
	CHECK("recvmsg short", recvmsg(c, &r, 0));
	SAY("msg_flags: %#x\n", r.msg_flags);

	/* SO_RCVTIMEO */
	struct timeval tv = { 0, 50000 };
	CHECK("SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	struct timeval got = { 0 };
	l = sizeof got;
	CHECK("get SO_RCVTIMEO", getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &l));
	SAY("timeout: %ld.%06ld len %d\n", (long)got.tv_sec, (long)got.tv_usec, (int)l);
	double t0 = now();
	CHECK("recv times out", recv(s, buf, sizeof buf, 0));
	FACT("waited at least 40ms", now() - t0 >= 0.04);
	struct pollfd pf = { s, POLLIN, 0 };
	CHECK("poll nothing", poll(&pf, 1, 0));
	send(c, "z", 1, 0);
	CHECK("poll readable", poll(&pf, 1, 1000));
	SAY("revents: %#x\n", pf.revents);
	close(s);
	close(c);
}

int main(void)
{
	run(AF_INET, "127.0.0.1");
	run(AF_INET6, "::1");
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	int v = -1;
	socklen_t l = sizeof v;
	CHECK("IPV6_V6ONLY", getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, &l));
	SAY("v6only: %d\n", v);
	v = 1;
	CHECK("set IPV6_V6ONLY", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	l = sizeof v;
	CHECK("IP_TTL", getsockopt(s, IPPROTO_IP, IP_TTL, &v, &l));
	SAY("ttl: %d\n", v);
	v = 1;
	CHECK("SO_BROADCAST", setsockopt(s, SOL_SOCKET, SO_BROADCAST, &v, sizeof v));
	CHECK("sendto bad addrlen", sendto(s, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_in){ .sin_family = AF_INET }, 3));
	CHECK("send unconnected", send(s, "x", 1, 0));
	return 0;
}
