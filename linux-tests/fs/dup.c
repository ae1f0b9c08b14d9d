// wali-test: dir=TMP
// dup, dup2, dup3, fcntl F_DUPFD(_CLOEXEC), close_range: numbering, shared
// offsets, flags, errors.
#include "../common.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static void open_fds(const char *label)
{
	SAY("%s:", label);
	for (int i = 0; i < 40; i++)
		if (fcntl(i, F_GETFD) >= 0) SAY(" %d", i);
	SAY("\n");
}

int main(void)
{
	lt_write_file("f", "0123456789", 10);
	int fd = open("f", O_RDWR);
	open_fds("open fds");
	CHECK("dup", dup(fd));
	CHECK("dup bad fd", dup(99));
	CHECK("dup -1", dup(-1));
	CHECK("raw dup", RSYS1(SYS_dup, fd));
	lseek(fd, 3, SEEK_SET);
	CHECK("dup shares offset", lseek(4, 0, SEEK_CUR));
	close(4);
	close(5);
	CHECK("dup2", dup2(fd, 10));
	CHECK("dup2 same fd", dup2(fd, fd));
	CHECK("dup2 same bad fd", dup2(99, 99));
	CHECK("dup2 bad old", dup2(99, 11));
	CHECK("dup2 negative new", dup2(fd, -1));
	CHECK("dup2 huge new", dup2(fd, 1 << 30));
	CHECK("raw dup2", RSYS2(SYS_dup2, fd, 12));
	/* dup2 over an open fd closes it first */
	int other = open("f", O_RDONLY);
	CHECK("dup2 over open fd", dup2(fd, other));
	CHECK("it now shares the offset", lseek(other, 0, SEEK_CUR));
	close(other);
	CHECK("dup2 clears cloexec", (fcntl(10, F_SETFD, FD_CLOEXEC), dup2(fd, 10)));
	FACT("cloexec on 10", fcntl(10, F_GETFD) & FD_CLOEXEC);
	CHECK("dup3", dup3(fd, 13, O_CLOEXEC));
	FACT("cloexec on 13", fcntl(13, F_GETFD) & FD_CLOEXEC);
	CHECK("dup3 same fd", dup3(fd, fd, 0));
	CHECK("dup3 bad flags", dup3(fd, 14, O_NONBLOCK));
	CHECK("dup3 bad old", dup3(99, 14, 0));
	CHECK("raw dup3", RSYS3(SYS_dup3, fd, 14, 0));
	open_fds("after dups");

	CHECK("F_DUPFD 20", fcntl(fd, F_DUPFD, 20));
	CHECK("F_DUPFD 20 again", fcntl(fd, F_DUPFD, 20));
	CHECK("F_DUPFD_CLOEXEC 0", fcntl(fd, F_DUPFD_CLOEXEC, 0));
	FACT("cloexec on F_DUPFD_CLOEXEC", fcntl(4, F_GETFD) & FD_CLOEXEC);
	CHECK("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
	CHECK("F_DUPFD huge", fcntl(fd, F_DUPFD, 1 << 30));
	CHECK("F_GETFD", fcntl(fd, F_GETFD));
	CHECK("F_SETFD", fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK("F_GETFD after", fcntl(fd, F_GETFD));
	CHECK("F_GETFD bad fd", fcntl(99, F_GETFD));
	open_fds("before close_range");

	CHECK("close_range cloexec", RSYS3(SYS_close_range, 20, 21, CLOSE_RANGE_CLOEXEC));
	FACT("20 cloexec", fcntl(20, F_GETFD) & FD_CLOEXEC);
	CHECK("close_range 10..14", RSYS3(SYS_close_range, 10, 14, 0));
	open_fds("after close_range 10..14");
	CHECK("close_range bad order", RSYS3(SYS_close_range, 5, 4, 0));
	CHECK("close_range bad flags", RSYS3(SYS_close_range, 5, 6, 0x80));
	CHECK("close_range to ~0", RSYS3(SYS_close_range, 15, ~0U, 0));
	open_fds("after close_range 15..~0");
	CHECK("close_range nothing open", RSYS3(SYS_close_range, 100, 200, 0));

	/* the lowest free fd */
	close(0);
	CHECK("dup takes fd 0", dup(fd));
	return 0;
}
