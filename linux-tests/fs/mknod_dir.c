// wali-test: dir=TMP
// mknod with S_IFDIR: EPERM on Linux (mkdir is the way).
#include "../common.h"

int main(void)
{
	CHECK("mknod S_IFDIR", mknod("dir", S_IFDIR | 0755, 0));
	CHECK("mknodat S_IFDIR", mknodat(AT_FDCWD, "dir", S_IFDIR | 0755, 0));
	return 0;
}
