// wali-test: dir=TMP needs=fork
// vfork + _exit, raw clone(SIGCHLD) as a fork, and wait4 with rusage.
#include "../common.h"
#include <sys/resource.h>
#include <sys/wait.h>

int main(void)
{
	pid_t c = vfork();
	if (c == 0)
		_exit(7);
	int st = 0;
	struct rusage ru;
	pid_t w = wait4(c, &st, 0, &ru);
	FACT("wait4 returned the vfork child", w == c);
	SAY("vfork child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

#ifdef __wasm__
	/* musl's vfork() is a fork on wasm32: reach SYS_vfork itself too. A raw
	 * vfork is unsafe natively (the child would return into the parent's
	 * stack), so the native side uses the libc call. */
	c = (pid_t)RSYS0(SYS_vfork);
#else
	c = vfork();
#endif
	if (c == 0)
		_exit(8);
	wait4(c, &st, 0, NULL);
	SAY("second vfork child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	long r = RSYS5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(9);
	FACT("clone(SIGCHLD) returned a pid", r > 0);
	w = wait4((pid_t)r, &st, 0, NULL);
	SAY("clone child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK("wait4 no children", wait4(-1, &st, 0, NULL));
	CHECK("wait4 WNOHANG no children", wait4(-1, &st, WNOHANG, NULL));
	return 0;
}
