// wali-test: dir=TMP
// link, linkat, symlink, symlinkat, readlink, readlinkat, unlink, unlinkat.
#include "../common.h"

int main(void)
{
	char buf[256];
	struct stat st;
	lt_write_file("f", "data", 4);
	mkdir("d", 0755);

	CHECK("link", link("f", "hard"));
	stat("f", &st);
	SAY("nlink after link: %lld\n", (long long)st.st_nlink);
	CHECK("link exists", link("f", "hard"));
	CHECK("link missing", link("nope", "x"));
	CHECK("link dir", link("d", "dlink"));
	CHECK("link into missing dir", link("f", "nodir/x"));
	CHECK("link bad ptr", link(BADPTR, "x"));
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	CHECK("linkat", linkat(AT_FDCWD, "f", dfd, "hard2", 0));
	stat("f", &st);
	SAY("nlink after linkat: %lld\n", (long long)st.st_nlink);
	CHECK("linkat bad flags", linkat(AT_FDCWD, "f", dfd, "hard3", 0x1));
	CHECK("linkat bad dirfd", linkat(77, "f", dfd, "hard3", 0));

	CHECK("symlink", symlink("f", "sym"));
	CHECK("symlink exists", symlink("f", "sym"));
	CHECK("symlink dangling ok", symlink("does/not/exist", "dang"));
	CHECK("symlink empty target", symlink("", "empty"));
	CHECK("symlinkat", symlinkat("../f", dfd, "up"));
	CHECK("symlinkat bad dirfd", symlinkat("f", 66, "x"));
	CHECK("read through symlinkat", lt_read_file("d/up", buf, sizeof buf));
	SAY("content via d/up: %s\n", buf);
	symlink("loop", "loop");
	CHECK("open symlink loop", open("loop", O_RDONLY));
	CHECK("stat symlink loop", stat("loop", &st));
	CHECK("open O_NOFOLLOW symlink", open("sym", O_RDONLY | O_NOFOLLOW));

	memset(buf, 0, sizeof buf);
	CHECK("readlink", readlink("sym", buf, sizeof buf));
	SAY("readlink value: %s\n", buf);
	memset(buf, 0, sizeof buf);
	CHECK("readlink truncated", readlink("dang", buf, 4));
	SAY("truncated value: %s\n", buf);
	/* raw: musl's readlink() turns size 0 into a 1-byte read, glibc passes it */
	CHECK("raw readlink size 0", RSYS3(SYS_readlink, "sym", buf, 0));
	CHECK("readlink not a link", readlink("f", buf, sizeof buf));
	CHECK("readlink missing", readlink("nope", buf, sizeof buf));
	CHECK("readlink bad buf", readlink("sym", BADPTR, 64));
	memset(buf, 0, sizeof buf);
	CHECK("readlinkat", readlinkat(dfd, "up", buf, sizeof buf));
	SAY("readlinkat value: %s\n", buf);
	CHECK("readlinkat empty path on dirfd", readlinkat(dfd, "", buf, sizeof buf));
	CHECK("raw readlink", RSYS3(SYS_readlink, "sym", buf, sizeof buf));
	CHECK("raw readlinkat", RSYS4(SYS_readlinkat, AT_FDCWD, "sym", buf, sizeof buf));
	CHECK("raw symlink", RSYS2(SYS_symlink, "f", "sym2"));
	CHECK("raw link", RSYS2(SYS_link, "f", "hard4"));
	CHECK("raw linkat", RSYS5(SYS_linkat, AT_FDCWD, "f", AT_FDCWD, "hard5", 0));
	CHECK("raw symlinkat", RSYS3(SYS_symlinkat, "f", AT_FDCWD, "sym3"));
	CHECK("linkat AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "sym", AT_FDCWD, "hard6", AT_SYMLINK_FOLLOW));
	lstat("hard6", &st);
	SAY("hard6 type: %s\n", lt_ftype(st.st_mode));
	CHECK("linkat symlink itself", linkat(AT_FDCWD, "sym", AT_FDCWD, "symhard", 0));
	lstat("symhard", &st);
	SAY("symhard type: %s\n", lt_ftype(st.st_mode));

	CHECK("unlink", unlink("hard"));
	CHECK("unlink again", unlink("hard"));
	CHECK("unlink dir", unlink("d"));
	CHECK("unlink symlink", unlink("sym"));
	CHECK("target survives", stat("f", &st));
	SAY("nlink now: %lld\n", (long long)st.st_nlink);
	CHECK("unlink bad ptr", unlink(BADPTR));
	CHECK("unlink empty", unlink(""));
	CHECK("unlinkat", unlinkat(dfd, "hard2", 0));
	CHECK("unlinkat dir without flag", (mkdir("d/sub", 0755), unlinkat(dfd, "sub", 0)));
	CHECK("unlinkat AT_REMOVEDIR", unlinkat(dfd, "sub", AT_REMOVEDIR));
	CHECK("unlinkat AT_REMOVEDIR on file", unlinkat(AT_FDCWD, "f", AT_REMOVEDIR));
	CHECK("unlinkat bad flag", unlinkat(AT_FDCWD, "f", 0x1));
	CHECK("unlinkat non-empty", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
	CHECK("raw unlink", RSYS1(SYS_unlink, "hard4"));
	CHECK("raw unlinkat", RSYS3(SYS_unlinkat, AT_FDCWD, "hard5", 0));

	/* an open file survives its unlink */
	int fd = open("f", O_RDONLY);
	unlink("f");
	memset(buf, 0, sizeof buf);
	CHECK("read after unlink", read(fd, buf, sizeof buf));
	SAY("data: %s\n", buf);
	fstat(fd, &st);
	SAY("nlink of unlinked open file: %lld\n", (long long)st.st_nlink);
	close(fd);
	close(dfd);
	return 0;
}
