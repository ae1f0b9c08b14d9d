#include <string.h>

/* One bulk-memory memory.fill instruction. */
void *memset(void *dest, int c, size_t n)
{
	return __builtin_memset(dest, c, n);
}
