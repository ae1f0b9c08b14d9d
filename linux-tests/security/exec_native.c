// wali-test: dir=TMP needs=fork,exec self=self policy=bin.toml
// execve of a native program is refused with EACCES even when it is visible
// (/bin mounted read-only); /bin/sh is readable, and the test's own Wasm
// module still runs through execve.
#include "sandbox.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		SAY("child ran\n");
		return 3;
	}
	char *sh_argv[] = { (char *)"sh", (char *)"-c", (char *)"echo escaped", NULL };
	FACT("/bin/sh visible", access("/bin/sh", F_OK) == 0);
	ESCAPE("execve /bin/sh", execv("/bin/sh", sh_argv), EACCES);
	ESCAPE("execve /usr/bin/env", execv("/usr/bin/env", sh_argv), ENOENT);
	pid_t pid = fork();
	if (pid == 0) {
		char *self_argv[] = { (char *)"self", (char *)"child", NULL };
		execv("./self", self_argv);
		_exit(99);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	FACT("self exec exit 3", WIFEXITED(status) && WEXITSTATUS(status) == 3);
	return 0;
}
