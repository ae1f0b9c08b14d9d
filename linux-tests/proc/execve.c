// wali-test: dir=TMP needs=fork,exec self=self
// execve of the test's own binary: argv and envp replaced, descriptors
// without FD_CLOEXEC kept (with their offsets), FD_CLOEXEC ones closed,
// ignored signals stay ignored, handled ones reset, the cwd and pid kept;
// a #! script; and the errors: EACCES (directory, file without x bit),
// ENOENT, ENOTDIR, EFAULT.
#include "../common.h"
#include <sys/wait.h>

extern char **environ;

static void on_usr2(int s) { (void)s; }

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		char buf[8] = { 0 };
		SAY("child argv[0]: %s, argc: %d\n", argv[0], argc);
		SAY("child FOO: %s, HOME set: %d\n", getenv("FOO") ? getenv("FOO") : "(null)", getenv("HOME") != NULL);
		CHECK("child read fd 5", (int)read(5, buf, 3));
		SAY("child fd 5 data: %s\n", buf);
		CHECK("child fcntl fd 6", fcntl(6, F_GETFD));
		struct sigaction sa;
		sigaction(SIGUSR1, NULL, &sa);
		FACT("child SIGUSR1 still ignored", sa.sa_handler == SIG_IGN);
		sigaction(SIGUSR2, NULL, &sa);
		FACT("child SIGUSR2 reset to default", sa.sa_handler == SIG_DFL);
		FACT("child pid is the forked pid", argc > 2 && atoi(argv[2]) == getpid());
		FACT("child cwd kept", access("data", R_OK) == 0);
		return 42;
	}
	int d = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(d, "abcdef", 6);
	lseek(d, 2, SEEK_SET);
	dup2(d, 5);
	dup2(d, 6);
	fcntl(6, F_SETFD, FD_CLOEXEC);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, on_usr2);
	mkdir("sub", 0755);
	pid_t c = fork();
	if (c == 0) {
		char pid[16];
		snprintf(pid, sizeof pid, "%d", getpid());
		char *av[] = { "self-renamed", "child", pid, NULL };
		char *ev[] = { "FOO=bar", NULL };
		execve("./self", av, ev);
		SAY("execve failed: %s\n", errname(errno));
		_exit(1);
	}
	int st = 0;
	waitpid(c, &st, 0);
	SAY("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	int f = open("script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	dprintf(f, "#!./self child\n");
	close(f);
	c = fork();
	if (c == 0) {
		char *av[] = { "script", NULL };
		execve("./script", av, environ);
		_exit(1);
	}
	waitpid(c, &st, 0);
	SAY("script exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	char *av[] = { "x", NULL };
	CHECK("execve directory", execve("sub", av, environ));
	CHECK("execve no x bit", execve("data", av, environ));
	CHECK("execve missing", execve("missing", av, environ));
	CHECK("execve through a file", execve("data/x", av, environ));
	CHECK("execve bad argv", (int)RSYS3(SYS_execve, "./self", BADPTR, environ));
	return 0;
}
