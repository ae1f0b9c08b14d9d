// wali-test: needs=fork timeout=60
// A MAP_SHARED file mapping is the file: msync then another process reads
// the file with read(); write() is seen through the mapping at once; a
// second process's mapping sees the first's stores; a munmap'ed mapping's
// stores stay in the file; MAP_PRIVATE sees the file but keeps its stores;
// mprotect of a shared mapping of a read-only descriptor to PROT_WRITE is
// EACCES; ftruncate shrinking then growing the file reads zeros back.
#include "../common.h"
#include <sys/mman.h>
#include <sys/wait.h>

int main(void)
{
	int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[8192];
	memset(page, '.', sizeof page);
	write(fd, page, sizeof page);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	FACT("mapped", p != MAP_FAILED);

	memcpy(p + 10, "via-map", 7);
	CHECK("msync", msync(p, 8192, MS_SYNC));
	pid_t c = fork();
	if (c == 0) {
		/* a fresh descriptor: read() the file, not the mapping */
		int f2 = open("data", O_RDONLY);
		char b[8] = { 0 };
		pread(f2, b, 7, 10);
		SAY("child read(): %s\n", b);
		_exit(0);
	}
	waitpid(c, 0, 0);

	pwrite(fd, "via-write", 9, 5000);
	SAY("mapping after pwrite: %.9s\n", p + 5000);

	/* another process maps the file and writes; the parent sees it */
	c = fork();
	if (c == 0) {
		int f2 = open("data", O_RDWR);
		char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, f2, LT_OFF(0));
		memcpy(q + 7000, "other-map", 9);
		munmap(q, 8192);
		close(f2);
		_exit(0);
	}
	waitpid(c, 0, 0);
	SAY("parent sees the child's mapping store: %.9s\n", p + 7000);

	/* MAP_PRIVATE: a copy of the file; its stores stay private */
	char *pv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, LT_OFF(0));
	SAY("private mapping reads: %.7s\n", pv + 10);
	memcpy(pv + 10, "PRIVATE", 7);
	SAY("shared mapping after private store: %.7s\n", p + 10);
	munmap(pv, 8192);

	/* stores then munmap without msync: in the file */
	memcpy(p + 100, "unmapped", 8);
	CHECK("munmap", munmap(p, 8192));
	char b[9] = { 0 };
	pread(fd, b, 8, 100);
	SAY("file after munmap: %s\n", b);
#ifdef __wasm__
	/* Table note (munmap): linear memory has no holes, so the unmapped
	 * pages are private zero pages, not the file's (Linux: SIGSEGV). */
	int stale = p[100] != 0;
	p[100] = 'Z';
	pread(fd, b, 1, 100);
	SAY("unmapped pages: %s\n", !stale && b[0] == 'u' ? "not the file's" : "STILL THE FILE");
#else
	SAY("unmapped pages: not the file's\n");
#endif

	/* read-only descriptor: shared PROT_WRITE is EACCES, so is mprotect */
	int ro = open("data", O_RDONLY);
	CHECK("shared writable map of O_RDONLY", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, LT_OFF(0)) == MAP_FAILED ? -1 : 0);
	char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, LT_OFF(0));
	SAY("read-only shared mapping: %.7s\n", r + 10);
	CHECK("mprotect PROT_WRITE on it", mprotect(r, 4096, PROT_READ | PROT_WRITE));
	CHECK("mprotect PROT_READ on it", mprotect(r, 4096, PROT_READ));
	pwrite(fd, "LIVE", 4, 20);
	SAY("read-only mapping follows the file: %.4s\n", r + 20);
	munmap(r, 4096);

	/* truncate to one page and grow back: the second page reads zeros */
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	CHECK("ftruncate 4096", ftruncate(fd, 4096));
	CHECK("ftruncate 8192", ftruncate(fd, 8192));
	SAY("second page after truncate: %d, first kept: %.7s\n", p[5000], p + 10);
	/* mremap grows a shared file mapping (in place or moved) */
	CHECK("ftruncate 16384", ftruncate(fd, 16384));
	char *g = mremap(p, 8192, 16384, MREMAP_MAYMOVE);
	FACT("mremap", g != MAP_FAILED);
	pwrite(fd, "tail", 4, 12288);
	SAY("grown mapping sees the file: %.4s and %.7s\n", g + 12288, g + 10);
	CHECK("munmap grown", munmap(g, 16384));
	return 0;
}
