/* Holds the compiler's setjmp label and invocation id (see
 * src/setjmp/wasm32/wasm_sjlj.c); sized like x32's for headroom. */
typedef unsigned long long __jmp_buf[8];
