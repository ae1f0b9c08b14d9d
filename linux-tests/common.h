/* Shared helpers for the differential syscall conformance suite.
 *
 * Every test is built twice (native cc and wali-cc) and both outputs must be
 * identical, so tests print facts, one per line, that do not depend on the
 * machine: return values that Linux fixes (fd numbers, byte counts, 0/-1),
 * errno *names* (from the table below: glibc and musl strerror() strings
 * differ, the numbers do not), and derived facts ("ino matches: yes")
 * instead of pids, inode numbers, user names or times.
 *
 * stdout is unbuffered (see lt_init) so output survives death by a signal
 * and keeps its order around exits and handlers.
 */
#ifndef LINUX_TESTS_COMMON_H
#define LINUX_TESTS_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* A pointer that is invalid on both sides: on x86_64 it is kernel space, on
 * wasm32 it is 0xfffff000, past the largest possible linear memory (2 GiB).
 * NULL is no good: page 0 is ordinary memory in a Wasm guest. Only pass it
 * where libc hands the pointer straight to the kernel (or use RSYS). */
#define BADPTR ((void *)(uintptr_t)-4096)

static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG)
	E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT)
	E(ENOTBLK) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR)
	E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC)
	E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLK)
	E(ENAMETOOLONG) E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENOMSG)
	E(EIDRM) E(ENODATA) E(ETIME) E(EOVERFLOW) E(EBADFD) E(EILSEQ)
	E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT)
	E(EPROTONOSUPPORT) E(EOPNOTSUPP) E(EAFNOSUPPORT) E(EADDRINUSE)
	E(EADDRNOTAVAIL) E(ENETUNREACH) E(ECONNABORTED) E(ECONNRESET)
	E(ENOBUFS) E(EISCONN) E(ENOTCONN) E(ETIMEDOUT) E(ECONNREFUSED)
	E(EALREADY) E(EINPROGRESS) E(ESTALE) E(EDQUOT) E(ECANCELED)
	E(EOWNERDEAD) E(ENOTRECOVERABLE)
#undef E
	}
	static char buf[16];
	snprintf(buf, sizeof buf, "E#%d", e);
	return buf;
}

/* Raw syscalls: arguments with their C types, as any caller of syscall()
 * passes them (ints, longs and pointers are 4 bytes in a wasm32 varargs
 * list; our musl's syscall() reads an argument as 64-bit only where the C
 * type is: wrap off_t/loff_t/dev_t arguments in LT_OFF). */
#define LT_A(x) (x)
#define LT_OFF(x) ((long long)(x))
#define RSYS0(n) syscall(n)
#define RSYS1(n, a) syscall(n, LT_A(a))
#define RSYS2(n, a, b) syscall(n, LT_A(a), LT_A(b))
#define RSYS3(n, a, b, c) syscall(n, LT_A(a), LT_A(b), LT_A(c))
#define RSYS4(n, a, b, c, d) syscall(n, LT_A(a), LT_A(b), LT_A(c), LT_A(d))
#define RSYS5(n, a, b, c, d, e) \
	syscall(n, LT_A(a), LT_A(b), LT_A(c), LT_A(d), LT_A(e))
#define RSYS6(n, a, b, c, d, e, f) \
	syscall(n, LT_A(a), LT_A(b), LT_A(c), LT_A(d), LT_A(e), LT_A(f))

/* CHECK("label", expr): runs expr (an int/long/ssize_t result with -1 and
 * errno on failure) and prints "label: RET" or "label: -1 ENAME". */
#define CHECK(label, expr) do { \
	errno = 0; \
	long long lt_r_ = (long long)(expr); \
	int lt_e_ = errno; \
	if (lt_r_ < 0) printf("%s: %lld %s\n", (label), lt_r_, errname(lt_e_)); \
	else printf("%s: %lld\n", (label), lt_r_); \
} while (0)

/* CHECK_OK: like CHECK, but a success prints "ok" (for results whose value
 * may legitimately differ, e.g. a new fd number after other opens, a size). */
#define CHECK_OK(label, expr) do { \
	errno = 0; \
	long long lt_r_ = (long long)(expr); \
	int lt_e_ = errno; \
	if (lt_r_ < 0) printf("%s: %lld %s\n", (label), lt_r_, errname(lt_e_)); \
	else printf("%s: ok\n", (label)); \
} while (0)

/* CHECK_ERRNUM: for functions that return an error number instead of
 * setting errno (posix_fadvise, clock_nanosleep, pthread_*...). */
#define CHECK_ERRNUM(label, expr) do { \
	int lt_r_ = (expr); \
	printf("%s: %s\n", (label), errname(lt_r_)); \
} while (0)

/* FACT("label", cond) prints "label: yes" or "label: no". */
#define FACT(label, cond) printf("%s: %s\n", (label), (cond) ? "yes" : "no")

#define SAY(...) printf(__VA_ARGS__)

/* Writes a whole file (creating/truncating it); returns 0 or -1. */
static inline int lt_write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) return -1;
	ssize_t n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Reads up to cap-1 bytes of a file into buf (NUL-terminated); returns the
 * length or -1. */
static inline ssize_t lt_read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n >= 0) buf[n] = 0;
	return n;
}

/* The file type of a mode, as a word. */
static inline const char *lt_ftype(mode_t m)
{
	if (S_ISREG(m)) return "regular";
	if (S_ISDIR(m)) return "directory";
	if (S_ISLNK(m)) return "symlink";
	if (S_ISFIFO(m)) return "fifo";
	if (S_ISCHR(m)) return "chardev";
	if (S_ISBLK(m)) return "blockdev";
	if (S_ISSOCK(m)) return "socket";
	return "unknown";
}

__attribute__((constructor)) static void lt_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}

#endif
