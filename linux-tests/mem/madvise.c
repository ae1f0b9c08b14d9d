// wali-test: dir=TMP
// madvise: the advice is checked first (EINVAL for a value Linux does not
// know, before the range), then the range; common advice on an anonymous
// private mapping succeeds.
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	long pg = 4096;
	char *a = mmap(0, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FACT("mapped", a != MAP_FAILED);
	int known[] = {MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
		       MADV_FREE, MADV_DONTFORK, MADV_DOFORK, MADV_DONTDUMP, MADV_DODUMP,
		       MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT};
	for (unsigned i = 0; i < sizeof known / sizeof *known; i++) {
		char label[32];
		snprintf(label, sizeof label, "advice %d", known[i]);
		CHECK(label, madvise(a, pg, known[i]));
	}
	int unknown[] = {5, 6, 7, 26, 27, 64, 99, 104, 1000, -1};
	for (unsigned i = 0; i < sizeof unknown / sizeof *unknown; i++) {
		char label[32];
		snprintf(label, sizeof label, "unknown advice %d", unknown[i]);
		CHECK(label, madvise(a, pg, unknown[i]));
	}
	// the advice is checked before the alignment and the range
	CHECK("unknown advice, unaligned", madvise(a + 1, pg, 7));
	CHECK("unknown advice, zero length", madvise(a, 0, 7));
	CHECK("raw unknown advice", RSYS3(SYS_madvise, a, pg, 77));
	CHECK("known advice, zero length", madvise(a, 0, MADV_NORMAL));
	return 0;
}
