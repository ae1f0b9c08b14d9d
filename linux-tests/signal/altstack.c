// wali-test: dir=TMP
// sigaltstack: set, query, disable, errors. The table note says handlers
// run on the Wasm stack on wali, so this test never asks where a handler
// runs, only what sigaltstack records and reports.
#include "../common.h"

static volatile int ran;
static void h(int sig) { (void)sig; ran++; }

int main(void)
{
	stack_t ss, old;
	CHECK("query", sigaltstack(NULL, &old));
	SAY("initial: flags=%d size=%zu\n", old.ss_flags, (size_t)old.ss_size);
	static char stack[1 << 16];
	ss.ss_sp = stack;
	ss.ss_size = sizeof stack;
	ss.ss_flags = 0;
	CHECK("set", sigaltstack(&ss, &old));
	SAY("old after set: flags=%d\n", old.ss_flags);
	CHECK("query again", sigaltstack(NULL, &old));
	SAY("now: flags=%d size=%zu sp matches=%s\n", old.ss_flags, (size_t)old.ss_size, old.ss_sp == stack ? "yes" : "no");
	ss.ss_size = 512;
	CHECK("too small", sigaltstack(&ss, NULL));
	ss.ss_size = sizeof stack;
	ss.ss_flags = 0x1234;
	CHECK("bad flags", sigaltstack(&ss, NULL));
	CHECK("raw bad ptr", RSYS2(SYS_sigaltstack, BADPTR, NULL));
	CHECK("raw query", RSYS2(SYS_sigaltstack, NULL, &old));

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	SAY("SA_ONSTACK handler ran: %d\n", ran);

	ss.ss_flags = SS_DISABLE;
	CHECK("disable", sigaltstack(&ss, NULL));
	CHECK("query disabled", sigaltstack(NULL, &old));
	SAY("disabled: flags=%d\n", old.ss_flags);
	raise(SIGUSR1);
	SAY("handler ran: %d\n", ran);
	return 0;
}
