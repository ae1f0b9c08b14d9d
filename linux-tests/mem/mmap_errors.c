// wali-test: dir=TMP
// mprotect needs a page-aligned address (EINVAL); mmap of a write-only fd
// is EACCES (it needs read access), not EBADF.
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *a = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* musl's mprotect rounds the address down (glibc does not): ask the kernel. */
	CHECK("mprotect unaligned", (int)RSYS3(SYS_mprotect, a + 1, pg, PROT_READ));
	CHECK("mprotect aligned", mprotect(a, pg, PROT_READ | PROT_WRITE));
	lt_write_file("small", "tiny", 4);
	int fd = open("small", O_WRONLY);
	CHECK("mmap write-only fd", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
	return 0;
}
