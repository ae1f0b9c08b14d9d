// wali-test: dir=TMP
// mmap (anonymous, private and shared file mappings, MAP_FIXED), munmap,
// mprotect, msync, madvise, mremap, brk. Addresses differ between the two
// sides and are never printed; mprotect'ed pages are never touched against
// their protection (the table note: Wasm memory has no page protection).
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	/* musl for wasm32 says 64 KiB (the Wasm page), Linux x86_64 4 KiB */
	FACT("page size is a multiple of 4096", pg > 0 && pg % 4096 == 0);

	char *a = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, LT_OFF(0));
	FACT("anon mmap", a != MAP_FAILED);
	FACT("4 KiB aligned", ((uintptr_t)a % 4096) == 0); /* sysconf alignment: mem/page_align */
	FACT("zero filled", a[0] == 0 && a[3 * pg - 1] == 0);
	memset(a, 'A', 3 * pg);
	CHECK("mprotect read-only", mprotect(a, pg, PROT_READ));
	CHECK("mprotect back", mprotect(a, pg, PROT_READ | PROT_WRITE));
	/* unaligned mprotect: mem/mmap_errors */
	CHECK("mprotect bad prot", mprotect(a, pg, 0x1000));
	CHECK("raw mprotect", RSYS3(SYS_mprotect, a, pg, PROT_READ | PROT_WRITE));
	CHECK("madvise dontneed", madvise(a + pg, pg, MADV_DONTNEED));
	SAY("after MADV_DONTNEED: %d %d %d\n", a[0], a[pg], a[2 * pg]);
	CHECK("madvise normal", madvise(a, pg, MADV_NORMAL));
	CHECK("madvise willneed", madvise(a, pg, MADV_WILLNEED));
	CHECK("madvise unaligned", madvise(a + 1, pg, MADV_NORMAL));
	/* unknown advice is not asked: the table note says wali accepts and
	 * ignores advice other than MADV_DONTNEED (Linux: EINVAL) */
	CHECK("raw madvise", RSYS3(SYS_madvise, a, pg, MADV_SEQUENTIAL));
	CHECK("munmap middle page", munmap(a + pg, pg));
	CHECK("munmap unaligned", munmap(a + 1, pg));
	CHECK("munmap zero length", munmap(a, 0));
	CHECK("munmap rest", munmap(a, 3 * pg));
	CHECK("munmap again", munmap(a, 3 * pg));

	CHECK("mmap zero length", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	CHECK("mmap no private/shared", mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	CHECK("mmap bad fd", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED ? -1 : 0);
	CHECK("mmap unaligned offset", mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) == MAP_FAILED ? -1 : 0);
	void *r = (void *)RSYS6(SYS_mmap, NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, LT_OFF(0));
	FACT("raw mmap", r != MAP_FAILED && r != NULL);
	CHECK("raw munmap", RSYS2(SYS_munmap, r, pg));

	/* private file mapping: writes stay private */
	char data[8192];
	for (int i = 0; i < 8192; i++) data[i] = 'a' + i % 26;
	lt_write_file("f", data, sizeof data);
	int fd = open("f", O_RDWR);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	FACT("private file mmap", p != MAP_FAILED);
	SAY("mapped bytes: %.5s %.5s\n", p, p + 4096);
	p[0] = 'Z';
	char c;
	pread(fd, &c, 1, 0);
	SAY("file after private write: %c\n", c);
	munmap(p, 8192);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	SAY("offset mapping: %.3s\n", p);
	munmap(p, 4096);
	/* a mapping past EOF: the tail of the last page reads as zero */
	lt_write_file("small", "tiny", 4);
	int sfd = open("small", O_RDONLY);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, sfd, 0);
	SAY("small file map: %.4s then %d\n", p, p[100]);
	munmap(p, pg);
	/* mapping a write-only fd: mem/mmap_errors */
	close(sfd);

	/* shared file mapping + msync writes back */
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	FACT("shared file mmap", p != MAP_FAILED);
	memcpy(p + 10, "SHARED", 6);
	CHECK("msync", msync(p, 8192, MS_SYNC));
	char back[8] = { 0 };
	pread(fd, back, 6, 10);
	SAY("file after msync: %s\n", back);
	CHECK("msync unaligned", msync(p + 1, 100, MS_SYNC));
	CHECK("msync bad flags", msync(p, 4096, MS_SYNC | MS_ASYNC));
	CHECK("msync async", msync(p, 4096, MS_ASYNC));
	CHECK("raw msync", RSYS3(SYS_msync, p, 4096, MS_SYNC));
	memcpy(p + 4100, "UNMAP", 5);
	munmap(p, 8192);
	pread(fd, back, 5, 4100);
	back[5] = 0;
	SAY("file after munmap: %s\n", back);

	/* MAP_FIXED over a range mapped before */
	a = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, LT_OFF(0));
	memset(a, 'x', 4 * pg);
	char *f = mmap(a + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	FACT("MAP_FIXED at requested address", f == a + pg);
	SAY("MAP_FIXED page is fresh: %d, neighbours kept: %c %c\n", f[0], a[0], a[2 * pg]);
	f = mmap(a + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	FACT("MAP_FIXED file at requested address", f == a + 2 * pg);
	SAY("fixed file page: %.3s\n", f);
	CHECK("MAP_FIXED unaligned", mmap(a + 1, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ? -1 : 0);

	/* mremap */
	memset(a, 'm', pg);
	char *g = mremap(a, pg, 2 * pg, 0);
	if (g == MAP_FAILED) SAY("mremap grow in place over mapped pages: %s\n", errname(errno));
	else SAY("mremap grow in place over mapped pages: ok\n");
	munmap(a, 4 * pg);
	a = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, LT_OFF(0));
	memset(a, 'q', 2 * pg);
	g = mremap(a, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	FACT("mremap maymove", g != MAP_FAILED);
	SAY("content kept: %c %c, new tail zero: %d\n", g[0], g[2 * pg - 1], g[63 * pg]);
	g = mremap(g, 64 * pg, pg, 0);
	FACT("mremap shrink in place", g != MAP_FAILED);
	SAY("after shrink: %c\n", g[0]);
	CHECK("mremap bad flags", mremap(g, pg, 2 * pg, 0x80) == MAP_FAILED ? -1 : 0);
	CHECK("mremap zero new size", mremap(g, pg, 0, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
	CHECK("mremap unaligned", mremap(g + 1, pg, 2 * pg, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
	CHECK("raw mremap", RSYS5(SYS_mremap, g, pg, 2 * pg, MREMAP_MAYMOVE, 0) > 0 ? 0 : -1);

	/* brk: the table note says the break never moves on wali; print only
	 * what both agree on: brk(0) reports a break, brk(same) keeps it. */
	long cur = RSYS1(SYS_brk, 0);
	FACT("brk(0) > 0", cur > 0);
	FACT("brk(current) returns it", RSYS1(SYS_brk, cur) == cur);

	/* malloc works through all this, small and large */
	char *m1 = malloc(100), *m2 = malloc(10 << 20);
	FACT("malloc", m1 && m2);
	memset(m2, 1, 10 << 20);
	free(m1);
	free(m2);
	close(fd);
	return 0;
}
