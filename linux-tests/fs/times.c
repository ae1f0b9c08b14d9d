// wali-test: dir=TMP
// utime, utimes, futimesat, utimensat (and futimens): explicit times,
// UTIME_NOW, UTIME_OMIT, symlinks, errors.
#include "../common.h"
#include <sys/time.h>
#include <time.h>
#include <utime.h>

static void times_of(const char *label, const char *p, int follow)
{
	struct stat st;
	int r = follow ? stat(p, &st) : lstat(p, &st);
	if (r) { SAY("%s: %s\n", label, errname(errno)); return; }
	SAY("%s: atime=%lld.%09ld mtime=%lld.%09ld\n", label,
	    (long long)st.st_atim.tv_sec, (long)st.st_atim.tv_nsec,
	    (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

int main(void)
{
	lt_write_file("f", "x", 1);
	symlink("f", "l");

	struct utimbuf ub = { .actime = 1000000000, .modtime = 1100000000 };
	CHECK("utime", utime("f", &ub));
	times_of("after utime", "f", 1);
	CHECK("utime missing", utime("nope", &ub));
	CHECK("raw utime", RSYS2(SYS_utime, "f", &ub));
	CHECK("raw utime bad buf", RSYS2(SYS_utime, "f", BADPTR));
	time_t before = time(NULL);
	CHECK("raw utime NULL = now", RSYS2(SYS_utime, "f", NULL));
	struct stat st;
	stat("f", &st);
	FACT("utime NULL sets now", st.st_mtime >= before && st.st_mtime <= before + 5);

	struct timeval tv[2] = { { 1200000000, 250000 }, { 1300000000, 500000 } };
	CHECK("utimes", utimes("f", tv));
	times_of("after utimes", "f", 1);
	struct timeval badtv[2] = { { 1, 2000000 }, { 1, 0 } };
	CHECK("raw utimes bad usec", RSYS2(SYS_utimes, "f", badtv));
	CHECK("raw utimes", RSYS2(SYS_utimes, "f", tv));
	CHECK("raw futimesat", RSYS3(SYS_futimesat, AT_FDCWD, "f", tv));
	times_of("after futimesat", "f", 1);
	CHECK("raw futimesat missing", RSYS3(SYS_futimesat, AT_FDCWD, "nope", tv));

	struct timespec ts[2] = { { 1400000000, 123456789 }, { 1500000000, 987654321 } };
	CHECK("utimensat", utimensat(AT_FDCWD, "f", ts, 0));
	times_of("after utimensat", "f", 1);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 1600000000, 5 } };
	CHECK("utimensat omit atime", utimensat(AT_FDCWD, "f", omit, 0));
	times_of("after omit", "f", 1);
	struct timespec nowts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	before = time(NULL);
	CHECK("utimensat mtime now", utimensat(AT_FDCWD, "f", nowts, 0));
	stat("f", &st);
	FACT("UTIME_NOW sets now", st.st_mtime >= before && st.st_mtime <= before + 5);
	FACT("atime kept", st.st_atim.tv_sec == 1400000000 && st.st_atim.tv_nsec == 123456789);
	struct timespec badns[2] = { { 0, 1000000000 }, { 0, 0 } };
	CHECK("utimensat bad nsec", utimensat(AT_FDCWD, "f", badns, 0));
	CHECK("utimensat bad flags", utimensat(AT_FDCWD, "f", ts, 0x4000));
	CHECK("utimensat missing", utimensat(AT_FDCWD, "nope", ts, 0));
	CHECK("utimensat nofollow symlink", utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
	struct stat lst;
	lstat("l", &lst);
	FACT("symlink itself got the times", lst.st_mtim.tv_sec == 1500000000);
	CHECK("raw utimensat", RSYS4(SYS_utimensat, AT_FDCWD, "f", ts, 0));
	CHECK("raw utimensat bad times ptr", RSYS4(SYS_utimensat, AT_FDCWD, "f", BADPTR, 0));
	int fd = open("f", O_RDONLY);
	struct timespec ts2[2] = { { 1700000000, 0 }, { 1700000001, 0 } };
	CHECK("futimens", futimens(fd, ts2));
	times_of("after futimens", "f", 1);
	CHECK("futimens bad fd", futimens(99, ts2));
	CHECK("raw utimensat fd NULL path", RSYS4(SYS_utimensat, fd, NULL, ts, 0));
	times_of("after utimensat(fd, NULL)", "f", 1);
	close(fd);
	/* old times before 1970 and far future */
	struct timespec far[2] = { { -1, 0 }, { 4102444800LL, 0 } };
	CHECK("utimensat pre-1970/2100", utimensat(AT_FDCWD, "f", far, 0));
	times_of("far times", "f", 1);
	return 0;
}
