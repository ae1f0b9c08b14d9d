# wali-flags: --allow-net 127.0.0.1:* --ro-dir {pki}::/pki
# TLS through the ssl module (OpenSSL, _ssl): an HTTPS server (http.server)
# and client (urllib) in one guest over loopback, with the test PKI that
# smoke.sh makes with the host's openssl command (scripts/test-pki.sh):
# trusted, a server certificate from an unknown CA refused, a client
# trusting another CA refused, a wrong host name refused. Then where the
# guest's OpenSSL looks for CAs by default, and that the host's bundle is
# there (the policy allows network, so wali mounts it).
import http.server, os, socket, ssl, threading, urllib.error, urllib.request

PKI = "/pki"

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"hello over {self.connection.version()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

def serve(cert, key):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f"{PKI}/{cert}", f"{PKI}/{key}")
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd

def get(port, cafile, host="localhost"):
    ctx = ssl.create_default_context(cafile=f"{PKI}/{cafile}")
    try:
        with urllib.request.urlopen(f"https://{host}:{port}/", context=ctx, timeout=30) as r:
            return f"{r.status} {r.read().decode().strip()}"
    except urllib.error.URLError as e:
        r = e.reason
        if isinstance(r, ssl.SSLCertVerificationError):
            return f"refused: verify_code {r.verify_code} ({r.verify_message})"
        return f"error: {r!r}"

good = serve("server.pem", "server.key")
bad = serve("other-server.pem", "other-server.key")
print("trusted CA:", get(good.server_port, "ca.pem"))
print("by address:", get(good.server_port, "ca.pem", "127.0.0.1"))
print("unknown CA:", get(bad.server_port, "ca.pem"))
print("other trust:", get(good.server_port, "other-ca.pem"))

# A raw TLS 1.3 connection: the negotiated parameters.
ctx = ssl.create_default_context(cafile=f"{PKI}/ca.pem")
with socket.create_connection(("127.0.0.1", good.server_port)) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        print("version:", s.version(), "cipher:", s.cipher()[0])
        print("peer:", dict(x[0] for x in s.getpeercert()["subject"]))
with socket.create_connection(("127.0.0.1", good.server_port)) as raw:
    try:
        ctx.wrap_socket(raw, server_hostname="example.org")
    except ssl.SSLCertVerificationError as e:
        print("wrong name: verify_code", e.verify_code, e.verify_message)
good.shutdown()
bad.shutdown()

paths = ssl.get_default_verify_paths()
print("default cafile:", paths.openssl_cafile, "capath:", paths.openssl_capath)
print("host bundle mounted:", os.path.isfile("/etc/ssl/certs/ca-certificates.crt"),
      os.path.isfile("/etc/ssl/cert.pem"))
print("default context trusts the bundle:",
      ssl.create_default_context().cert_store_stats()["x509_ca"] > 10)
print("RAND_status:", ssl.RAND_status(), "RAND_bytes:", len(ssl.RAND_bytes(32)))
print("OpenSSL", ssl.OPENSSL_VERSION_INFO[0])
