# wali-flags: --dir {tmp}::/tmp
# SQLite in WAL mode written by 4 forked processes at once: every commit is
# kept (the WAL index in db-shm is a MAP_SHARED mapping all of them see).
import os, sqlite3
WRITERS, ROWS = 4, 100
path = "/tmp/wal-fork.db"
with sqlite3.connect(path) as db:
    db.execute("pragma journal_mode=wal")
    db.execute("create table t(w integer, i integer)")
db.close()
go_r, go_w = os.pipe()
pids = []
for w in range(WRITERS):
    pid = os.fork()
    if pid == 0:
        os.close(go_w)
        db = sqlite3.connect(path, timeout=60)
        db.execute("select count(*) from t").fetchone()  # map the WAL index
        os.read(go_r, 1)  # all writers start together
        for i in range(ROWS):
            with db:
                db.execute("insert into t values (?, ?)", (w, i))
        db.close()
        os._exit(0)
    pids.append(pid)
os.close(go_w)
codes = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]
db = sqlite3.connect(path)
kept = db.execute("select count(*) from t").fetchone()[0]
per = db.execute("select count(distinct w), min(c), max(c) from (select w, count(*) c from t group by w)").fetchone()
print("writers exit:", codes)
print(f"rows kept / rows written: {kept} / {WRITERS * ROWS}")
print("per writer (writers, min, max):", per)
print("integrity:", db.execute("pragma integrity_check").fetchone()[0])
print("journal mode:", db.execute("pragma journal_mode").fetchone()[0])
