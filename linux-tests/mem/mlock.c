// wali-test: dir=TMP
// mlockall/munlockall: flag errors as Linux; munlockall always succeeds.
// wali answers mlockall as for an unprivileged process (table note: EPERM
// with RLIMIT_MEMLOCK 0, ENOMEM for MCL_CURRENT beyond it, else 0 without
// pinning); the native run may be privileged, so only facts both agree on
// are printed for the calls that would lock.
#include "../common.h"
#include <sys/mman.h>
#include <sys/resource.h>

int main(void)
{
	CHECK("mlockall 0", mlockall(0));
	CHECK("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT));
	CHECK("mlockall unknown bit", mlockall(MCL_CURRENT | 8));
	CHECK("munlockall", munlockall());
	errno = 0;
	int r = mlockall(MCL_FUTURE);
	FACT("mlockall future: ok, or refused as unprivileged", r == 0 || errno == EPERM);
	r = mlockall(MCL_CURRENT | MCL_FUTURE);
	FACT("mlockall current: ok, or refused as unprivileged", r == 0 || errno == EPERM || errno == ENOMEM);
	CHECK("munlockall again", munlockall());
	return 0;
}
