// wali-test: dir=TMP expect-exit=7
// _exit() skips atexit handlers and does not flush stdio buffers.
#include "../common.h"

static void a(void) { SAY("atexit must not run\n"); }

int main(void)
{
	atexit(a);
	SAY("unbuffered line\n");
	FILE *f = fdopen(dup(1), "w");
	setvbuf(f, NULL, _IOFBF, 4096);
	fprintf(f, "buffered line, lost\n");
	_exit(7);
}
