/* Only the dynamic linker uses these; wasm32 links statically. */
#define LDSO_ARCH "wasm32"
#define REL_SYMBOLIC    1
#define REL_GOT         2
#define REL_PLT         3
#define REL_RELATIVE    4
#define CRTJMP(pc,sp) __builtin_trap()
