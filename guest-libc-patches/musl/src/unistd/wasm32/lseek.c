#include <unistd.h>
#include "syscall.h"

/* The only syscall whose result needs all 64 bits: call the import directly
 * instead of going through the 32-bit-long __syscall. */
off_t __lseek(int fd, off_t offset, int whence)
{
	long long ret = __wali_SYS_lseek(fd, offset, whence);
	return ret < 0 ? __syscall_ret(ret) : ret;
}

weak_alias(__lseek, lseek);
