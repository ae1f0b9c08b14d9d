// wali-test: dir=TMP
// Path escapes: .. traversal, absolute paths outside the mounts, symlinks
// and hard links pointing outside, /proc/self/root, /proc/self/fd, openat on
// a mount's dirfd with .., rename and link out of the mount. Host paths
// outside the mounts do not exist for the guest (ENOENT); creating a name in
// a virtual directory (an ancestor of a mount) is EROFS.
#include "sandbox.h"

int main(void)
{
	char buf[64];
	CHECK_OK("write inside", lt_write_file("inside", "data", 4));
	CHECK("read inside", (int)lt_read_file("inside", buf, sizeof buf));

	ESCAPE("open ../ x20 /usr/bin/env",
	       open("../../../../../../../../../../../../../../../../../../../../usr/bin/env", O_RDONLY), ENOENT);
	ESCAPE("open /usr/bin/env", open("/usr/bin/env", O_RDONLY), ENOENT);
	struct stat st;
	ESCAPE("stat /root", stat("/root", &st), ENOENT);
	ESCAPE("open /proc/self/root/usr/bin/env", open("/proc/self/root/usr/bin/env", O_RDONLY), ENOENT);
	ESCAPE("open /proc/1/environ", open("/proc/1/environ", O_RDONLY), ENOENT);

	/* symlinks: creating them is fine, following them out is not */
	CHECK("symlink abs", symlink("/usr/bin/env", "abs"));
	CHECK("symlink rel", symlink("../../../../../../../../../../usr/bin/env", "rel"));
	CHECK("symlink in", symlink("inside", "in"));
	CHECK("readlink abs", (int)readlink("abs", buf, sizeof buf));
	CHECK("read via in", (int)lt_read_file("in", buf, sizeof buf));
	ESCAPE("open abs", open("abs", O_RDONLY), ENOENT);
	ESCAPE("open rel", open("rel", O_RDONLY), ENOENT);
	ESCAPE("chdir via abs/..", chdir("abs/.."), ENOENT);

	/* hard links */
	CHECK("link inside", link("inside", "hard"));
	ESCAPE("link /usr/bin/env here", link("/usr/bin/env", "hl"), ENOENT);
	ESCAPE("link inside to /tmp/x", link("inside", "/lt-escape-link"), EROFS);

	/* /proc/self/fd: an open fd works through the fd, not through /proc */
	int fd = open("inside", O_RDONLY);
	CHECK("open inside fd", fd);
	CHECK("fstat fd", fstat(fd, &st));
	snprintf(buf, sizeof buf, "/proc/self/fd/%d", fd);
	ESCAPE("open /proc/self/fd/N", open(buf, O_RDONLY), ENOENT);
	close(fd);

	/* openat on the mount's own dirfd with .. */
	int d = open(".", O_RDONLY | O_DIRECTORY);
	CHECK("open . dir", d);
	CHECK_OK("openat d inside", openat(d, "inside", O_RDONLY));
	ESCAPE("openat d ../../../../../usr/bin/env",
	       openat(d, "../../../../../../../../../usr/bin/env", O_RDONLY), ENOENT);
	ESCAPE("openat d /usr/bin/env", openat(d, "/usr/bin/env", O_RDONLY), ENOENT);

	/* rename out of the mount */
	CHECK("rename inside", rename("hard", "hard2"));
	ESCAPE("rename to /", rename("hard2", "/lt-escape-rename"), EROFS);
	ESCAPE("rename to ../../../..", renameat(d, "hard2", d, "../../../../../../../../lt-escape"), EROFS);
	ESCAPE("rename from outside", rename("/usr/bin/env", "stolen"), ENOENT);
	FACT("hard2 still here", access("hard2", F_OK) == 0);
	close(d);
	return 0;
}
