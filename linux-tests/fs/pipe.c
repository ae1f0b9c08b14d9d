// wali-test: dir=TMP
// pipe, pipe2: data flow, EOF, EAGAIN, EPIPE (SIGPIPE ignored), flags.
#include "../common.h"
#include <sys/ioctl.h>

int main(void)
{
	int p[2];
	char buf[64];
	CHECK("pipe", pipe(p));
	SAY("fds: %d %d\n", p[0], p[1]);
	CHECK("write", write(p[1], "abc", 3));
	int n = -1;
	CHECK("FIONREAD", ioctl(p[0], FIONREAD, &n));
	SAY("FIONREAD count: %d\n", n);
	memset(buf, 0, sizeof buf);
	CHECK("read", read(p[0], buf, 2));
	SAY("got: %s\n", buf);
	CHECK("read rest", read(p[0], buf, sizeof buf));
	CHECK("read end is O_RDONLY", fcntl(p[0], F_GETFL) & O_ACCMODE);
	CHECK("write end is O_WRONLY", fcntl(p[1], F_GETFL) & O_ACCMODE);
	CHECK("write to read end", write(p[0], "x", 1));
	CHECK("read from write end", read(p[1], buf, 1));
	CHECK("lseek on pipe", lseek(p[0], 0, SEEK_CUR));
	CHECK("pread on pipe", pread(p[0], buf, 1, 0));
	struct stat st;
	fstat(p[0], &st);
	SAY("fstat type: %s\n", lt_ftype(st.st_mode));
	CHECK("set O_NONBLOCK", fcntl(p[0], F_SETFL, O_NONBLOCK));
	CHECK("read empty nonblocking", read(p[0], buf, 1));
	CHECK("close write end", close(p[1]));
	CHECK("read after writer closed", read(p[0], buf, 1));
	close(p[0]);

	CHECK("pipe2 nonblock|cloexec", pipe2(p, O_NONBLOCK | O_CLOEXEC));
	FACT("read end nonblock", fcntl(p[0], F_GETFL) & O_NONBLOCK);
	FACT("write end nonblock", fcntl(p[1], F_GETFL) & O_NONBLOCK);
	FACT("cloexec", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	CHECK("read empty", read(p[0], buf, 1));
	/* fill the pipe: the count depends on the pipe size, print whether
	 * it ended with EAGAIN after at least 4 KiB */
	static char chunk[4096];
	long total = 0;
	for (;;) {
		ssize_t w = write(p[1], chunk, sizeof chunk);
		if (w < 0) { SAY("fill ends with: %s\n", errname(errno)); break; }
		total += w;
		if (total > (64L << 20)) { SAY("fill never blocks\n"); break; }
	}
	FACT("filled at least 4KiB", total >= 4096);
	n = 0;
	ioctl(p[0], FIONREAD, &n);
	FACT("FIONREAD equals bytes written", n == total);
	long drained = 0;
	for (;;) {
		ssize_t r = read(p[0], chunk, sizeof chunk);
		if (r <= 0) { SAY("drain ends with: %s\n", r < 0 ? errname(errno) : "EOF"); break; }
		drained += r;
	}
	FACT("drained all", drained == total);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK("write with no reader", write(p[1], "x", 1));
	close(p[1]);

	CHECK("pipe2 bad flags", pipe2(p, 0x4000000));
	CHECK("pipe2 flags 0", pipe2(p, 0));
	FACT("pipe2(0) blocking", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	CHECK("raw pipe", RSYS1(SYS_pipe, p));
	SAY("raw pipe fds: %d %d\n", p[0], p[1]);
	CHECK("raw pipe2", RSYS2(SYS_pipe2, p, O_CLOEXEC));
	CHECK("raw pipe bad ptr", RSYS1(SYS_pipe, BADPTR));
	CHECK("raw pipe2 bad ptr", RSYS2(SYS_pipe2, BADPTR, 0));
	/* FIONBIO toggles O_NONBLOCK */
	int on = 1;
	CHECK("FIONBIO on", ioctl(p[0], FIONBIO, &on));
	FACT("O_NONBLOCK after FIONBIO", fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK("read after FIONBIO", read(p[0], buf, 1));
	on = 0;
	ioctl(p[0], FIONBIO, &on);
	FACT("blocking after FIONBIO 0", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	CHECK("FIOCLEX", ioctl(p[0], FIOCLEX));
	FACT("cloexec after FIOCLEX", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	CHECK("FIONCLEX", ioctl(p[0], FIONCLEX));
	FACT("cloexec after FIONCLEX", fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	CHECK("TCGETS on pipe", ioctl(p[0], TCGETS, buf));
	return 0;
}
