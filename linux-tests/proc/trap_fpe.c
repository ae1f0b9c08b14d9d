// wali-test: dir=TMP expect-signal=SIGFPE
// Integer division by zero dies by SIGFPE (a Wasm trap on wali, which the
// host turns into the same death).
#include "../common.h"

int main(int argc, char **argv)
{
	(void)argv;
	volatile int zero = argc - 1;
	SAY("dividing by zero\n");
	SAY("%d\n", 10 / zero);
	return 0;
}
