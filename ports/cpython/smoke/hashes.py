# hashlib through OpenSSL (_hashlib): the digests, HMAC's one-shot fast path,
# PBKDF2 and scrypt; hashes.out holds the native results (Debian's python3).
import hashlib, hmac
for name in ["md5", "sha1", "sha224", "sha256", "sha384", "sha512",
             "sha3_256", "sha3_512", "blake2b", "blake2s"]:
    print(name, hashlib.new(name, b"abc").hexdigest())
print("shake_128", hashlib.shake_128(b"abc").hexdigest(16))
print("hmac", hmac.new(b"key", b"msg", "sha256").hexdigest())
h = hashlib.sha256()
for i in range(1000):
    h.update(str(i).encode())
print("incremental", h.hexdigest())
# OpenSSL's implementations, not the built-in fallbacks.
print("backend", type(hashlib.sha256()).__name__, type(hashlib.sha3_256()).__name__,
      hashlib.sha256().__class__.__module__)
print("hmac.digest", hmac.digest(b"key", b"msg", "sha512").hex()[:64])
print("pbkdf2_hmac", hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 4096).hex())
print("pbkdf2_hmac sha1", hashlib.pbkdf2_hmac("sha1", b"password", b"salt", 2, 20).hex())
# RFC 7914's second scrypt vector.
print("scrypt", hashlib.scrypt(b"password", salt=b"NaCl", n=1024, r=8, p=16, dklen=64).hex())
print("algorithms", sorted(hashlib.algorithms_guaranteed) == sorted(
    {"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
     "sha3_384", "sha3_512", "shake_128", "shake_256", "blake2b", "blake2s"}))
