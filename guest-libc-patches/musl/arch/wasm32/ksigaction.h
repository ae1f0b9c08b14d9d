#include <features.h>

/* The 144-byte struct sigaction of the WALI ABI: handler (a table index) @0,
 * 128-byte mask @8, flags @136, restorer @140. SA_RESTORER is not defined
 * on wasm32, so restorer stays unused. */
struct k_sigaction {
	void (*handler)(int);
	unsigned __pad;
	unsigned mask[32];
	unsigned long flags;
	void (*restorer)(void);
};

_Static_assert(sizeof(struct k_sigaction) == 144, "WALI struct sigaction is 144 bytes");
_Static_assert(__builtin_offsetof(struct k_sigaction, mask) == 8, "sigaction mask @8");
_Static_assert(__builtin_offsetof(struct k_sigaction, flags) == 136, "sigaction flags @136");
_Static_assert(__builtin_offsetof(struct k_sigaction, restorer) == 140, "sigaction restorer @140");
