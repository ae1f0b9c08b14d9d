// wali-test: dir=TMP needs=fork
// A signal interrupts a loop that makes no syscall; a blocking read returns
// EINTR without SA_RESTART and is restarted with it; a handled SIGCHLD
// arrives when a child exits.
#include "../common.h"
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>

static volatile sig_atomic_t got, chld;
static void on_alarm(int s) { got = s; }
static void on_chld(int s) { (void)s; chld++; }

int main(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	volatile unsigned long spins = 0;
	while (!got)
		spins++;
	SAY("spinning loop interrupted by signal %d\n", (int)got);

	int p[2];
	pipe(p);
	got = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	char c;
	CHECK("read without SA_RESTART", (int)read(p[0], &c, 1));
	SAY("handler ran: %d\n", got == SIGALRM);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	got = 0;
	pid_t w = fork();
	if (w == 0) {
		struct timespec ts = { 0, 200000000 };
		nanosleep(&ts, NULL);
		write(p[1], "y", 1);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK("read with SA_RESTART", (int)read(p[0], &c, 1));
	SAY("restarted read got '%c', handler ran: %d\n", c, got == SIGALRM);
	waitpid(w, NULL, 0);

	signal(SIGCHLD, on_chld);
	pid_t k = fork();
	if (k == 0)
		_exit(0);
	while (!chld)
		pause();
	SAY("SIGCHLD handled: %d\n", chld >= 1);
	waitpid(k, NULL, 0);
	return 0;
}
