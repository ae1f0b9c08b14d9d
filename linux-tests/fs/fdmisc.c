// wali-test: dir=TMP
// sendfile, copy_file_range, memfd_create, ioctl on files and stdio.
#include "../common.h"
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <termios.h>

int main(void)
{
	char buf[64];
	lt_write_file("src", "0123456789abcdef", 16);
	int in = open("src", O_RDONLY);
	int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("sendfile", sendfile(out, in, NULL, 6));
	CHECK("in offset moved", lseek(in, 0, SEEK_CUR));
	off_t off = 10;
	CHECK("sendfile with offset", sendfile(out, in, &off, 100));
	SAY("offset now: %lld\n", (long long)off);
	CHECK("in offset unchanged", lseek(in, 0, SEEK_CUR));
	CHECK("sendfile at eof", sendfile(out, in, &off, 10));
	CHECK("sendfile bad in", sendfile(out, 99, NULL, 1));
	CHECK("sendfile bad out", sendfile(99, in, NULL, 1));
	CHECK("sendfile out read-only", sendfile(in, in, NULL, 1));
	CHECK("raw sendfile", RSYS4(SYS_sendfile, out, in, NULL, 2));
	off_t neg = -1;
	CHECK("sendfile negative offset", sendfile(out, in, &neg, 1));
	memset(buf, 0, sizeof buf);
	pread(out, buf, sizeof buf - 1, 0);
	SAY("dst: %s\n", buf);
	int p[2];
	pipe(p);
	CHECK("sendfile to pipe", sendfile(p[1], in, NULL, 3));
	memset(buf, 0, sizeof buf);
	read(p[0], buf, sizeof buf);
	SAY("pipe got: %s\n", buf);

	/* copy_file_range */
	int out2 = open("dst2", O_RDWR | O_CREAT | O_TRUNC, 0644);
	loff_t oi = 2, oo = 0;
	CHECK("copy_file_range", copy_file_range(in, &oi, out2, &oo, 5, 0));
	SAY("offsets: %lld %lld\n", (long long)oi, (long long)oo);
	lseek(in, 0, SEEK_SET);
	CHECK("copy_file_range fd offsets", copy_file_range(in, NULL, out2, NULL, 4, 0));
	CHECK("out2 offset", lseek(out2, 0, SEEK_CUR));
	CHECK("copy_file_range bad flags", copy_file_range(in, NULL, out2, NULL, 4, 1));
	CHECK("copy_file_range bad fd", copy_file_range(99, NULL, out2, NULL, 4, 0));
	CHECK("copy_file_range at eof", copy_file_range(in, &oi, out2, NULL, 0, 0));
	loff_t big = 100;
	CHECK("copy_file_range past eof", copy_file_range(in, &big, out2, NULL, 4, 0));
	CHECK("raw copy_file_range", RSYS6(SYS_copy_file_range, in, NULL, out2, NULL, 2, 0));
	memset(buf, 0, sizeof buf);
	pread(out2, buf, sizeof buf - 1, 0);
	SAY("dst2: %s\n", buf);

	/* memfd_create */
	int m = memfd_create("lt-memfd", MFD_CLOEXEC);
	FACT("memfd_create", m >= 0);
	FACT("memfd cloexec", fcntl(m, F_GETFD) & FD_CLOEXEC);
	CHECK("write memfd", write(m, "memory", 6));
	struct stat st;
	fstat(m, &st);
	SAY("memfd: %s size=%lld\n", lt_ftype(st.st_mode), (long long)st.st_size);
	memset(buf, 0, sizeof buf);
	CHECK("pread memfd", pread(m, buf, 10, 0));
	SAY("memfd data: %s\n", buf);
	CHECK("ftruncate memfd", ftruncate(m, 4096));
	char *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	FACT("mmap memfd", map != MAP_FAILED);
	if (map != MAP_FAILED) {
		SAY("mapped: %.6s\n", map);
		munmap(map, 4096);
	}
	CHECK("memfd_create bad flags", memfd_create("x", 0x1000));
	CHECK("raw memfd_create", RSYS2(SYS_memfd_create, "raw", 0) >= 0 ? 0 : -1);
	CHECK("memfd_create bad name ptr", RSYS2(SYS_memfd_create, BADPTR, 0));

	/* ioctl: terminal requests on a regular file are ENOTTY */
	struct winsize ws;
	struct termios t;
	CHECK("TIOCGWINSZ on file", ioctl(in, TIOCGWINSZ, &ws));
	CHECK("TCGETS on file", ioctl(in, TCGETS, &t));
	CHECK("tcgetattr on file", tcgetattr(in, &t));
	FACT("isatty(file)", isatty(in));
	CHECK("isatty errno", (isatty(in), -errno));
	CHECK("ioctl bad fd", ioctl(99, FIONREAD, buf));
	int n = -1;
	CHECK("FIONREAD on file", ioctl(in, FIONREAD, &n));
	lseek(in, 4, SEEK_SET);
	ioctl(in, FIONREAD, &n);
	SAY("FIONREAD file remaining: %d\n", n);
	CHECK("FIONREAD bad ptr", ioctl(in, FIONREAD, BADPTR));
	CHECK("raw ioctl FIOCLEX", RSYS3(SYS_ioctl, in, FIOCLEX, 0));
	/* stdin is /dev/null in both runs */
	CHECK("TCGETS on /dev/null stdin", ioctl(0, TCGETS, &t));
	FACT("isatty(0)", isatty(0));
	return 0;
}
