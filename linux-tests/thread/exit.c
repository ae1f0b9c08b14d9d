// wali-test: dir=TMP needs=threads expect-exit=5
// exit() from a thread ends the whole process with its status, while the
// main thread is blocked.
#include "../common.h"
#include <pthread.h>

static void *ender(void *arg)
{
	(void)arg;
	SAY("thread calls exit(5)\n");
	exit(5);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, ender, NULL);
	pthread_join(t, NULL);
	SAY("not reached\n");
	return 0;
}
