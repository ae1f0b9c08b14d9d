// wali-test: dir=TMP
// siginfo_t filled for SA_SIGINFO handlers: si_signo, si_code (SI_USER for
// kill, SI_TKILL for tkill/tgkill/raise), si_pid/si_uid of the sender.
#include "../common.h"

static volatile int signo, code, pid_ok, uid_ok;
static void hi(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	signo = si->si_signo;
	code = si->si_code;
	pid_ok = si->si_pid == getpid();
	uid_ok = si->si_uid == getuid();
}

static const char *codename(int c)
{
	return c == SI_USER ? "SI_USER" : c == SI_TKILL ? "SI_TKILL" : c == SI_QUEUE ? "SI_QUEUE" : "other";
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = hi;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	SAY("kill: signo=%d code=%s pid=%d uid=%d\n", signo, codename(code), pid_ok, uid_ok);
	signo = code = 0;
	RSYS2(SYS_tkill, gettid(), SIGUSR1);
	SAY("tkill: signo=%d code=%s pid=%d uid=%d\n", signo, codename(code), pid_ok, uid_ok);
	signo = code = 0;
	RSYS3(SYS_tgkill, getpid(), gettid(), SIGUSR1);
	SAY("tgkill: signo=%d code=%s pid=%d uid=%d\n", signo, codename(code), pid_ok, uid_ok);
	return 0;
}
