/* TLS 1.3 handshakes per second and AES-256-GCM throughput, for `make
 * bench`: the same source linked against the same OpenSSL 3.5.7 (no
 * assembly in either build) natively and for wali. Handshakes run in one
 * thread over a memory BIO pair (X25519, ECDSA P-256 certificate, the
 * client verifying it), so they measure OpenSSL's work, not the network.
 * Prints "handshakes_per_s N" and "aes_gcm_mb_per_s N". */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what)
{
    fprintf(stderr, "tls_bench: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}
#define REQUIRE(what, ok) do { if (!(ok)) die(what); } while (0)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static EVP_PKEY *key;
static X509 *cert;

static void make_identity(void)
{
    key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    REQUIRE("keygen", key);
    cert = X509_new();
    X509_NAME *name = X509_NAME_new();
    REQUIRE("cert", cert && name && X509_set_version(cert, X509_VERSION_3)
            && ASN1_INTEGER_set(X509_get_serialNumber(cert), 1)
            && X509_gmtime_adj(X509_getm_notBefore(cert), -3600)
            && X509_gmtime_adj(X509_getm_notAfter(cert), 86400)
            && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                          (const unsigned char *)"wali.test", -1, -1, 0)
            && X509_set_subject_name(cert, name) && X509_set_issuer_name(cert, name)
            && X509_set_pubkey(cert, key));
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
    REQUIRE("extensions", bc && X509_add_ext(cert, bc, -1));
    X509_EXTENSION_free(bc);
    X509_NAME_free(name);
    REQUIRE("sign", X509_sign(cert, key, EVP_sha256()) > 0);
}

/* One full handshake (no resumption) between fresh SSL objects. */
static void handshake(SSL_CTX *sctx, SSL_CTX *cctx)
{
    SSL *s = SSL_new(sctx), *c = SSL_new(cctx);
    BIO *sb, *cb;
    REQUIRE("SSL_new", s && c && BIO_new_bio_pair(&sb, 0, &cb, 0));
    SSL_set_bio(s, sb, sb);
    SSL_set_bio(c, cb, cb);
    SSL_set_accept_state(s);
    SSL_set_connect_state(c);
    SSL_set_tlsext_host_name(c, "wali.test");
    int sd = 0, cd = 0;
    for (int i = 0; i < 100 && !(sd && cd); i++) {
        if (!cd) {
            int r = SSL_do_handshake(c);
            if (r == 1) cd = 1;
            else REQUIRE("client handshake", SSL_get_error(c, r) == SSL_ERROR_WANT_READ);
        }
        if (!sd) {
            int r = SSL_do_handshake(s);
            if (r == 1) sd = 1;
            else REQUIRE("server handshake", SSL_get_error(s, r) == SSL_ERROR_WANT_READ);
        }
    }
    REQUIRE("handshake done", sd && cd && SSL_get_verify_result(c) == X509_V_OK
            && SSL_version(c) == TLS1_3_VERSION);
    SSL_free(s);
    SSL_free(c);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    make_identity();
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = SSL_CTX_new(TLS_client_method());
    REQUIRE("SSL_CTX_new", sctx && cctx);
    REQUIRE("server identity", SSL_CTX_use_certificate(sctx, cert) && SSL_CTX_use_PrivateKey(sctx, key));
    REQUIRE("groups", SSL_CTX_set1_groups_list(sctx, "X25519") && SSL_CTX_set1_groups_list(cctx, "X25519"));
    SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(sctx, 0);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(cctx), cert);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    handshake(sctx, cctx); /* warm-up */
    int n = 0;
    double t0 = now(), t;
    do {
        handshake(sctx, cctx);
        n++;
    } while ((t = now() - t0) < seconds);
    printf("handshakes_per_s %.1f\n", n / t);

    static unsigned char buf[16384], out[16384 + 16];
    unsigned char k[32] = {1}, iv[12] = {2}, tag[16];
    memset(buf, 0x5a, sizeof buf);
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    REQUIRE("cipher", cx && aes);
    long bytes = 0;
    int len;
    t0 = now();
    do {
        for (int i = 0; i < 64; i++) {
            REQUIRE("encrypt", EVP_EncryptInit_ex2(cx, aes, k, iv, NULL)
                    && EVP_EncryptUpdate(cx, out, &len, buf, sizeof buf)
                    && EVP_EncryptFinal_ex(cx, out + len, &len)
                    && EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_GET_TAG, 16, tag));
            bytes += sizeof buf;
        }
    } while ((t = now() - t0) < seconds);
    printf("aes_gcm_mb_per_s %.1f\n", bytes / t / 1e6);
    return 0;
}
