// wali-test: dir=TMP
// rt_sigaction, kill/tkill/tgkill/raise to self with handlers, SIG_IGN,
// old actions, flags, errors. The table note for rt_sigaction: signals sent
// to self are delivered on return from the syscall that sent them, so a
// handler has run by the time kill() returns, as on Linux.
#include "../common.h"

static volatile sig_atomic_t got[65];
static volatile int last_info_signo, last_info_code;

static void h(int sig) { got[sig]++; }
static void hi(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got[sig]++;
	last_info_signo = si->si_signo;
	last_info_code = si->si_code;
}

int main(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigemptyset(&sa.sa_mask);
	CHECK("sigaction USR1", sigaction(SIGUSR1, &sa, NULL));
	CHECK("raise USR1", raise(SIGUSR1));
	SAY("USR1 handled: %d\n", got[SIGUSR1]);
	CHECK("kill self USR1", kill(getpid(), SIGUSR1));
	SAY("USR1 handled: %d\n", got[SIGUSR1]);
	CHECK("raw kill self", RSYS2(SYS_kill, getpid(), SIGUSR1));
	SAY("USR1 handled: %d\n", got[SIGUSR1]);
	CHECK("raw tkill self", RSYS2(SYS_tkill, gettid(), SIGUSR1));
	SAY("USR1 handled: %d\n", got[SIGUSR1]);
	CHECK("raw tgkill self", RSYS3(SYS_tgkill, getpid(), gettid(), SIGUSR1));
	SAY("USR1 handled: %d\n", got[SIGUSR1]);
	CHECK("kill sig 0 self", kill(getpid(), 0));
	CHECK("kill bad signal", kill(getpid(), 65));
	CHECK("kill negative signal", kill(getpid(), -1));
	CHECK("tkill bad tid", RSYS2(SYS_tkill, -5, SIGUSR1));
	CHECK("tkill bad signal", RSYS2(SYS_tkill, gettid(), 99));
	CHECK("tgkill bad signal", RSYS3(SYS_tgkill, getpid(), gettid(), 99));
	CHECK("tgkill bad tgid", RSYS3(SYS_tgkill, -1, gettid(), SIGUSR1));

	/* old action comes back */
	CHECK("sigaction query", sigaction(SIGUSR1, NULL, &old));
	FACT("old handler is h", old.sa_handler == h);
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	CHECK("sigaction USR1 with flags", sigaction(SIGUSR1, &sa, &old));
	sigaction(SIGUSR1, NULL, &old);
	FACT("SA_RESTART kept", old.sa_flags & SA_RESTART);
	FACT("SA_NODEFER kept", old.sa_flags & SA_NODEFER);
	FACT("SA_SIGINFO not set", !(old.sa_flags & SA_SIGINFO));
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR1, NULL, &old);
	FACT("sa_mask kept", sigismember(&old.sa_mask, SIGUSR2) == 1);

	/* SA_SIGINFO */
	struct sigaction si;
	memset(&si, 0, sizeof si);
	si.sa_sigaction = hi;
	si.sa_flags = SA_SIGINFO;
	CHECK("sigaction SA_SIGINFO", sigaction(SIGUSR2, &si, NULL));
	kill(getpid(), SIGUSR2);
	SAY("USR2 handled: %d, si_signo %d, si_code %d\n", got[SIGUSR2], last_info_signo, last_info_code);

	/* SA_RESETHAND: the handler runs once, then SIG_DFL */
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	raise(SIGWINCH);
	sigaction(SIGWINCH, NULL, &old);
	SAY("WINCH handled: %d, now default: %s\n", got[SIGWINCH], old.sa_handler == SIG_DFL ? "yes" : "no");
	raise(SIGWINCH); /* default action: ignore */
	SAY("WINCH after reset: %d\n", got[SIGWINCH]);

	/* SIG_IGN */
	signal(SIGTERM, SIG_IGN);
	CHECK("kill self TERM ignored", kill(getpid(), SIGTERM));
	SAY("survived SIGTERM\n");
	CHECK("raise ignored USR1", (signal(SIGUSR1, SIG_IGN), raise(SIGUSR1)));
	SAY("USR1 handled: %d\n", got[SIGUSR1]);
	/* default-ignored signals do nothing */
	signal(SIGCHLD, SIG_DFL);
	raise(SIGCHLD);
	raise(SIGURG);
	SAY("survived SIGCHLD and SIGURG\n");

	/* errors */
	CHECK("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
	CHECK("sigaction SIGSTOP", sigaction(SIGSTOP, &sa, NULL));
	CHECK("sigaction SIGKILL query", sigaction(SIGKILL, NULL, &old));
	CHECK("sigaction 0", sigaction(0, &sa, NULL));
	CHECK("sigaction 65", sigaction(65, &sa, NULL));
	CHECK("raw rt_sigaction bad size", RSYS4(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
	CHECK("raw rt_sigaction query", RSYS4(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 8));
	CHECK("raw rt_sigaction bad ptr", RSYS4(SYS_rt_sigaction, SIGUSR1, BADPTR, NULL, 8));

	/* realtime signals */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	CHECK("sigaction SIGRTMIN+1", sigaction(SIGRTMIN + 1, &sa, NULL));
	raise(SIGRTMIN + 1);
	SAY("RTMIN+1 handled: %d\n", got[SIGRTMIN + 1]);
	return 0;
}
