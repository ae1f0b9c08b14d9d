// wali-test: dir=TMP
// read, write, pread64, pwrite64, readv, writev, preadv, pwritev, lseek.
#include "../common.h"
#include <sys/uio.h>

int main(void)
{
	char buf[64];
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("write", write(fd, "hello world", 11));
	CHECK("write 0 bytes", write(fd, "", 0));
	CHECK("lseek cur", lseek(fd, 0, SEEK_CUR));
	CHECK("read at eof", read(fd, buf, sizeof buf));
	CHECK("lseek set 6", lseek(fd, 6, SEEK_SET));
	memset(buf, 0, sizeof buf);
	CHECK("read", read(fd, buf, sizeof buf));
	SAY("read data: %s\n", buf);
	CHECK("read 0 bytes", read(fd, buf, 0));
	CHECK("lseek end -5", lseek(fd, -5, SEEK_END));
	CHECK("lseek cur +2", lseek(fd, 2, SEEK_CUR));
	CHECK("lseek negative", lseek(fd, -100, SEEK_SET));
	CHECK("lseek cur negative result", lseek(fd, -100, SEEK_CUR));
	CHECK("lseek bad whence", lseek(fd, 0, 42));
	CHECK("lseek past end", lseek(fd, 100, SEEK_SET));
	CHECK("read past end", read(fd, buf, 4));
	CHECK("lseek 4GiB+1", lseek(fd, 4294967297LL, SEEK_SET));
	CHECK("raw lseek", RSYS3(SYS_lseek, fd, LT_OFF(3), SEEK_SET));
	CHECK("lseek SEEK_DATA", lseek(fd, 0, SEEK_DATA));
	CHECK("lseek SEEK_HOLE", lseek(fd, 0, SEEK_HOLE));
	CHECK("lseek SEEK_DATA past end", lseek(fd, 50, SEEK_DATA));
	CHECK("lseek bad fd", lseek(99, 0, SEEK_SET));
	CHECK("read bad fd", read(99, buf, 1));
	CHECK("write bad fd", write(99, buf, 1));
	CHECK("read -1 fd", read(-1, buf, 1));
	lseek(fd, 0, SEEK_SET);
	CHECK("read bad buf", read(fd, BADPTR, 4));
	CHECK("write bad buf", write(fd, BADPTR, 4));
	CHECK("offset unchanged after EFAULT", lseek(fd, 0, SEEK_CUR));

	/* pread/pwrite do not move the offset */
	lseek(fd, 2, SEEK_SET);
	memset(buf, 0, sizeof buf);
	CHECK("pread", pread(fd, buf, 5, 6));
	SAY("pread data: %s\n", buf);
	CHECK("offset after pread", lseek(fd, 0, SEEK_CUR));
	CHECK("pwrite", pwrite(fd, "HELLO", 5, 0));
	CHECK("offset after pwrite", lseek(fd, 0, SEEK_CUR));
	CHECK("pread negative offset", pread(fd, buf, 1, -1));
	CHECK("pwrite negative offset", pwrite(fd, buf, 1, -1));
	CHECK("pread past end", pread(fd, buf, 5, 1000));
	CHECK("raw pread64", RSYS4(SYS_pread64, fd, buf, 5, LT_OFF(0)));
	CHECK("raw pwrite64", RSYS4(SYS_pwrite64, fd, "!", 1, LT_OFF(5)));
	CHECK("pread bad buf", pread(fd, BADPTR, 5, 0));
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 11, 0);
	SAY("content: %s\n", buf);

	/* vectors */
	char a[4] = { 0 }, b[8] = { 0 };
	struct iovec iov[3] = { { a, 3 }, { NULL, 0 }, { b, 7 } };
	lseek(fd, 0, SEEK_SET);
	CHECK("readv", readv(fd, iov, 3));
	SAY("readv parts: '%s' '%s'\n", a, b);
	CHECK("offset after readv", lseek(fd, 0, SEEK_CUR));
	struct iovec w[2] = { { "ab", 2 }, { "cde", 3 } };
	CHECK("writev", writev(fd, w, 2));
	CHECK("writev 0 iov", writev(fd, w, 0));
	CHECK("writev negative count", writev(fd, w, -1));
	CHECK("writev too many", writev(fd, w, 1025));
	CHECK("readv bad iov ptr", readv(fd, BADPTR, 1));
	struct iovec badbase[1] = { { BADPTR, 4 } };
	lseek(fd, 0, SEEK_SET);
	CHECK("readv bad base", readv(fd, badbase, 1));
	CHECK("raw readv", RSYS3(SYS_readv, fd, iov, 1));
	CHECK("raw writev", RSYS3(SYS_writev, fd, w, 1));
	memset(a, 0, sizeof a); memset(b, 0, sizeof b);
	CHECK("preadv", preadv(fd, iov, 3, 4));
	SAY("preadv parts: '%s' '%s'\n", a, b);
	CHECK("pwritev", pwritev(fd, w, 2, 20));
	CHECK("raw preadv", RSYS4(SYS_preadv, fd, iov, 1, LT_OFF(0)));
	CHECK("raw pwritev", RSYS4(SYS_pwritev, fd, w, 1, LT_OFF(30)));
	CHECK("preadv negative offset", preadv(fd, iov, 1, -1));
	struct stat st;
	fstat(fd, &st);
	SAY("final size: %lld\n", (long long)st.st_size);
	memset(buf, 0, sizeof buf);
	pread(fd, buf, sizeof buf - 1, 0);
	for (int i = 0; i < st.st_size && i < 63; i++) if (!buf[i]) buf[i] = '.';
	SAY("final content: %s\n", buf);
	close(fd);

	/* directories */
	int d = open(".", O_RDONLY);
	CHECK("read dir", read(d, buf, 1));
	CHECK("pread dir", pread(d, buf, 1, 0));
	close(d);

	/* big transfers */
	static char big[1 << 20];
	for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7);
	fd = open("big", O_RDWR | O_CREAT, 0644);
	CHECK("write 1MiB", write(fd, big, sizeof big));
	static char back[1 << 20];
	CHECK("pread 1MiB", pread(fd, back, sizeof back, 0));
	FACT("1MiB round trip", !memcmp(big, back, sizeof big));
	close(fd);

	/* stdout/stderr are open */
	CHECK("write stderr", write(2, "", 0));
	return 0;
}
