// wali-test: dir=TMP policy=identity.toml wali-only
// Virtual identity: getuid/geteuid/getresuid and the gid calls answer the
// policy's numbers, uname's nodename is identity.hostname; setuid to the
// virtual uid is a no-op success, to anything else EPERM; stat results are
// not rewritten (a new file belongs to the host's real uid, not 1234).
#include "sandbox.h"
#include <sys/utsname.h>

int main(void)
{
	uid_t r, e, s;
	SAY("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
	getresuid(&r, &e, &s);
	SAY("resuid %d %d %d\n", (int)r, (int)e, (int)s);
	CHECK("setuid 1234", setuid(1234));
	CHECK("setuid 0", setuid(0));
	struct utsname u;
	uname(&u);
	SAY("nodename %s\n", u.nodename);
	lt_write_file("f", "x", 1);
	struct stat st;
	stat("f", &st);
	FACT("file owner is not the virtual uid", st.st_uid != 1234);
	return 0;
}
