// wali-test: dir=TMP needs=net
// AF_UNIX socketpair: stream and datagram data flow, shutdown, sendmsg/
// recvmsg with iovecs and SCM_RIGHTS, MSG_DONTWAIT/MSG_PEEK/MSG_NOSIGNAL,
// socket options.
#include "../common.h"
#include <sys/socket.h>
#include <sys/uio.h>

int main(void)
{
	int sv[2];
	char buf[64];
	CHECK("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	SAY("fds: %d %d\n", sv[0], sv[1]);
	CHECK("send", send(sv[0], "hello", 5, 0));
	memset(buf, 0, sizeof buf);
	CHECK("recv peek", recv(sv[1], buf, sizeof buf, MSG_PEEK));
	CHECK("recv", recv(sv[1], buf, sizeof buf, 0));
	SAY("got: %s\n", buf);
	CHECK("recv empty dontwait", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	CHECK("write/read work too", (write(sv[1], "back", 4), read(sv[0], buf, 4)));
	int v = 0;
	socklen_t l = sizeof v;
	CHECK("SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l));
	SAY("type stream: %s, optlen %d\n", v == SOCK_STREAM ? "yes" : "no", (int)l);
	l = sizeof v;
	CHECK("SO_DOMAIN", getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &l));
	SAY("domain unix: %s\n", v == AF_UNIX ? "yes" : "no");
	l = sizeof v;
	CHECK("SO_ERROR", getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &l));
	SAY("error: %d\n", v);
	v = 65536;
	CHECK("SO_SNDBUF set", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
	/* an unknown level is not asked: the table note on getsockopt says
	 * wali answers ENOPROTOOPT for every option it does not know (Linux:
	 * EOPNOTSUPP for an unknown level on AF_UNIX) */
	CHECK("bad optname", getsockopt(sv[0], SOL_SOCKET, 9999, &v, &l));
	CHECK("setsockopt short optlen", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, 1));
	CHECK("getsockopt on file", (lt_write_file("f", "", 0), getsockopt(open("f", O_RDONLY), SOL_SOCKET, SO_TYPE, &v, &l)));

	/* vectors and ancillary data */
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	int passfd = open("f", O_RDONLY);
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } ctl;
	memset(&ctl, 0, sizeof ctl);
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2, .msg_control = ctl.b, .msg_controllen = sizeof ctl.b };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &passfd, sizeof(int));
	CHECK("sendmsg with fd", sendmsg(sv[0], &mh, 0));
	char a1[3] = { 0 }, a2[8] = { 0 };
	struct iovec riov[2] = { { a1, 2 }, { a2, 7 } };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } rctl;
	memset(&rctl, 0, sizeof rctl);
	struct msghdr rh = { .msg_iov = riov, .msg_iovlen = 2, .msg_control = rctl.b, .msg_controllen = sizeof rctl.b };
	CHECK("recvmsg", recvmsg(sv[1], &rh, MSG_CMSG_CLOEXEC));
	SAY("parts: '%s' '%s'\n", a1, a2);
	c = CMSG_FIRSTHDR(&rh);
	if (c && c->cmsg_type == SCM_RIGHTS) {
		int got;
		memcpy(&got, CMSG_DATA(c), sizeof got);
		struct stat s1, s2;
		fstat(got, &s1);
		fstat(passfd, &s2);
		FACT("received fd is the same file", s1.st_ino == s2.st_ino);
		FACT("received fd cloexec", fcntl(got, F_GETFD) & FD_CLOEXEC);
		FACT("received fd is new", got != passfd);
	} else SAY("no SCM_RIGHTS\n");
	SAY("msg_flags: %#x\n", rh.msg_flags);
	CHECK("raw sendto", RSYS6(SYS_sendto, sv[0], "z", 1, 0, NULL, 0));
	CHECK("raw recvfrom", RSYS6(SYS_recvfrom, sv[1], buf, 10, 0, NULL, NULL));
	CHECK("raw sendmsg", RSYS3(SYS_sendmsg, sv[0], &mh, 0) > 0 ? 0 : -1);
	CHECK("raw recvmsg", RSYS3(SYS_recvmsg, sv[1], &rh, 0) > 0 ? 0 : -1);

	/* shutdown */
	CHECK("shutdown write", shutdown(sv[0], SHUT_WR));
	CHECK("peer reads EOF", recv(sv[1], buf, sizeof buf, 0));
	CHECK("send after shutdown", send(sv[0], "x", 1, MSG_NOSIGNAL));
	CHECK("shutdown bad how", shutdown(sv[0], 7));
	CHECK("shutdown not a socket", shutdown(passfd, SHUT_RD));
	CHECK("raw shutdown", RSYS2(SYS_shutdown, sv[1], SHUT_RDWR));
	close(sv[1]);
	CHECK("send to closed peer", send(sv[0], "x", 1, MSG_NOSIGNAL));

	/* datagrams keep boundaries */
	CHECK("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	FACT("cloexec", fcntl(sv[0], F_GETFD) & FD_CLOEXEC);
	send(sv[0], "one", 3, 0);
	send(sv[0], "three", 5, 0);
	CHECK("recv dgram 1", recv(sv[1], buf, sizeof buf, 0));
	CHECK("recv dgram 2 truncated", recv(sv[1], buf, 2, 0));
	send(sv[0], "four", 4, 0);
	CHECK("recv MSG_TRUNC", recv(sv[1], buf, 1, MSG_TRUNC));
	CHECK("seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv));
	FACT("nonblock", fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	CHECK("recv seqpacket empty", recv(sv[0], buf, 1, 0));
	CHECK("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
	CHECK("socketpair bad type", socketpair(AF_UNIX, 99, 0, sv));
	CHECK("socketpair bad ptr", RSYS4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BADPTR));
	CHECK("raw socketpair", RSYS4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv));
	return 0;
}
