// wali-test: dir=TMP
// rmdir of a path whose last component is "." or ".." (Linux: EINVAL and
// ENOTEMPTY; the directory stays).
#include "../common.h"

int main(void)
{
	mkdir("a", 0755);
	mkdir("a/in", 0755);
	CHECK("rmdir a/in/.", rmdir("a/in/."));
	CHECK("a/in still there", access("a/in", F_OK));
	mkdir("a/in", 0755);
	CHECK("rmdir a/in/..", rmdir("a/in/.."));
	CHECK("a still there", access("a", F_OK));
	mkdir("a/in", 0755);
	CHECK("unlinkat AT_REMOVEDIR a/in/.", unlinkat(AT_FDCWD, "a/in/.", AT_REMOVEDIR));
	CHECK("a/in still there", access("a/in", F_OK));
	return 0;
}
