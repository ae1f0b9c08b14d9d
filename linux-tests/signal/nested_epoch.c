// wali-test: needs=threads timeout=60
// A signal arriving while a handler runs that interrupted pure Wasm code
// (main spins without syscalls): both handlers run and the process lives.
// wali once trapped the second one ("interrupt") and died of SIGSEGV.
#include "../common.h"
#include <pthread.h>
static volatile int in1, done1, done2;
static volatile unsigned long spin;
static void h1(int s)
{
	(void)s;
	in1 = 1;
	/* Pure Wasm work (no syscall) during which SIGUSR2 arrives. */
	for (volatile unsigned long i = 0; i < 300000000UL && !done2; i++)
		continue;
	done1 = 1;
}
static void h2(int s) { (void)s; done2 = 1; }
static void *sender(void *x) {
	usleep(50000);
	kill(getpid(), SIGUSR1);
	while (!in1) usleep(1000);
	kill(getpid(), SIGUSR2);
	return x;
}
int main(void) {
	signal(SIGUSR1, h1); signal(SIGUSR2, h2);
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1); sigaddset(&s, SIGUSR2);
	pthread_t t;
	pthread_sigmask(SIG_BLOCK, &s, 0);
	pthread_create(&t, 0, sender, 0);
	pthread_sigmask(SIG_UNBLOCK, &s, 0);
	while (!done1) spin++;
	pthread_join(t, 0);
	printf("handler 1 done: %d, handler 2 ran: %d\n", done1, done2);
	return 0;
}
