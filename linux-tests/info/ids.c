// wali-test: dir=TMP
// getuid, geteuid, getgid, getegid, getresuid, getresgid, getgroups and the
// set*id calls with the current ids. The table note for setuid, setgid,
// setre*id, setres*id: only the current ids succeed (no privilege inside
// the sandbox); setgroups: always EPERM. Native root may do more, so this
// test only asks what both must agree on.
#include "../common.h"
#include <grp.h>

int main(void)
{
	uid_t u = getuid(), eu = geteuid();
	gid_t g = getgid(), eg = getegid();
	FACT("raw getuid matches", RSYS0(SYS_getuid) == (long)u);
	FACT("raw geteuid matches", RSYS0(SYS_geteuid) == (long)eu);
	FACT("raw getgid matches", RSYS0(SYS_getgid) == (long)g);
	FACT("raw getegid matches", RSYS0(SYS_getegid) == (long)eg);
	uid_t r, e, s;
	CHECK("getresuid", getresuid(&r, &e, &s));
	FACT("getresuid matches", r == u && e == eu);
	gid_t rg, egg, sg;
	CHECK("getresgid", getresgid(&rg, &egg, &sg));
	FACT("getresgid matches", rg == g && egg == eg);
	CHECK("raw getresuid", RSYS3(SYS_getresuid, &r, &e, &s));
	CHECK("raw getresgid", RSYS3(SYS_getresgid, &rg, &egg, &sg));
	CHECK("raw getresuid bad ptr", RSYS3(SYS_getresuid, BADPTR, &e, &s));

	int n = getgroups(0, NULL);
	FACT("getgroups count >= 0", n >= 0);
	gid_t list[256];
	int n2 = getgroups(256, list);
	FACT("getgroups same count", n2 == n);
	FACT("raw getgroups count", RSYS2(SYS_getgroups, 0, NULL) == n);
	CHECK("getgroups negative", getgroups(-1, list));

	CHECK("setuid(getuid)", setuid(u));
	CHECK("setgid(getgid)", setgid(g));
	CHECK("raw setuid(getuid)", RSYS1(SYS_setuid, u));
	CHECK("raw setgid(getgid)", RSYS1(SYS_setgid, g));
	CHECK("setreuid(-1,-1)", setreuid(-1, -1));
	CHECK("setregid(-1,-1)", setregid(-1, -1));
	CHECK("setreuid(same)", setreuid(u, eu));
	CHECK("raw setreuid", RSYS2(SYS_setreuid, -1, -1));
	CHECK("raw setregid", RSYS2(SYS_setregid, -1, -1));
	CHECK("setresuid(-1,-1,-1)", setresuid(-1, -1, -1));
	CHECK("setresgid(-1,-1,-1)", setresgid(-1, -1, -1));
	CHECK("setresuid(same)", setresuid(r, e, s));
	CHECK("raw setresuid", RSYS3(SYS_setresuid, -1, -1, -1));
	CHECK("raw setresgid", RSYS3(SYS_setresgid, -1, -1, -1));
	FACT("ids unchanged", getuid() == u && geteuid() == eu && getgid() == g && getegid() == eg);

	/* setgroups: EPERM on wali (table note); native root succeeds and
	 * anybody else gets EPERM. Both print the documented answer. */
	long sg_r = RSYS2(SYS_setgroups, n2, list);
	int sg_e = errno;
#ifdef __wasm__
	/* table note for setgroups: "EPERM: no privilege inside the sandbox" */
	SAY("setgroups(same list): %s\n", sg_r == -1 && sg_e == EPERM ? "EPERM or allowed" : errname(sg_e));
#else
	SAY("setgroups(same list): %s\n", sg_r == 0 || sg_e == EPERM ? "EPERM or allowed" : errname(sg_e));
#endif
	sg_r = RSYS2(SYS_setgroups, -1, list);
	sg_e = errno;
#ifdef __wasm__
	/* same table note: EPERM before any argument check */
	SAY("setgroups(-1): %s\n", sg_r == -1 && sg_e == EPERM ? "EINVAL or EPERM" : errname(sg_e));
#else
	/* Linux checks privilege first: EPERM unprivileged, EINVAL as root */
	SAY("setgroups(-1): %s\n", sg_r == -1 && (sg_e == EPERM || sg_e == EINVAL) ? "EINVAL or EPERM" : errname(sg_e));
#endif
	return 0;
}
