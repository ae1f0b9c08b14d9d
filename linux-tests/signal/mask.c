// wali-test: dir=TMP
// rt_sigprocmask, rt_sigpending: blocked signals stay pending and run on
// unblock; standard signals do not queue.
#include "../common.h"

static volatile sig_atomic_t got[65];
static volatile int order[8], norder;
static void h(int sig) { got[sig]++; if (norder < 8) order[norder++] = sig; }

static void pending(const char *label)
{
	sigset_t p;
	sigemptyset(&p);
	sigpending(&p);
	SAY("%s pending:", label);
	for (int s = 1; s < 65; s++)
		if (sigismember(&p, s) == 1) SAY(" %d", s);
	SAY("\n");
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	CHECK("block USR1 USR2", sigprocmask(SIG_BLOCK, &set, &old));
	FACT("old mask empty of USR1", sigismember(&old, SIGUSR1) == 0);
	raise(SIGUSR1);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR2);
	SAY("handled while blocked: %d %d\n", got[SIGUSR1], got[SIGUSR2]);
	pending("blocked");
	CHECK("raw rt_sigpending", RSYS2(SYS_rt_sigpending, &old, 8));
	CHECK("raw rt_sigpending bad size", RSYS2(SYS_rt_sigpending, &old, 200));
	CHECK("raw rt_sigpending bad ptr", RSYS2(SYS_rt_sigpending, BADPTR, 8));
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	FACT("mask query has USR1", sigismember(&cur, SIGUSR1) == 1);
	CHECK("unblock USR1", sigprocmask(SIG_UNBLOCK, &set, NULL));
	SAY("handled after unblock: USR1 %d USR2 %d\n", got[SIGUSR1], got[SIGUSR2]);
	/* the order in which two pending signals run is not printed: Linux
	 * stacks both frames at once (the higher number runs first) */
	pending("after unblock");

	/* SIGKILL and SIGSTOP cannot be blocked: silently dropped from mask */
	sigemptyset(&set);
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	SAY("KILL blocked: %d, STOP blocked: %d, USR1 blocked: %d\n",
	    sigismember(&cur, SIGKILL), sigismember(&cur, SIGSTOP), sigismember(&cur, SIGUSR1));
	CHECK("bad how", sigprocmask(99, &set, NULL));
	CHECK("raw bad size", RSYS4(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
	CHECK("raw bad ptr", RSYS4(SYS_rt_sigprocmask, SIG_BLOCK, BADPTR, NULL, 8));
	CHECK("raw query only", RSYS4(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8));
	CHECK("raw bad how with NULL set", RSYS4(SYS_rt_sigprocmask, 99, NULL, &cur, 8));

	/* a blocked ignored signal: pending is discarded when ignored */
	sigprocmask(SIG_SETMASK, &set, NULL);
	raise(SIGUSR1);
	pending("USR1 pending");
	signal(SIGUSR1, SIG_IGN);
	pending("after SIG_IGN");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	SAY("USR1 total: %d\n", got[SIGUSR1]);

	/* a blocked SIGTERM with default action does not kill until unblocked;
	 * here it is ignored before unblocking */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGTERM);
	SAY("alive with SIGTERM pending\n");
	signal(SIGTERM, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	SAY("alive after unblock\n");
	return 0;
}
