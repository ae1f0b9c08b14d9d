// wali-test: expect-signal=SIGSEGV
// A store into a PROT_READ shared file mapping is SIGSEGV, as on Linux (the
// page is the host's own read-only mapping); the mapping reads fine first.
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	int fd = open("ro", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "read-only page", 14);
	char *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, LT_OFF(0));
	FACT("mapped", p != MAP_FAILED);
	SAY("reads: %.14s\n", p);
	char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	CHECK("mprotect the writable one read-only", mprotect(w, 4096, PROT_READ));
	CHECK("and back", mprotect(w, 4096, PROT_READ | PROT_WRITE));
	w[0] = 'R';
	SAY("store through the writable one: %.4s\n", p);
	SAY("storing through the read-only one\n");
	*(volatile char *)p = 'x';
	SAY("not reached\n");
	return 0;
}
