// wali-test: dir=TMP needs=fork
// fork, wait4/waitpid: exit statuses and deaths by signal of children,
// ECHILD, WNOHANG, getppid in the child, file offsets shared across fork.
#include "../common.h"
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	pid_t me = getpid();
	pid_t c = fork();
	if (c == 0) {
		write(fd, "child", 5);
		_exit(getppid() == me ? 3 : 4);
	}
	FACT("fork returned a pid", c > 0);
	int st = 0;
	pid_t w = waitpid(c, &st, 0);
	FACT("waitpid returned the child", w == c);
	SAY("exited: %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
	SAY("shared offset: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

	c = fork();
	if (c == 0) { raise(SIGTERM); _exit(0); }
	struct rusage ru;
	w = wait4(c, &st, 0, &ru);
	SAY("signaled: %d sig %s\n", WIFSIGNALED(st), WTERMSIG(st) == SIGTERM ? "SIGTERM" : "other");
	CHECK("wait with no children", wait(&st));
	CHECK("WNOHANG with no children", waitpid(-1, &st, WNOHANG));
	c = fork();
	if (c == 0) { struct timespec ts = { 0, 50000000 }; nanosleep(&ts, NULL); _exit(9); }
	CHECK("WNOHANG child running", waitpid(c, &st, WNOHANG));
	waitpid(c, &st, 0);
	SAY("late child status: %d\n", WEXITSTATUS(st));
	CHECK("raw wait4 bad options", RSYS4(SYS_wait4, -1, &st, 0x12345678, NULL));
	fflush(stdout);
	return 0;
}
