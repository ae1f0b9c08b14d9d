// wali-test: dir=TMP
// fsync, fdatasync, sync, syncfs, posix_fadvise (fadvise64), fallocate.
#include "../common.h"

int main(void)
{
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	write(fd, "abc", 3);
	CHECK("fsync", fsync(fd));
	CHECK("fdatasync", fdatasync(fd));
	CHECK("fsync bad fd", fsync(99));
	CHECK("fdatasync bad fd", fdatasync(-1));
	CHECK("raw fsync", RSYS1(SYS_fsync, fd));
	CHECK("raw fdatasync", RSYS1(SYS_fdatasync, fd));
	int d = open(".", O_RDONLY);
	CHECK("fsync dir", fsync(d));
	CHECK("raw sync", RSYS0(SYS_sync));
	sync();
	SAY("sync returned\n");
	CHECK("syncfs", syncfs(fd));
	CHECK("syncfs bad fd", syncfs(99));
	CHECK("raw syncfs", RSYS1(SYS_syncfs, d));
	int p[2];
	pipe(p);
	CHECK("fsync pipe", fsync(p[0]));

	/* posix_fadvise returns the error number */
	CHECK_ERRNUM("fadvise sequential", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
	CHECK_ERRNUM("fadvise dontneed", posix_fadvise(fd, 0, 100, POSIX_FADV_DONTNEED));
	CHECK_ERRNUM("fadvise bad advice", posix_fadvise(fd, 0, 0, 99));
	CHECK_ERRNUM("fadvise bad fd", posix_fadvise(99, 0, 0, POSIX_FADV_NORMAL));
	CHECK_ERRNUM("fadvise negative len", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
	CHECK_ERRNUM("fadvise pipe", posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL));
	CHECK("raw fadvise64", RSYS4(SYS_fadvise64, fd, LT_OFF(0), LT_OFF(0), POSIX_FADV_RANDOM));

	/* fallocate */
	struct stat st;
	CHECK("fallocate", fallocate(fd, 0, 0, 65536));
	fstat(fd, &st);
	SAY("size after fallocate: %lld\n", (long long)st.st_size);
	FACT("blocks allocated", st.st_blocks * 512 >= 65536);
	CHECK("fallocate keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 65536, 65536));
	fstat(fd, &st);
	SAY("size after keep-size: %lld\n", (long long)st.st_size);
	CHECK("fallocate zero len", fallocate(fd, 0, 0, 0));
	CHECK("fallocate negative offset", fallocate(fd, 0, -1, 10));
	CHECK("fallocate bad fd", fallocate(99, 0, 0, 10));
	CHECK("fallocate pipe", fallocate(p[1], 0, 0, 10));
	CHECK("raw fallocate", RSYS4(SYS_fallocate, fd, 0, LT_OFF(0), LT_OFF(131072)));
	fstat(fd, &st);
	SAY("size after raw: %lld\n", (long long)st.st_size);
	char c = 'x';
	pread(fd, &c, 1, 70000);
	SAY("allocated byte: %d\n", c);
	int ro = open("f", O_RDONLY);
	CHECK("fallocate read-only fd", fallocate(ro, 0, 0, 10));
	CHECK_ERRNUM("posix_fallocate", posix_fallocate(fd, 0, 200000));
	fstat(fd, &st);
	SAY("size after posix_fallocate: %lld\n", (long long)st.st_size);
	return 0;
}
