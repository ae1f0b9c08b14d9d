// wali-test: dir=TMP
// sigaltstack accepts SS_ONSTACK in ss_flags (ignored, for compatibility).
#include "../common.h"

int main(void)
{
	static char stack[1 << 16];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack, .ss_flags = SS_ONSTACK };
	/* musl's wrapper refuses SS_ONSTACK itself (glibc passes it on): ask the kernel. */
	CHECK("sigaltstack SS_ONSTACK", (int)RSYS2(SYS_sigaltstack, &ss, NULL));
	stack_t old;
	sigaltstack(NULL, &old);
	SAY("flags now: %d\n", old.ss_flags);
	return 0;
}
