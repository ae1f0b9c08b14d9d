// wali-test: dir=TMP
// sched_getaffinity/sched_setaffinity: setting the current mask back works,
// an empty mask is EINVAL, a pid that is not ours ESRCH, a bad pointer EFAULT.
#include "../common.h"
#include <sched.h>

int main(void)
{
	cpu_set_t set, empty, again;
	CHECK_OK("getaffinity", sched_getaffinity(0, sizeof set, &set));
	FACT("at least one cpu", CPU_COUNT(&set) > 0);
	CHECK_OK("setaffinity same mask", sched_setaffinity(0, sizeof set, &set));
	CHECK_OK("getaffinity again", sched_getaffinity(getpid(), sizeof again, &again));
	FACT("mask unchanged", CPU_EQUAL(&set, &again));
	CPU_ZERO(&empty);
	CHECK("setaffinity empty mask", sched_setaffinity(0, sizeof empty, &empty));
	CHECK("setaffinity other pid", sched_setaffinity(0x3ffffff0, sizeof set, &set));
	CHECK("setaffinity bad pointer", (int)RSYS3(SYS_sched_setaffinity, 0, sizeof set, BADPTR));
	return 0;
}
