// wali-test: dir=TMP
// preadv2, pwritev2: a given offset leaves the file position alone, offset
// -1 uses and moves it; RWF_HIPRI/RWF_DSYNC accepted, RWF_APPEND writes at
// the end whatever the offset; offsets past 4 GiB on a sparse file; on a
// pipe (-1 only); SIGPIPE from a pipe with no reader; errors: unknown flag
// (EOPNOTSUPP), offset below -1 (EINVAL), bad fd, bad iovcnt, bad buffer.
#include "../common.h"
#include <sys/uio.h>

static volatile int got_sigpipe;
static void on_sigpipe(int s) { (void)s; got_sigpipe = 1; }

int main(void)
{
	char a[8], b[8];
	struct iovec r[2] = { { a, 3 }, { b, 4 } };
	struct iovec w[2] = { { "hello ", 6 }, { "world", 5 } };
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK("pwritev2 at 0, HIPRI", pwritev2(fd, w, 2, 0, RWF_HIPRI));
	CHECK("position kept", lseek(fd, 0, SEEK_CUR));
	struct iovec w2 = { "HEL", 3 };
	CHECK("pwritev2 at -1, DSYNC", pwritev2(fd, &w2, 1, -1, RWF_DSYNC));
	CHECK("position moved", lseek(fd, 0, SEEK_CUR));
	struct iovec w3 = { "!", 1 };
	CHECK("pwritev2 APPEND at 0", pwritev2(fd, &w3, 1, 0, RWF_APPEND));
	CHECK("position kept", lseek(fd, 0, SEEK_CUR));

	memset(a, 0, sizeof a), memset(b, 0, sizeof b);
	CHECK("preadv2 at 4, HIPRI", preadv2(fd, r, 2, 4, RWF_HIPRI));
	SAY("parts: '%s' '%s'\n", a, b);
	CHECK("position kept", lseek(fd, 0, SEEK_CUR));
	memset(a, 0, sizeof a), memset(b, 0, sizeof b);
	CHECK("preadv2 at -1, HIPRI", preadv2(fd, r, 2, -1, RWF_HIPRI));
	SAY("parts: '%s' '%s'\n", a, b);
	CHECK("position moved", lseek(fd, 0, SEEK_CUR));
	CHECK("preadv2 at -1 at eof", preadv2(fd, r, 2, -1, RWF_HIPRI));
	CHECK("preadv2 flags 0", preadv2(fd, r, 1, 0, 0));

	/* past 4 GiB: the offset is one 64-bit value */
	long long far = 5LL * 1024 * 1024 * 1024 + 3;
	struct iovec wf = { "far", 3 };
	CHECK("pwritev2 at 5GiB+3", pwritev2(fd, &wf, 1, far, RWF_HIPRI));
	struct stat st;
	CHECK("fstat", fstat(fd, &st));
	SAY("size: %lld\n", (long long)st.st_size);
	memset(a, 'x', sizeof a), memset(b, 'x', sizeof b);
	CHECK("preadv2 at 5GiB", preadv2(fd, r, 2, far - 3, RWF_HIPRI));
	SAY("bytes: %d %d %d %c%c%c%c\n", a[0], a[1], a[2], b[0], b[1], b[2], b[3]);
	CHECK("lseek 5GiB+1", lseek(fd, far - 2, SEEK_SET));
	memset(a, 0, sizeof a), memset(b, 0, sizeof b);
	CHECK("preadv2 at -1 from 5GiB+1", preadv2(fd, r, 2, -1, RWF_HIPRI));
	SAY("bytes: %d %d %s %s\n", a[0], a[1], a + 2, b);
	CHECK("position", lseek(fd, 0, SEEK_CUR));
	CHECK("ftruncate", ftruncate(fd, 12));

	/* errors */
	CHECK("preadv2 unknown flag", preadv2(fd, r, 2, 0, 0x40000000));
	CHECK("pwritev2 unknown flag", pwritev2(fd, w, 2, 0, 0x40000000));
	CHECK("preadv2 offset -2", preadv2(fd, r, 2, -2, RWF_HIPRI));
	CHECK("pwritev2 offset -2", pwritev2(fd, w, 2, -2, RWF_HIPRI));
	CHECK("preadv2 bad fd", preadv2(99, r, 2, 0, RWF_HIPRI));
	CHECK("pwritev2 bad fd", pwritev2(99, w, 2, 0, RWF_HIPRI));
	CHECK("preadv2 iovcnt -1", preadv2(fd, r, -1, 0, RWF_HIPRI));
	CHECK("pwritev2 iovcnt 1025", pwritev2(fd, w, 1025, 0, RWF_HIPRI));
	struct iovec bad = { BADPTR, 4 };
	CHECK("preadv2 bad buffer", preadv2(fd, &bad, 1, 0, RWF_HIPRI));
	int ro = open("f", O_RDONLY);
	CHECK("pwritev2 on a read-only fd", pwritev2(ro, w, 2, 0, RWF_HIPRI));

	/* pipes: no offsets, only -1 */
	int p[2];
	CHECK("pipe", pipe(p));
	CHECK("pwritev2 pipe -1", pwritev2(p[1], w, 2, -1, RWF_HIPRI));
	CHECK("pwritev2 pipe at 0", pwritev2(p[1], w, 2, 0, RWF_HIPRI));
	memset(a, 0, sizeof a), memset(b, 0, sizeof b);
	CHECK("preadv2 pipe -1", preadv2(p[0], r, 2, -1, RWF_HIPRI));
	SAY("parts: '%s' '%s'\n", a, b);
	CHECK("preadv2 pipe at 0", preadv2(p[0], r, 2, 0, RWF_HIPRI));
	signal(SIGPIPE, on_sigpipe);
	close(p[0]);
	CHECK("pwritev2 to a pipe with no reader", pwritev2(p[1], w, 2, -1, RWF_HIPRI));
	FACT("SIGPIPE delivered", got_sigpipe);
	return 0;
}
