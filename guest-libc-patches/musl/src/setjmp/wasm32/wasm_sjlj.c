/* The runtime half of LLVM's Wasm setjmp/longjmp lowering
 * (-mllvm -wasm-enable-sjlj): setjmp records a label and the caller's
 * invocation id in the jmp_buf, longjmp throws tag __c_longjmp (tag 1) and
 * the lowered caller compares the id. This file must itself be compiled with
 * -wasm-enable-sjlj so that the tag is defined. Nothing is imported. */
#include <setjmp.h>
#include <stdint.h>

struct jb { void *func_invocation_id; uint32_t label; };

void __wasm_setjmp(void *env, uint32_t label, void *func_invocation_id)
{
	struct jb *jb = env;
	jb->func_invocation_id = func_invocation_id;
	jb->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *func_invocation_id)
{
	struct jb *jb = env;
	return jb->func_invocation_id == func_invocation_id ? jb->label : 0;
}

static _Thread_local struct { void *env; int val; } longjmp_args;

_Noreturn void __wasm_longjmp(void *env, int val)
{
	longjmp_args.env = env;
	longjmp_args.val = val ? val : 1;
	__builtin_wasm_throw(1, &longjmp_args);
}
