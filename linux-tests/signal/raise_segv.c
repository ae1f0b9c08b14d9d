// wali-test: dir=TMP expect-signal=SIGSEGV
// A SIGSEGV sent with raise() runs its handler; after SA_RESETHAND the
// second one kills with the default action.
#include "../common.h"

static void h(int sig) { (void)sig; SAY("handler ran\n"); }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	raise(SIGSEGV);
	SAY("after first raise\n");
	raise(SIGSEGV);
	SAY("not reached\n");
	return 0;
}
