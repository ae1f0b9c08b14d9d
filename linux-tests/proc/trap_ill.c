// wali-test: dir=TMP expect-signal=SIGILL
// __builtin_trap() dies by SIGILL (ud2 natively, unreachable on wali).
#include "../common.h"

int main(void)
{
	SAY("trapping\n");
	__builtin_trap();
}
