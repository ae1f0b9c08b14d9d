// wali-test: dir=TMP expect-exit=9
// The raw exit syscall in the only thread ends the process with its status
// (exit_group is what libc's _exit uses; this checks SYS_exit itself).
#include "../common.h"

int main(void)
{
	SAY("SYS_exit(9)\n");
	RSYS1(SYS_exit, 9);
	SAY("not reached\n");
	return 1;
}
