/* OpenSSL under WALI: digests, MACs, key derivation, AES-GCM, the RNG seeded
 * from getrandom, and TLS 1.3 handshakes between two threads over a
 * socketpair with a key and self-signed certificate made in-process. Prints
 * one fact per line; ports/openssl/check.sh runs it natively and under wali
 * and requires identical output and exit status. Exit 1 on the first failed
 * OpenSSL call (with the error queue on stderr). */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
    printf("%s: failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}
#define REQUIRE(what, cond) do { if (!(cond)) die(what); } while (0)

static void hex(const char *label, const unsigned char *p, size_t n)
{
    printf("%s: ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static void digests(void)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    REQUIRE("sha256", EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL));
    hex("sha256(abc)", md, n);
    REQUIRE("sha3-256", EVP_Digest("abc", 3, md, &n, EVP_sha3_256(), NULL));
    hex("sha3-256(abc)", md, n);
    /* RFC 4231 test case 2. */
    REQUIRE("hmac", HMAC(EVP_sha256(), "Jefe", 4,
                         (const unsigned char *)"what do ya want for nothing?", 28, md, &n));
    hex("hmac-sha256(Jefe)", md, n);
    unsigned char dk[32];
    REQUIRE("pbkdf2", PKCS5_PBKDF2_HMAC("password", 8, (const unsigned char *)"salt", 4, 4096,
                                        EVP_sha256(), sizeof dk, dk));
    hex("pbkdf2-sha256(password,salt,4096)", dk, sizeof dk);
    /* RFC 7914 section 12, second vector, shortened to 32 bytes. */
    REQUIRE("scrypt", EVP_PBE_scrypt("password", 8, (const unsigned char *)"NaCl", 4, 1024, 8, 16,
                                     0, dk, sizeof dk));
    hex("scrypt(password,NaCl,1024,8,16)", dk, sizeof dk);
}

static void aes_gcm(void)
{
    unsigned char key[32], iv[12], aad[] = "header", msg[] = "attack at dawn, under WALI";
    unsigned char ct[sizeof msg], tag[16], back[sizeof msg];
    int n = 0, m = 0;
    for (int i = 0; i < 32; i++) key[i] = (unsigned char)i;
    for (int i = 0; i < 12; i++) iv[i] = (unsigned char)(0xa0 + i);

    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    REQUIRE("gcm encrypt", c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv)
            && EVP_EncryptUpdate(c, NULL, &n, aad, sizeof aad)
            && EVP_EncryptUpdate(c, ct, &n, msg, sizeof msg)
            && EVP_EncryptFinal_ex(c, ct + n, &m)
            && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
    hex("aes-256-gcm ciphertext", ct, (size_t)(n + m));
    hex("aes-256-gcm tag", tag, 16);

    for (int tamper = 0; tamper < 2; tamper++) {
        unsigned char t[16];
        memcpy(t, tag, 16);
        t[0] ^= (unsigned char)tamper;
        REQUIRE("gcm decrypt", EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv)
                && EVP_DecryptUpdate(c, NULL, &n, aad, sizeof aad)
                && EVP_DecryptUpdate(c, back, &n, ct, sizeof msg)
                && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, t));
        int ok = EVP_DecryptFinal_ex(c, back + n, &m) == 1;
        if (tamper)
            printf("aes-256-gcm decrypt with a tampered tag: %s\n", ok ? "accepted" : "rejected");
        else
            printf("aes-256-gcm decrypt: %s, plaintext %s\n", ok ? "accepted" : "rejected",
                   memcmp(back, msg, sizeof msg) == 0 ? "equal" : "differs");
    }
    ERR_clear_error();
    EVP_CIPHER_CTX_free(c);
}

