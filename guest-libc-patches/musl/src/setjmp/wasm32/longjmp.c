#include <setjmp.h>
#include "libc.h"

void __wasm_longjmp(void *, int);

/* For callers compiled without the sjlj lowering and for address-taken
 * longjmp; lowered code calls __wasm_longjmp directly. */
_Noreturn void (longjmp)(jmp_buf env, int val)
{
	__wasm_longjmp(env, val);
	__builtin_unreachable();
}

weak_alias(longjmp, _longjmp);
