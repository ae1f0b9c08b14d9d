"""What `make demo` runs: CPython compiled to wasm32, sandboxed by wali.

Nothing but this script and the standard library is visible to it; it has no
network capability and cannot see the host's files or environment.
"""
import json
import os
import platform
import sqlite3
import sys
import threading
import zlib

print(f"Python {platform.python_version()} on {sys.platform}, running under wali")

results = []
lock = threading.Lock()


def work(n):
    total = sum(i * i for i in range(n))
    with lock:
        results.append(total)


threads = [threading.Thread(target=work, args=(50_000 + i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"4 threads done: {len(results)} results")

db = sqlite3.connect(":memory:")
db.execute("create table t (k text, v integer)")
db.executemany("insert into t values (?, ?)", [("a", 1), ("b", 2), ("c", 3)])
print("sqlite3 sum:", db.execute("select sum(v) from t").fetchone()[0])

blob = json.dumps({"hello": "wali", "n": list(range(10))}).encode()
print("zlib round trip:", json.loads(zlib.decompress(zlib.compress(blob)))["hello"])

try:
    open("/etc/shadow").read()
except OSError as e:
    print("host file outside the sandbox:", type(e).__name__)
print("host environment visible:", "HOME" in os.environ)
