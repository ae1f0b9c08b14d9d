/* syscall(2) for wasm32. musl reads every variadic argument as a
 * syscall_arg_t, which is 64-bit here (64-bit syscall arguments travel
 * whole); but callers pass ints, longs and pointers, 4 bytes each in a
 * wasm32 varargs buffer, so `syscall(SYS_futex, addr, FUTEX_WAKE, 1, ...)`
 * read garbage. Each argument is read with the width a C caller gives it:
 * 64-bit for off_t/loff_t/dev_t parameters (from the syscall table, see
 * gen-syscall-imports.sh), long otherwise. */
#define _BSD_SOURCE
#include <unistd.h>
#include "syscall.h"
#include <stdarg.h>

#undef syscall

static int wide_args(long n)
{
	switch (n) {
	__WALI_SYSCALL_WIDE_CASES
	}
	return 0;
}

long syscall(long n, ...)
{
	va_list ap;
	syscall_arg_t x[6];
	int wide = wide_args(n);
	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		x[i] = wide >> i & 1 ? va_arg(ap, long long) : va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall(n, x[0], x[1], x[2], x[3], x[4], x[5]));
}
