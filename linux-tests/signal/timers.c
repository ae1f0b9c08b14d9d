// wali-test: dir=TMP
// alarm, setitimer/getitimer (ITIMER_REAL), pause, sigsuspend and
// sigtimedwait: each woken by the signal it waits for.
#include "../common.h"
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t hits;
static void on_alarm(int s) { (void)s; hits++; }

int main(void)
{
	signal(SIGALRM, on_alarm);
	CHECK("alarm first", (int)alarm(5));
	FACT("alarm returns the seconds left", alarm(0) >= 4);
	/* musl's alarm() goes through setitimer: reach SYS_alarm itself too. */
	CHECK("raw alarm set", (int)RSYS1(SYS_alarm, 5));
	FACT("raw alarm returns the seconds left", RSYS1(SYS_alarm, 0) >= 4);

	struct itimerval it = { { 0, 0 }, { 0, 100000 } }, cur;
	CHECK_OK("setitimer", setitimer(ITIMER_REAL, &it, NULL));
	CHECK_OK("getitimer", getitimer(ITIMER_REAL, &cur));
	FACT("timer armed", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0);
	CHECK("pause", pause());
	SAY("hits after pause: %d\n", (int)hits);
	CHECK("getitimer bad which", getitimer(99, &cur));

	sigset_t block, old, waitmask;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	sigemptyset(&waitmask);
	CHECK("sigsuspend", sigsuspend(&waitmask));
	SAY("hits after sigsuspend: %d\n", (int)hits);

	setitimer(ITIMER_REAL, &it, NULL);
	siginfo_t si;
	int s = sigwaitinfo(&block, &si);
	SAY("sigwaitinfo: %d (SIGALRM %d), handler not run: %d\n", s, SIGALRM, hits == 2);
	struct timespec ts = { 0, 50000000 };
	CHECK("sigtimedwait timeout", sigtimedwait(&block, &si, &ts));
	raise(SIGALRM);
	s = sigtimedwait(&block, &si, &ts);
	SAY("sigtimedwait raised: %d, si_code SI_TKILL: %d\n", s, si.si_code == SI_TKILL);
	return 0;
}
