// wali-test: dir=TMP expect-exit=5
// Exit statuses are taken modulo 256.
#include "../common.h"

int main(void)
{
	SAY("exit(261)\n");
	exit(261);
}
