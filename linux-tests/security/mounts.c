// wali-test: dir=TMP needs=fork,exec self=self policy=mounts.toml
// Per-mount rights: writes, unlinks, renames, chmod and truncation in a
// read-only mount answer EROFS while reads work; execve from a noexec mount
// answers EACCES while the same module runs from a normal mount; a nodev
// mount refuses opening host device files (EACCES) but not stat; /dev/tty is
// not granted by default; the granted /dev/null works.
#include "sandbox.h"
#include <sys/wait.h>

#ifdef __wasm__
#define RO(p) "/ro/" p
#else
#define RO(p) p
#endif

static int run_self(const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)"self", (char *)"child", NULL };
		execv(path, argv);
		_exit(100 + (errno == EACCES));
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return 7;
	char buf[64];
	CHECK_OK("write file", lt_write_file("file", "data", 4));
	CHECK("read via ro", (int)lt_read_file(RO("file"), buf, sizeof buf));
	ESCAPE("open ro O_WRONLY", open("/ro/file", O_WRONLY), EROFS);
	ESCAPE("create in ro", open("/ro/new", O_WRONLY | O_CREAT, 0644), EROFS);
	ESCAPE("unlink in ro", unlink("/ro/file"), EROFS);
	ESCAPE("rename in ro", rename("/ro/file", "/ro/file2"), EROFS);
	ESCAPE("mkdir in ro", mkdir("/ro/d", 0755), EROFS);
	ESCAPE("chmod in ro", chmod("/ro/file", 0600), EROFS);
	ESCAPE("truncate in ro", truncate("/ro/file", 0), EROFS);
	ESCAPE("symlink in ro", symlink("file", "/ro/l"), EROFS);
	FACT("file intact", lt_read_file("file", buf, sizeof buf) == 4);

	/* noexec: the same module, from two mounts of the same directory */
	FACT("exec ./self works", run_self("./self") == 7);
#ifdef __wasm__
	FACT("exec /noexec/self: EACCES", run_self("/noexec/self") == 101);
#else
	FACT("exec /noexec/self: EACCES", 1);
#endif

	/* nodev */
	struct stat st;
#ifdef __wasm__
	CHECK("stat /hostdev/null", stat("/hostdev/null", &st));
#else
	CHECK("stat /hostdev/null", stat("/dev/null", &st));
#endif
	ESCAPE("open /hostdev/null", open("/hostdev/null", O_RDONLY), EACCES);
	ESCAPE("open /hostdev/zero", open("/hostdev/zero", O_RDONLY), EACCES);
	int fd = open("/dev/null", O_WRONLY);
	CHECK_OK("open /dev/null", fd);
	CHECK("write /dev/null", (int)write(fd, "x", 1));
	close(fd);
	ESCAPE("open /dev/tty", open("/dev/tty", O_RDWR), ENOENT);
	ESCAPE("open /dev/sda", open("/dev/sda", O_RDONLY), ENOENT);
	return 0;
}
