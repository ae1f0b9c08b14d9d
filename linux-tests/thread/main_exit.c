// wali-test: dir=TMP needs=threads expect-exit=0
// pthread_exit in main: the process lives until the last thread ends, and
// its exit status is 0.
#include "../common.h"
#include <pthread.h>

static void *late(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 30000000 };
	nanosleep(&ts, NULL);
	SAY("last thread done\n");
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, late, NULL);
	SAY("main exits first\n");
	pthread_exit(NULL);
}
