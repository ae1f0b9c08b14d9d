// wali-test: dir=TMP policy=cpu.toml expect-signal=SIGXCPU timeout=20
// limits.cpu_seconds = 1 (RLIMIT_CPU natively, set by the test): a spinning
// guest dies by SIGXCPU, as on Linux.
#include "sandbox.h"
#include <sys/resource.h>

int main(void)
{
#ifndef __wasm__
	struct rlimit r = { 1, 2 };
	setrlimit(RLIMIT_CPU, &r);
#endif
	SAY("spinning\n");
	volatile unsigned long x = 0;
	for (;;) x++;
	return 0;
}
