// wali-test: dir=TMP
// Less common open flags and path shapes: O_PATH, O_EXCL without O_CREAT,
// O_CREAT through symlinks, O_TRUNC with O_RDONLY, O_NOFOLLOW, trailing
// slashes, absolute paths with a dirfd, O_DIRECTORY|O_CREAT.
#include "../common.h"
#include <dirent.h>

int main(void)
{
	char buf[16];
	struct stat st;
	lt_write_file("f", "content", 7);
	mkdir("d", 0755);
	symlink("target", "dangling");
	symlink("f", "lf");
	symlink("d", "ld");

	int p = open("f", O_PATH);
	FACT("O_PATH opens", p >= 0);
	CHECK("read O_PATH fd", read(p, buf, 1));
	CHECK("fstat O_PATH fd", fstat(p, &st));
	SAY("O_PATH fstat size: %lld\n", (long long)st.st_size);
	close(p);
	p = open("lf", O_PATH | O_NOFOLLOW);
	FACT("O_PATH|O_NOFOLLOW on symlink opens", p >= 0);
	fstat(p, &st);
	SAY("it is a: %s\n", lt_ftype(st.st_mode));
	close(p);

	CHECK("O_EXCL without O_CREAT", open("f", O_RDONLY | O_EXCL));
	close(3);
	CHECK("O_CREAT through dangling symlink", open("dangling", O_WRONLY | O_CREAT, 0644));
	close(3);
	CHECK("target created", lstat("target", &st));
	SAY("target type: %s\n", lt_ftype(st.st_mode));
	unlink("target");
	CHECK("O_CREAT|O_EXCL on dangling symlink", open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644));
	CHECK("O_NOFOLLOW on symlink", open("lf", O_RDONLY | O_NOFOLLOW));
	CHECK("O_NOFOLLOW on dir symlink", open("ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
	CHECK("O_NOFOLLOW on symlink in the middle", open("ld/../f", O_RDONLY | O_NOFOLLOW));
	close(3);
	CHECK("O_TRUNC|O_RDONLY", open("f", O_RDONLY | O_TRUNC));
	fstat(3, &st);
	SAY("size after O_RDONLY|O_TRUNC: %lld\n", (long long)st.st_size);
	close(3);
	lt_write_file("f", "content", 7);
	CHECK("trailing slash on file", open("f/", O_RDONLY));
	CHECK("trailing slash on dir", open("d/", O_RDONLY));
	close(3);
	CHECK("O_CREAT with trailing slash", open("new/", O_WRONLY | O_CREAT, 0644));
	CHECK("O_DIRECTORY|O_CREAT", open("nd", O_RDONLY | O_DIRECTORY | O_CREAT, 0755));
	CHECK("double slashes", open("d//..//f", O_RDONLY));
	close(3);
	CHECK("dot segments", open("./d/../f", O_RDONLY));
	close(3);
	int d = open("d", O_RDONLY | O_DIRECTORY);
	char abs[PATH_MAX + 8];
	getcwd(abs, PATH_MAX);
	strcat(abs, "/f");
	CHECK("openat absolute ignores dirfd", openat(d, abs, O_RDONLY) >= 0 ? 0 : -1);
	CHECK("openat absolute with bad dirfd", openat(999, abs, O_RDONLY) >= 0 ? 0 : -1);
	CHECK("O_WRONLY|O_RDWR (3)", open("f", 3));
	close(d);
	/* dup'd and reopened O_APPEND descriptors */
	int a = open("f", O_WRONLY | O_APPEND);
	int b = open("f", O_WRONLY);
	write(b, "XY", 2);
	write(a, "!", 1);
	memset(buf, 0, sizeof buf);
	lt_read_file("f", buf, sizeof buf);
	SAY("content: %s\n", buf);
	return 0;
}
