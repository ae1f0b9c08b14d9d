// wali-test: dir=TMP
// mkdir, mkdirat, rmdir, chdir, fchdir, getcwd, getdents64 (readdir).
#include "../common.h"
#include <dirent.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path)
{
	DIR *d = opendir(path);
	if (!d) { SAY("opendir %s: %s\n", path, errname(errno)); return; }
	char *names[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64) {
		char *s = malloc(300);
		const char *t = e->d_type == DT_DIR ? "dir" : e->d_type == DT_REG ? "reg" :
			e->d_type == DT_LNK ? "lnk" : e->d_type == DT_UNKNOWN ? "unknown" : "other";
		snprintf(s, 300, "%s(%s)", e->d_name, t);
		names[n++] = s;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	SAY("list %s:", path);
	for (int i = 0; i < n; i++) { SAY(" %s", names[i]); free(names[i]); }
	SAY("\n");
}

int main(void)
{
	char start[PATH_MAX], buf[PATH_MAX + 64];
	umask(022);
	if (!getcwd(start, sizeof start)) { SAY("getcwd failed\n"); return 1; }
	FACT("getcwd absolute", start[0] == '/');

	CHECK("mkdir", mkdir("a", 0755));
	CHECK("mkdir exists", mkdir("a", 0755));
	CHECK("mkdir missing parent", mkdir("x/y", 0755));
	CHECK("mkdir under file", (lt_write_file("f", "", 0), mkdir("f/y", 0755)));
	CHECK("mkdir trailing slash", mkdir("b/", 0700));
	CHECK("mkdir bad ptr", mkdir(BADPTR, 0755));
	CHECK("mkdir empty", mkdir("", 0755));
	struct stat st;
	stat("b", &st);
	SAY("mkdir mode (umask 022, 0700): %04o\n", (unsigned)(st.st_mode & 07777));
	umask(0);
	mkdir("c", 0777);
	stat("c", &st);
	SAY("mkdir mode (umask 0, 0777): %04o\n", (unsigned)(st.st_mode & 07777));
	umask(022);
	int dfd = open("a", O_RDONLY | O_DIRECTORY);
	CHECK("mkdirat", mkdirat(dfd, "in", 0755));
	CHECK("mkdirat exists", mkdirat(dfd, "in", 0755));
	CHECK("mkdirat AT_FDCWD", mkdirat(AT_FDCWD, "a/in2", 0755));
	CHECK("mkdirat bad dirfd", mkdirat(55, "zz", 0755));
	lt_write_file("a/file1", "1", 1);
	symlink("file1", "a/link1");
	list("a");
	stat("a", &st);
	SAY("nlink of a (2 subdirs): %lld\n", (long long)st.st_nlink);

	/* raw getdents64 */
	int fd = open("a", O_RDONLY | O_DIRECTORY);
	char dbuf[4096];
	long n = RSYS3(SYS_getdents64, fd, dbuf, sizeof dbuf);
	int count = 0;
	for (long off = 0; off < n;) {
		unsigned short reclen;
		memcpy(&reclen, dbuf + off + 16, 2);
		count++;
		off += reclen;
	}
	SAY("getdents64 entries: %d\n", count);
	CHECK("getdents64 at end", RSYS3(SYS_getdents64, fd, dbuf, sizeof dbuf));
	lseek(fd, 0, SEEK_SET);
	CHECK("getdents64 tiny buffer", RSYS3(SYS_getdents64, fd, dbuf, 8));
	CHECK("getdents64 bad buffer", RSYS3(SYS_getdents64, fd, BADPTR, 4096));
	CHECK("getdents64 bad fd", RSYS3(SYS_getdents64, 99, dbuf, sizeof dbuf));
	int ffd = open("f", O_RDONLY);
	CHECK("getdents64 on file", RSYS3(SYS_getdents64, ffd, dbuf, sizeof dbuf));
	close(ffd);
	close(fd);
	list("a/in");
	list("missing");

	/* rmdir */
	CHECK("rmdir non-empty", rmdir("a"));
	CHECK("rmdir missing", rmdir("zzz"));
	CHECK("rmdir file", rmdir("f"));
	CHECK("rmdir empty", rmdir("a/in2"));
	CHECK("rmdir again", rmdir("a/in2"));
	CHECK("rmdir bad ptr", rmdir(BADPTR));

	/* chdir / fchdir / getcwd */
	CHECK("chdir a", chdir("a"));
	getcwd(buf, sizeof buf);
	FACT("getcwd is start/a", strlen(buf) == strlen(start) + 2 && !strncmp(buf, start, strlen(start)) && !strcmp(buf + strlen(start), "/a"));
	int rfd = open("file1", O_RDONLY);
	FACT("open relative after chdir", rfd >= 0);
	close(rfd);
	CHECK("chdir ..", chdir(".."));
	getcwd(buf, sizeof buf);
	FACT("back at start", !strcmp(buf, start));
	CHECK("chdir missing", chdir("nope"));
	CHECK("chdir file", chdir("f"));
	CHECK("chdir bad ptr", chdir(BADPTR));
	CHECK("fchdir", fchdir(dfd));
	getcwd(buf, sizeof buf);
	FACT("fchdir moved to a", !strcmp(buf + strlen(start), "/a"));
	CHECK("chdir start", chdir(start));
	ffd = open("f", O_RDONLY);
	CHECK("fchdir file", fchdir(ffd));
	CHECK("fchdir bad fd", fchdir(99));
	close(ffd);
	close(dfd);
	CHECK("chdir symlink to dir", (symlink("a", "al"), chdir("al")));
	getcwd(buf, sizeof buf);
	FACT("getcwd resolves symlink", !strcmp(buf + strlen(start), "/a"));
	chdir(start);

	/* getcwd sizes: the raw syscall returns the length including NUL */
	size_t need = strlen(start) + 1;
	CHECK("getcwd exact size", getcwd(buf, need) ? 0 : -1);
	CHECK("getcwd one short", getcwd(buf, need - 1) ? 0 : -1);
	CHECK("getcwd size 0", RSYS2(SYS_getcwd, buf, 0));
	long r = RSYS2(SYS_getcwd, buf, sizeof buf);
	FACT("raw getcwd returns length+1", r == (long)need);
	CHECK("raw getcwd bad buf", RSYS2(SYS_getcwd, BADPTR, 4096));

	return 0;
}
