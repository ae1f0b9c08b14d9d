# pip install from a local HTTPS package index, inside one wali sandbox
# (smoke.sh's pip_https check runs this under wali). An HTTPS server
# (http.server with the test CA's certificate) serves a PEP 503 "simple"
# index of the wheels in WHEELS on loopback; pip, run from the wheel
# ensurepip bundles (the stdlib is read-only, pip is not installed), then
#   1. refuses the index when it does not trust the test CA (no --cert),
#   2. installs PACKAGE from it with --cert CA into TARGET,
# and the installed package is imported. Usage:
#   pip_https.py CA CERT KEY WHEELS TARGET PACKAGE
import glob, html, http.server, os, re, ssl, subprocess, sys, threading

ca, cert, key, wheels, target, package = sys.argv[1:7]

class Index(http.server.SimpleHTTPRequestHandler):
    """/simple/NAME/ lists the wheels of NAME; /files/W is wheel W."""
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=wheels, **kw)

    def do_GET(self):
        m = re.fullmatch(r"/simple/([^/]+)/", self.path)
        if m:
            name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
            links = "".join(
                f'<a href="/files/{html.escape(os.path.basename(w))}">{html.escape(os.path.basename(w))}</a>\n'
                for w in sorted(glob.glob(f"{wheels}/*.whl"))
                if re.sub(r"[-_.]+", "-", os.path.basename(w).split("-")[0]).lower() == name)
            if not links:
                self.send_error(404)
                return
            body = f"<!DOCTYPE html><html><body>\n{links}</body></html>\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/files/"):
            self.path = self.path[len("/files"):]
            super().do_GET()
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass

httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Index)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
index = f"https://localhost:{httpd.server_port}/simple/"

bundled = glob.glob(os.path.join(os.path.dirname(ssl.__file__), "ensurepip/_bundled/pip-*.whl"))
if not bundled:
    sys.exit("no bundled pip wheel in ensurepip/_bundled")
env = dict(os.environ, PYTHONPATH=bundled[0], PIP_NO_CACHE_DIR="1",
           PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PIP_RETRIES="0")
pip = [sys.executable, "-m", "pip", "install", "--index-url", index, "--target", target,
       "--no-deps", "--only-binary=:all:", package]

# 1. Without the test CA: the index's certificate is refused.
r = subprocess.run(pip, env=env, capture_output=True, text=True, timeout=600)
refused = r.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in r.stdout + r.stderr
print("untrusted index refused:", refused)
if not refused:
    print(r.stdout, r.stderr, sep="\n", file=sys.stderr)

# 2. With it.
r = subprocess.run(pip + ["--cert", ca], env=env, capture_output=True, text=True, timeout=600)
print("pip install exit status:", r.returncode)
if r.returncode:
    print(r.stdout, r.stderr, sep="\n", file=sys.stderr)
    sys.exit(1)
sys.path.insert(0, target)
import importlib.metadata
dist = importlib.metadata.distribution(package)
__import__(dist.read_text("top_level.txt").split()[0] if dist.read_text("top_level.txt") else package)
print(f"installed and imported: {dist.metadata['Name']} {dist.version}")
httpd.shutdown()
sys.exit(0 if refused else 1)