static void randomness(void)
{
    unsigned char a[32], b[32];
    printf("getrandom(16): %zd\n", getrandom(a, 16, 0));
    printf("RAND_status: %d\n", RAND_status());
    REQUIRE("RAND_bytes", RAND_bytes(a, sizeof a) == 1 && RAND_bytes(b, sizeof b) == 1);
    printf("two RAND_bytes(32) differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
    REQUIRE("RAND_priv_bytes", RAND_priv_bytes(a, sizeof a) == 1);
}

/* --- TLS -------------------------------------------------------------------- */

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
    X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:wali.test");
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
    REQUIRE("extensions", san && bc && X509_add_ext(cert, san, -1) && X509_add_ext(cert, bc, -1));
    X509_EXTENSION_free(san);
    X509_EXTENSION_free(bc);
    X509_NAME_free(name);
    REQUIRE("sign", X509_sign(cert, key, EVP_sha256()) > 0);
    printf("self-signed certificate verifies with its key: %s\n",
           X509_verify(cert, key) == 1 ? "yes" : "no");
}

struct server { int fd; int accepted; char got[64]; };

static void *serve(void *arg)
{
    struct server *s = arg;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL *ssl = NULL;
    if (ctx && SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1
        && SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1
        && SSL_CTX_set1_groups_list(ctx, "X25519") == 1 && (ssl = SSL_new(ctx)) != NULL
        && SSL_set_fd(ssl, s->fd) == 1) {
        s->accepted = SSL_accept(ssl) == 1;
        if (s->accepted) {
            int n = SSL_read(ssl, s->got, sizeof s->got - 1);
            if (n > 0) {
                s->got[n] = 0;
                SSL_write(ssl, s->got, n);   /* echo */
            }
            SSL_shutdown(ssl);
        }
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(s->fd);
    ERR_clear_error();
    return NULL;
}

/* One handshake; the client trusts our certificate when `trust` is set,
 * otherwise nothing (so verification must fail). */
static void handshake(int trust)
{
    const char *what = trust ? "tls (trusted)" : "tls (unknown CA)";
    int sv[2];
    REQUIRE("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct server s = { .fd = sv[1] };
    pthread_t th;
    REQUIRE("pthread_create", pthread_create(&th, NULL, serve, &s) == 0);

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    REQUIRE("client ctx", ctx && SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1
            && SSL_CTX_set1_groups_list(ctx, "X25519") == 1);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (trust)
        REQUIRE("trust", X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), cert) == 1);
    SSL *ssl = SSL_new(ctx);
    REQUIRE("client ssl", ssl && SSL_set_fd(ssl, sv[0]) == 1 && SSL_set1_host(ssl, "wali.test") == 1
            && SSL_set_tlsext_host_name(ssl, "wali.test") == 1);
    int ok = SSL_connect(ssl) == 1;
    printf("%s: handshake %s, verify result %ld (%s)\n", what, ok ? "ok" : "refused",
           SSL_get_verify_result(ssl), X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
    if (ok) {
        printf("%s: %s, %s\n", what, SSL_get_version(ssl), SSL_get_cipher_name(ssl));
        X509 *peer = SSL_get1_peer_certificate(ssl);
        printf("%s: peer certificate is ours: %s\n", what,
               peer && X509_cmp(peer, cert) == 0 ? "yes" : "no");
        X509_free(peer);
        const char msg[] = "hello over TLS 1.3";
        char back[64] = { 0 };
        REQUIRE("SSL_write", SSL_write(ssl, msg, sizeof msg - 1) == (int)sizeof msg - 1);
        int n = SSL_read(ssl, back, sizeof back - 1);
        printf("%s: echo %d bytes: %s\n", what, n, back);
        SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(sv[0]);
    REQUIRE("pthread_join", pthread_join(th, NULL) == 0);
    printf("%s: server accepted: %s, server read: %s\n", what, s.accepted ? "yes" : "no",
           s.got[0] ? s.got : "(nothing)");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* The refused handshake's peer writes an alert to a closed socket. */
    signal(SIGPIPE, SIG_IGN);
    printf("OpenSSL major version: %d\n", (int)OPENSSL_version_major());
    digests();
    aes_gcm();
    randomness();
    make_identity();
    handshake(1);
    handshake(0);
    return 0;
}
