/* wasm32 has no asm entry: crt/wasm32/crt1.c defines _start in C. */
