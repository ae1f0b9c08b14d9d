// wali-test: dir=TMP
// splice between a pipe and a file: a loff_t offset is read and updated
// (the file position stays), a NULL offset uses and moves the position,
// offsets past 4 GiB; SIGPIPE on a pipe with no reader; errors: an offset
// on a pipe (ESPIPE), no pipe on either side (EINVAL), a bad fd (EBADF), a
// bad offset pointer (EFAULT), an empty pipe with SPLICE_F_NONBLOCK (EAGAIN).
#include "../common.h"

static volatile int got_sigpipe;
static void on_sigpipe(int s) { (void)s; got_sigpipe = 1; }

int main(void)
{
	int p[2];
	char buf[64];
	CHECK("pipe", pipe(p));
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("write file", write(fd, "0123456789abcdef", 16));
	CHECK("lseek 2", lseek(fd, 2, SEEK_SET));

	loff_t off = 10;
	CHECK("splice file->pipe at 10", splice(fd, &off, p[1], NULL, 4, 0));
	SAY("offset after: %lld\n", (long long)off);
	CHECK("file position kept", lseek(fd, 0, SEEK_CUR));
	memset(buf, 0, sizeof buf);
	CHECK("read pipe", read(p[0], buf, sizeof buf));
	SAY("data: %s\n", buf);

	CHECK("splice file->pipe, NULL offset", splice(fd, NULL, p[1], NULL, 3, 0));
	CHECK("file position moved", lseek(fd, 0, SEEK_CUR));
	memset(buf, 0, sizeof buf);
	CHECK("read pipe", read(p[0], buf, sizeof buf));
	SAY("data: %s\n", buf);

	CHECK("write pipe", write(p[1], "XYZ", 3));
	off = 4;
	CHECK("splice pipe->file at 4", splice(p[0], NULL, fd, &off, 3, 0));
	SAY("offset after: %lld\n", (long long)off);
	CHECK("file position kept", lseek(fd, 0, SEEK_CUR));
	memset(buf, 0, sizeof buf);
	CHECK("pread file", pread(fd, buf, sizeof buf - 1, 0));
	SAY("file: %s\n", buf);

	off = 100;
	CHECK("splice file->pipe past eof", splice(fd, &off, p[1], NULL, 4, 0));
	SAY("offset after: %lld\n", (long long)off);

	/* a whole 64-bit offset: 5 GiB + 1 into a sparse file */
	CHECK("write pipe", write(p[1], "far", 3));
	off = 5LL * 1024 * 1024 * 1024 + 1;
	CHECK("splice pipe->file at 5GiB+1", splice(p[0], NULL, fd, &off, 3, 0));
	SAY("offset after: %lld\n", (long long)off);
	struct stat st;
	CHECK("fstat", fstat(fd, &st));
	SAY("size: %lld\n", (long long)st.st_size);
	off = 5LL * 1024 * 1024 * 1024;
	CHECK("splice file->pipe at 5GiB", splice(fd, &off, p[1], NULL, 8, 0));
	memset(buf, 'x', sizeof buf);
	CHECK("read pipe", read(p[0], buf, sizeof buf));
	SAY("bytes: %d %c%c%c\n", buf[0], buf[1], buf[2], buf[3]);
	CHECK("ftruncate", ftruncate(fd, 16));

	/* errors */
	off = 0;
	CHECK("write pipe", write(p[1], "q", 1));
	CHECK("offset on the pipe", splice(p[0], &off, fd, NULL, 1, 0));
	int fd2 = open("g", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("no pipe", splice(fd, NULL, fd2, NULL, 1, 0));
	CHECK("bad fd in", splice(99, NULL, p[1], NULL, 1, 0));
	CHECK("bad fd out", splice(p[0], NULL, 99, NULL, 1, 0));
	CHECK("bad offset pointer", splice(fd, BADPTR, p[1], NULL, 1, 0));
	CHECK("length 0", splice(p[0], NULL, fd2, NULL, 0, 0));
	CHECK("drain", read(p[0], buf, sizeof buf));
	CHECK("empty pipe, nonblock", splice(p[0], NULL, fd2, NULL, 1, SPLICE_F_NONBLOCK));

	/* a pipe nobody reads: SIGPIPE, then EPIPE */
	signal(SIGPIPE, on_sigpipe);
	close(p[0]);
	off = 0;
	CHECK("splice to a pipe with no reader", splice(fd, &off, p[1], NULL, 4, 0));
	FACT("SIGPIPE delivered", got_sigpipe);
	SAY("offset after: %lld\n", (long long)off);
	return 0;
}
