// wali-test: dir=TMP
// statx rejects unknown flags with EINVAL.
#include "../common.h"

int main(void)
{
	struct statx sx;
	lt_write_file("f", "x", 1);
	CHECK("statx flags 0x40000000", statx(AT_FDCWD, "f", 0x40000000, STATX_BASIC_STATS, &sx));
	CHECK("statx sync type both", statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx));
	CHECK("statx AT_STATX_SYNC_AS_STAT", statx(AT_FDCWD, "f", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &sx));
	return 0;
}
