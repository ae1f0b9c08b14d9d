// wali-test: dir=TMP expect-exit=11
// The raw exit_group syscall.
#include "../common.h"

int main(void)
{
	SAY("SYS_exit_group(11)\n");
	RSYS1(SYS_exit_group, 11);
	SAY("not reached\n");
	return 1;
}
