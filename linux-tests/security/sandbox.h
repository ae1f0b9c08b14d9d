/* Helpers for the sandbox escape tests.
 *
 * ESCAPE(label, expr, ERRNO): an operation the sandbox refuses (see
 * docs/policy.md). Under wali it runs and must fail with ERRNO; it prints
 * "label: denied as documented". Natively there is no sandbox: the attempt is
 * not made at all (it could touch the host) and the same line is printed, so
 * both runs agree. The allowed neighbour operations around each ESCAPE run
 * on both sides and are compared as usual.
 */
#ifndef LT_SANDBOX_H
#define LT_SANDBOX_H
#include "../common.h"

#ifdef __wasm__
#define ESCAPE(label, expr, want) do { \
	errno = 0; \
	long long lt_r_ = (long long)(expr); \
	int lt_e_ = errno; \
	if (lt_r_ < 0 && lt_e_ == (want)) SAY("%s: denied as documented\n", (label)); \
	else SAY("%s: NOT DENIED: %lld %s (wanted %s)\n", (label), lt_r_, errname(lt_e_), errname(want)); \
} while (0)
#define IN_SANDBOX 1
#else
#define ESCAPE(label, expr, want) SAY("%s: denied as documented\n", (label))
#define IN_SANDBOX 0
#endif

#endif
