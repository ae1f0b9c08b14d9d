// wali-test: dir=TMP needs=fork policy=procs.toml wali-only
// A fork bomb is bounded by process.max_processes = 4 for the whole sandbox
// (the first process included): children forking themselves share the
// budget; fork answers EAGAIN beyond; when processes end, their slots return.
#include "sandbox.h"
#include <sys/wait.h>

int main(void)
{
	int gate[2], ready[2];
	pipe(gate);
	pipe(ready);
	int n = 0, e = 0;
	pid_t kids[16];
	/* one child that tries to fork grandchildren too */
	pid_t pid = fork();
	if (pid == 0) {
		close(gate[1]);
		int got = 0;
		for (int i = 0; i < 8; i++) {
			pid_t g = fork();
			if (g == 0) { char c; read(gate[0], &c, 1); _exit(0); }
			if (g < 0) break;
			got++;
		}
		/* Done forking: only now does the parent fork too, so every
		 * process counted below was alive at the same time (under load
		 * the parent's children could end first and free their slots). */
		(void)!write(ready[1], "r", 1);
		char c;
		read(gate[0], &c, 1);
		while (wait(NULL) > 0) {}
		_exit(got);
	}
	kids[n++] = pid;
	char r;
	(void)!read(ready[0], &r, 1);
	for (;;) {
		pid_t p = fork();
		if (p == 0) { close(gate[1]); char c; read(gate[0], &c, 1); _exit(0); }
		if (p < 0) { e = errno; break; }
		kids[n++] = p;
		if (n == 16) break;
	}
	SAY("fork stopped with %s\n", errname(e));
	close(gate[1]);
	int total_grandchildren = 0;
	for (int i = 0; i < n; i++) {
		int st = 0;
		waitpid(kids[i], &st, 0);
		if (i == 0) total_grandchildren = WEXITSTATUS(st);
	}
	SAY("processes at most 4: %s\n", 1 + n + total_grandchildren <= 4 ? "yes" : "no");
	SAY("all slots used: %s\n", 1 + n + total_grandchildren == 4 ? "yes" : "no");
	pid = fork();
	if (pid == 0) _exit(5);
	int st = 0;
	waitpid(pid, &st, 0);
	SAY("fork after the others ended: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 5 ? "yes" : "no");
	return 0;
}
