// wali-test: dir=TMP
// getrlimit, setrlimit, prlimit64, getrusage. RLIMIT_AS and RLIMIT_DATA
// report the linear-memory limit on wali (table note): never printed.
#include "../common.h"
#include <sys/resource.h>

int main(void)
{
	struct rlimit rl, orig;
	CHECK("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &orig));
	FACT("cur <= max", orig.rlim_cur <= orig.rlim_max);
	FACT("cur >= 64", orig.rlim_cur >= 64);
	CHECK("raw getrlimit", RSYS2(SYS_getrlimit, RLIMIT_NOFILE, &rl));
	FACT("raw agrees", rl.rlim_cur == orig.rlim_cur && rl.rlim_max == orig.rlim_max);
	CHECK("getrlimit bad resource", getrlimit(999, &rl));
	CHECK("raw getrlimit bad ptr", RSYS2(SYS_getrlimit, RLIMIT_NOFILE, BADPTR));
	CHECK("getrlimit AS", getrlimit(RLIMIT_AS, &rl));
	CHECK("getrlimit STACK", getrlimit(RLIMIT_STACK, &rl));
	CHECK("getrlimit CORE", getrlimit(RLIMIT_CORE, &rl));

	/* lower the fd limit: opens beyond it fail with EMFILE */
	rl.rlim_cur = 10;
	rl.rlim_max = orig.rlim_max;
	CHECK("setrlimit NOFILE 10", setrlimit(RLIMIT_NOFILE, &rl));
	getrlimit(RLIMIT_NOFILE, &rl);
	SAY("NOFILE cur now: %lld\n", (long long)rl.rlim_cur);
	int last = -1, n = 0;
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) { SAY("open stops with: %s\n", errname(errno)); break; }
		last = fd;
		n++;
		if (n > 100) break;
	}
	SAY("opened %d, last fd %d\n", n, last);
	CHECK("dup at limit", dup(0));
	CHECK("F_DUPFD at limit", fcntl(0, F_DUPFD, 0));
	CHECK("dup2 to fd >= limit", dup2(0, 10));
	CHECK("pipe at limit", ({ int p[2]; pipe(p); }));
	rl.rlim_cur = orig.rlim_max + 1;
	rl.rlim_max = orig.rlim_max;
	CHECK("setrlimit cur > max", setrlimit(RLIMIT_NOFILE, &rl));
	CHECK("setrlimit bad resource", setrlimit(999, &rl));
	CHECK("raw setrlimit", RSYS2(SYS_setrlimit, RLIMIT_NOFILE, &orig));
	CHECK("open after restoring", open("/dev/null", O_RDONLY));

	CHECK("getrlimit CORE", getrlimit(RLIMIT_CORE, &rl));
	rl.rlim_cur = 0;
	CHECK("setrlimit CORE 0", setrlimit(RLIMIT_CORE, &rl));
	getrlimit(RLIMIT_CORE, &rl);
	SAY("CORE cur: %lld\n", (long long)rl.rlim_cur);

	struct rlimit old;
	CHECK("prlimit get", prlimit(0, RLIMIT_NOFILE, NULL, &old));
	FACT("prlimit agrees", old.rlim_cur == orig.rlim_cur);
	rl.rlim_cur = 50;
	rl.rlim_max = orig.rlim_max;
	CHECK("prlimit set own pid", prlimit(getpid(), RLIMIT_NOFILE, &rl, &old));
	FACT("prlimit old value", old.rlim_cur == orig.rlim_cur);
	getrlimit(RLIMIT_NOFILE, &rl);
	SAY("NOFILE cur after prlimit: %lld\n", (long long)rl.rlim_cur);
	CHECK("raw prlimit64", RSYS4(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old));
	CHECK("prlimit bad resource", prlimit(0, 999, NULL, &old));
	CHECK("prlimit bad ptr", RSYS4(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BADPTR));

	struct rusage ru;
	CHECK("getrusage self", getrusage(RUSAGE_SELF, &ru));
	FACT("utime sane", ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	FACT("maxrss > 0", ru.ru_maxrss > 0);
	CHECK("getrusage children", getrusage(RUSAGE_CHILDREN, &ru));
	FACT("no children time", ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0);
	CHECK("getrusage thread", getrusage(RUSAGE_THREAD, &ru));
	CHECK("getrusage bad who", getrusage(42, &ru));
	CHECK("raw getrusage", RSYS2(SYS_getrusage, RUSAGE_SELF, &ru));
	CHECK("raw getrusage bad ptr", RSYS2(SYS_getrusage, RUSAGE_SELF, BADPTR));
	return 0;
}
