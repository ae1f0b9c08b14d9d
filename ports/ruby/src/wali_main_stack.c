/* Linked into ruby.wasm with -Wl,--wrap=pthread_getattr_np (a link-time
 * choice, Ruby's sources are not patched).
 *
 * Ruby takes the main thread's machine-stack bounds from
 * pthread_getattr_np(): they bound the conservative GC's stack scan and the
 * stack-overflow check. musl's pthread_getattr_np() finds the main thread's
 * stack by probing with mremap() below libc.auxv, which on wasm32 is not
 * where the stack is: the stack is LLVM's shadow stack in linear memory
 * (__stack_pointer), placed first by wali-cc (--stack-first), i.e. between
 * the linker-defined __stack_low and __stack_high. Under WALI the probe
 * answers [0x810000 - 68 KiB, 0x810000], a range that does not contain the
 * stack at all (locals of main() live near 0x7ff000).
 *
 * For the main thread we answer the shadow stack's real bounds; other
 * threads' stacks were allocated by pthread_create and musl reports them
 * correctly. */
#define _GNU_SOURCE
#include <pthread.h>

extern char __stack_low, __stack_high;
int __real_pthread_getattr_np(pthread_t, pthread_attr_t *);

static pthread_t main_thread;

__attribute__((constructor)) static void wali_record_main_thread(void)
{
	main_thread = pthread_self();
}

int __wrap_pthread_getattr_np(pthread_t t, pthread_attr_t *a)
{
	int r = __real_pthread_getattr_np(t, a);
	if (r == 0 && main_thread && pthread_equal(t, main_thread)) {
		pthread_attr_setstack(a, &__stack_low,
		                      (size_t)(&__stack_high - &__stack_low));
		pthread_attr_setguardsize(a, 0);
	}
	return r;
}
