// wali-test: dir=TMP needs=net,poll timeout=60
// wali-test: allow-net=127.0.0.1
// A TCP echo server driven by epoll (non-blocking, edge-triggered) serving
// many concurrent clients, each a pthread doing request/response rounds.
#include "../common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#define CLIENTS 16
#define ROUNDS 50

static int port;
static int done_fd;
static int client_ok[CLIENTS];

static void *client(void *arg)
{
	int id = (int)(intptr_t)arg;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) return NULL;
	int one = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	int ok = 1;
	for (int r = 0; r < ROUNDS && ok; r++) {
		char msg[64], back[64];
		int n = snprintf(msg, sizeof msg, "client %d round %d", id, r);
		if (write(s, msg, n) != n) { ok = 0; break; }
		int got = 0;
		while (got < n) {
			ssize_t k = read(s, back + got, n - got);
			if (k <= 0) { ok = 0; break; }
			got += k;
		}
		if (ok && memcmp(msg, back, n) != 0) ok = 0;
	}
	shutdown(s, SHUT_WR);
	char c;
	if (read(s, &c, 1) != 0) ok = 0; /* server closes after our EOF */
	close(s);
	client_ok[id] = ok;
	uint64_t one64 = 1;
	write(done_fd, &one64, 8);
	return NULL;
}

int main(void)
{
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	CHECK("bind", bind(ls, (struct sockaddr *)&a, sizeof a));
	socklen_t len = sizeof a;
	getsockname(ls, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	CHECK("listen", listen(ls, 64));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	FACT("epoll_create1", ep >= 0);
	done_fd = eventfd(0, EFD_NONBLOCK);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0xffffffff00000001ull };
	CHECK("add listener", epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev));
	ev.data.u64 = 0xffffffff00000002ull;
	CHECK("add eventfd", epoll_ctl(ep, EPOLL_CTL_ADD, done_fd, &ev));
	CHECK("add again", epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev));

	pthread_t t[CLIENTS];
	for (int i = 0; i < CLIENTS; i++)
		pthread_create(&t[i], NULL, client, (void *)(intptr_t)i);

	int finished = 0, accepted = 0, closed = 0, max_open = 0, open_now = 0;
	long echoed = 0;
	while (finished < CLIENTS) {
		struct epoll_event evs[32];
		int n = epoll_wait(ep, evs, 32, 10000);
		if (n <= 0) { SAY("epoll_wait: %d %s\n", n, errname(errno)); break; }
		for (int i = 0; i < n; i++) {
			uint64_t d = evs[i].data.u64;
			if (d == 0xffffffff00000001ull) {
				for (;;) {
					int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
					if (c < 0) break;
					accepted++;
					if (++open_now > max_open) max_open = open_now;
					struct epoll_event cev = { .events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.u64 = (uint64_t)c << 32 };
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
				}
			} else if (d == 0xffffffff00000002ull) {
				uint64_t v;
				if (read(done_fd, &v, 8) == 8) finished += (int)v;
			} else {
				int c = (int)(d >> 32);
				char buf[4096];
				int eof = 0;
				for (;;) {
					ssize_t k = read(c, buf, sizeof buf);
					if (k > 0) { write(c, buf, k); echoed += k; continue; }
					if (k == 0) eof = 1;
					break;
				}
				if (eof) {
					epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);
					close(c);
					closed++;
					open_now--;
				}
			}
		}
	}
	for (int i = 0; i < CLIENTS; i++) pthread_join(t[i], NULL);
	int good = 0;
	for (int i = 0; i < CLIENTS; i++) good += client_ok[i];
	SAY("clients finished: %d\n", finished);
	SAY("clients ok: %d\n", good);
	SAY("accepted: %d\n", accepted);
	SAY("closed: %d\n", closed);
	FACT("several clients at once", max_open > 1);
	FACT("echoed every byte", echoed > 0);
	CHECK("del unknown", epoll_ctl(ep, EPOLL_CTL_DEL, 0, NULL));
	CHECK("wait bad maxevents", epoll_wait(ep, (struct epoll_event[1]){0}, 0, 0));
	CHECK("wait on non-epoll", epoll_wait(ls, (struct epoll_event[1]){0}, 1, 0));
	CHECK("ctl bad op", epoll_ctl(ep, 99, ls, &ev));
	CHECK("ctl self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
	CHECK("ctl regular file", (lt_write_file("f", "x", 1), epoll_ctl(ep, EPOLL_CTL_ADD, open("f", O_RDONLY), &ev)));
	return 0;
}
