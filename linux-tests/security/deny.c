// wali-test: dir=TMP needs=fork,exec,net self=self policy=deny.toml
// deny = ["net"]: every syscall of the class answers EACCES (socket,
// socketpair); process.fork = false: fork answers EAGAIN; process.exec =
// false: execve answers EACCES. Files and pipes keep working.
#include "sandbox.h"
#include <sys/socket.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc > 1) return 0;
	int sv[2];
	ESCAPE("socket", socket(AF_INET, SOCK_STREAM, 0), EACCES);
	ESCAPE("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv), EACCES);
	ESCAPE("fork", fork(), EAGAIN);
	char *av[] = { (char *)"self", (char *)"x", NULL };
	ESCAPE("execve self", execv("./self", av), EACCES);
	int p[2];
	CHECK("pipe", pipe(p));
	CHECK("write pipe", (int)write(p[1], "ab", 2));
	CHECK_OK("write file", lt_write_file("f", "x", 1));
	return 0;
}
