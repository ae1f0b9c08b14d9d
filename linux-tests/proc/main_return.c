// wali-test: dir=TMP expect-exit=3
// Returning from main is exit(status).
#include "../common.h"

int main(void)
{
	SAY("returning 3\n");
	return 3;
}
