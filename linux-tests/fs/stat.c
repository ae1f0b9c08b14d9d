// wali-test: dir=TMP
// stat, lstat, fstat, newfstatat, statx: fields that Linux fixes, errors.
#include "../common.h"
#include <sys/sysmacros.h>

static void show(const char *label, const struct stat *st)
{
	SAY("%s: type=%s perm=%04o nlink=%lld size=%lld blksize>0=%s\n", label,
	    lt_ftype(st->st_mode), (unsigned)(st->st_mode & 07777),
	    (long long)st->st_nlink, (long long)st->st_size,
	    st->st_blksize > 0 ? "yes" : "no");
}

int main(void)
{
	struct stat st, st2;
	umask(022);
	lt_write_file("f.txt", "0123456789", 10);
	chmod("f.txt", 0640);
	mkdir("d", 0750);
	symlink("f.txt", "ln");
	symlink("missing", "dangling");

	CHECK("stat file", stat("f.txt", &st));
	show("stat file", &st);
	FACT("uid is euid", st.st_uid == geteuid());
	FACT("gid is egid", st.st_gid == getegid());
	FACT("mtime recent", st.st_mtime > 1600000000);
	FACT("blocks > 0", st.st_blocks > 0);
	CHECK("stat dir", stat("d", &st));
	show("stat dir", &st);
	CHECK("stat symlink follows", stat("ln", &st2));
	show("stat symlink", &st2);
	CHECK("stat file again", stat("f.txt", &st));
	FACT("symlink target ino matches", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	CHECK("lstat symlink", lstat("ln", &st2));
	SAY("lstat symlink: type=%s size=%lld\n", lt_ftype(st2.st_mode), (long long)st2.st_size);
	FACT("lstat ino differs", st.st_ino != st2.st_ino);
	CHECK("stat dangling", stat("dangling", &st2));
	CHECK("lstat dangling", lstat("dangling", &st2));
	CHECK("stat missing", stat("missing", &st2));
	CHECK("lstat missing", lstat("missing", &st2));
	CHECK("stat file/x", stat("f.txt/x", &st2));
	CHECK("stat empty", stat("", &st2));
	CHECK("stat bad path ptr", stat(BADPTR, &st2));
	CHECK("raw stat bad buf", RSYS2(SYS_stat, "f.txt", BADPTR));
	CHECK("raw lstat bad buf", RSYS2(SYS_lstat, "f.txt", BADPTR));
	CHECK("raw fstat bad buf", RSYS2(SYS_fstat, 0, BADPTR));
	CHECK("raw stat", RSYS2(SYS_stat, "f.txt", &st2));
	CHECK("raw lstat", RSYS2(SYS_lstat, "ln", &st2));
	SAY("raw lstat type: %s\n", lt_ftype(st2.st_mode));

	int fd = open("f.txt", O_RDONLY);
	CHECK("fstat", fstat(fd, &st2));
	show("fstat", &st2);
	FACT("fstat ino matches stat", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	CHECK("raw fstat", RSYS2(SYS_fstat, fd, &st2));
	CHECK("fstat bad fd", fstat(77, &st2));
	CHECK("fstat -1", fstat(-1, &st2));

	/* fstatat / newfstatat */
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK("fstatat", fstatat(dfd, "f.txt", &st2, 0));
	FACT("fstatat ino matches", st.st_ino == st2.st_ino);
	CHECK("fstatat nofollow", fstatat(dfd, "ln", &st2, AT_SYMLINK_NOFOLLOW));
	SAY("fstatat nofollow type: %s\n", lt_ftype(st2.st_mode));
	CHECK("fstatat empty path AT_EMPTY_PATH", fstatat(fd, "", &st2, AT_EMPTY_PATH));
	FACT("AT_EMPTY_PATH ino matches", st.st_ino == st2.st_ino);
	CHECK("fstatat bad flags", fstatat(dfd, "f.txt", &st2, 0x40000000));
	CHECK("fstatat bad dirfd", fstatat(99, "f.txt", &st2, 0));
	CHECK("fstatat file dirfd", fstatat(fd, "x", &st2, 0));
	CHECK("raw newfstatat", RSYS4(SYS_newfstatat, dfd, "d", &st2, 0));
	SAY("raw newfstatat type: %s\n", lt_ftype(st2.st_mode));
	CHECK("raw newfstatat nofollow", RSYS4(SYS_newfstatat, AT_FDCWD, "dangling", &st2, AT_SYMLINK_NOFOLLOW));
	CHECK("raw newfstatat missing", RSYS4(SYS_newfstatat, AT_FDCWD, "missing", &st2, 0));
	CHECK("raw newfstatat bad buf", RSYS4(SYS_newfstatat, AT_FDCWD, "f.txt", BADPTR, 0));

	/* statx */
	struct statx sx;
	memset(&sx, 0, sizeof sx);
	CHECK("statx", statx(AT_FDCWD, "f.txt", 0, STATX_BASIC_STATS, &sx));
	SAY("statx: size=%llu mode=%s perm=%04o nlink=%u\n", (unsigned long long)sx.stx_size,
	    lt_ftype(sx.stx_mode), (unsigned)(sx.stx_mode & 07777), (unsigned)sx.stx_nlink);
	FACT("statx mask has basic stats", (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	FACT("statx ino matches", sx.stx_ino == (unsigned long long)st.st_ino);
	FACT("statx dev matches", makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev);
	FACT("statx mtime matches", sx.stx_mtime.tv_sec == st.st_mtime);
	CHECK("statx nofollow", statx(AT_FDCWD, "ln", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx));
	SAY("statx nofollow type: %s\n", lt_ftype(sx.stx_mode));
	CHECK("statx empty path", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	SAY("statx fd size: %llu\n", (unsigned long long)sx.stx_size);
	CHECK("statx missing", statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx));
	CHECK("statx reserved mask bit", statx(AT_FDCWD, "f.txt", 0, 0x80000000u, &sx));
	CHECK("raw statx bad buf", RSYS5(SYS_statx, AT_FDCWD, "f.txt", 0, STATX_BASIC_STATS, BADPTR));

	/* sizes track writes; a hole counts in st_size */
	lseek(fd, 0, SEEK_SET);
	close(fd);
	fd = open("f.txt", O_WRONLY);
	pwrite(fd, "x", 1, 99999);
	fstat(fd, &st2);
	SAY("size after write at 99999: %lld\n", (long long)st2.st_size);
	close(fd);
	close(dfd);

	/* /dev/null is a character device */
	CHECK("stat /dev/null", stat("/dev/null", &st2));
	SAY("/dev/null type: %s\n", lt_ftype(st2.st_mode));
	return 0;
}
