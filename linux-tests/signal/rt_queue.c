// wali-test: dir=TMP
// Realtime signals queue: three raised while blocked run three times.
#include "../common.h"

static volatile int got;
static void h(int sig) { (void)sig; got++; }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigaction(SIGRTMIN, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGRTMIN);
	raise(SIGRTMIN);
	raise(SIGRTMIN);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	SAY("RTMIN delivered: %d\n", got);
	return 0;
}
