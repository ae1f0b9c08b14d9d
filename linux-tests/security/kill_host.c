// wali-test: dir=TMP needs=fork
// kill reaches only the guest's own processes: pid 1, the runner (the
// parent of the first guest process) and other host pids answer EPERM under
// wali (kill's table note); signal 0 to itself and any signal to its own
// child work.
#include "sandbox.h"
#include <sys/wait.h>

int main(void)
{
	CHECK("kill self 0", kill(getpid(), 0));
	ESCAPE("kill 1 0", kill(1, 0), EPERM);
	ESCAPE("kill 1 SIGTERM", kill(1, SIGTERM), EPERM);
	ESCAPE("kill parent 0", kill(getppid(), 0), EPERM);
	ESCAPE("kill pid 2", kill(2, 0), EPERM);
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK("kill child SIGKILL", kill(pid, SIGKILL));
	int status = 0;
	waitpid(pid, &status, 0);
	FACT("child killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return 0;
}
