#include <unistd.h>
#include <signal.h>
#include "syscall.h"
#include "libc.h"

struct ctx {
	int id, eid, sid;
	int nr, ret;
};

/* The id-setting syscalls spelled out, so that the number is a constant at
 * every call and only these imports appear (WALI has no generic syscall). */
static int setxid_syscall(int nr, int id, int eid, int sid)
{
	switch (nr) {
	case SYS_setuid: return __syscall(SYS_setuid, id);
	case SYS_setgid: return __syscall(SYS_setgid, id);
	case SYS_setreuid: return __syscall(SYS_setreuid, id, eid);
	case SYS_setregid: return __syscall(SYS_setregid, id, eid);
	case SYS_setresuid: return __syscall(SYS_setresuid, id, eid, sid);
	case SYS_setresgid: return __syscall(SYS_setresgid, id, eid, sid);
	}
	return -ENOSYS;
}

static void do_setxid(void *p)
{
	struct ctx *c = p;
	if (c->ret<0) return;
	int ret = setxid_syscall(c->nr, c->id, c->eid, c->sid);
	if (ret && !c->ret) {
		/* If one thread fails to set ids after another has already
		 * succeeded, forcibly killing the process is the only safe
		 * thing to do. State is inconsistent and dangerous. Use
		 * SIGKILL because it is uncatchable. */
		__block_all_sigs(0);
		__syscall(SYS_kill, __syscall(SYS_getpid), SIGKILL);
	}
	c->ret = ret;
}

int __setxid(int nr, int id, int eid, int sid)
{
	/* ret is initially nonzero so that failure of the first thread does not
	 * trigger the safety kill above. */
	struct ctx c = { .nr = nr, .id = id, .eid = eid, .sid = sid, .ret = 1 };
	__synccall(do_setxid, &c);
	return __syscall_ret(c.ret > 0 ? -EAGAIN : c.ret);
}
