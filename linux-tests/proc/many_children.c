// wali-test: dir=TMP needs=fork
// 64 children, each exiting with its own status or killed by a signal, all
// reaped by wait(); then ECHILD.
#include "../common.h"
#include <sys/wait.h>

int main(void)
{
	enum { N = 64 };
	pid_t kids[N];
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			if (i % 8 == 7)
				raise(SIGTERM);
			_exit(i);
		}
	}
	int exited = 0, killed = 0, sum = 0;
	for (int i = 0; i < N; i++) {
		int st;
		pid_t w = wait(&st);
		if (w <= 0)
			break;
		if (WIFEXITED(st)) {
			exited++;
			sum += WEXITSTATUS(st);
		} else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM) {
			killed++;
		}
	}
	SAY("exited %d killed %d sum %d\n", exited, killed, sum);
	int st;
	CHECK("wait with no children", (int)wait(&st));
	return 0;
}
