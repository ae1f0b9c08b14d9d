// wali-test: dir=TMP needs=net
// Issue 14, finding 3: Linux's IPv4 UDP takes a destination whose family is
// AF_UNSPEC (0) as IPv4, and bind takes AF_UNSPEC with INADDR_ANY as an IPv4
// bind, so with no net rule every such address must be refused (EACCES)
// like an AF_INET one: sendto, sendmsg, sendmmsg, bind; an AF_INET
// destination on an IPv6 socket is an IPv4 send. What Linux does not send
// anywhere answers the same on both sides: connect(AF_UNSPEC) disconnects,
// a send after it has no destination, an IPv6 socket ignores an AF_UNSPEC
// destination, bind(AF_UNSPEC) of another address is EAFNOSUPPORT.
#include "sandbox.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

static struct sockaddr_in unspec(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_UNSPEC, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

int main(void)
{
	struct sockaddr_in lo = unspec("127.0.0.1", 47399);
	struct sockaddr_in any = unspec("0.0.0.0", 47399);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	ESCAPE("sendto AF_UNSPEC", sendto(u, "a", 1, 0, (struct sockaddr *)&lo, sizeof lo), EACCES);
	ESCAPE("sendto AF_UNSPEC 0.0.0.0", sendto(u, "a", 1, 0, (struct sockaddr *)&any, sizeof any), EACCES);

	struct iovec iov = { .iov_base = "b", .iov_len = 1 };
	struct msghdr mh = { .msg_name = &lo, .msg_namelen = sizeof lo, .msg_iov = &iov, .msg_iovlen = 1 };
	ESCAPE("sendmsg AF_UNSPEC", sendmsg(u, &mh, 0), EACCES);
	struct mmsghdr mm[2] = { { .msg_hdr = mh }, { .msg_hdr = mh } };
	ESCAPE("sendmmsg AF_UNSPEC", sendmmsg(u, mm, 2, 0), EACCES);

	int b = socket(AF_INET, SOCK_DGRAM, 0);
	ESCAPE("bind AF_UNSPEC INADDR_ANY", bind(b, (struct sockaddr *)&any, sizeof any), EACCES);
	CHECK("bind AF_UNSPEC 127.0.0.1", bind(b, (struct sockaddr *)&lo, sizeof lo));
	close(b);

	/* connect(AF_UNSPEC) dissolves an association: nothing is reached. */
	CHECK("connect AF_UNSPEC", connect(u, (struct sockaddr *)&lo, sizeof lo));
	CHECK("send after connect AF_UNSPEC", send(u, "c", 1, 0));
	CHECK("sendto AF_UNSPEC short", sendto(u, "a", 1, 0, (struct sockaddr *)&lo, 8));
	close(u);

	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in v4 = lo;
	v4.sin_family = AF_INET;
	ESCAPE("v6 socket sendto AF_INET", sendto(u6, "d", 1, 0, (struct sockaddr *)&v4, sizeof v4), EACCES);
	struct sockaddr_in6 mapped = { .sin6_family = AF_INET6, .sin6_port = htons(47399) };
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &mapped.sin6_addr);
	ESCAPE("v6 socket sendto v4-mapped", sendto(u6, "e", 1, 0, (struct sockaddr *)&mapped, sizeof mapped), EACCES);
	struct sockaddr_in6 un6 = mapped;
	un6.sin6_family = AF_UNSPEC;
	CHECK("v6 socket sendto AF_UNSPEC", sendto(u6, "f", 1, 0, (struct sockaddr *)&un6, sizeof un6));
	CHECK("v6 socket connect AF_UNSPEC", connect(u6, (struct sockaddr *)&un6, sizeof un6));
	close(u6);

	int t = socket(AF_INET, SOCK_STREAM, 0);
	ESCAPE("tcp connect AF_INET 0.0.0.0", connect(t, (struct sockaddr *)&(struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(47399) }, sizeof(struct sockaddr_in)), EACCES);
	close(t);
	return 0;
}
