// wali-test: dir=TMP expect-signal=SIGKILL timeout=30
// RLIMIT_CPU set by the guest itself (soft 1 s, hard 3 s): SIGXCPU at the
// soft limit and again each second (the kernel raises the soft limit by one
// each time), SIGKILL at the hard limit. wali enforces it on the guest's CPU
// time without lowering its own limit (it used to SIGKILL wali).
#include "../common.h"
#include <sys/resource.h>

static volatile int xcpu;
static void on_xcpu(int sig)
{
	(void)sig;
	struct rlimit r;
	getrlimit(RLIMIT_CPU, &r);
	xcpu++;
	SAY("SIGXCPU %d: soft now %llu\n", xcpu, (unsigned long long)r.rlim_cur);
}

int main(void)
{
	signal(SIGXCPU, on_xcpu);
	struct rlimit r = { 1, 3 };
	CHECK_OK("setrlimit CPU 1/3", setrlimit(RLIMIT_CPU, &r));
	volatile unsigned long x = 0;
	for (;;) x++;
	return 0;
}
