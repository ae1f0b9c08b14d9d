/* Cancellation without asm cancellation points: wasm code cannot inspect or
 * redirect the interrupted program counter. Instead every cancellable
 * syscall is bracketed by __wasm_cp_enter/__wasm_cp_leave (see
 * src/internal/syscall.h), which make the checks musl's __syscall_cp_asm
 * makes around the syscall instruction:
 *  - before: a cancellation already requested is acted on and the syscall
 *    is not made;
 *  - after: a syscall interrupted (EINTR) while a cancellation is pending
 *    acts on it.
 * pthread_cancel always sends SIGCANCEL, and its handler is installed
 * without SA_RESTART, so a thread blocked in a cancellation point returns
 * from it with EINTR (the host interrupts the blocking host call) and is
 * cancelled on the way out. Asynchronous cancellation acts in the handler.
 * The cost of no SA_RESTART: a thread that requested no cancellation
 * points (PTHREAD_CANCEL_DISABLE) may see EINTR from a blocking call that
 * a cancellation request interrupted, once per request. */
#define _GNU_SOURCE
#include <string.h>
#include "pthread_impl.h"
#include "syscall.h"

hidden long __cancel();

long __cancel()
{
	pthread_t self = __pthread_self();
	if (self->canceldisable == PTHREAD_CANCEL_ENABLE || self->cancelasync)
		pthread_exit(PTHREAD_CANCELED);
	self->canceldisable = PTHREAD_CANCEL_DISABLE;
	return -ECANCELED;
}

long __wasm_cp_enter(long nr)
{
	pthread_t self = __pthread_self();
	int st = self->canceldisable;
	if (st && (st == PTHREAD_CANCEL_DISABLE || nr == SYS_close))
		return 0;
	if (self->cancel)
		return __cancel();
	return 0;
}

long __wasm_cp_leave(long nr, long r)
{
	pthread_t self = __pthread_self();
	if (r == -EINTR && nr != SYS_close && self->cancel &&
	    self->canceldisable != PTHREAD_CANCEL_DISABLE)
		return __cancel();
	return r;
}

static void cancel_handler(int sig, siginfo_t *si, void *ctx)
{
	pthread_t self = __pthread_self();
	a_barrier();
	if (!self->cancel || self->canceldisable == PTHREAD_CANCEL_DISABLE) return;
	if (self->cancelasync) __cancel();
}

void __testcancel()
{
	pthread_t self = __pthread_self();
	if (self->cancel && !self->canceldisable)
		__cancel();
}

static void init_cancellation()
{
	struct sigaction sa = {
		.sa_flags = SA_SIGINFO | SA_ONSTACK,
		.sa_sigaction = cancel_handler
	};
	memset(&sa.sa_mask, -1, _NSIG/8);
	__libc_sigaction(SIGCANCEL, &sa, 0);
}

int pthread_cancel(pthread_t t)
{
	static int init;
	if (!init) {
		init_cancellation();
		init = 1;
	}
	a_store(&t->cancel, 1);
	if (t == pthread_self()) {
		if (t->canceldisable == PTHREAD_CANCEL_ENABLE && t->cancelasync)
			pthread_exit(PTHREAD_CANCELED);
		return 0;
	}
	return pthread_kill(t, SIGCANCEL);
}
