# A subprocess running sys.executable (the same Wasm module, exec'd).
import subprocess, sys, errno
try:
    r = subprocess.run([sys.executable, "-c", "import sys; print('child', sys.argv[1:]); sys.exit(3)", "a", "b"],
                       capture_output=True, text=True, timeout=60)
except OSError as e:
    if e.errno in (errno.ENOSYS, errno.EPERM, errno.EACCES):
        print(f"SKIP: cannot start a subprocess: {e}"); sys.exit(0)
    raise
print(r.returncode, r.stdout.strip())
out = subprocess.check_output([sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"],
                              input=b"piped")
print(out)
