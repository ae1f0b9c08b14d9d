/* Native load generator for echo_server.
 * echo_client PORT rr CONNS SECONDS   -> request/response (64 bytes) rate
 * echo_client PORT stream SECONDS     -> one connection, 64 KiB writes, MB/s echoed */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;
static double secs;
static volatile int stop;
static long counts[256];

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int dial(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); exit(1); }
	int one = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return s;
}

static void *rr(void *arg)
{
	int id = (int)(long)arg, s = dial();
	char buf[64];
	memset(buf, 'x', sizeof buf);
	while (!stop) {
		if (write(s, buf, 64) != 64) break;
		int got = 0;
		while (got < 64) {
			ssize_t k = read(s, buf + got, 64 - got);
			if (k <= 0) return NULL;
			got += k;
		}
		counts[id]++;
	}
	close(s);
	return NULL;
}

static void *reader(void *arg)
{
	int s = (int)(long)arg;
	static char buf[1 << 16];
	long total = 0;
	ssize_t k;
	while ((k = read(s, buf, sizeof buf)) > 0) total += k;
	counts[0] = total;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) { fprintf(stderr, "usage\n"); return 2; }
	port = atoi(argv[1]);
	if (!strcmp(argv[2], "rr")) {
		int conns = atoi(argv[3]);
		secs = atof(argv[4]);
		pthread_t t[256];
		for (int i = 0; i < conns; i++) pthread_create(&t[i], NULL, rr, (void *)(long)i);
		double t0 = now();
		usleep((useconds_t)(secs * 1e6));
		stop = 1;
		double dt = now() - t0;
		for (int i = 0; i < conns; i++) pthread_join(t[i], NULL);
		long total = 0;
		for (int i = 0; i < conns; i++) total += counts[i];
		printf("rr conns=%d requests/s=%.0f\n", conns, total / dt);
	} else {
		secs = atof(argv[3]);
		int s = dial();
		pthread_t r;
		pthread_create(&r, NULL, reader, (void *)(long)s);
		static char buf[1 << 16];
		memset(buf, 'y', sizeof buf);
		double t0 = now();
		long sent = 0;
		while (now() - t0 < secs) {
			ssize_t w = write(s, buf, sizeof buf);
			if (w <= 0) break;
			sent += w;
		}
		shutdown(s, SHUT_WR);
		pthread_join(r, NULL);
		double dt = now() - t0;
		printf("stream MB/s=%.1f (echoed %ld of %ld bytes)\n", counts[0] / dt / 1e6, counts[0], sent);
	}
	return 0;
}
