// wali-test: dir=TMP
// A read-only shared page, or a page of a shared mapping wholly past the end
// of its file, handed to read()/write() as the buffer: EFAULT, as on Linux
// (the host passes the buffer to its own kernel, which checks the page).
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "0123456789", 10);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, LT_OFF(0));
	FACT("mapped", ro != MAP_FAILED);
	lseek(fd, 0, SEEK_SET);
	CHECK("read() into a read-only shared page", read(fd, ro, 5));
	SAY("page unchanged: %.5s\n", ro);
	char *big = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	int p[2];
	pipe(p);
	CHECK("write() from a page past EOF", write(p[1], big + 4096, 10));
	CHECK("write() from the file's page", write(p[1], big, 10));
	lseek(fd, 0, SEEK_SET);
	CHECK("read() into a page past EOF", read(fd, big + 8192, 5));
	return 0;
}
