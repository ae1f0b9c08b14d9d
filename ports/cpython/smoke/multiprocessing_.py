# multiprocessing with no wali flags: the interpreter's default private
# /dev/shm holds the semaphores (sem_open) and shared memory, so Lock, Queue,
# Pool and ProcessPoolExecutor work across forked processes.
import multiprocessing as mp, os, concurrent.futures as cf

def bump(lock, path, n):
    for _ in range(n):
        with lock:
            with open(path, "r+") as f:
                v = int(f.read() or 0)
                f.seek(0)
                f.write(str(v + 1))
                f.truncate()

def produce(q, w):
    for i in range(50):
        q.put((w, i))

def square(x):
    return x * x

if __name__ == "__main__":
    mp.set_start_method("fork")
    path = "/dev/shm/counter"
    with open(path, "w") as f:
        f.write("0")
    lock = mp.Lock()
    ps = [mp.Process(target=bump, args=(lock, path, 200)) for _ in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("Lock: file counter", open(path).read(), "of 800; exit codes", [p.exitcode for p in ps])

    q = mp.Queue()
    ps = [mp.Process(target=produce, args=(q, w)) for w in range(3)]
    for p in ps: p.start()
    got = sorted(q.get(timeout=60) for _ in range(150))
    for p in ps: p.join()
    print("Queue: items", len(got), "distinct", len(set(got)))

    with mp.Pool(4) as pool:
        print("Pool.map:", sum(pool.map(square, range(100))))

    with cf.ProcessPoolExecutor(3) as ex:
        print("ProcessPoolExecutor:", sum(ex.map(square, range(50))))

    ev = mp.Event()
    p = mp.Process(target=ev.set); p.start(); p.join()
    print("Event set by a child:", ev.wait(10))

    try:
        v = mp.Value("i", 0)
    except ImportError as e:  # sharedctypes needs ctypes (issue 22)
        print("Value: needs ctypes:", type(e).__name__)
    else:
        def add(v):
            for _ in range(100):
                with v.get_lock():
                    v.value += 1
        ps = [mp.Process(target=add, args=(v,)) for _ in range(4)]
        for p in ps: p.start()
        for p in ps: p.join()
        print("Value:", v.value, "of 400")
