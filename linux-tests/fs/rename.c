// wali-test: dir=TMP
// rename, renameat, renameat2 (NOREPLACE, EXCHANGE) and their errors.
#include "../common.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static void show(const char *p)
{
	char buf[64];
	if (lt_read_file(p, buf, sizeof buf) < 0) SAY("%s: %s\n", p, errname(errno));
	else SAY("%s: '%s'\n", p, buf);
}

int main(void)
{
	lt_write_file("a", "A", 1);
	lt_write_file("b", "B", 1);
	mkdir("d1", 0755);
	mkdir("d2", 0755);
	mkdir("full", 0755);
	lt_write_file("full/x", "x", 1);

	CHECK("rename file", rename("a", "a2"));
	show("a"); show("a2");
	CHECK("rename over file", rename("a2", "b"));
	show("b");
	CHECK("rename missing", rename("a2", "c"));
	CHECK("rename to missing dir", rename("b", "nodir/b"));
	CHECK("rename same", rename("b", "b"));
	CHECK("rename file over dir", rename("b", "d1"));
	CHECK("rename dir over file", rename("d1", "b"));
	CHECK("rename dir over empty dir", rename("d1", "d2"));
	CHECK("d1 gone", access("d1", F_OK));
	CHECK("rename dir over non-empty", rename("d2", "full"));
	CHECK("rename dir into itself", rename("full", "full/sub"));
	CHECK("rename bad ptr", rename(BADPTR, "z"));
	CHECK("rename empty", rename("", "z"));
	CHECK("rename . ", rename(".", "z"));
	CHECK("raw rename", RSYS2(SYS_rename, "b", "b1"));
	show("b1");

	int d = open("full", O_RDONLY | O_DIRECTORY);
	CHECK("renameat", renameat(d, "x", AT_FDCWD, "x2"));
	show("x2");
	CHECK("renameat bad dirfd", renameat(99, "x", AT_FDCWD, "x3"));
	CHECK("raw renameat", RSYS4(SYS_renameat, AT_FDCWD, "x2", d, "x"));
	show("full/x");

	lt_write_file("p", "P", 1);
	lt_write_file("q", "Q", 1);
	CHECK("renameat2 noreplace existing", RSYS5(SYS_renameat2, AT_FDCWD, "p", AT_FDCWD, "q", RENAME_NOREPLACE));
	CHECK("renameat2 noreplace new", RSYS5(SYS_renameat2, AT_FDCWD, "p", AT_FDCWD, "p2", RENAME_NOREPLACE));
	show("p2");
	CHECK("renameat2 exchange", RSYS5(SYS_renameat2, AT_FDCWD, "p2", AT_FDCWD, "q", RENAME_EXCHANGE));
	show("p2"); show("q");
	CHECK("renameat2 exchange missing", RSYS5(SYS_renameat2, AT_FDCWD, "p2", AT_FDCWD, "nope", RENAME_EXCHANGE));
	CHECK("renameat2 both flags", RSYS5(SYS_renameat2, AT_FDCWD, "p2", AT_FDCWD, "q", RENAME_EXCHANGE | RENAME_NOREPLACE));
	CHECK("renameat2 bad flag", RSYS5(SYS_renameat2, AT_FDCWD, "p2", AT_FDCWD, "q", 0x100));
	CHECK("renameat2 flags 0", RSYS5(SYS_renameat2, AT_FDCWD, "q", d, "q", 0));
	show("full/q");

	/* an open fd follows the renamed file */
	int fd = open("b1", O_RDONLY);
	rename("b1", "b2");
	char c = 0;
	CHECK("read renamed open file", read(fd, &c, 1));
	SAY("byte: %c\n", c);
	close(fd);
	close(d);
	return 0;
}
