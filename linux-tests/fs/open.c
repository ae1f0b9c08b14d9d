// wali-test: dir=TMP
// open/openat/creat/close: normal cases and the usual errors.
#include "../common.h"

int main(void)
{
	char longname[PATH_MAX + 16];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	char longcomp[300];
	memset(longcomp, 'b', sizeof longcomp - 1);
	longcomp[sizeof longcomp - 1] = 0;

	CHECK("open missing", open("missing.txt", O_RDONLY));
	CHECK("open missing dir component", open("nodir/x", O_RDONLY));
	CHECK("open empty path", open("", O_RDONLY));
	CHECK("open bad pointer", open(BADPTR, O_RDONLY));
	CHECK("open name too long", open(longname, O_RDONLY));
	CHECK("open component too long", open(longcomp, O_RDONLY));
	CHECK("open create", open("a.txt", O_WRONLY | O_CREAT, 0644));
	CHECK("write to new", write(3, "hello\n", 6));
	CHECK("close", close(3));
	CHECK("close again", close(3));
	CHECK("close -1", close(-1));
	CHECK("close 9999", close(9999));
	CHECK("open excl existing", open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
	CHECK("open file as directory", open("a.txt/", O_RDONLY));
	CHECK("open O_DIRECTORY on file", open("a.txt", O_RDONLY | O_DIRECTORY));
	CHECK("open file/x", open("a.txt/x", O_RDONLY));
	CHECK("open . rdonly", open(".", O_RDONLY));
	CHECK("close dir", close(3));
	CHECK("open . wronly", open(".", O_WRONLY));
	CHECK("open . rdwr", open(".", O_RDWR));
	CHECK("open . O_CREAT", open(".", O_RDONLY | O_CREAT, 0644));
	CHECK("open O_DIRECTORY .", open(".", O_RDONLY | O_DIRECTORY));
	CHECK("close", close(3));

	/* lowest free fd is reused */
	int a = open("a.txt", O_RDONLY), b = open("a.txt", O_RDONLY);
	SAY("two opens: %d %d\n", a, b);
	close(a);
	CHECK("reopen takes lowest", open("a.txt", O_RDONLY));
	close(3);
	close(b);

	/* O_TRUNC */
	int fd = open("a.txt", O_RDWR | O_TRUNC);
	struct stat st;
	fstat(fd, &st);
	SAY("size after O_TRUNC: %lld\n", (long long)st.st_size);
	close(fd);

	/* O_APPEND */
	lt_write_file("ap.txt", "12345", 5);
	fd = open("ap.txt", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	CHECK("append write", write(fd, "67", 2));
	CHECK("offset after append", lseek(fd, 0, SEEK_CUR));
	close(fd);
	char buf[64];
	lt_read_file("ap.txt", buf, sizeof buf);
	SAY("append content: %s\n", buf);

	/* read-only fd cannot write, write-only cannot read */
	fd = open("ap.txt", O_RDONLY);
	CHECK("write on O_RDONLY", write(fd, "x", 1));
	close(fd);
	fd = open("ap.txt", O_WRONLY);
	CHECK("read on O_WRONLY", read(fd, buf, 1));
	close(fd);

	/* creat */
	CHECK("creat", creat("c.txt", 0600));
	CHECK("write creat fd", write(3, "abc", 3));
	CHECK("read creat fd (write-only)", read(3, buf, 3));
	close(3);
	CHECK("creat truncates existing", creat("c.txt", 0600));
	close(3);
	stat("c.txt", &st);
	SAY("creat size: %lld\n", (long long)st.st_size);
	CHECK("creat in missing dir", creat("nodir/c.txt", 0600));
	CHECK("raw creat", RSYS2(SYS_creat, "c2.txt", 0644));
	close(3);
	CHECK("raw creat in missing dir", RSYS2(SYS_creat, "nodir/c.txt", 0644));

	/* openat */
	CHECK("mkdir sub", mkdir("sub", 0755));
	int dfd = open("sub", O_RDONLY | O_DIRECTORY);
	SAY("dirfd: %d\n", dfd);
	CHECK("openat create", openat(dfd, "in.txt", O_WRONLY | O_CREAT, 0644));
	close(4);
	CHECK("stat via path", stat("sub/in.txt", &st));
	CHECK("openat AT_FDCWD", openat(AT_FDCWD, "sub/in.txt", O_RDONLY));
	close(4);
	CHECK("openat missing", openat(dfd, "nope", O_RDONLY));
	CHECK("openat bad dirfd", openat(99, "in.txt", O_RDONLY));
	CHECK("openat bad dirfd absolute", openat(99, "/nonexistent-lt", O_RDONLY) == -1 ? -1 : 0);
	int ffd = open("a.txt", O_RDONLY);
	CHECK("openat file as dirfd", openat(ffd, "x", O_RDONLY));
	close(ffd);
	CHECK("openat ..", openat(dfd, "../a.txt", O_RDONLY));
	close(4);
	close(dfd);

	/* O_CLOEXEC is reported by F_GETFD */
	fd = open("a.txt", O_RDONLY | O_CLOEXEC);
	SAY("O_CLOEXEC sets FD_CLOEXEC: %s\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
	close(fd);
	fd = open("a.txt", O_RDONLY);
	SAY("no O_CLOEXEC: %s\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? "set" : "clear");
	SAY("F_GETFL access mode rdonly: %s\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY ? "yes" : "no");
	close(fd);
	fd = open("a.txt", O_RDWR | O_APPEND);
	int fl = fcntl(fd, F_GETFL);
	SAY("F_GETFL rdwr+append: %s %s\n", (fl & O_ACCMODE) == O_RDWR ? "rdwr" : "?", (fl & O_APPEND) ? "append" : "-");
	close(fd);

	/* /dev/null and /dev/zero are always there */
	fd = open("/dev/null", O_RDWR);
	CHECK("write /dev/null", write(fd, "xyz", 3));
	CHECK("read /dev/null", read(fd, buf, 10));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, 8);
	CHECK("read /dev/zero", read(fd, buf, 8));
	FACT("zeros", buf[0] == 0 && buf[7] == 0);
	close(fd);
	return 0;
}
