// wali-test: dir=TMP needs=fork
// Process groups and sessions: getpgrp/getpgid/getsid of ourselves and a
// child, setpgid of a child into its own group, of a child staying in its
// group, of a child into its sibling's group, setsid in a child, ESRCH for
// pids that are not ours, and waitid on a child that exits and one killed.
#include "../common.h"
#include <sys/wait.h>

int main(void)
{
	FACT("getpgrp matches getpgid(0)", getpgrp() == getpgid(0));
	/* musl's getpgrp() is getpgid(0): reach SYS_getpgrp itself too. */
	FACT("raw getpgrp matches getpgid(0)", RSYS0(SYS_getpgrp) == getpgid(0));
	FACT("getsid(0) matches getsid(getpid)", getsid(0) == getsid(getpid()));
	CHECK("getpgid of a pid that is not a child", getpgid(0x3ffffff0) < 0 ? -1 : 0);
	CHECK("getsid of a pid that is not a child", getsid(0x3ffffff0) < 0 ? -1 : 0);

	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		char b;
		read(p[0], &b, 1); /* wait for the parent's setpgid */
		int own = getpgrp() == getpid();
		pid_t s = setsid();
		_exit(own * 10 + (s == getpid()) + 0 * s);
	}
	CHECK_OK("setpgid child into its own group", setpgid(c, c));
	FACT("child's group is its pid", getpgid(c) == c);
	FACT("child's session is ours", getsid(c) == getsid(0));
	write(p[1], "x", 1);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK_OK("waitid exited child", waitid(P_PID, c, &si, WEXITED));
	FACT("si_pid is the child", si.si_pid == c);
	SAY("si_code CLD_EXITED: %d, si_status: %d\n", si.si_code == CLD_EXITED, si.si_status);

	/* A child may stay in the group it inherited (posix_spawn with
	 * POSIX_SPAWN_SETPGROUP and the parent's group does that), and a parent
	 * may move a second child into its first child's group. */
	c = fork();
	if (c == 0)
		_exit(setpgid(0, getpgrp()) == 0 ? 0 : 10 + errno);
	int st;
	waitpid(c, &st, 0);
	SAY("child setpgid(0, getpgrp()) exit: %d\n", WEXITSTATUS(st));
	pid_t leader = fork();
	if (leader == 0) {
		char b;
		read(p[0], &b, 1);
		_exit(0);
	}
	CHECK_OK("setpgid first child into its own group", setpgid(leader, leader));
	c = fork();
	if (c == 0) {
		char b;
		read(p[0], &b, 1);
		_exit(0);
	}
	CHECK_OK("setpgid second child into the first one's group", setpgid(c, leader));
	FACT("second child's group is the first child", getpgid(c) == leader);
	/* A child joining its sibling's group itself (spawn with pgroup:). */
	pid_t third = fork();
	if (third == 0)
		_exit(setpgid(0, leader) == 0 && getpgrp() == leader ? 0 : 10 + errno);
	waitpid(third, &st, 0);
	SAY("third child setpgid(0, sibling's group) exit: %d\n", WEXITSTATUS(st));
	write(p[1], "xy", 2);
	waitpid(leader, NULL, 0);
	waitpid(c, NULL, 0);

	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	CHECK_OK("kill child", kill(c, SIGTERM));
	memset(&si, 0, sizeof si);
	CHECK_OK("waitid killed child", waitid(P_ALL, 0, &si, WEXITED));
	SAY("si_code CLD_KILLED: %d, si_status: %d\n", si.si_code == CLD_KILLED, si.si_status);
	CHECK("waitid with no children", waitid(P_ALL, 0, &si, WEXITED));
	CHECK("waitid bad options", waitid(P_ALL, 0, &si, 0));
	return 0;
}
