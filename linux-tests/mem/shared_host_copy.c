// wali-test: dir=TMP
// A read-only or inaccessible shared page handed to a syscall whose result
// the host copies in itself (stat, gettimeofday, pipe2) or whose argument it
// copies out (a path): EFAULT as on Linux. The host checks the page's
// protection first; copying blindly killed wali by SIGSEGV (found by make
// fuzz). Raw syscalls: musl's own wrappers copy some results in guest code.
#include "../common.h"
#include <sys/mman.h>
#include <sys/time.h>

int main(void)
{
	char *ro = mmap(NULL, 65536, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, LT_OFF(0));
	char *no = mmap(NULL, 65536, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, LT_OFF(0));
	FACT("mapped", ro != MAP_FAILED && no != MAP_FAILED);
	CHECK("fstat into a read-only page", RSYS2(SYS_fstat, 1, ro));
	CHECK("stat into an inaccessible page", RSYS2(SYS_stat, "/", no));
	CHECK("gettimeofday into a read-only page", RSYS2(SYS_gettimeofday, ro, 0));
	CHECK("open of a path in an inaccessible page", RSYS2(SYS_open, no, O_RDONLY));
	CHECK("pipe2 into a read-only page", RSYS2(SYS_pipe2, ro, 0));
	CHECK("mprotect read-write", mprotect(ro, 65536, PROT_READ | PROT_WRITE));
	CHECK("fstat into the page now writable", RSYS2(SYS_fstat, 1, ro));
	CHECK("munmap", munmap(no, 65536));
	return 0;
}
