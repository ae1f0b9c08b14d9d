// wali-test: dir=TMP
// uname, sysinfo, getrandom, getcpu, sched_getaffinity, sched_yield,
// getpriority, setpriority, prctl.
#include "../common.h"
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	CHECK("uname", uname(&u));
	SAY("sysname: %s\n", u.sysname);
	FACT("release non-empty", u.release[0] != 0);
	FACT("nodename non-empty", u.nodename[0] != 0);
	FACT("machine non-empty", u.machine[0] != 0);
	/* The architecture the program was compiled for. Under wali that is
	 * wasm32, not the host's (syscall table, uname's note). */
#if defined(__wasm__)
	FACT("machine is the program's", !strcmp(u.machine, "wasm32"));
#elif defined(__x86_64__)
	FACT("machine is the program's", !strcmp(u.machine, "x86_64"));
#elif defined(__aarch64__)
	FACT("machine is the program's", !strcmp(u.machine, "aarch64"));
#else
	FACT("machine is the program's", 1);
#endif
	CHECK("raw uname", RSYS1(SYS_uname, &u));
	CHECK("raw uname bad ptr", RSYS1(SYS_uname, BADPTR));
	char host[256];
	CHECK("gethostname", gethostname(host, sizeof host));
	FACT("hostname is nodename", !strcmp(host, u.nodename));

	struct sysinfo si;
	CHECK("sysinfo", sysinfo(&si));
	FACT("uptime > 0", si.uptime > 0);
	FACT("totalram > 0", si.totalram > 0);
	FACT("freeram <= totalram", si.freeram <= si.totalram);
	FACT("mem_unit >= 1", si.mem_unit >= 1);
	FACT("procs > 0", si.procs > 0);
	CHECK("raw sysinfo", RSYS1(SYS_sysinfo, &si));
	CHECK("raw sysinfo bad ptr", RSYS1(SYS_sysinfo, BADPTR));

	unsigned char r1[64], r2[64];
	CHECK("getrandom 64", getrandom(r1, sizeof r1, 0));
	CHECK("getrandom again", getrandom(r2, sizeof r2, 0));
	FACT("different bytes", memcmp(r1, r2, sizeof r1) != 0);
	CHECK("getrandom 0", getrandom(r1, 0, 0));
	CHECK("getrandom nonblock", getrandom(r1, 16, GRND_NONBLOCK));
	CHECK("getrandom insecure", getrandom(r1, 16, 0x0004));
	CHECK("getrandom bad flags", getrandom(r1, 16, 0x100));
	CHECK("getrandom bad ptr", getrandom(BADPTR, 16, 0));
	static unsigned char big[1 << 16];
	CHECK("getrandom 64KiB", getrandom(big, sizeof big, 0));
	CHECK("raw getrandom", RSYS3(SYS_getrandom, r1, 8, 0));
	int fd = open("/dev/urandom", O_RDONLY);
	CHECK("read /dev/urandom", read(fd, r1, 32));
	close(fd);

	unsigned cpu = 999, node = 999;
	CHECK("raw getcpu", RSYS3(SYS_getcpu, &cpu, &node, NULL));
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	FACT("cpu < nprocs", cpu < (unsigned)ncpu || ncpu < 1);
	CHECK("raw getcpu NULLs", RSYS3(SYS_getcpu, NULL, NULL, NULL));
	CHECK("raw getcpu bad ptr", RSYS3(SYS_getcpu, BADPTR, NULL, NULL));
	int c = sched_getcpu();
	FACT("sched_getcpu >= 0", c >= 0);

	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
	FACT("at least one cpu", CPU_COUNT(&set) >= 1);
	FACT("count == online cpus", CPU_COUNT(&set) == sysconf(_SC_NPROCESSORS_ONLN));
	long raw = RSYS3(SYS_sched_getaffinity, 0, sizeof set, &set);
	FACT("raw sched_getaffinity returns a size", raw > 0 && raw <= (long)sizeof set && raw % 8 == 0);
	CHECK("sched_getaffinity size 1", RSYS3(SYS_sched_getaffinity, 0, 1, &set));
	CHECK("sched_getaffinity bad ptr", RSYS3(SYS_sched_getaffinity, 0, sizeof set, BADPTR));
	CHECK("sched_getaffinity own pid", sched_getaffinity(getpid(), sizeof set, &set));
	CHECK("sched_yield", sched_yield());
	CHECK("raw sched_yield", RSYS0(SYS_sched_yield));

	errno = 0;
	int prio = getpriority(PRIO_PROCESS, 0);
	SAY("getpriority: %d %s\n", prio, errname(errno));
	FACT("raw getpriority is 20 - nice", RSYS2(SYS_getpriority, PRIO_PROCESS, 0) == 20 - prio);
	CHECK("getpriority bad which", getpriority(99, 0));
	CHECK("setpriority same", setpriority(PRIO_PROCESS, 0, prio));
	CHECK("setpriority nicer", setpriority(PRIO_PROCESS, 0, prio + 1));
	SAY("getpriority after: %d\n", getpriority(PRIO_PROCESS, 0) - prio);
	CHECK("raw setpriority", RSYS3(SYS_setpriority, PRIO_PROCESS, 0, prio + 2));
	SAY("getpriority after raw: %d\n", getpriority(PRIO_PROCESS, 0) - prio);
	CHECK("setpriority bad which", setpriority(99, 0, 0));

	char name[32] = { 0 };
	CHECK("PR_SET_NAME", prctl(PR_SET_NAME, "lt-worker", 0, 0, 0));
	CHECK("PR_GET_NAME", prctl(PR_GET_NAME, name, 0, 0, 0));
	SAY("name: %s\n", name);
	CHECK("PR_SET_NAME long", prctl(PR_SET_NAME, "0123456789abcdefghij", 0, 0, 0));
	prctl(PR_GET_NAME, name, 0, 0, 0);
	SAY("truncated name: %s\n", name);
	CHECK("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	CHECK("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
	CHECK("PR_GET_DUMPABLE after", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	CHECK("PR_SET_DUMPABLE bad", prctl(PR_SET_DUMPABLE, 7, 0, 0, 0));
	CHECK("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CHECK("PR_GET_NO_NEW_PRIVS after", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK("PR_SET_PDEATHSIG", prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
	int sig = 0;
	CHECK("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
	SAY("pdeathsig: %d\n", sig);
	CHECK("PR_SET_PDEATHSIG bad", prctl(PR_SET_PDEATHSIG, 999, 0, 0, 0));
	CHECK("prctl unknown option", prctl(0x7fff0000, 0, 0, 0, 0));
	CHECK("raw prctl", RSYS5(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0));
	return 0;
}
