// wali-test: dir=TMP needs=net expect-signal=SIGPIPE
// Sending on a stream socket whose peer is gone: EPIPE with MSG_NOSIGNAL
// (or SIGPIPE ignored), and death by SIGPIPE otherwise.
#include "../common.h"
#include <sys/socket.h>

int main(void)
{
	int sv[2];
	CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	close(sv[1]);
	CHECK("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
	signal(SIGPIPE, SIG_IGN);
	CHECK("send ignored", send(sv[0], "x", 1, 0));
	CHECK("write ignored", write(sv[0], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	SAY("sending with the default action\n");
	send(sv[0], "x", 1, 0);
	SAY("still alive\n");
	return 0;
}
