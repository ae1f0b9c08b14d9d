#define _GNU_SOURCE
/* Single-threaded epoll TCP echo server for benchmarks.
 * echo_server PORT: listens on 127.0.0.1:PORT, echoes until killed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7777;
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 512) < 0) {
		perror("bind/listen");
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls };
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	fprintf(stderr, "listening on %d\n", port);
	static char buf[65536];
	for (;;) {
		struct epoll_event evs[128];
		int n = epoll_wait(ep, evs, 128, -1);
		if (n < 0 && errno == EINTR) continue;
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == ls) {
				int c;
				while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
				}
				continue;
			}
			ssize_t k = read(fd, buf, sizeof buf);
			if (k <= 0) {
				if (k < 0 && errno == EAGAIN) continue;
				close(fd);
				continue;
			}
			ssize_t off = 0;
			while (off < k) {
				ssize_t w = write(fd, buf + off, k - off);
				if (w < 0) {
					if (errno == EAGAIN) {
						/* slow reader: wait until writable (blocking poll on one fd) */
						struct epoll_event wev = { .events = EPOLLOUT, .data.fd = fd };
						int e2 = epoll_create1(0);
						epoll_ctl(e2, EPOLL_CTL_ADD, fd, &wev);
						epoll_wait(e2, &wev, 1, 1000);
						close(e2);
						continue;
					}
					break;
				}
				off += w;
			}
		}
	}
}
