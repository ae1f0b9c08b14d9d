// wali-test: dir=TMP needs=fork policy=procs.toml
// Children killed by a signal (SIGKILL, or SIGTERM with its default action)
// cannot give their process slot back themselves: reaping them does, so
// process.max_processes = 4 never runs out however many children die that
// way (slots leaked until the sandbox ended, 4 kills were enough).
#include "sandbox.h"
#include <sys/wait.h>

int main(void)
{
	int ok = 0;
	for (int i = 0; i < 12; i++) {
		pid_t p = fork();
		if (p == 0) { for (;;) pause(); }
		if (p < 0) { SAY("fork %d: %s\n", i, errname(errno)); break; }
		kill(p, i % 2 ? SIGKILL : SIGTERM);
		int st = 0;
		waitpid(p, &st, 0);
		if (WIFSIGNALED(st) && WTERMSIG(st) == (i % 2 ? SIGKILL : SIGTERM)) ok++;
	}
	SAY("children killed and reaped: %d\n", ok);
	return 0;
}
