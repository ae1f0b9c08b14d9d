# wali-flags: --allow-net 127.0.0.1:*
import socket, threading, errno, sys
try:
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except OSError as e:
    if e.errno in (errno.ENOSYS, errno.EACCES, errno.EPERM):
        print(f"SKIP: socket() failed: {e}"); sys.exit(0)
    raise
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
def serve():
    conn, addr = srv.accept()
    with conn:
        while data := conn.recv(1024):
            conn.sendall(data.upper())
t = threading.Thread(target=serve)
t.start()
with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
    for msg in [b"hello", b"wali", b"x" * 5000]:
        c.sendall(msg)
        got = b""
        while len(got) < len(msg):
            got += c.recv(65536)
        print(got[:16], len(got))
t.join()
srv.close()
print("echo done")
