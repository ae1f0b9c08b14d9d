// wali-test: expect-signal=SIGBUS
// A shared mapping longer than its file: the partial last page reads zeros
// past the end, and touching a page wholly past the end of the file is
// SIGBUS, as on Linux (the page is the host's own file mapping).
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	int fd = open("short", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "12345", 5);
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	FACT("mapped", p != MAP_FAILED);
	SAY("in the file: %.5s, past its end in the page: %d\n", p, p[100]);
	p[200] = 'x'; /* in the page, past EOF: never reaches the file */
	struct stat st;
	fstat(fd, &st);
	SAY("file size still: %lld\n", (long long)st.st_size);
	SAY("touching the next page\n");
	volatile char v = p[4096 + 1];
	SAY("not reached %d\n", v);
	return 0;
}
