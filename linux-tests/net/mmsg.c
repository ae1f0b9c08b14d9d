// wali-test: dir=TMP needs=net
// sendmmsg/recvmmsg on an AF_UNIX datagram socketpair: the count, msg_len
// per message, iovecs, an empty datagram, MSG_TRUNC, SCM_RIGHTS in one of
// the messages; MSG_DONTWAIT with fewer messages than asked (the count),
// with none (EAGAIN); MSG_WAITFORONE; the timeout (checked after each
// message, the time left written back); an error on the first message is
// returned, after one the count; bad fd, bad timeout.
#include "../common.h"
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#define N 4
static char bufs[N][16];
static struct iovec riov[N];
static struct mmsghdr in[N];

static void reset_in(void)
{
	memset(bufs, 0, sizeof bufs);
	memset(in, 0, sizeof in);
	for (int i = 0; i < N; i++) {
		riov[i].iov_base = bufs[i];
		riov[i].iov_len = 8;
		in[i].msg_hdr.msg_iov = &riov[i];
		in[i].msg_hdr.msg_iovlen = 1;
		in[i].msg_len = 777;
	}
}

static void show(int n)
{
	for (int i = 0; i < n && i < N; i++)
		SAY("  [%d] len %u '%s' trunc %s\n", i, in[i].msg_len, bufs[i],
		    in[i].msg_hdr.msg_flags & MSG_TRUNC ? "yes" : "no");
	if (n >= 0 && n < N)
		SAY("  [%d] len %u (untouched)\n", n, in[n].msg_len);
}

