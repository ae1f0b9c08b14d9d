// wali-test: dir=TMP needs=fork,exec self=self
// execveat and fexecve of a copy of the test's own binary: fexecve of an
// O_RDONLY and an O_PATH descriptor, execveat relative to a directory fd,
// through a symlink (AT_SYMLINK_NOFOLLOW: ELOOP), an absolute path with a
// dirfd, a #! script by fexecve and by dirfd (the interpreter resolves from
// the cwd); errors: an empty path without AT_EMPTY_PATH (ENOENT), a
// directory (EACCES), the cwd with AT_EMPTY_PATH (EACCES), a bad dirfd
// (EBADF), a dirfd that is a file (ENOTDIR), bad flags (EINVAL), a missing
// file (ENOENT), no x bit (EACCES).
#include "../common.h"
#include <sys/wait.h>

extern char **environ;

static int execveat_(int dirfd, const char *path, char **av, char **ev, int flags)
{
	return (int)RSYS5(SYS_execveat, dirfd, path, av, ev, flags);
}

/* Runs how() in a child, which must exec this program in "child" mode. */
static void run(const char *label, int (*how)(void *), void *arg)
{
	pid_t c = fork();
	if (c == 0) {
		how(arg);
		SAY("%s: exec failed: %s\n", label, errname(errno));
		_exit(1);
	}
	int st = 0;
	waitpid(c, &st, 0);
	SAY("%s: exit %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static char *av[] = { "renamed", "child", "x", NULL };
static char *ev[] = { "WHO=execveat", NULL };

static int by_fd(void *p) { return fexecve(*(int *)p, av, ev); }
static int by_dirfd(void *p) { return execveat_(*(int *)p, (char *)"prog", av, ev, 0); }
static int by_link(void *p) { return execveat_(*(int *)p, "link", av, ev, 0); }
static char abspath[4200];
static int by_abs(void *p) { return execveat_(*(int *)p, abspath, av, ev, 0); }
static int by_script_fd(void *p) { return fexecve(*(int *)p, av, ev); }
static int by_script_dirfd(void *p) { return execveat_(*(int *)p, "script", av, ev, 0); }

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		SAY("  child argv[0]: %s, argc: %d, WHO: %s\n", argv[0], argc,
		    getenv("WHO") ? getenv("WHO") : "(null)");
		if (strcmp(argv[0], "renamed") != 0) {
			/* as a script's interpreter: ./self child SCRIPT child x.
			 * Linux names the script /dev/fd/N[/PATH], wali by its
			 * guest path (table note): either way it opens. */
			char head[3] = { 0 };
			FACT("  the script opens by its argv[2] name",
			     lt_read_file(argv[2], head, sizeof head) == 2 && strcmp(head, "#!") == 0);
		}
		return 7;
	}
	/* d/prog: a copy of ./self; d/link -> prog; d/script runs ./self */
	char buf[65536];
	CHECK("mkdir d", mkdir("d", 0755));
	int in = open("self", O_RDONLY), out = open("d/prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		write(out, buf, n);
	close(in), close(out);
	CHECK("symlink", symlink("prog", "d/link"));
	int f = open("d/script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	dprintf(f, "#!./self child\n");
	close(f);
	lt_write_file("d/data", "not a program", 13);

	int dirfd = open("d", O_RDONLY | O_DIRECTORY);
	int fd = open("self", O_RDONLY);
	run("fexecve O_RDONLY", by_fd, &fd);
	int pfd = open("self", O_PATH);
	run("fexecve O_PATH", by_fd, &pfd);
	run("execveat dirfd", by_dirfd, &dirfd);
	run("execveat symlink", by_link, &dirfd);
	char cwd[4096];
	getcwd(cwd, sizeof cwd);
	snprintf(abspath, sizeof abspath, "%s/d/prog", cwd);
	run("execveat absolute path, a file as dirfd", by_abs, &fd); /* dirfd unused */
	int sfd = open("d/script", O_RDONLY);
	run("fexecve a script", by_script_fd, &sfd);
	run("execveat a script", by_script_dirfd, &dirfd);

	/* errors (the call returns) */
	CHECK("nofollow symlink", execveat_(dirfd, "link", av, ev, AT_SYMLINK_NOFOLLOW));
	CHECK("empty path", execveat_(dirfd, "", av, ev, 0));
	CHECK("empty path, directory fd", execveat_(dirfd, "", av, ev, AT_EMPTY_PATH));
	CHECK("empty path, cwd", execveat_(AT_FDCWD, "", av, ev, AT_EMPTY_PATH));
	CHECK("bad dirfd", execveat_(99, "prog", av, ev, 0));
	CHECK("fexecve bad fd", fexecve(99, av, ev));
	CHECK("file as dirfd", execveat_(fd, "prog", av, ev, 0));
	CHECK("bad flags", execveat_(dirfd, "prog", av, ev, 0x4000000));
	CHECK("missing", execveat_(dirfd, "missing", av, ev, 0));
	CHECK("directory", execveat_(AT_FDCWD, "d", av, ev, 0));
	CHECK("no x bit", execveat_(dirfd, "data", av, ev, 0));
	int dfd = open("d/data", O_RDONLY);
	CHECK("fexecve no x bit", fexecve(dfd, av, ev));
	CHECK("bad path pointer", execveat_(dirfd, BADPTR, av, ev, 0));
	return 0;
}
