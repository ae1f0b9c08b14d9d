// wali-test: dir=TMP
// statfs, fstatfs, mknod, mknodat (FIFOs and regular files only: the table
// note says device nodes answer EPERM on wali, and root may create them
// natively, so this test never asks for one).
#include "../common.h"
#include <sys/statfs.h>
#include <sys/sysmacros.h>

int main(void)
{
	struct statfs a, b;
	CHECK("statfs .", statfs(".", &a));
	FACT("f_bsize > 0", a.f_bsize > 0);
	FACT("f_blocks >= f_bfree", a.f_blocks >= a.f_bfree);
	FACT("f_bfree >= f_bavail", a.f_bfree >= a.f_bavail);
	FACT("f_namelen > 0", a.f_namelen > 0);
	int fd = open(".", O_RDONLY);
	CHECK("fstatfs", fstatfs(fd, &b));
	FACT("same type", a.f_type == b.f_type);
	FACT("same bsize", a.f_bsize == b.f_bsize);
	CHECK("fstatfs bad fd", fstatfs(99, &b));
	CHECK("statfs missing", statfs("nope", &b));
	CHECK("statfs bad ptr", statfs(BADPTR, &b));
	CHECK("raw statfs", RSYS2(SYS_statfs, ".", &b));
	CHECK("raw statfs bad buf", RSYS2(SYS_statfs, ".", BADPTR));
	CHECK("raw fstatfs", RSYS2(SYS_fstatfs, fd, &b));
	CHECK("raw fstatfs bad buf", RSYS2(SYS_fstatfs, fd, BADPTR));
	close(fd);

	umask(022);
	struct stat st;
	CHECK("mknod fifo", mknod("fifo", S_IFIFO | 0666, 0));
	lstat("fifo", &st);
	SAY("fifo: %s %04o\n", lt_ftype(st.st_mode), (unsigned)(st.st_mode & 07777));
	CHECK("mknod exists", mknod("fifo", S_IFIFO | 0666, 0));
	CHECK("mknod regular", mknod("reg", S_IFREG | 0600, 0));
	lstat("reg", &st);
	SAY("reg: %s %04o size=%lld\n", lt_ftype(st.st_mode), (unsigned)(st.st_mode & 07777), (long long)st.st_size);
	CHECK("mknod type 0 = regular", mknod("reg0", 0644, 0));
	lstat("reg0", &st);
	SAY("reg0: %s\n", lt_ftype(st.st_mode));
	CHECK("mknod bad type", mknod("bad", 0170000 | 0644, 0));
	CHECK("mknod missing parent", mknod("no/fifo", S_IFIFO | 0644, 0));
	CHECK("raw mknod", RSYS3(SYS_mknod, "fifo2", S_IFIFO | 0600, LT_OFF(0)));
	mkdir("d", 0755);
	int d = open("d", O_RDONLY | O_DIRECTORY);
	CHECK("mknodat", mknodat(d, "f3", S_IFIFO | 0640, 0));
	lstat("d/f3", &st);
	SAY("d/f3: %s %04o\n", lt_ftype(st.st_mode), (unsigned)(st.st_mode & 07777));
	CHECK("raw mknodat", RSYS4(SYS_mknodat, AT_FDCWD, "r4", S_IFREG | 0644, LT_OFF(0)));
	CHECK("raw mknodat bad dirfd", RSYS4(SYS_mknodat, 99, "r5", S_IFREG | 0644, LT_OFF(0)));
	close(d);
	/* a FIFO opened non-blocking for reading needs no writer */
	int rfd = open("fifo", O_RDONLY | O_NONBLOCK);
	FACT("open fifo O_RDONLY|O_NONBLOCK", rfd >= 0);
	CHECK("open fifo O_WRONLY|O_NONBLOCK without reader", open("fifo2", O_WRONLY | O_NONBLOCK));
	int wfd = open("fifo", O_WRONLY | O_NONBLOCK);
	CHECK("write fifo", write(wfd, "hey", 3));
	char buf[8] = { 0 };
	CHECK("read fifo", read(rfd, buf, sizeof buf));
	SAY("fifo data: %s\n", buf);
	CHECK("read empty fifo", read(rfd, buf, sizeof buf));
	return 0;
}
