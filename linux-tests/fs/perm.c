// wali-test: dir=TMP
// umask, chmod, fchmod, fchmodat, access, faccessat, faccessat2, chown,
// fchown, lchown, fchownat, truncate, ftruncate.
#include "../common.h"

static void mode(const char *p)
{
	struct stat st;
	if (lstat(p, &st)) SAY("mode %s: %s\n", p, errname(errno));
	else SAY("mode %s: %04o\n", p, (unsigned)(st.st_mode & 07777));
}

int main(void)
{
	umask(027); /* the inherited umask is the runner's: not printed */
	SAY("umask returns previous: %03o\n", (unsigned)umask(077));
	CHECK("raw umask", RSYS1(SYS_umask, 022));
	SAY("umask high bits ignored: %03o\n", (unsigned)(umask(0777777) ));
	SAY("umask now: %03o\n", (unsigned)umask(022));
	umask(022);
	close(creat("f", 0666));
	mode("f");
	umask(077);
	close(creat("g", 0666));
	mode("g");
	umask(022);

	CHECK("chmod", chmod("f", 0600));
	mode("f");
	CHECK("chmod setuid/sticky bits", chmod("f", 04755));
	mode("f");
	CHECK("chmod missing", chmod("nope", 0644));
	CHECK("chmod bad ptr", chmod(BADPTR, 0644));
	CHECK("raw chmod", RSYS2(SYS_chmod, "f", 0640));
	mode("f");
	int fd = open("f", O_RDONLY);
	CHECK("fchmod", fchmod(fd, 0444));
	mode("f");
	CHECK("fchmod bad fd", fchmod(99, 0644));
	CHECK("raw fchmod", RSYS2(SYS_fchmod, fd, 0644));
	mode("f");
	CHECK("fchmodat", fchmodat(AT_FDCWD, "g", 0604, 0));
	mode("g");
	CHECK("raw fchmodat", RSYS4(SYS_fchmodat, AT_FDCWD, "g", 0606, 0));
	mode("g");
	CHECK("raw fchmodat missing", RSYS4(SYS_fchmodat, AT_FDCWD, "nope", 0606, 0));
	CHECK("raw fchmodat bad dirfd", RSYS4(SYS_fchmodat, 99, "g", 0606, 0));

	/* access: F_OK and R_OK/W_OK. As root W_OK on a 0444 file succeeds, as
	 * anybody else it fails: print whether the answer fits the euid. */
	CHECK("access F_OK", access("f", F_OK));
	CHECK("access missing", access("nope", F_OK));
	CHECK("access R_OK", access("f", R_OK));
	CHECK("access bad mode", access("f", 0x10));
	CHECK("access bad ptr", access(BADPTR, F_OK));
	chmod("g", 0444);
	int w = access("g", W_OK);
	FACT("access W_OK on 0444 fits euid", geteuid() == 0 ? w == 0 : (w == -1 && errno == EACCES));
	CHECK("access X_OK on 0444", access("g", X_OK));
	CHECK("access dir X_OK", (mkdir("d", 0755), access("d", X_OK)));
	CHECK("raw access", RSYS2(SYS_access, "f", R_OK));
	CHECK("faccessat", faccessat(AT_FDCWD, "f", R_OK, 0));
	CHECK("faccessat AT_EACCESS", faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
	CHECK("raw faccessat", RSYS4(SYS_faccessat, AT_FDCWD, "f", F_OK, 0));
	CHECK("raw faccessat missing", RSYS4(SYS_faccessat, AT_FDCWD, "nope", F_OK, 0));
	CHECK("raw faccessat2", RSYS4(SYS_faccessat2, AT_FDCWD, "f", R_OK, AT_EACCESS));
	CHECK("raw faccessat2 bad flags", RSYS4(SYS_faccessat2, AT_FDCWD, "f", R_OK, 0x4));
	CHECK("raw faccessat2 bad dirfd", RSYS4(SYS_faccessat2, 98, "f", R_OK, 0));

	/* chown to ourselves (and -1 = unchanged) works for everyone. */
	uid_t u = geteuid();
	gid_t g = getegid();
	symlink("f", "l");
	CHECK("chown self", chown("f", u, g));
	CHECK("chown -1 -1", chown("f", -1, -1));
	CHECK("chown missing", chown("nope", u, g));
	CHECK("raw chown", RSYS3(SYS_chown, "f", u, g));
	CHECK("fchown", fchown(fd, u, -1));
	CHECK("fchown bad fd", fchown(99, u, g));
	CHECK("raw fchown", RSYS3(SYS_fchown, fd, -1, g));
	CHECK("lchown", lchown("l", u, g));
	CHECK("raw lchown", RSYS3(SYS_lchown, "l", u, g));
	CHECK("fchownat", fchownat(AT_FDCWD, "l", u, g, AT_SYMLINK_NOFOLLOW));
	CHECK("raw fchownat", RSYS5(SYS_fchownat, AT_FDCWD, "f", u, g, 0));
	CHECK("fchownat bad flags", fchownat(AT_FDCWD, "f", u, g, 0x1));
	close(fd);

	/* truncate / ftruncate */
	chmod("f", 0644);
	lt_write_file("t", "0123456789", 10);
	struct stat st;
	CHECK("truncate shrink", truncate("t", 4));
	stat("t", &st);
	SAY("size: %lld\n", (long long)st.st_size);
	CHECK("truncate grow", truncate("t", 8192));
	stat("t", &st);
	SAY("size: %lld\n", (long long)st.st_size);
	char buf[16];
	fd = open("t", O_RDWR);
	pread(fd, buf, 6, 2);
	SAY("grown bytes: %02x %02x %02x %02x\n", buf[0], buf[1], buf[2], buf[3]);
	CHECK("truncate negative", truncate("t", -1));
	CHECK("truncate missing", truncate("nope", 0));
	CHECK("truncate dir", truncate("d", 0));
	CHECK("raw truncate", RSYS2(SYS_truncate, "t", LT_OFF(100)));
	CHECK("ftruncate", ftruncate(fd, 3));
	fstat(fd, &st);
	SAY("size: %lld\n", (long long)st.st_size);
	CHECK("ftruncate negative", ftruncate(fd, -5));
	CHECK("ftruncate bad fd", ftruncate(99, 0));
	CHECK("raw ftruncate", RSYS2(SYS_ftruncate, fd, LT_OFF(5000000000LL)));
	fstat(fd, &st);
	SAY("size (5e9): %lld\n", (long long)st.st_size);
	close(fd);
	fd = open("t", O_RDONLY);
	CHECK("ftruncate read-only fd", ftruncate(fd, 0));
	close(fd);
	int dfd = open("d", O_RDONLY);
	CHECK("ftruncate dir", ftruncate(dfd, 0));
	close(dfd);
	return 0;
}
