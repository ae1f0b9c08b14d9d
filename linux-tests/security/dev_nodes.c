// wali-test: dir=TMP
// Issue 14, finding 5: the granted devices (/dev/null, /dev/zero,
// /dev/urandom, /dev/random, /dev/full) are the host's own nodes; the guest
// reads and writes them but never changes their mode, owner or times:
// chmod, fchmod, fchmodat, chown, lchown, fchown, fchownat (also with
// AT_EMPTY_PATH), utimes, utime, futimesat, utimensat and futimens answer
// EPERM, by path or by descriptor. The attempts pass the node's current
// values, so even a sandbox that let them through would change nothing.
#include "sandbox.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <utime.h>

static const char *devs[] = { "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/full" };

static void attack(const char *dev)
{
	struct stat st;
	char label[96];
	if (stat(dev, &st) != 0) {
		SAY("%s: stat failed\n", dev);
		return;
	}
	mode_t mode = st.st_mode & 07777;
	struct timespec ts[2] = { st.st_atim, st.st_mtim };
	struct timeval tv[2] = { { st.st_atim.tv_sec, st.st_atim.tv_nsec / 1000 },
				 { st.st_mtim.tv_sec, st.st_mtim.tv_nsec / 1000 } };
	struct utimbuf ub = { st.st_atime, st.st_mtime };
#define TRY(what, expr) do { snprintf(label, sizeof label, "%s %s", what, dev); ESCAPE(label, expr, EPERM); } while (0)
	TRY("chmod", chmod(dev, mode));
	TRY("fchmodat", fchmodat(AT_FDCWD, dev, mode, 0));
	TRY("chown", chown(dev, st.st_uid, st.st_gid));
	TRY("lchown", lchown(dev, st.st_uid, st.st_gid));
	TRY("fchownat", fchownat(AT_FDCWD, dev, st.st_uid, st.st_gid, 0));
	TRY("utimes", utimes(dev, tv));
	TRY("utime", utime(dev, &ub));
	TRY("futimesat", futimesat(AT_FDCWD, dev, tv));
	TRY("utimensat", utimensat(AT_FDCWD, dev, ts, 0));
	int fd = open(dev, O_RDWR);
	snprintf(label, sizeof label, "open %s rw", dev);
	FACT(label, fd >= 0);
	TRY("fchmod", fchmod(fd, mode));
	TRY("fchown", fchown(fd, st.st_uid, st.st_gid));
	TRY("fchownat AT_EMPTY_PATH", fchownat(fd, "", st.st_uid, st.st_gid, AT_EMPTY_PATH));
	TRY("futimens", futimens(fd, ts));
	char buf[4] = { 1, 1, 1, 1 };
	ssize_t w = write(fd, "x", 1);
	snprintf(label, sizeof label, "write %s", dev);
	if (strcmp(dev, "/dev/full") == 0) FACT(label, w < 0 && errno == ENOSPC);
	else FACT(label, w == 1);
	snprintf(label, sizeof label, "read %s", dev);
	ssize_t r = read(fd, buf, sizeof buf);
	if (strcmp(dev, "/dev/null") == 0) FACT(label, r == 0);
	else FACT(label, r == 4);
	close(fd);
	struct stat after;
	stat(dev, &after);
	snprintf(label, sizeof label, "%s unchanged", dev);
	FACT(label, after.st_mode == st.st_mode && after.st_uid == st.st_uid && after.st_gid == st.st_gid);
}

int main(void)
{
	for (unsigned i = 0; i < sizeof devs / sizeof *devs; i++)
		attack(devs[i]);
	/* A file of the guest's own mount keeps every metadata change. */
	CHECK_OK("create", lt_write_file("f", "x", 1));
	CHECK("chmod own file", chmod("f", 0600));
	CHECK("utimes own file", utimes("f", NULL));
	return 0;
}
