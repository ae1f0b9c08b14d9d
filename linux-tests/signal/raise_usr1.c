// wali-test: dir=TMP expect-signal=SIGUSR1
// SIGUSR1 with its default action kills; a blocked one kills on unblock.
#include "../common.h"

int main(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	SAY("blocked, still alive\n");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	SAY("not reached\n");
	return 0;
}
