// wali-test: dir=TMP needs=net
// wali-test: allow-net=127.0.0.1 allow-net=::1
// Ancillary data on UDP (RFC 3542 and IPv4): IPV6_RECVHOPLIMIT,
// IPV6_RECVTCLASS and IPV6_RECVPKTINFO on receive, IPV6_TCLASS and
// IPV6_HOPLIMIT control messages on send; IP_PKTINFO, IP_RECVTTL and
// IP_RECVTOS; SO_TIMESTAMP.
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

static void show_cmsgs(const char *label, struct msghdr *m)
{
	SAY("%s:", label);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		int v = -1;
		if (c->cmsg_len == CMSG_LEN(sizeof(int))) memcpy(&v, CMSG_DATA(c), sizeof v);
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP)
			SAY(" [timestamp len %d]", (int)c->cmsg_len);
		else if (c->cmsg_type == IPV6_PKTINFO && c->cmsg_level == IPPROTO_IPV6) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			SAY(" [pktinfo loopback %d]", IN6_IS_ADDR_LOOPBACK(&pi.ipi6_addr));
		} else if (c->cmsg_type == IP_PKTINFO && c->cmsg_level == IPPROTO_IP) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			SAY(" [pktinfo %s]", inet_ntoa(pi.ipi_addr));
		} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
			SAY(" [level %d type %d tos %d]", c->cmsg_level, c->cmsg_type, *(unsigned char *)CMSG_DATA(c));
		else
			SAY(" [level %d type %d value %d]", c->cmsg_level, c->cmsg_type, v);
	}
	SAY(" flags %#x\n", m->msg_flags);
}

static void recv_show(int s, const char *label)
{
	char data[16], ctl[512];
	struct iovec iov = { data, sizeof data };
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof ctl;
	CHECK(label, recvmsg(s, &m, 0));
	show_cmsgs(label, &m);
}

int main(void)
{
	int one = 1;
	/* IPv6 */
	int r = socket(AF_INET6, SOCK_DGRAM, 0), w = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	bind(r, (struct sockaddr *)&a, sizeof a);
	socklen_t l = sizeof a;
	getsockname(r, (struct sockaddr *)&a, &l);
	CHECK("IPV6_RECVHOPLIMIT", setsockopt(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one));
	CHECK("IPV6_RECVTCLASS", setsockopt(r, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof one));
	CHECK("IPV6_RECVPKTINFO", setsockopt(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one));
	/* The rest of RFC 3542's receive switches, set and read back. */
	static const struct { const char *name; int opt; } more[] = {
		{ "IPV6_RECVHOPOPTS", IPV6_RECVHOPOPTS }, { "IPV6_RECVRTHDR", IPV6_RECVRTHDR },
		{ "IPV6_RECVDSTOPTS", IPV6_RECVDSTOPTS }, { "IPV6_RECVPATHMTU", IPV6_RECVPATHMTU },
	};
	for (unsigned i = 0; i < sizeof more / sizeof more[0]; i++) {
		int v = -1;
		socklen_t vl = sizeof v;
		CHECK(more[i].name, setsockopt(r, IPPROTO_IPV6, more[i].opt, &one, sizeof one));
		CHECK(more[i].name, getsockopt(r, IPPROTO_IPV6, more[i].opt, &v, &vl));
		printf("%s reads back %d (len %u)\n", more[i].name, v, (unsigned)vl);
	}
	int tclass = 0x20;
	CHECK("IPV6_TCLASS", setsockopt(w, IPPROTO_IPV6, IPV6_TCLASS, &tclass, sizeof tclass));
	CHECK("sendto", sendto(w, "a", 1, 0, (struct sockaddr *)&a, sizeof a));
	recv_show(r, "recv v6");
	/* per-message hop limit and traffic class */
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int)) * 2]; } u;
	memset(&u, 0, sizeof u);
	struct iovec iov = { "b", 1 };
	struct msghdr m = { 0 };
	m.msg_name = &a;
	m.msg_namelen = sizeof a;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_HOPLIMIT;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int hl = 7;
	memcpy(CMSG_DATA(c), &hl, sizeof hl);
	c = CMSG_NXTHDR(&m, c);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_TCLASS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int tc = 0x40;
	memcpy(CMSG_DATA(c), &tc, sizeof tc);
	CHECK("sendmsg with hop limit and tclass", sendmsg(w, &m, 0));
	recv_show(r, "recv v6 cmsg");

	/* IPv4 */
	int r4 = socket(AF_INET, SOCK_DGRAM, 0), w4 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bind(r4, (struct sockaddr *)&b, sizeof b);
	l = sizeof b;
	getsockname(r4, (struct sockaddr *)&b, &l);
	CHECK("IP_PKTINFO", setsockopt(r4, IPPROTO_IP, IP_PKTINFO, &one, sizeof one));
	CHECK("IP_RECVTTL", setsockopt(r4, IPPROTO_IP, IP_RECVTTL, &one, sizeof one));
	CHECK("IP_RECVTOS", setsockopt(r4, IPPROTO_IP, IP_RECVTOS, &one, sizeof one));
	int tos = 0x10;
	CHECK("IP_TOS", setsockopt(w4, IPPROTO_IP, IP_TOS, &tos, sizeof tos));
	sendto(w4, "c", 1, 0, (struct sockaddr *)&b, sizeof b);
	recv_show(r4, "recv v4");
	CHECK("SO_TIMESTAMP", setsockopt(r4, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one));
	int zero = 0;
	setsockopt(r4, IPPROTO_IP, IP_PKTINFO, &zero, sizeof zero);
	setsockopt(r4, IPPROTO_IP, IP_RECVTTL, &zero, sizeof zero);
	setsockopt(r4, IPPROTO_IP, IP_RECVTOS, &zero, sizeof zero);
	sendto(w4, "d", 1, 0, (struct sockaddr *)&b, sizeof b);
	recv_show(r4, "recv timestamp");
	return 0;
}
