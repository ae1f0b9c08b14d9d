// wali-test: dir=TMP needs=net
// Name resolution without network: getaddrinfo("localhost") from /etc/hosts
// (wali provides a small read-only /etc: hosts, services, protocols,
// passwd, group, nsswitch.conf, resolv.conf), numeric hosts, services,
// protocols, getnameinfo, and the current user in passwd.
#include "../common.h"
#include <arpa/inet.h>
#include <netdb.h>
#include <pwd.h>
#include <grp.h>
#include <sys/socket.h>

static void show(const char *label, const char *host, const char *serv, int family, int flags)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = flags;
	int r = getaddrinfo(host, serv, &hints, &res);
	SAY("%s: %s", label, r == 0 ? "ok" : "error");
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		char buf[64];
		int port;
		if (a->ai_family == AF_INET) {
			struct sockaddr_in *s = (void *)a->ai_addr;
			inet_ntop(AF_INET, &s->sin_addr, buf, sizeof buf);
			port = ntohs(s->sin_port);
		} else {
			struct sockaddr_in6 *s = (void *)a->ai_addr;
			inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof buf);
			port = ntohs(s->sin6_port);
		}
		SAY(" [%s port %d proto %d]", buf, port, a->ai_protocol);
	}
	SAY("\n");
	if (res) freeaddrinfo(res);
}

int main(void)
{
	show("localhost v4", "localhost", "80", AF_INET, 0);
	show("localhost http", "localhost", "http", AF_INET, 0);
	show("numeric v4", "127.0.0.1", "8080", AF_UNSPEC, AI_NUMERICHOST);
	show("numeric v6", "::1", "8080", AF_UNSPEC, AI_NUMERICHOST);
	show("passive", NULL, "9000", AF_INET, AI_PASSIVE);
	show("not numeric", "localhost", "1", AF_UNSPEC, AI_NUMERICHOST);

	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char host[64], serv[32];
	int r = getnameinfo((struct sockaddr *)&sa, sizeof sa, host, sizeof host, serv, sizeof serv, 0);
	SAY("getnameinfo: %s %s %s\n", r == 0 ? "ok" : "error", r == 0 ? host : "-", r == 0 ? serv : "-");
	r = getnameinfo((struct sockaddr *)&sa, sizeof sa, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
	SAY("getnameinfo numeric: %s %s\n", host, serv);

	struct servent *se = getservbyname("https", "tcp");
	SAY("https/tcp: %d\n", se ? ntohs(se->s_port) : -1);
	se = getservbyport(htons(22), "tcp");
	SAY("port 22: %s\n", se ? se->s_name : "none");
	struct protoent *pe = getprotobyname("udp");
	SAY("udp proto: %d\n", pe ? pe->p_proto : -1);

	struct passwd *pw = getpwuid(getuid());
	FACT("passwd has current user", pw != NULL);
	if (pw) {
		FACT("uid matches", pw->pw_uid == getuid());
		FACT("gid matches", pw->pw_gid == getgid());
		FACT("has a name", pw->pw_name[0] != 0);
		struct passwd *again = getpwnam(pw->pw_name);
		FACT("getpwnam finds it", again && again->pw_uid == getuid());
	}
	struct group *gr = getgrgid(getgid());
	FACT("group has current gid", gr != NULL);
	int fd = open("/etc/hosts", O_RDONLY);
	FACT("/etc/hosts readable", fd >= 0);
	close(fd);
	return 0;
}
