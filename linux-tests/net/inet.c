// wali-test: dir=TMP needs=net allow-net=127.0.0.1:*
// TCP and UDP over loopback inside one process: bind to an ephemeral port,
// listen, connect, accept, data, options, errors. Port numbers are never
// printed. The wali run gets --allow-net 127.0.0.1:* (the table notes on
// bind/connect: inet needs an --allow-net rule, else EACCES).
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static struct sockaddr_in lo(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int main(void)
{
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	FACT("socket", l >= 0);
	int one = 1;
	CHECK("SO_REUSEADDR", setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
	int v = 0;
	socklen_t vl = sizeof v;
	CHECK("get SO_REUSEADDR", getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &v, &vl));
	SAY("reuseaddr: %d\n", v != 0);
	struct sockaddr_in a = lo(0), got;
	CHECK("bind port 0", bind(l, (struct sockaddr *)&a, sizeof a));
	socklen_t gl = sizeof got;
	CHECK("getsockname", getsockname(l, (struct sockaddr *)&got, &gl));
	FACT("ephemeral port assigned", ntohs(got.sin_port) != 0);
	FACT("address is loopback", got.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	CHECK("listen", listen(l, 4));
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("connect", connect(c, (struct sockaddr *)&got, sizeof got));
	struct sockaddr_in peer;
	socklen_t pl = sizeof peer;
	int s = accept(l, (struct sockaddr *)&peer, &pl);
	FACT("accept", s >= 0);
	FACT("peer is loopback", peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && pl == sizeof peer);
	struct sockaddr_in cn;
	socklen_t cl = sizeof cn;
	getsockname(c, (struct sockaddr *)&cn, &cl);
	FACT("accepted peer is the client", cn.sin_port == peer.sin_port);
	CHECK("TCP_NODELAY", setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
	CHECK("send", send(c, "hello", 5, 0));
	char buf[32] = { 0 };
	CHECK("recv", recv(s, buf, sizeof buf, 0));
	SAY("got: %s\n", buf);
	CHECK("recv dontwait empty", recv(s, buf, sizeof buf, MSG_DONTWAIT));
	close(c);
	CHECK("recv after peer close", recv(s, buf, sizeof buf, 0));
	close(s);
	vl = sizeof v;
	CHECK("SO_ACCEPTCONN", getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl));
	SAY("acceptconn: %d\n", v);

	/* a closed port refuses */
	struct sockaddr_in gone = got;
	close(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("connect refused", connect(c, (struct sockaddr *)&gone, sizeof gone));
	vl = sizeof v;
	getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &vl);
	SAY("SO_ERROR after refusal: %s\n", errname(v));
	close(c);

	/* bind errors */
	l = socket(AF_INET, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a, sizeof a);
	gl = sizeof got;
	getsockname(l, (struct sockaddr *)&got, &gl);
	int l2 = socket(AF_INET, SOCK_STREAM, 0);
	listen(l, 1);
	CHECK("bind in use", bind(l2, (struct sockaddr *)&got, sizeof got));
	CHECK("bind twice", bind(l, (struct sockaddr *)&a, sizeof a));
	CHECK("bind short addrlen", bind(l2, (struct sockaddr *)&a, 4));
	CHECK("connect on listening", connect(l, (struct sockaddr *)&got, sizeof got));
	CHECK("send unconnected", send(l2, "x", 1, MSG_NOSIGNAL));
	CHECK("getpeername unconnected", (pl = sizeof peer, getpeername(l2, (struct sockaddr *)&peer, &pl)));

	/* UDP */
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	bind(u1, (struct sockaddr *)&a, sizeof a);
	gl = sizeof got;
	getsockname(u1, (struct sockaddr *)&got, &gl);
	CHECK("sendto", sendto(u2, "dgram", 5, 0, (struct sockaddr *)&got, sizeof got));
	memset(buf, 0, sizeof buf);
	pl = sizeof peer;
	CHECK("recvfrom", recvfrom(u1, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl));
	SAY("udp got: %s from loopback: %s\n", buf, peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no");
	CHECK("recvfrom empty dontwait", recvfrom(u1, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL));
	CHECK("connect udp", connect(u2, (struct sockaddr *)&got, sizeof got));
	CHECK("send connected udp", send(u2, "x", 1, 0));
	vl = sizeof v;
	CHECK("SO_TYPE udp", getsockopt(u1, SOL_SOCKET, SO_TYPE, &v, &vl));
	SAY("dgram: %s\n", v == SOCK_DGRAM ? "yes" : "no");
	struct timeval tv = { 0, 20000 };
	CHECK("SO_RCVTIMEO", setsockopt(u1, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	recv(u1, buf, sizeof buf, 0);
	CHECK("recv times out", recv(u1, buf, sizeof buf, 0));
	CHECK("socket inet bad protocol", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	return 0;
}
