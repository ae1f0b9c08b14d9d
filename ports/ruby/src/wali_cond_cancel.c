/* Linked into ruby.wasm with -Wl,--wrap=pthread_cancel,--wrap=pthread_cond_wait
 * (a link-time choice, Ruby's sources are not patched).
 *
 * Ruby's pthread coroutines (--with-coroutine=pthread, how Fibers run here)
 * end a fiber's thread in coroutine_destroy() with pthread_cancel() +
 * pthread_join() while that thread is blocked in pthread_cond_wait(), a
 * cancellation point. The WALI musl port has no asm cancellation points:
 * deferred cancellation only sets a flag, acted on at pthread_testcancel()
 * and before (not during) blocking calls, so the blocked thread never wakes
 * and pthread_join() hangs for ever -- the first GC that frees a finished
 * Fiber deadlocks the process (see docs/ports.md, Ruby section).
 *
 * Here pthread_cond_wait() registers (thread, cond, mutex) while it waits;
 * pthread_cancel() of a registered thread marks the entry and broadcasts
 * its condition variable under its mutex (so the wakeup cannot be lost);
 * the woken waiter sees the mark and exits with PTHREAD_CANCELED, mutex
 * re-acquired, as POSIX specifies for cancellation in pthread_cond_wait.
 * Without a mark the wait returns as before (no new spurious wakeups).
 * Other threads are cancelled by musl as before. */
#define _GNU_SOURCE
#include <pthread.h>

int __real_pthread_cancel(pthread_t);
int __real_pthread_cond_wait(pthread_cond_t *restrict, pthread_mutex_t *restrict);

struct waiter {
	pthread_t thread;
	pthread_cond_t *cond;
	pthread_mutex_t *mutex;
	volatile int cancel;
	struct waiter *next;
};

static pthread_mutex_t reg = PTHREAD_MUTEX_INITIALIZER;
static struct waiter *waiters;

static void unregister(struct waiter *w)
{
	pthread_mutex_lock(&reg);
	for (struct waiter **p = &waiters; *p; p = &(*p)->next)
		if (*p == w) { *p = w->next; break; }
	pthread_mutex_unlock(&reg);
}

int __wrap_pthread_cond_wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m)
{
	/* A cancellation requested before the wait (by musl's own flag). */
	pthread_testcancel();
	struct waiter w = { pthread_self(), c, m, 0, 0 };
	pthread_mutex_lock(&reg);
	w.next = waiters;
	waiters = &w;
	pthread_mutex_unlock(&reg);
	int r = w.cancel ? 0 : __real_pthread_cond_wait(c, m);
	unregister(&w);
	if (w.cancel)
		pthread_exit(PTHREAD_CANCELED);
	return r;
}

int __wrap_pthread_cancel(pthread_t t)
{
	pthread_cond_t *c = 0;
	pthread_mutex_t *m = 0;
	pthread_mutex_lock(&reg);
	for (struct waiter *w = waiters; w; w = w->next)
		if (pthread_equal(w->thread, t)) {
			w->cancel = 1;
			c = w->cond;
			m = w->mutex;
			break;
		}
	pthread_mutex_unlock(&reg);
	if (!c)
		return __real_pthread_cancel(t);
	/* The waiter holds m until it is blocked in the wait: taking m here
	 * orders the broadcast after it. */
	pthread_mutex_lock(m);
	pthread_cond_broadcast(c);
	pthread_mutex_unlock(m);
	return 0;
}
