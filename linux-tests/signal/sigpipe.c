// wali-test: dir=TMP expect-signal=SIGPIPE
// Writing to a pipe whose reader is gone raises SIGPIPE, whose default
// action kills.
#include "../common.h"

int main(void)
{
	int p[2];
	pipe(p);
	close(p[0]);
	SAY("writing to a pipe with no reader\n");
	write(p[1], "x", 1);
	SAY("not reached\n");
	return 0;
}
