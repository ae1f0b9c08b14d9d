// wali-test: needs=fork timeout=60
// MAP_SHARED|MAP_ANONYMOUS and memfd_create+mmap stay shared with a forked
// child (the parent reads what the child wrote, and the other way round),
// while MAP_PRIVATE memory is the child's own copy; /dev/zero mapped shared
// is anonymous shared memory too; MADV_REMOVE punches a hole. A child's
// munmap leaves the parent's mapping alone.
#include "../common.h"
#include <sys/mman.h>
#include <sys/wait.h>

static void wait_child(const char *what, pid_t c)
{
	int st;
	waitpid(c, &st, 0);
	SAY("%s child exit: %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
	char *sh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, LT_OFF(0));
	char *pr = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, LT_OFF(0));
	FACT("mapped", sh != MAP_FAILED && pr != MAP_FAILED);
	FACT("shared anon starts zeroed", sh[0] == 0 && sh[8191] == 0);
	strcpy(sh, "parent");
	strcpy(pr, "parent");
	pid_t c = fork();
	if (c == 0) {
		SAY("child sees shared: %s\n", sh);
		strcpy(sh + 100, "written by the child");
		strcpy(sh + 4096 + 5, "second page");
		strcpy(pr, "child");
		munmap(sh, 8192);
		_exit(0);
	}
	wait_child("anon", c);
	SAY("parent reads shared: %s / %s\n", sh + 100, sh + 4096 + 5);
	SAY("parent's private copy: %s\n", pr);

	/* memfd_create + mmap + fork */
	int mfd = memfd_create("lt-memfd", 0);
	CHECK("ftruncate memfd", ftruncate(mfd, 65536));
	char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, LT_OFF(0));
	FACT("memfd mapped", m != MAP_FAILED);
	c = fork();
	if (c == 0) {
		strcpy(m + 60000, "memfd from the child");
		_exit(0);
	}
	wait_child("memfd", c);
	SAY("parent reads memfd mapping: %s\n", m + 60000);
	char buf[32] = { 0 };
	pread(mfd, buf, 20, 60000);
	SAY("memfd read(): %s\n", buf);
	/* a second mapping of the same memfd sees the same bytes */
	char *m2 = mmap(NULL, 65536, PROT_READ, MAP_SHARED, mfd, LT_OFF(0));
	SAY("second mapping: %s\n", m2 + 60000);
	m[60000] = 'M';
	SAY("after a write through the first: %c\n", m2[60000]);

	/* MADV_REMOVE frees the memfd's page: mapping and read() see zeros */
	CHECK("madvise MADV_REMOVE", madvise(m + 57344, 8192, MADV_REMOVE));
	pread(mfd, buf, 4, 60000);
	SAY("after MADV_REMOVE: mapping %d, read() %d %d\n", m[60000], buf[0], buf[3]);

	/* /dev/zero shared: anonymous shared memory */
	int z = open("/dev/zero", O_RDWR);
	int *zp = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, z, LT_OFF(0));
	FACT("/dev/zero mapped", zp != MAP_FAILED);
	c = fork();
	if (c == 0) {
		zp[10] = 4242;
		_exit(0);
	}
	wait_child("/dev/zero", c);
	SAY("parent reads /dev/zero mapping: %d\n", zp[10]);

	/* mremap of a shared anonymous mapping keeps its contents */
	char *g = mremap(sh, 8192, 3 * 8192, MREMAP_MAYMOVE);
	FACT("mremap grew", g != MAP_FAILED);
	SAY("after mremap: %s\n", g + 100);
	c = fork();
	if (c == 0) {
		strcpy(g + 200, "after the move");
		_exit(0);
	}
	wait_child("mremap", c);
	SAY("moved mapping still shared: %s\n", g + 200);
	return 0;
}
