// wali-test: dir=TMP needs=fork policy=wall.toml wali-only expect-exit=124 timeout=20
// limits.wall_seconds = 1: a guest that sleeps (and its child) is stopped by
// the watchdog; wali prints one line on stderr and exits with status 124.
#include "sandbox.h"

int main(void)
{
	SAY("sleeping\n");
	if (fork() == 0) {
		sleep(30);
		_exit(0);
	}
	sleep(30);
	SAY("woke up\n");
	return 0;
}