int main(void)
{
	int sv[2];
	CHECK("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));

	struct iovec i0 = { "one", 3 };
	struct iovec i1[2] = { { "tw", 2 }, { "o!!", 3 } };
	struct iovec i2 = { "", 0 };
	struct mmsghdr out[3];
	memset(out, 0, sizeof out);
	out[0].msg_hdr.msg_iov = &i0, out[0].msg_hdr.msg_iovlen = 1;
	out[1].msg_hdr.msg_iov = i1, out[1].msg_hdr.msg_iovlen = 2;
	out[2].msg_hdr.msg_iov = &i2, out[2].msg_hdr.msg_iovlen = 1;
	for (int i = 0; i < 3; i++) out[i].msg_len = 777;
	CHECK("sendmmsg 3", sendmmsg(sv[0], out, 3, 0));
	SAY("msg_len: %u %u %u\n", out[0].msg_len, out[1].msg_len, out[2].msg_len);

	reset_in();
	int n = recvmmsg(sv[1], in, N, MSG_DONTWAIT, NULL);
	CHECK("recvmmsg 4, dontwait", n);
	show(n);
	CHECK("recvmmsg, none queued", recvmmsg(sv[1], in, N, MSG_DONTWAIT, NULL));
	CHECK("sendmmsg vlen 0", sendmmsg(sv[0], out, 0, 0));
	CHECK("recvmmsg vlen 0", recvmmsg(sv[1], in, 0, MSG_DONTWAIT, NULL));

	/* truncation, and a descriptor passed in the second message */
	int p[2];
	CHECK("pipe", pipe(p));
	CHECK("write pipe", write(p[1], "via fd", 6));
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } ctl, rctl;
	memset(&ctl, 0, sizeof ctl);
	struct iovec big = { "0123456789", 10 };
	out[0].msg_hdr.msg_iov = &big;
	out[1].msg_hdr.msg_iov = &i0, out[1].msg_hdr.msg_iovlen = 1;
	out[1].msg_hdr.msg_control = ctl.b;
	out[1].msg_hdr.msg_controllen = sizeof ctl.b;
	struct cmsghdr *c = CMSG_FIRSTHDR(&out[1].msg_hdr);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	CHECK("sendmmsg 2 with fd", sendmmsg(sv[0], out, 2, 0));
	SAY("msg_len: %u %u\n", out[0].msg_len, out[1].msg_len);
	close(p[0]);
	reset_in();
	memset(&rctl, 0, sizeof rctl);
	in[1].msg_hdr.msg_control = rctl.b;
	in[1].msg_hdr.msg_controllen = sizeof rctl.b;
	n = recvmmsg(sv[1], in, 2, 0, NULL);
	CHECK("recvmmsg 2", n);
	show(n);
	c = CMSG_FIRSTHDR(&in[1].msg_hdr);
	FACT("SCM_RIGHTS received", c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS);
	if (c) {
		int got;
		char buf[16] = { 0 };
		memcpy(&got, CMSG_DATA(c), sizeof got);
		CHECK("read received fd", read(got, buf, sizeof buf - 1));
		SAY("received fd data: %s\n", buf);
		close(got);
	}
	FACT("no control in message 0", in[0].msg_hdr.msg_controllen == 0);

	/* MSG_WAITFORONE: blocks for the first message only */
	out[0].msg_hdr.msg_iov = &i0;
	out[1].msg_hdr.msg_control = NULL, out[1].msg_hdr.msg_controllen = 0;
	CHECK("sendmmsg 2", sendmmsg(sv[0], out, 2, 0));
	reset_in();
	n = recvmmsg(sv[1], in, N, MSG_WAITFORONE, NULL);
	CHECK("recvmmsg 4, waitforone", n);
	show(n);

	/* the timeout: raw syscall with an x86_64 timespec (musl's 32-bit
	 * wrapper passes a copy, so the time left would not come back) */
	long long ts[2] = { 5, 0 };
	CHECK("sendmmsg 3", sendmmsg(sv[0], out, 3, 0));
	reset_in();
	CHECK("recvmmsg 2 of 3, timeout 5s", RSYS5(SYS_recvmmsg, sv[1], in, 2, 0, ts));
	FACT("time left in (4s, 5s]", (ts[0] == 4 && ts[1] > 0) || (ts[0] == 5 && ts[1] == 0));
	long long zero[2] = { 0, 0 };
	reset_in();
	CHECK("sendmmsg 1", sendmmsg(sv[0], out, 1, 0));
	CHECK("recvmmsg 4, timeout 0 (stops after one)", RSYS5(SYS_recvmmsg, sv[1], in, N, 0, zero));
	SAY("time left: %lld %lld\n", zero[0], zero[1]);
	CHECK("drain", recvmmsg(sv[1], in, N, MSG_DONTWAIT, NULL));
	struct timespec lt = { 1, 0 };
	CHECK("sendmmsg 1", sendmmsg(sv[0], out, 1, 0));
	CHECK("recvmmsg through libc with a timeout", recvmmsg(sv[1], in, N, MSG_WAITFORONE, &lt));
	long long badts[2] = { 0, 1000000000 };
	CHECK("recvmmsg bad timeout", RSYS5(SYS_recvmmsg, sv[1], in, N, 0, badts));
	long long negts[2] = { -1, 0 };
	CHECK("recvmmsg negative timeout", RSYS5(SYS_recvmmsg, sv[1], in, N, 0, negts));
	CHECK("recvmmsg timeout bad pointer", RSYS5(SYS_recvmmsg, sv[1], in, N, 0, BADPTR));

	/* errors: on the first message, and after one */
	out[1].msg_hdr.msg_iov = BADPTR;
	CHECK("sendmmsg, second message bad", sendmmsg(sv[0], out, 2, 0));
	CHECK("sendmmsg, first message bad", sendmmsg(sv[0], out + 1, 2, 0));
	reset_in();
	in[1].msg_hdr.msg_iov = BADPTR;
	CHECK("sendmmsg 2", sendmmsg(sv[0], out, 1, 0) + sendmmsg(sv[0], out, 1, 0) + sendmmsg(sv[0], out, 1, 0));
	CHECK("recvmmsg, second iovec array bad", recvmmsg(sv[1], in, N, MSG_DONTWAIT, NULL));
	CHECK("recvmmsg, first iovec array bad", recvmmsg(sv[1], in + 1, N - 1, MSG_DONTWAIT, NULL));
	reset_in();
	CHECK("recvmmsg the rest", recvmmsg(sv[1], in, N, MSG_DONTWAIT, NULL));
	CHECK("sendmmsg bad vector", sendmmsg(sv[0], BADPTR, 2, 0));
	CHECK("recvmmsg bad vector", recvmmsg(sv[1], BADPTR, 2, MSG_DONTWAIT, NULL));
	CHECK("sendmmsg bad fd", sendmmsg(99, out, 1, 0));
	CHECK("recvmmsg bad fd", recvmmsg(99, in, 1, 0, NULL));
	int f = open("file", O_RDWR | O_CREAT, 0644);
	CHECK("sendmmsg on a file", sendmmsg(f, out, 1, 0));
	CHECK("recvmmsg on a file", recvmmsg(f, in, 1, MSG_DONTWAIT, NULL));
	return 0;
}
