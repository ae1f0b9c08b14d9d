// wali-test: dir=TMP expect-exit=42
// exit() runs atexit handlers in reverse order, flushes stdio, and the
// status reaches the parent.
#include "../common.h"

static void a(void) { SAY("atexit a\n"); }
static void b(void) { SAY("atexit b\n"); }

int main(void)
{
	atexit(a);
	atexit(b);
	setvbuf(stdout, NULL, _IOFBF, 4096); /* buffered: exit must flush */
	printf("buffered line\n");
	exit(42);
}
