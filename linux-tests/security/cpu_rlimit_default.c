// wali-test: dir=TMP expect-signal=SIGXCPU timeout=30
// RLIMIT_CPU set by the guest itself, default action: a spinning guest dies
// by SIGXCPU at the soft limit, as on Linux (wali used to die by SIGKILL).
#include "../common.h"
#include <sys/resource.h>

int main(void)
{
	struct rlimit r = { 1, 5 };
	CHECK_OK("setrlimit CPU 1/5", setrlimit(RLIMIT_CPU, &r));
	volatile unsigned long x = 0;
	for (;;) x++;
	return 0;
}
