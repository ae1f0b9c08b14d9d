/* Replaces musl's __syscall_cp.c: on wasm32 cancellable syscalls are
 * inlined imports (see src/internal/syscall.h), bracketed by these two
 * hooks. Without pthread_cancel in the program nothing can request a
 * cancellation, so the defaults do nothing; pthread_cancel.c has the real
 * ones. */
#include "pthread_impl.h"
#include "syscall.h"

static long cp_enter(long nr)
{
	return 0;
}

static long cp_leave(long nr, long r)
{
	return r;
}

weak_alias(cp_enter, __wasm_cp_enter);
weak_alias(cp_leave, __wasm_cp_leave);
