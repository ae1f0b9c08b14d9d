#include "pthread_impl.h"

void __wasm_init_tls(void *);
hidden void __wali_set_tls_base(void *);

/* Points this instance's __tls_base (and so the thread pointer) at p and
 * copies the TLS image there. */
int __set_thread_area(void *p)
{
	__wali_set_tls_base(p);
	__wasm_init_tls(p);
	return 0;
}
