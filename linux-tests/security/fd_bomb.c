// wali-test: dir=TMP policy=fds.toml
// An fd bomb is bounded: limits.open_files = 32 under wali, RLIMIT_NOFILE 32
// set by the test natively. opens stop at EMFILE with fds 0-31 used; the
// limit cannot be raised; closing one makes room again.
#include "sandbox.h"
#include <sys/resource.h>

int main(void)
{
#ifndef __wasm__
	struct rlimit set = { 32, 32 };
	setrlimit(RLIMIT_NOFILE, &set);
#endif
	struct rlimit r;
	CHECK("getrlimit", getrlimit(RLIMIT_NOFILE, &r));
	SAY("cur %llu max %llu\n", (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
	int n = 0, last = -1, e = 0;
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) { e = errno; break; }
		last = fd;
		n++;
	}
	SAY("opened %d, last fd %d, then %s\n", n, last, errname(e));
	CHECK("dup", dup(0));
	struct rlimit up = { 4096, 4096 };
	CHECK("raise limit", setrlimit(RLIMIT_NOFILE, &up));
	CHECK("close one", close(last));
	CHECK("open again", open("/dev/null", O_RDONLY));
	return 0;
}
