/* Time zone files are read into anonymous memory instead of mapped: WALI
 * engines need not support file-backed mmap. Callers release the result
 * with munmap as before. */
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <errno.h>
#include "syscall.h"

const char unsigned *__map_file(const char *pathname, size_t *size)
{
	struct stat st;
	unsigned char *map = MAP_FAILED;
	size_t n = 0;
	int fd = sys_open(pathname, O_RDONLY|O_CLOEXEC|O_NONBLOCK);
	if (fd < 0) return 0;
	if (!__fstat(fd, &st) && st.st_size > 0 && st.st_size < (1<<30)) {
		map = __mmap(0, st.st_size, PROT_READ|PROT_WRITE,
			MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
		while (map != MAP_FAILED && n < st.st_size) {
			long r = __syscall(SYS_read, fd, map + n, st.st_size - n);
			if (r == -EINTR) continue;
			if (r <= 0) {
				__munmap(map, st.st_size);
				map = MAP_FAILED;
				break;
			}
			n += r;
		}
		*size = st.st_size;
	}
	__syscall(SYS_close, fd);
	return map == MAP_FAILED ? 0 : map;
}
