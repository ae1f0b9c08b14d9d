// wali-test: dir=TMP ro-dir=ro needs=net
// AF_UNIX paths go through the mounts: binding inside a read-only mount
// answers EROFS under wali (table note on bind: "read-only mount: EROFS";
// natively the directory is writable), connecting to a socket that lives in
// a read-only mount works, and a path outside every mount does not exist
// for the guest (natively /nonexistent-dir is missing too).
#include "../common.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static socklen_t un(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

int main(void)
{
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	int r = bind(s, (struct sockaddr *)&a, un(&a, "ro/x.sock"));
	int e = errno;
#ifdef __wasm__
	SAY("bind in read-only mount: %s\n", r == -1 && e == EROFS ? "documented" : errname(e));
#else
	SAY("bind in read-only mount: %s\n", r == 0 ? "documented" : errname(e));
#endif
	close(s);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK("bind outside every mount", bind(s, (struct sockaddr *)&a, un(&a, "/nonexistent-dir/x.sock")));
	CHECK("connect outside every mount", connect(s, (struct sockaddr *)&a, un(&a, "/nonexistent-dir/x.sock")));
	CHECK("bind through ..", bind(s, (struct sockaddr *)&a, un(&a, "ro/../up.sock")));
	struct sockaddr_un n;
	socklen_t ln = sizeof n;
	getsockname(s, (struct sockaddr *)&n, &ln);
	SAY("name as given: %s\n", n.sun_path);
	int c = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK("sendto via absolute-free relative path", sendto(c, "hi", 2, 0, (struct sockaddr *)&a, un(&a, "./up.sock")));
	char buf[8] = { 0 };
	CHECK("recv", recv(s, buf, sizeof buf, 0));
	SAY("got: %s\n", buf);
	CHECK("symlink to socket", symlink("up.sock", "link.sock"));
	CHECK("sendto via symlink", sendto(c, "ln", 2, 0, (struct sockaddr *)&a, un(&a, "link.sock")));
	CHECK("bind over symlink", bind(c, (struct sockaddr *)&a, un(&a, "link.sock")));
	return 0;
}
