# wali-flags: --dir {tmp}::/tmp
# SQLite in WAL mode written by 3 separate interpreter processes (each a new
# python.wasm run through subprocess: its own wali process and memory) at
# once: every commit is kept.
import os, sqlite3, subprocess, sys
PROCS, ROWS = 3, 100
path = "/tmp/wal-procs.db"
with sqlite3.connect(path) as db:
    db.execute("pragma journal_mode=wal")
    db.execute("create table t(w integer, i integer)")
db.close()
writer = f"""
import sqlite3, sys
w = int(sys.argv[1])
db = sqlite3.connect({path!r}, timeout=60)
for i in range({ROWS}):
    with db:
        db.execute("insert into t values (?, ?)", (w, i))
db.close()
"""
procs = [subprocess.Popen([sys.executable, "-c", writer, str(w)]) for w in range(PROCS)]
codes = [p.wait() for p in procs]
db = sqlite3.connect(path)
kept = db.execute("select count(*) from t").fetchone()[0]
print("writers exit:", codes)
print(f"rows kept / rows written: {kept} / {PROCS * ROWS}")
print("integrity:", db.execute("pragma integrity_check").fetchone()[0])
