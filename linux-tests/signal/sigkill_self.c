// wali-test: dir=TMP expect-signal=SIGKILL
// SIGKILL to self cannot be blocked, caught or ignored.
#include "../common.h"

int main(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	signal(SIGKILL, SIG_IGN);
	SAY("sending SIGKILL with everything blocked\n");
	kill(getpid(), SIGKILL);
	SAY("not reached\n");
	return 0;
}
