/* Static TLS for WALI. The TLS image lives in a passive data segment that
 * only the linker-made __wasm_init_tls can copy (it also sets __tls_base),
 * so __copy_tls lays out [struct pthread][TLS block] and the image is copied
 * by __set_thread_area (main thread) or the new thread's entry (others).
 * The thread pointer is the TLS block address (pthread_arch.h). */
#define SYSCALL_NO_TLS 1
#include <limits.h>
#include <sys/mman.h>
#include <string.h>
#include <stddef.h>
#include "pthread_impl.h"
#include "libc.h"
#include "atomic.h"
#include "syscall.h"

volatile int __thread_list_lock;

int __init_tp(void *p)
{
	pthread_t td = p;
	td->self = td;
	int r = __set_thread_area(TP_ADJ(p));
	if (r < 0) return -1;
	if (!r) libc.can_do_threads = 1;
	td->detach_state = DT_JOINABLE;
	td->tid = __syscall(SYS_set_tid_address, &__thread_list_lock);
	td->locale = &libc.global_locale;
	td->robust_list.head = &td->robust_list.head;
	td->sysinfo = __sysinfo;
	td->next = td->prev = td;
	return 0;
}

static struct builtin_tls {
	char c;
	struct pthread pt;
	void *space[16];
} builtin_tls[1];
#define MIN_TLS_ALIGN offsetof(struct builtin_tls, pt)

static struct tls_module main_tls;

void *__copy_tls(unsigned char *mem)
{
	pthread_t td;
	uintptr_t *dtv;

	dtv = (uintptr_t*)(mem + libc.tls_size) - (libc.tls_cnt + 1);
	mem += -((uintptr_t)mem + sizeof(struct pthread)) & (libc.tls_align-1);
	td = (pthread_t)mem;
	mem += sizeof(struct pthread);
	if (libc.tls_cnt) dtv[1] = (uintptr_t)mem;
	dtv[0] = libc.tls_cnt;
	td->dtv = dtv;
	return td;
}

static void static_init_tls(size_t *aux)
{
	void *mem;
	size_t align = __builtin_wasm_tls_align();

	main_tls.size = __builtin_wasm_tls_size();
	main_tls.align = align ? align : 1;
	main_tls.image = 0;
	main_tls.len = 0;
	main_tls.offset = 0;
	if (main_tls.size) {
		libc.tls_cnt = 1;
		libc.tls_head = &main_tls;
	}
	main_tls.size += -main_tls.size & (main_tls.align-1);
	if (main_tls.align < MIN_TLS_ALIGN) main_tls.align = MIN_TLS_ALIGN;

	libc.tls_align = main_tls.align;
	libc.tls_size = 2*sizeof(void *) + sizeof(struct pthread)
		+ main_tls.size + main_tls.align
		+ MIN_TLS_ALIGN-1 & -MIN_TLS_ALIGN;

	if (libc.tls_size > sizeof builtin_tls) {
		mem = (void *)__syscall(SYS_mmap,
			0, libc.tls_size, PROT_READ|PROT_WRITE,
			MAP_ANONYMOUS|MAP_PRIVATE, -1, 0);
	} else {
		mem = builtin_tls;
	}

	if (__init_tp(__copy_tls(mem)) < 0)
		a_crash();
}

weak_alias(static_init_tls, __init_tls);
