// wali-test: dir=TMP
// mmap returns addresses aligned to the page size that sysconf reports,
// and munmap/mprotect accept any such page.
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	int aligned = 1;
	void *m[8];
	for (int i = 0; i < 8; i++) {
		m[i] = mmap(NULL, (i + 1) * 1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m[i] == MAP_FAILED || (uintptr_t)m[i] % pg) aligned = 0;
	}
	FACT("every mmap aligned to sysconf(_SC_PAGESIZE)", aligned);
	FACT("getpagesize matches sysconf", getpagesize() == pg);
	for (int i = 0; i < 8; i++) CHECK("munmap", munmap(m[i], (i + 1) * 1000));
	return 0;
}
