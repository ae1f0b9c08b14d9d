import os, sys, errno
r, w = os.pipe()
try:
    pid = os.fork()
except OSError as e:
    if e.errno in (errno.ENOSYS, errno.EPERM):
        print(f"SKIP: fork: {e}"); sys.exit(0)
    raise
if pid == 0:
    os.close(r)
    os.write(w, b"from child %d" % (os.getpid() != 0))
    os._exit(7)
os.close(w)
msg = os.read(r, 100)
_, status = os.waitpid(pid, 0)
print(msg, os.waitstatus_to_exitcode(status))
