# 100 Python threads sharing one threading.Lock, as more-itertools'
# test_concurrent_consumers does (its concurrent_tee, inlined): every thread
# reads the whole stream of ITEMS values; the thread at the head produces
# the next value under the lock. A barrier starts them together, so they
# contend from the first item. Exits 1 if a thread missed or repeated a value.
import sys
from threading import Barrier, Lock, Thread

ITEMS = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
THREADS = 100


class ConcurrentTee:
    __slots__ = ("iterator", "link", "lock")

    def __init__(self, iterable):
        if isinstance(iterable, ConcurrentTee):
            self.iterator, self.link, self.lock = iterable.iterator, iterable.link, iterable.lock
        else:
            self.iterator, self.link, self.lock = iter(iterable), [None, None], Lock()

    def __iter__(self):
        return self

    def __next__(self):
        link = self.link
        if link[1] is None:
            with self.lock:
                if link[1] is None:
                    link[0] = next(self.iterator)
                    link[1] = [None, None]
        value, self.link = link
        return value


def producer(limit):
    yield from range(limit)


ok = 0
ok_lock = Lock()
barrier = Barrier(THREADS)


def consumer(it):
    global ok
    barrier.wait()
    if [x for x in it] == list(range(ITEMS)):
        with ok_lock:
            ok += 1


first = ConcurrentTee(producer(ITEMS))
tees = [first] + [ConcurrentTee(first) for _ in range(THREADS - 1)]
workers = [Thread(target=consumer, args=[t]) for t in tees]
for w in workers:
    w.start()
for w in workers:
    w.join()
sys.exit(0 if ok == THREADS else 1)
