// wali-test: dir=TMP
// setjmp/longjmp the way WALI's toolchain builds them: imports of module
// `wali` (its lua and bash rely on them for error()/pcall and to get back
// to the main loop), which wali makes resumable when it loads the module.
// Natively the same program uses libc's sigsetjmp/siglongjmp. The shapes:
// lua's protected calls (nested, an error 10 frames deep, an error while
// handling one), a setjmp in a loop, longjmp(b, 0), sigsetjmp restoring the
// mask, a signal handler that siglongjmps, and the stack pointer after many
// jumps.
#include "../common.h"
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#ifdef __wasm__
/* Other C names, so that wali-cc does not lower them to its own
   exception-handling setjmp: the calls stay imports, as in WALI binaries. */
typedef struct {
	long long regs[40];
} JMPBUF[1];
__attribute__((import_module("wali"), import_name("sigsetjmp"), returns_twice)) int
host_sigsetjmp(void *env, int savesigs);
__attribute__((import_module("wali"), import_name("setjmp"), returns_twice)) int
host_setjmp(void *env);
__attribute__((import_module("wali"), import_name("longjmp"), noreturn)) void
host_longjmp(void *env, int val);
#define SETJMP(b) host_setjmp(b)
#define SIGSETJMP(b, s) host_sigsetjmp(b, s)
#define LONGJMP(b, v) host_longjmp(b, v)
#else
typedef sigjmp_buf JMPBUF;
#define SETJMP(b) sigsetjmp(b, 0)
#define SIGSETJMP(b, s) sigsetjmp(b, s)
#define LONGJMP(b, v) siglongjmp(b, v)
#endif

/* lua's ldo.c, reduced. */
struct lua_longjmp {
	struct lua_longjmp *previous;
	JMPBUF b;
	volatile int status;
};
static struct lua_longjmp *errorJmp;

static __attribute__((noinline, noreturn)) void throw_error(int status)
{
	errorJmp->status = status;
	LONGJMP(errorJmp->b, 1);
}

static __attribute__((noinline)) int rawrunprotected(void (*f)(void *), void *ud)
{
	struct lua_longjmp lj;
	lj.status = 0;
	lj.previous = errorJmp;
	errorJmp = &lj;
	if (SETJMP(lj.b) == 0)
		f(ud);
	errorJmp = lj.previous;
	return lj.status;
}

static volatile int sink;

static __attribute__((noinline)) void recurse(int n, int fail_at)
{
	volatile char frame[64];
	frame[0] = (char)n;
	sink += frame[0];
	if (n == fail_at)
		throw_error(100 + n);
	if (n < 20)
		recurse(n + 1, fail_at);
}

static void deep_error(void *ud)
{
	recurse(0, *(int *)ud);
}

static void inner_ok(void *ud)
{
	(void)ud;
	printf("inner ran\n");
}

static void inner_fails(void *ud)
{
	(void)ud;
	throw_error(7);
}

static void nested(void *ud)
{
	int depth = 10;
	printf("nested: inner ok status %d\n", rawrunprotected(inner_ok, NULL));
	printf("nested: inner error status %d\n", rawrunprotected(inner_fails, NULL));
	printf("nested: deep status %d\n", rawrunprotected(deep_error, &depth));
	if (ud)
		throw_error(55); /* an error after the inner ones were handled */
}

static void error_while_handling(void *ud)
{
	(void)ud;
	int status = rawrunprotected(inner_fails, NULL);
	/* the "message handler" fails too, out to the outer protected call */
	throw_error(200 + status);
}

static JMPBUF loop_buf;
static JMPBUF sig_buf;

static __attribute__((noinline)) void jump_loop(int v)
{
	LONGJMP(loop_buf, v);
}

static void on_usr1(int sig)
{
	LONGJMP(sig_buf, sig);
}

static int usr1_blocked(void)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGUSR1);
}

static __attribute__((noinline)) long stack_marker(void)
{
	volatile char here;
	return (long)&here;
}

int main(void)
{
	int fail_at = 10;
	printf("deep error: status %d\n", rawrunprotected(deep_error, &fail_at));
	fail_at = 99; /* never */
	printf("no error: status %d\n", rawrunprotected(deep_error, &fail_at));
	printf("nested: status %d\n", rawrunprotected(nested, NULL));
	printf("nested then error: status %d\n", rawrunprotected(nested, (void *)1));
	printf("error while handling: status %d\n", rawrunprotected(error_while_handling, NULL));

	/* setjmp in a loop; the counters are volatile, as C requires */
	volatile int i = 0, total = 0;
	while (i < 3) {
		int r = SETJMP(loop_buf);
		total += r;
		i++;
		if (r < 4)
			jump_loop(r + 1);
	}
	printf("loop: i %d total %d\n", i, total);

	/* longjmp(b, 0) makes setjmp return 1 */
	volatile int rounds = 0;
	int r = SETJMP(loop_buf);
	if (rounds++ == 0)
		LONGJMP(loop_buf, 0);
	printf("longjmp 0: setjmp returned %d after %d rounds\n", r, rounds);

	/* sigsetjmp(b, 1) restores the mask; sigsetjmp(b, 0) does not */
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (SIGSETJMP(sig_buf, 1) == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		printf("blocked before the jump: %d\n", usr1_blocked());
		LONGJMP(sig_buf, 1);
	}
	printf("savesigs 1: blocked after the jump: %d\n", usr1_blocked());
	if (SIGSETJMP(sig_buf, 0) == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		LONGJMP(sig_buf, 1);
	}
	printf("savesigs 0: blocked after the jump: %d\n", usr1_blocked());
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);

	/* a handler that siglongjmps (bash's way back to its main loop) */
	signal(SIGUSR1, on_usr1);
	volatile int caught = 0;
	int sig = SIGSETJMP(sig_buf, 1);
	if (sig == 0) {
		raise(SIGUSR1);
		printf("not reached\n");
	} else {
		caught = sig;
	}
	printf("handler jumped with %d, blocked after: %d\n", caught, usr1_blocked());
	sig = SIGSETJMP(sig_buf, 0);
	if (sig == 0) {
		raise(SIGUSR1);
		printf("not reached\n");
	}
	printf("without savesigs the handler's mask stays: blocked %d\n", usr1_blocked());
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);

	/* many jumps leave the stack where it was */
	long before = stack_marker();
	int errors = 0;
	for (int n = 0; n < 10000; n++) {
		fail_at = n % 25; /* 21 to 24 never fail */
		errors += rawrunprotected(deep_error, &fail_at) != 0;
	}
	printf("10000 protected calls: %d errors, stack unchanged: %s\n", errors,
	       stack_marker() == before ? "yes" : "no");
	return 0;
}
