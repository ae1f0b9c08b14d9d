// wali-test: dir=TMP
// fcntl F_GETFL/F_SETFL, record locks (F_SETLK, F_GETLK, F_OFD_*), flock.
#include "../common.h"
#include <sys/file.h>

int main(void)
{
	lt_write_file("f", "0123456789", 10);
	int fd = open("f", O_RDWR);
	int fl = fcntl(fd, F_GETFL);
	SAY("F_GETFL: accmode=%d append=%d nonblock=%d\n", fl & O_ACCMODE, !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
	CHECK("F_SETFL append|nonblock", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	fl = fcntl(fd, F_GETFL);
	SAY("F_GETFL: accmode=%d append=%d nonblock=%d\n", fl & O_ACCMODE, !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
	CHECK("F_SETFL cannot change access mode", fcntl(fd, F_SETFL, O_RDONLY));
	FACT("still O_RDWR", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	lseek(fd, 0, SEEK_SET);
	write(fd, "X", 1);
	CHECK("append via F_SETFL", lseek(fd, 0, SEEK_CUR));
	fcntl(fd, F_SETFL, 0);
	CHECK("F_GETFL bad fd", fcntl(99, F_GETFL));
	CHECK("bad cmd", fcntl(fd, 9999));
	CHECK("raw fcntl F_GETFD", RSYS3(SYS_fcntl, fd, F_GETFD, 0));

	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5 };
	CHECK("F_SETLK write lock", fcntl(fd, F_SETLK, &lk));
	struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	CHECK("F_GETLK", fcntl(fd, F_GETLK, &q));
	SAY("F_GETLK own lock is no conflict: %s\n", q.l_type == F_UNLCK ? "yes" : "no");
	lk.l_type = F_RDLCK;
	CHECK("F_SETLKW read lock (upgrade/downgrade)", fcntl(fd, F_SETLKW, &lk));
	lk.l_type = F_UNLCK;
	CHECK("F_SETLK unlock", fcntl(fd, F_SETLK, &lk));
	lk.l_type = 77;
	CHECK("F_SETLK bad type", fcntl(fd, F_SETLK, &lk));
	lk.l_type = F_WRLCK; lk.l_whence = 9;
	CHECK("F_SETLK bad whence", fcntl(fd, F_SETLK, &lk));
	lk.l_whence = SEEK_SET; lk.l_start = -5;
	CHECK("F_SETLK negative start", fcntl(fd, F_SETLK, &lk));
	CHECK("F_SETLK bad ptr", fcntl(fd, F_SETLK, BADPTR));
	int rd = open("f", O_RDONLY);
	struct flock wl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	CHECK("write lock on read-only fd", fcntl(rd, F_SETLK, &wl));
	close(rd);

	/* open file description locks conflict between two opens */
	int a = open("f", O_RDWR), b = open("f", O_RDWR);
	struct flock o = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1, .l_pid = 0 };
	CHECK("F_OFD_SETLK a", fcntl(a, F_OFD_SETLK, &o));
	struct flock o2 = o;
	CHECK("F_OFD_SETLK b conflicts", fcntl(b, F_OFD_SETLK, &o2));
	struct flock o3 = o;
	CHECK("F_OFD_GETLK b", fcntl(b, F_OFD_GETLK, &o3));
	SAY("F_OFD_GETLK reports: %s start=%lld len=%lld pid=%d\n", o3.l_type == F_WRLCK ? "F_WRLCK" : "other",
	    (long long)o3.l_start, (long long)o3.l_len, (int)o3.l_pid);

	/* flock */
	CHECK("flock LOCK_EX", flock(a, LOCK_EX));
	CHECK("flock LOCK_EX|LOCK_NB other open", flock(b, LOCK_EX | LOCK_NB));
	CHECK("flock LOCK_SH|LOCK_NB other open", flock(b, LOCK_SH | LOCK_NB));
	CHECK("flock LOCK_UN", flock(a, LOCK_UN));
	CHECK("flock LOCK_SH a", flock(a, LOCK_SH));
	CHECK("flock LOCK_SH|LOCK_NB b", flock(b, LOCK_SH | LOCK_NB));
	CHECK("flock bad op", flock(a, 0));
	CHECK("flock bad op 3", flock(a, LOCK_SH | LOCK_EX));
	CHECK("flock bad fd", flock(99, LOCK_EX));
	CHECK("raw flock", RSYS2(SYS_flock, a, LOCK_UN));
	close(a);
	CHECK("lock released by close", flock(b, LOCK_EX | LOCK_NB));
	close(b);
	close(fd);
	return 0;
}
