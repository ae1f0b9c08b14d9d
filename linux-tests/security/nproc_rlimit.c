// wali-test: dir=TMP needs=fork wali-only
// The guest's own RLIMIT_NPROC bounds the sandbox's processes (the process
// counter): with a soft limit of 3, the first process and two children fit,
// a third fork answers EAGAIN. Natively root ignores RLIMIT_NPROC, hence
// wali-only. The host's own limit is not touched.
#include "sandbox.h"
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
	struct rlimit r = { 3, 3 };
	CHECK_OK("setrlimit NPROC 3", setrlimit(RLIMIT_NPROC, &r));
	int gate[2];
	pipe(gate);
	int made = 0;
	for (int i = 0; i < 5; i++) {
		pid_t p = fork();
		if (p == 0) { char c; close(gate[1]); read(gate[0], &c, 1); _exit(0); }
		if (p < 0) { SAY("fork %d: %s\n", i, errname(errno)); break; }
		made++;
	}
	SAY("children: %d\n", made);
	close(gate[1]);
	while (wait(NULL) > 0) {}
	pid_t p = fork();
	if (p == 0) _exit(7);
	int st = 0;
	waitpid(p, &st, 0);
	SAY("fork after they ended: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 7 ? "yes" : "no");
	return 0;
}
