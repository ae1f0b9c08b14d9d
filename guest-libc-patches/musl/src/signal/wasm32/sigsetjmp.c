#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

/* First half of the sigsetjmp macro in <setjmp.h>: remember whether and
 * which mask to restore; the setjmp that follows is lowered by the compiler. */
int __wasm_sigsetjmp_save(sigjmp_buf buf, int savemask)
{
	buf->__fl = savemask != 0;
	if (savemask)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0, buf->__ss, _NSIG/8);
	return 0;
}
