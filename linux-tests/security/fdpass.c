// wali-test: dir=TMP needs=net
// SCM_RIGHTS carries only descriptors the guest holds: a number it does not
// have is EBADF (natively too), a real one arrives as a new guest fd that
// reads the same file.
#include "sandbox.h"
#include <sys/socket.h>

static int send_fd(int sock, int fd)
{
	char c = 'x';
	struct iovec iov = { &c, 1 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	return (int)sendmsg(sock, &msg, 0);
}

static int recv_fd(int sock)
{
	char c;
	struct iovec iov = { &c, 1 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	if (recvmsg(sock, &msg, 0) < 0) return -1;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS) return -2;
	int fd;
	memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return fd;
}

int main(void)
{
	int sv[2];
	CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK("send fd 200 (not open)", send_fd(sv[0], 200));
	CHECK("send fd -1", send_fd(sv[0], -1));
	CHECK_OK("write file", lt_write_file("f", "hello", 5));
	int fd = open("f", O_RDONLY);
	CHECK("send real fd", send_fd(sv[0], fd));
	int got = recv_fd(sv[1]);
	FACT("received an fd", got >= 0);
	char buf[8] = { 0 };
	CHECK("read received", (int)read(got, buf, 5));
	FACT("same data", strcmp(buf, "hello") == 0);
	return 0;
}
