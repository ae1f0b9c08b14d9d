// wali-test: dir=TMP expect-signal=SIGTERM
// A signal whose default action is to terminate kills the process, after
// the output so far (unbuffered) is out.
#include "../common.h"

int main(void)
{
	SAY("before kill\n");
	signal(SIGTERM, SIG_DFL);
	kill(getpid(), SIGTERM);
	SAY("after kill: not reached\n");
	return 0;
}
