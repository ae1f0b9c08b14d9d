/* WALI has no clone: a thread is a new instance of the module sharing the
 * memory, started by __wasm_thread_spawn on the exported trampoline
 * __wali_thread_start (wali_thread_start.s) with a small block on the new
 * stack: {stack pointer @0, tls_base @4, fn, arg}. Process clones (as
 * posix_spawn makes) become fork + call, which is all musl needs of them. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <errno.h>
#include <sched.h>
#include "pthread_impl.h"
#include "syscall.h"

__attribute__((__import_module__("wali"), __import_name__("__wasm_thread_spawn")))
int __wali_wasm_thread_spawn(void *fn, void *arg);

void __wasm_init_tls(void *);
void __wali_thread_start(int, void *);

struct wali_thread_block {
	void *sp;
	void *tls;
	int (*fn)(void *);
	void *arg;
};

hidden void __wali_thread_entry(int tid, struct wali_thread_block *b)
{
	/* __tls_base is already set; this copies the TLS image there. */
	__wasm_init_tls(b->tls);
	__pthread_self()->tid = tid;
	b->fn(b->arg);
	for (;;) __syscall(SYS_exit, 0);
}

int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	pid_t *ptid;
	void *tls;
	va_start(ap, arg);
	ptid = va_arg(ap, pid_t *);
	tls = va_arg(ap, void *);
	va_end(ap);

	if (!(flags & CLONE_THREAD)) {
		long pid = __syscall(SYS_fork);
		if (pid) return pid;
		for (;;) __syscall(SYS_exit, func(arg));
	}
	if (!stack || !tls || !func) return -EINVAL;

	struct wali_thread_block *b = (void *)
		(((uintptr_t)stack - sizeof *b) & -(uintptr_t)16);
	b->sp = b;
	b->tls = tls;
	b->fn = func;
	b->arg = arg;
	int tid = __wali_wasm_thread_spawn((void *)__wali_thread_start, b);
	if (tid <= 0) return tid < 0 && tid > -4096 ? tid : -EAGAIN;
	/* pthread_create holds the thread list lock here, so the new thread
	 * cannot have exited and unmapped ptid yet. */
	if (flags & CLONE_PARENT_SETTID) *ptid = tid;
	return tid;
}
