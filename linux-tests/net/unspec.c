// wali-test: dir=TMP needs=net
// wali-test: allow-net=127.0.0.1 allow-net=::1
// Addresses with family AF_UNSPEC (0), as Linux interprets them: IPv4 UDP
// sends to sin_addr:sin_port (the datagram arrives); connect(AF_UNSPEC)
// dissolves the association; bind(AF_UNSPEC) is EAFNOSUPPORT unless the
// address is INADDR_ANY; an IPv6 UDP socket ignores an AF_UNSPEC
// destination and sends to an AF_INET one as IPv4; 0.0.0.0 as a
// destination is loopback (the policy checks it as 127.0.0.1). (The policy check of
// the same addresses: security/net_unspec.)
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

static void recv_one(int r, const char *label)
{
	char buf[8] = { 0 };
	int n = recv(r, buf, sizeof buf - 1, MSG_DONTWAIT);
	SAY("%s: received %d '%s'\n", label, n, n > 0 ? buf : "");
}

int main(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in lo = { .sin_family = AF_INET };
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof lo;
	CHECK_OK("bind receiver", bind(r, (struct sockaddr *)&lo, sizeof lo));
	getsockname(r, (struct sockaddr *)&lo, &len);
	struct sockaddr_in un = lo;
	un.sin_family = AF_UNSPEC;

	int u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK("sendto AF_UNSPEC", sendto(u, "a", 1, 0, (struct sockaddr *)&un, sizeof un));
	usleep(20000);
	recv_one(r, "after sendto");
	struct iovec iov = { .iov_base = "b", .iov_len = 1 };
	struct msghdr mh = { .msg_name = &un, .msg_namelen = sizeof un, .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK("sendmsg AF_UNSPEC", sendmsg(u, &mh, 0));
	usleep(20000);
	recv_one(r, "after sendmsg");
	struct mmsghdr mm[1] = { { .msg_hdr = mh } };
	CHECK("sendmmsg AF_UNSPEC", sendmmsg(u, mm, 1, 0));
	usleep(20000);
	recv_one(r, "after sendmmsg");
	CHECK("sendto AF_UNSPEC short", sendto(u, "a", 1, 0, (struct sockaddr *)&un, 8));
	/* The unspecified address as a destination is loopback. */
	struct sockaddr_in zero = lo;
	zero.sin_addr.s_addr = htonl(INADDR_ANY);
	CHECK("sendto 0.0.0.0", sendto(u, "z", 1, 0, (struct sockaddr *)&zero, sizeof zero));
	usleep(20000);
	recv_one(r, "after sendto 0.0.0.0");

	CHECK("connect AF_INET", connect(u, (struct sockaddr *)&lo, sizeof lo));
	CHECK("connect AF_UNSPEC", connect(u, (struct sockaddr *)&un, sizeof un));
	CHECK("send after disconnect", send(u, "c", 1, 0));
	close(u);

	int b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in ub = { .sin_family = AF_UNSPEC };
	ub.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK("bind AF_UNSPEC 127.0.0.1", bind(b, (struct sockaddr *)&ub, sizeof ub));
	close(b);

	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	CHECK("v6 sendto AF_INET", sendto(u6, "d", 1, 0, (struct sockaddr *)&lo, sizeof lo));
	usleep(20000);
	recv_one(r, "after v6 sendto AF_INET");
	struct sockaddr_in6 un6 = { .sin6_family = AF_UNSPEC, .sin6_port = lo.sin_port };
	inet_pton(AF_INET6, "::1", &un6.sin6_addr);
	CHECK("v6 sendto AF_UNSPEC", sendto(u6, "e", 1, 0, (struct sockaddr *)&un6, sizeof un6));
	close(u6);
	close(r);
	return 0;
}
