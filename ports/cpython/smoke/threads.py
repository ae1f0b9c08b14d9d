import threading, queue
from concurrent.futures import ThreadPoolExecutor

lock = threading.Lock()
total = 0
def work(n):
    global total
    for i in range(n):
        with lock:
            total += 1
ts = [threading.Thread(target=work, args=(10000,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("total", total)

q = queue.Queue()
def producer():
    for i in range(5):
        q.put(i * i)
    q.put(None)
threading.Thread(target=producer).start()
got = []
while (x := q.get()) is not None:
    got.append(x)
print("queue", got)

with ThreadPoolExecutor(max_workers=3) as ex:
    print("pool", list(ex.map(lambda v: v * 2, range(8))))

ev = threading.Event()
threading.Timer(0.05, ev.set).start()
print("event", ev.wait(5))
print("threads left", threading.active_count())
