// wali-test: dir=TMP needs=net,poll
// AF_UNIX with paths in the mounted temp dir: datagram sockets bound to
// names (recvfrom/recvmsg give the sender's path back), stream sockets
// passing descriptors with SCM_RIGHTS over a bound path, SCM_CREDENTIALS,
// seqpacket boundaries, names of relative and absolute paths, and the
// filesystem errors of bind and connect.
#include "../common.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

static socklen_t un(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void show_name(const char *label, struct sockaddr_un *a, socklen_t len)
{
	if (len <= offsetof(struct sockaddr_un, sun_path))
		SAY("%s: unnamed (len %d)\n", label, (int)len);
	else
		SAY("%s: '%s' (len %d)\n", label, a->sun_path, (int)len);
}

static int send_fd(int s, int fd, const char *data)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(2 * sizeof(int))]; } u;
	memset(&u, 0, sizeof u);
	struct iovec iov = { (void *)data, strlen(data) };
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = CMSG_SPACE(2 * sizeof(int));
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	int fds[2] = { fd, fd };
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	return sendmsg(s, &m, 0);
}

int main(void)
{
	struct sockaddr_un a, b, from;
	socklen_t la, lb, lf;
	char buf[128];

	/* datagram sockets with names */
	int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	la = un(&a, "d1.sock");
	CHECK("bind d1 relative", bind(d1, (struct sockaddr *)&a, la));
	mkdir("sub", 0755);
	char cwd[PATH_MAX], abs[PATH_MAX + 16];
	getcwd(cwd, sizeof cwd);
	snprintf(abs, sizeof abs, "%s/sub/d2.sock", cwd);
	FACT("absolute path fits sun_path", strlen(abs) < sizeof b.sun_path);
	lb = un(&b, "sub/d2.sock");
	CHECK("bind d2", bind(d2, (struct sockaddr *)&b, lb));
	struct stat st;
	CHECK("stat socket file", stat("d1.sock", &st));
	SAY("type: %s\n", lt_ftype(st.st_mode));
	struct sockaddr_un n;
	socklen_t ln = sizeof n;
	CHECK("getsockname d1", getsockname(d1, (struct sockaddr *)&n, &ln));
	show_name("d1 name", &n, ln);
	CHECK("sendto d1", sendto(d2, "to d1", 5, 0, (struct sockaddr *)&a, la));
	lf = sizeof from;
	memset(buf, 0, sizeof buf);
	CHECK("recvfrom", recvfrom(d1, buf, sizeof buf, 0, (struct sockaddr *)&from, &lf));
	SAY("got: %s\n", buf);
	show_name("sender", &from, lf);
	CHECK("reply to sender", sendto(d1, "back", 4, 0, (struct sockaddr *)&from, lf));
	CHECK("recv reply", recv(d2, buf, sizeof buf, 0));
	int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK("sendto from unbound", sendto(anon, "anon", 4, 0, (struct sockaddr *)&a, la));
	lf = sizeof from;
	CHECK("recvfrom unbound sender", recvfrom(d1, buf, sizeof buf, 0, (struct sockaddr *)&from, &lf));
	show_name("unbound sender", &from, lf);
	CHECK("connect d2 to d1", connect(d2, (struct sockaddr *)&a, la));
	ln = sizeof n;
	CHECK("getpeername d2", getpeername(d2, (struct sockaddr *)&n, &ln));
	show_name("d2 peer", &n, ln);
	CHECK("send connected", send(d2, "c", 1, 0));
	CHECK("recv", recv(d1, buf, sizeof buf, 0));
	CHECK("sendto missing path", sendto(anon, "x", 1, 0, (struct sockaddr *)&b, un(&b, "nothere.sock")));
	CHECK("sendto a regular file", (lt_write_file("plain", "x", 1), sendto(anon, "x", 1, 0, (struct sockaddr *)&b, un(&b, "plain"))));
	CHECK("bind existing path", bind(anon, (struct sockaddr *)&a, la));
	CHECK("bind missing dir", bind(anon, (struct sockaddr *)&b, un(&b, "nodir/x.sock")));
	/* A 100-byte name binds on both sides. (A name filling all 108 bytes
	 * does not under wali: the table note on bind says the host string
	 * /proc/self/fd/N/NAME must fit sun_path.) */
	memset(b.sun_path, 0, sizeof b.sun_path);
	memset(b.sun_path, 'a', 80);
	CHECK("bind 80-byte name", bind(anon, (struct sockaddr *)&b, sizeof b));
	ln = sizeof n;
	getsockname(anon, (struct sockaddr *)&n, &ln);
	FACT("long name comes back", ln == offsetof(struct sockaddr_un, sun_path) + 81 && memcmp(n.sun_path, b.sun_path, 80) == 0);
	unlink(b.sun_path);
	close(anon);
	anon = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK("unlink socket", unlink("d1.sock"));
	CHECK("sendto unlinked", sendto(anon, "x", 1, 0, (struct sockaddr *)&a, la));
	close(d1); close(d2); close(anon);

	/* stream server on a path; SCM_RIGHTS over it */
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	la = un(&a, "stream.sock");
	CHECK("bind stream", bind(ls, (struct sockaddr *)&a, la));
	CHECK("listen", listen(ls, 4));
	int cs = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK("connect", connect(cs, (struct sockaddr *)&a, la));
	lf = sizeof from;
	int as = accept(ls, (struct sockaddr *)&from, &lf);
	FACT("accept", as >= 0);
	show_name("accepted peer", &from, lf);
	ln = sizeof n;
	getpeername(cs, (struct sockaddr *)&n, &ln);
	show_name("client peer", &n, ln);
	ln = sizeof n;
	getsockname(as, (struct sockaddr *)&n, &ln);
	show_name("accepted local", &n, ln);

	int p[2];
	pipe(p);
	write(p[1], "through the pipe", 16);
	CHECK("sendmsg SCM_RIGHTS", send_fd(cs, p[0], "fd!"));
	CHECK("sendmsg bad fd", send_fd(cs, 77, "bad"));
	union { struct cmsghdr h; char buf[CMSG_SPACE(4 * sizeof(int))]; } u;
	struct iovec iov = { buf, sizeof buf };
	struct msghdr m = { 0 };
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof u.buf;
	memset(buf, 0, sizeof buf);
	CHECK("recvmsg", recvmsg(as, &m, MSG_CMSG_CLOEXEC));
	SAY("data: %s\n", buf);
	SAY("controllen: %d\n", (int)m.msg_controllen);
	int got = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		SAY("cmsg level %d type %d len %d\n", c->cmsg_level, c->cmsg_type, (int)c->cmsg_len);
		if (c->cmsg_type == SCM_RIGHTS) {
			int fds[2];
			memcpy(fds, CMSG_DATA(c), sizeof fds);
			FACT("two distinct new fds", fds[0] != fds[1] && fds[0] > p[1] && fds[1] > p[1]);
			FACT("received fd cloexec", fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
			char pb[32] = { 0 };
			CHECK("read received pipe", read(fds[0], pb, sizeof pb - 1));
			SAY("pipe says: %s\n", pb);
			close(fds[0]);
			close(fds[1]);
			got = 1;
		}
	}
	FACT("got descriptors", got);
	/* a control buffer too small: MSG_CTRUNC, descriptors dropped */
	send_fd(cs, p[0], "again");
	m.msg_controllen = CMSG_SPACE(sizeof(int)) - 1;
	CHECK("recvmsg small control", recvmsg(as, &m, 0));
	SAY("flags: %#x\n", m.msg_flags);

	/* SCM_CREDENTIALS */
	int on = 1;
	CHECK("SO_PASSCRED", setsockopt(as, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
	send(cs, "cred", 4, 0);
	m.msg_control = u.buf;
	m.msg_controllen = sizeof u.buf;
	CHECK("recvmsg creds", recvmsg(as, &m, 0));
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	FACT("credentials message", c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS);
	if (c) {
		struct ucred uc;
		memcpy(&uc, CMSG_DATA(c), sizeof uc);
		FACT("cred pid is ours", uc.pid == getpid());
		FACT("cred uid is ours", uc.uid == getuid());
	}
	struct ucred pc;
	socklen_t lpc = sizeof pc;
	CHECK("SO_PEERCRED", getsockopt(as, SOL_SOCKET, SO_PEERCRED, &pc, &lpc));
	FACT("peer pid is ours", pc.pid == getpid());
	close(as); close(cs); close(ls);

	/* seqpacket keeps message boundaries */
	int sp[2];
	CHECK("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp));
	send(sp[0], "first", 5, 0);
	send(sp[0], "second", 6, 0);
	CHECK("recv 1", recv(sp[1], buf, sizeof buf, 0));
	CHECK("recv 2 truncated", recv(sp[1], buf, 3, 0));
	CHECK("recv none", recv(sp[1], buf, sizeof buf, MSG_DONTWAIT));
	int ty = 0;
	socklen_t lt = sizeof ty;
	getsockopt(sp[0], SOL_SOCKET, SO_TYPE, &ty, &lt);
	FACT("SO_TYPE seqpacket", ty == SOCK_SEQPACKET);
	getsockopt(sp[0], SOL_SOCKET, SO_DOMAIN, &ty, &lt);
	FACT("SO_DOMAIN unix", ty == AF_UNIX);
	return 0;
}
