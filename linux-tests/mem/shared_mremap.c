// wali-test: needs=fork timeout=60
// mremap of shared file mappings: grown (in place or moved, whichever the
// kernel does) and moved past a neighbour, the mapping stays the file (old
// bytes kept, new pages the file's, still shared with a forked child);
// shrunk, the tail is no longer the file's. Addresses are never printed.
#include "../common.h"
#include <sys/mman.h>
#include <sys/wait.h>

static void child_writes(char *at, const char *what)
{
	pid_t c = fork();
	if (c == 0) {
		memcpy(at, what, strlen(what));
		_exit(0);
	}
	waitpid(c, 0, 0);
}

int main(void)
{
	int fd = open("grow", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK("ftruncate", ftruncate(fd, 65536));
	pwrite(fd, "page0", 5, 0);
	pwrite(fd, "page3", 5, 3 * 4096);
	pwrite(fd, "page9", 5, 9 * 4096);
	/* a mapping with a neighbour right after it (likely adjacent) */
	char *a = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	char *n = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, LT_OFF(0));
	FACT("mapped", a != MAP_FAILED && n != MAP_FAILED);
	memcpy(a + 100, "before", 6);
	char *g = mremap(a, 4 * 4096, 10 * 4096, MREMAP_MAYMOVE);
	FACT("grown", g != MAP_FAILED);
	SAY("grown mapping: %.5s %.6s %.5s %.5s\n", g, g + 100, g + 3 * 4096, g + 9 * 4096);
	child_writes(g + 9 * 4096 + 10, "from-child");
	char b[11] = { 0 };
	pread(fd, b, 10, 9 * 4096 + 10);
	SAY("child's store through the grown mapping, in the file: %s\n", b);
	SAY("and in the parent's mapping: %.10s\n", g + 9 * 4096 + 10);

	/* without MREMAP_MAYMOVE: grown in place or ENOMEM, never moved */
	char *h = mremap(g, 10 * 4096, 12 * 4096, 0);
	FACT("in place or ENOMEM", h == g || (h == MAP_FAILED && errno == ENOMEM));
	if (h == g)
		munmap(g + 10 * 4096, 2 * 4096);

	/* shrink: the rest is no longer this mapping */
	char *s = mremap(g, 10 * 4096, 2 * 4096, 0);
	FACT("shrunk in place", s == g);
	SAY("shrunk mapping still the file: %.5s\n", s);
	pwrite(fd, "again", 5, 0);
	SAY("and follows it: %.5s\n", s);
	/* grown again in place into the pages the shrink gave back */
	char *r = mremap(s, 2 * 4096, 6 * 4096, 0);
	FACT("in place or ENOMEM again", r == s || (r == MAP_FAILED && errno == ENOMEM));
	FACT("regrown pages are the file's", r == MAP_FAILED || memcmp(r + 3 * 4096, "page3", 5) == 0);
	if (r != MAP_FAILED) {
		child_writes(r + 4 * 4096, "child2");
		pread(fd, b, 6, 4 * 4096);
		FACT("shared with a child after growing in place", memcmp(b, "child2", 6) == 0 && memcmp(r + 4 * 4096, "child2", 6) == 0);
	}
	CHECK("munmap", munmap(s, r == MAP_FAILED ? 2 * 4096 : 6 * 4096));
	munmap(n, 4096);
	return 0;
}
