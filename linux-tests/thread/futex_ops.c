// wali-test: dir=TMP needs=threads
// The address and argument checks of every futex op, Linux's order: counts,
// then both addresses (alignment EINVAL, bad pointer EFAULT), then the
// CMP_REQUEUE comparison (EAGAIN). A failed requeue must not wake anybody.
#include "../common.h"
#include <pthread.h>
#include <time.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128

static int word = 5, word2 = 7;
static int gate;

static int returned;

static void *waiter(void *arg)
{
	(void)arg;
	RSYS6(SYS_futex, &gate, FUTEX_WAIT, 0, NULL, NULL, 0);
	__atomic_store_n(&returned, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&gate, __ATOMIC_SEQ_CST) == 0)
		RSYS6(SYS_futex, &gate, FUTEX_WAIT, 0, NULL, NULL, 0);
	return NULL;
}

int main(void)
{
	char *unaligned = (char *)&word2 + 1;
	CHECK("cmp_requeue bad uaddr2", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, BADPTR, 5));
	CHECK("cmp_requeue private bad uaddr2", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 1, BADPTR, 5));
	CHECK("cmp_requeue bad uaddr2, value differs", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, BADPTR, 6));
	CHECK("cmp_requeue unaligned uaddr2", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, unaligned, 5));
	CHECK("cmp_requeue value differs", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, &word2, 6));
	CHECK("cmp_requeue negative nr_wake", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, -1, 1, &word2, 5));
	CHECK("cmp_requeue negative nr_requeue", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, -1, &word2, 5));
	CHECK("cmp_requeue nobody", RSYS6(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, &word2, 5));
	CHECK("requeue bad uaddr2", RSYS6(SYS_futex, &word, FUTEX_REQUEUE, 1, 1, BADPTR, 0));
	CHECK("requeue unaligned uaddr2", RSYS6(SYS_futex, &word, FUTEX_REQUEUE, 1, 1, unaligned, 0));
	CHECK("requeue bad uaddr", RSYS6(SYS_futex, BADPTR, FUTEX_REQUEUE, 1, 1, &word2, 0));
	CHECK("requeue nobody", RSYS6(SYS_futex, &word, FUTEX_REQUEUE, 1, 1, &word2, 0));
	CHECK("wake bad address", RSYS6(SYS_futex, BADPTR, FUTEX_WAKE, 1, NULL, NULL, 0));
	CHECK("wake unaligned", RSYS6(SYS_futex, (char *)&word + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
	CHECK("wake negative count", RSYS6(SYS_futex, &word, FUTEX_WAKE, -1, NULL, NULL, 0));
	CHECK("wake_bitset zero bitset", RSYS6(SYS_futex, &word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
	CHECK("wake_bitset bad address", RSYS6(SYS_futex, BADPTR, FUTEX_WAKE_BITSET, 1, NULL, NULL, -1));
	CHECK("wait_bitset zero bitset", RSYS6(SYS_futex, &word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0));
	CHECK("wait_bitset bad address", RSYS6(SYS_futex, BADPTR, FUTEX_WAIT_BITSET, 5, NULL, NULL, -1));
	CHECK("wait_bitset value differs", RSYS6(SYS_futex, &word, FUTEX_WAIT_BITSET, 4, NULL, NULL, -1));

	/* A waiter is not woken by a requeue that fails on its second address,
	 * and is woken by a good one. */
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);
	CHECK("cmp_requeue with a waiter, bad uaddr2", RSYS6(SYS_futex, &gate, FUTEX_CMP_REQUEUE, 1, 1, BADPTR, 0));
	nanosleep(&ts, NULL);
	FACT("waiter still waiting", !__atomic_load_n(&returned, __ATOMIC_SEQ_CST));
	__atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
	RSYS6(SYS_futex, &gate, FUTEX_WAKE, 1, NULL, NULL, 0);
	pthread_join(t, NULL);
	return 0;
}
