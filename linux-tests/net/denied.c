// wali-test: dir=TMP needs=net
// Without --allow-net the guest has no network: connect, sendto, bind and
// listen on inet sockets, and abstract AF_UNIX names, answer EACCES under
// wali (table notes on connect, sendto, bind, listen). Natively they work.
// socketpair and AF_UNIX paths in the mounts need no rule.
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Prints a result that may legitimately differ: EACCES under wali (the
 * documented policy), success natively; anything else is printed as is. */
static void gated(const char *label, int r)
{
#ifdef __wasm__
	if (r < 0 && errno == EACCES) { SAY("%s: as documented\n", label); return; }
#else
	if (r >= 0) { SAY("%s: as documented\n", label); return; }
#endif
	SAY("%s: %d %s\n", label, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	FACT("socket works", s >= 0);
	gated("bind 127.0.0.1:0", bind(s, (struct sockaddr *)&a, sizeof a));
	int l = socket(AF_INET, SOCK_STREAM, 0);
	gated("listen unbound", listen(l, 1));
	close(l);
	/* connect to a listener natively; under wali the listener could not be
	 * made, so connect to any loopback port */
	struct sockaddr_in b = a;
	socklen_t len = sizeof b;
	listen(s, 1);
	getsockname(s, (struct sockaddr *)&b, &len);
	if (b.sin_port == 0) b.sin_port = htons(9);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	gated("connect 127.0.0.1", connect(c, (struct sockaddr *)&b, sizeof b));
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	gated("sendto 127.0.0.1", sendto(u, "x", 1, 0, (struct sockaddr *)&b, sizeof b));
	struct sockaddr_in6 b6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT, .sin6_port = htons(9) };
	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	gated("sendto ::1", sendto(u6, "x", 1, 0, (struct sockaddr *)&b6, sizeof b6));
	/* an unconnected send has no destination: no network involved */
	CHECK("send without destination", send(socket(AF_INET, SOCK_DGRAM, 0), "x", 1, 0));

	struct sockaddr_un ab = { .sun_family = AF_UNIX };
	memcpy(ab.sun_path, "\0wali-denied-test", 17);
	int ua = socket(AF_UNIX, SOCK_STREAM, 0);
	gated("bind abstract", bind(ua, (struct sockaddr *)&ab, offsetof(struct sockaddr_un, sun_path) + 17));

	int sv[2];
	CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK("socketpair send", send(sv[0], "hi", 2, 0));
	struct sockaddr_un p = { .sun_family = AF_UNIX };
	strcpy(p.sun_path, "ok.sock");
	int us = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK("bind unix path", bind(us, (struct sockaddr *)&p, sizeof p));
	CHECK("sendto unix path", sendto(socket(AF_UNIX, SOCK_DGRAM, 0), "x", 1, 0, (struct sockaddr *)&p, sizeof p));
	return 0;
}
