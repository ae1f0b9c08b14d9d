/* The thread pointer is the thread's Wasm __tls_base: struct pthread sits
 * right below the TLS block (TLS_ABOVE_TP with no gap), so each instance
 * finds its descriptor from its own __tls_base global. */
static inline uintptr_t __get_tp()
{
	return (uintptr_t)__builtin_wasm_tls_base();
}

#define TLS_ABOVE_TP
#define GAP_ABOVE_TP 0

/* Only referenced by the asm-based cancellation that wasm32 replaces. */
#define MC_PC __pc
