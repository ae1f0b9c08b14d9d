// wali-test: dir=TMP ro-dir=data needs=fork,exec self=self policy=exec_mounts.toml wali-only
// An execve'd image keeps the mounts its run started with, as opened then.
// TMP/data is mounted read-only at /data and TMP read-write at /w: the guest
// renames TMP/data away (through /w), puts a symlink to the host's "/" in
// its place and execs itself. The new image must still see the original
// directory at /data, never the host's root through the symlink (which
// re-opening the mount's host path by name would follow).
#include "sandbox.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		FACT("child: /data/marker visible", access("/data/marker", F_OK) == 0);
		FACT("child: host root visible at /data",
		     access("/data/etc/passwd", F_OK) == 0 || access("/data/usr", F_OK) == 0);
		return 0;
	}
	CHECK_OK("marker", lt_write_file("/w/data/marker", "m", 1));
	CHECK_OK("rename data away", rename("/w/data", "/w/data.old"));
	CHECK_OK("symlink to /", symlink("/", "/w/data"));
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = { (char *)"self", (char *)"child", NULL };
		execv("/w/self", av);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	FACT("child exited 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}
