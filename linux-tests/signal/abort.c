// wali-test: dir=TMP expect-signal=SIGABRT
// abort() ends the process with SIGABRT even when SIGABRT is caught
// (the handler runs first, returns, and the process still dies).
#include "../common.h"

static void h(int sig) { (void)sig; SAY("handler ran\n"); }

int main(void)
{
	signal(SIGABRT, h);
	SAY("calling abort\n");
	abort();
}
