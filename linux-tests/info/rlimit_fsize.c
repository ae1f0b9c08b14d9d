// wali-test: dir=TMP expect-signal=SIGXFSZ
// RLIMIT_FSIZE set by the guest: writes, truncates and fallocate of regular
// files past the soft limit raise SIGXFSZ and fail with EFBIG; a write that
// crosses it is shortened; pipes are not limited. The limit is the guest's:
// wali's own stderr keeps working (it used to panic, exit 101). Last, with
// the default action, the guest dies by SIGXFSZ.
#include "../common.h"
#include <sys/resource.h>
#include <sys/uio.h>

static volatile int xfsz;
static void on_xfsz(int sig) { (void)sig; xfsz++; }

int main(void)
{
	signal(SIGXFSZ, on_xfsz);
	struct rlimit r = { 10, RLIM_INFINITY };
	CHECK_OK("setrlimit FSIZE 10", setrlimit(RLIMIT_FSIZE, &r));
	struct rlimit g;
	CHECK_OK("getrlimit", getrlimit(RLIMIT_FSIZE, &g));
	SAY("soft %llu hard infinite %s\n", (unsigned long long)g.rlim_cur, g.rlim_max == RLIM_INFINITY ? "yes" : "no");
	int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK("write 6", write(fd, "abcdef", 6));
	CHECK("write 8 crossing the limit", write(fd, "ghijklmn", 8));
	SAY("xfsz after a shortened write: %d\n", xfsz);
	CHECK("write at the limit", write(fd, "x", 1));
	SAY("xfsz: %d\n", xfsz);
	CHECK("write 0 at the limit", write(fd, "x", 0));
	CHECK("pwrite past the limit", pwrite(fd, "x", 1, 20));
	CHECK("pwrite crossing", pwrite(fd, "wxyz", 4, 8));
	char a[] = "12", b[] = "345";
	struct iovec iov[2] = { { a, 2 }, { b, 3 } };
	CHECK("pwritev crossing", pwritev(fd, iov, 2, 6));
	lseek(fd, 9, SEEK_SET);
	CHECK("writev crossing", writev(fd, iov, 2));
	CHECK("writev at the limit", writev(fd, iov, 2));
	SAY("xfsz: %d\n", xfsz);
	struct stat st;
	fstat(fd, &st);
	SAY("size %lld\n", (long long)st.st_size);
	CHECK("ftruncate grow past", ftruncate(fd, 11));
	CHECK("ftruncate shrink", ftruncate(fd, 4));
	CHECK("ftruncate grow to the limit", ftruncate(fd, 10));
	CHECK("truncate grow past", truncate("f", 100));
	CHECK("fallocate past", fallocate(fd, 0, 0, 64));
	CHECK("fallocate keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 64));
	SAY("xfsz: %d\n", xfsz);
	int app = open("f", O_WRONLY | O_APPEND);
	CHECK("append at the limit", write(app, "z", 1));
	int p[2];
	pipe(p);
	char big[64];
	memset(big, 'p', sizeof big);
	CHECK("pipe write is not limited", write(p[1], big, sizeof big));
	SAY("xfsz: %d\n", xfsz);
	fprintf(stderr, "stderr still works\n");
	signal(SIGXFSZ, SIG_DFL);
	SAY("dying\n");
	write(fd, "x", 1);
	SAY("NOT REACHED\n");
	return 0;
}
