// wali-test: dir=TMP needs=fork
// A child signals its parent (allowed on Linux for the same user, and the
// parent is a process of the sandbox); kill of a reaped child is ESRCH.
#include "../common.h"
#include <sys/wait.h>

static volatile sig_atomic_t got;
static void on_usr1(int s) { got = s; }

int main(void)
{
	signal(SIGUSR1, on_usr1);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0)
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	while (!got)
		sigsuspend(&old);
	SAY("parent got SIGUSR1 from its child: %d\n", got == SIGUSR1);
	int st;
	waitpid(c, &st, 0);
	SAY("child's kill succeeded: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK("kill reaped child", kill(c, 0));
	return 0;
}
