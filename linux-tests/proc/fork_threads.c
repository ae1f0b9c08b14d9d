// wali-test: needs=threads,fork timeout=60
// fork while another thread keeps signalling the process: every child runs
// and exits (a lock another host thread held at fork time, such as the
// signal registry or the engine's, must not be inherited locked).
#include "../common.h"
#include <pthread.h>
#include <sys/wait.h>
static volatile int stop;
static void h(int s) { (void)s; }
static void *spam(void *x) { while (!stop) kill(getpid(), SIGUSR1); return x; }
int main(void) {
	signal(SIGUSR1, h);
	pthread_t t; pthread_create(&t, 0, spam, 0);
	int ok = 0;
	for (int i = 0; i < 300; i++) {
		pid_t c = fork();
		if (c == 0) _exit(7);
		int st; if (waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7) ok++;
	}
	stop = 1; pthread_join(t, 0);
	printf("%d children exited\n", ok);
	return 0;
}
