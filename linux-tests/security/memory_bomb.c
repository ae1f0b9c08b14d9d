// wali-test: dir=TMP policy=memory.toml
// A memory bomb is bounded: limits.memory = 64M under wali (linear memory
// capped), RLIMIT_AS 64M set by the test natively (over a larger base, see
// below). mmap of 1 MiB chunks stops with ENOMEM below the limit, malloc
// returns NULL, and memory freed is usable again.
#include "sandbox.h"
#include <sys/mman.h>
#include <sys/resource.h>

int main(void)
{
	long limit = 64L << 20;
#ifndef __wasm__
	/* natively the address space also holds the program, libc and stacks */
	struct rlimit r = { limit + (32L << 20), limit + (32L << 20) };
	setrlimit(RLIMIT_AS, &r);
#endif
	long total = 0;
	void *first = NULL;
	int e = 0;
	for (;;) {
		void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) { e = errno; break; }
		if (!first) first = p;
		memset(p, 1, 4096);
		total += 1 << 20;
		if (total > (1L << 30)) break;
	}
	SAY("mmap stopped with %s\n", errname(e));
	FACT("bounded (< 96 MiB)", total < (96L << 20));
	FACT("got a good part (> 16 MiB)", total > (16L << 20));
	errno = 0;
	void *volatile big = malloc(8 << 20);
	FACT("malloc 8M fails", big == NULL);
	CHECK("munmap first", munmap(first, 1 << 20));
	void *again = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FACT("mmap after munmap", again != MAP_FAILED);
	return 0;
}
