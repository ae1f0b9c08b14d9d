// wali-test: dir=none needs=threads,net policy=unix_race.toml wali-only args="TMP"
// Issue 14, finding 4: AF_UNIX connect and sendto must act on exactly the
// inode the host checked. /box is the temp dir (argv[1] on the host); /box/arena/x
// is a decoy socket, /box/arena/y a symlink to the *host* path of a listening
// socket (argv[1]/secret/s), which in the guest's view does not exist. A
// second thread swaps x and y (renameat2 RENAME_EXCHANGE) while the main
// thread connects to (and sends datagrams to) /box/arena/x: the host must
// answer ENOENT (it followed the symlink in the guest's view) or
// ECONNREFUSED/EPROTOTYPE (the decoy), never reach the secret socket. Before
// the fix the host checked the path, then the kernel resolved it again:
// escapes in most runs of 20000 tries.
#include "sandbox.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <dirent.h>

#define ITERATIONS 20000
#define RENAME_EXCHANGE (1 << 1)

static volatile int stop;

static void *swapper(void *arg)
{
	const char *a = arg; /* "x", "dx" or "p": swapped with "y", "dy" or "q" */
	const char *b = a[0] == 'x' ? "y" : a[0] == 'd' ? "dy" : "q";
	int dir = open("/box/arena", O_RDONLY | O_DIRECTORY);
	while (!stop)
		syscall(SYS_renameat2, dir, a, dir, b, RENAME_EXCHANGE);
	close(dir);
	return NULL;
}

static struct sockaddr_un un(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	return a;
}

static int bound(int type, const char *path, int listening)
{
	struct sockaddr_un a = un(path);
	int s = socket(AF_UNIX, type, 0);
	if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) {
		SAY("bind %s: %s\n", path, errname(errno));
		return -1;
	}
	if (listening) listen(s, 64);
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 2) return 2;
	char target[256];
	mkdir("/box/secret", 0700);
	mkdir("/box/arena", 0700);
	int secret = bound(SOCK_STREAM, "/box/secret/s", 1);
	int secret_d = bound(SOCK_DGRAM, "/box/secret/d", 0);
	int decoy = bound(SOCK_STREAM, "/box/arena/x", 0);
	int decoy_d = bound(SOCK_STREAM, "/box/arena/dx", 0);
	snprintf(target, sizeof target, "%s/secret/s", argv[1]);
	CHECK("symlink to the host path", symlink(target, "/box/arena/y"));
	snprintf(target, sizeof target, "%s/secret/d", argv[1]);
	CHECK("symlink to the host path (dgram)", symlink(target, "/box/arena/dy"));
	fcntl(secret, F_SETFL, O_NONBLOCK);
	struct sockaddr_un via = un("/box/arena/y");
	int probe = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK("connect through the symlink", connect(probe, (struct sockaddr *)&via, sizeof via));
	close(probe);

	pthread_t t;
	pthread_create(&t, NULL, swapper, "x");
	struct sockaddr_un x = un("/box/arena/x");
	int escapes = 0, other = 0;
	for (int i = 0; i < ITERATIONS; i++) {
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(c, (struct sockaddr *)&x, sizeof x) == 0) {
			escapes++;
			int a = accept(secret, NULL, NULL);
			if (a >= 0) close(a);
		} else if (errno != ENOENT && errno != ECONNREFUSED) {
			other++;
		}
		close(c);
	}
	stop = 1;
	pthread_join(t, NULL);
	SAY("connect: %d tries, %d escapes, %d other errors\n", ITERATIONS, escapes, other);

	stop = 0;
	pthread_create(&t, NULL, swapper, "dx");
	struct sockaddr_un dx = un("/box/arena/dx");
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	escapes = other = 0;
	for (int i = 0; i < ITERATIONS; i++) {
		if (sendto(d, "z", 1, 0, (struct sockaddr *)&dx, sizeof dx) == 1) {
			escapes++;
			char buf[4];
			recv(secret_d, buf, sizeof buf, MSG_DONTWAIT);
		} else if (errno != ENOENT && errno != ECONNREFUSED && errno != EPROTOTYPE) {
			other++;
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	SAY("sendto: %d tries, %d escapes, %d other errors\n", ITERATIONS, escapes, other);
	close(d);

	/* bind: /box/arena/p is a directory, /box/arena/q a symlink to the host
	 * path of /box/secret; nodes must only ever appear in the directory. */
	mkdir("/box/arena/p", 0700);
	snprintf(target, sizeof target, "%s/secret", argv[1]);
	symlink(target, "/box/arena/q");
	stop = 0;
	pthread_create(&t, NULL, swapper, "p");
	int bound_ok = 0;
	for (int i = 0; i < ITERATIONS / 4; i++) {
		char path[64];
		snprintf(path, sizeof path, "/box/arena/p/n%d", i);
		struct sockaddr_un b = un(path);
		int s = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (bind(s, (struct sockaddr *)&b, sizeof b) == 0) bound_ok++;
		close(s);
	}
	stop = 1;
	pthread_join(t, NULL);
	int in_secret = 0;
	DIR *dir = opendir("/box/secret");
	for (struct dirent *e; dir && (e = readdir(dir));)
		if (e->d_name[0] == 'n') in_secret++;
	if (dir) closedir(dir);
	SAY("bind: %d tries, some bound: %s, %d escapes\n", ITERATIONS / 4, bound_ok > 0 ? "yes" : "no", in_secret);
	close(decoy);
	close(decoy_d);
	close(secret);
	close(secret_d);
	return 0;
}
