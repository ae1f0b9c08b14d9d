// wali-test: dir=TMP needs=net policy=net.toml
// net.allow = ["127.0.0.1:47311-47315"]: bind, listen and connect inside the
// rule work; another port, another address, the wildcard address and UDP
// sends elsewhere answer EACCES; AF_UNIX connect to a path outside the mounts
// is ENOENT; socketpair needs no rule.
#include "sandbox.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

static struct sockaddr_in addr(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

int main(void)
{
	struct sockaddr_in ok = addr("127.0.0.1", 47312);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	CHECK("bind allowed", bind(l, (struct sockaddr *)&ok, sizeof ok));
	CHECK("listen allowed", listen(l, 4));
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("connect allowed", connect(c, (struct sockaddr *)&ok, sizeof ok));
	close(c);

	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in other_port = addr("127.0.0.1", 47320);
	struct sockaddr_in other_ip = addr("127.0.0.2", 47312);
	struct sockaddr_in any = addr("0.0.0.0", 47313);
	struct sockaddr_in remote = addr("192.0.2.1", 80);
	ESCAPE("bind other port", bind(s, (struct sockaddr *)&other_port, sizeof other_port), EACCES);
	ESCAPE("bind wildcard", bind(s, (struct sockaddr *)&any, sizeof any), EACCES);
	ESCAPE("connect other ip", connect(s, (struct sockaddr *)&other_ip, sizeof other_ip), EACCES);
	ESCAPE("connect remote", connect(s, (struct sockaddr *)&remote, sizeof remote), EACCES);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	ESCAPE("sendto remote", sendto(u, "x", 1, 0, (struct sockaddr *)&remote, sizeof remote), EACCES);
	close(u);
	close(s);
	close(l);

	int us = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	strcpy(un.sun_path, "/run/systemd/private");
	ESCAPE("unix connect outside", connect(us, (struct sockaddr *)&un, sizeof un), ENOENT);
	strcpy(un.sun_path, "/var/run/docker.sock");
	ESCAPE("unix connect docker", connect(us, (struct sockaddr *)&un, sizeof un), ENOENT);
	close(us);
	int sv[2];
	CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	return 0;
}
