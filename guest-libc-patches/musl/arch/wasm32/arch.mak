# longjmp.c only forwards to __wasm_longjmp; with the sjlj lowering on, the
# lowering would see a second __wasm_longjmp and rename it.
obj/src/setjmp/wasm32/longjmp.o: CFLAGS = $(WASM_FEATURES)
