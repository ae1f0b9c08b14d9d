#include <features.h>

/* The kernel struct k_sigaction of the WALI ABI (24 bytes), as WALI's own
 * musl passes it and its engine reads it: handler (a table index) @0, flags
 * as a u64 @4 (unaligned; musl's flags are an unsigned long, so the high
 * half stays zero), restorer @12, the kernel's 64-signal mask @16.
 * SA_RESTORER is not defined on wasm32, so restorer stays unused. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	unsigned __flags_hi;
	void (*restorer)(void);
	unsigned mask[2];
};

_Static_assert(sizeof(struct k_sigaction) == 24, "WALI k_sigaction is 24 bytes");
_Static_assert(__builtin_offsetof(struct k_sigaction, flags) == 4, "k_sigaction flags @4");
_Static_assert(__builtin_offsetof(struct k_sigaction, restorer) == 12, "k_sigaction restorer @12");
_Static_assert(__builtin_offsetof(struct k_sigaction, mask) == 16, "k_sigaction mask @16");
