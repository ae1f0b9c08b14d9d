// wali-test: dir=TMP
// The standard descriptors: stdin is /dev/null, stdout and stderr are pipes
// to the runner, in both runs.
#include "../common.h"

int main(void)
{
	char buf[8];
	struct stat st;
	CHECK("read stdin", read(0, buf, sizeof buf));
	CHECK("fstat stdin", fstat(0, &st));
	SAY("stdin is: %s\n", lt_ftype(st.st_mode));
	CHECK("fstat stdout", fstat(1, &st));
	SAY("stdout is: %s\n", lt_ftype(st.st_mode));
	FACT("isatty(1)", isatty(1));
	CHECK("stdout access mode", fcntl(1, F_GETFL) & O_ACCMODE);
	CHECK("write stderr", write(2, "to stderr\n", 10));
	CHECK("lseek stdout", lseek(1, 0, SEEK_CUR));
	CHECK("close stdin", close(0));
	CHECK("read closed stdin", read(0, buf, 1));
	CHECK("open reuses 0", open("/dev/null", O_RDONLY));
	int c = getchar();
	SAY("getchar at EOF: %d\n", c);
	return 0;
}
