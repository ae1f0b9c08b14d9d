// wali-test: dir=TMP needs=fork wali-only timeout=120
// Under the default policy (no --policy) a fork bomb is bounded too: the
// sandbox holds at most process.max_processes = 1024 live processes (the
// first included), fork answers EAGAIN beyond, and slots come back when the
// processes end.
#include "sandbox.h"
#include <sys/wait.h>

int main(void)
{
	int gate[2];
	pipe(gate);
	int n = 0, e = 0;
	for (int i = 0; i < 4096; i++) {
		pid_t p = fork();
		if (p == 0) { char c; close(gate[1]); read(gate[0], &c, 1); _exit(0); }
		if (p < 0) { e = errno; break; }
		n++;
	}
	SAY("fork stopped with %s\n", errname(e));
	SAY("children: %d\n", n);
	close(gate[1]);
	while (wait(NULL) > 0) {}
	pid_t p = fork();
	if (p == 0) _exit(7);
	int st = 0;
	waitpid(p, &st, 0);
	SAY("fork after they ended: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 7 ? "yes" : "no");
	return 0;
}
