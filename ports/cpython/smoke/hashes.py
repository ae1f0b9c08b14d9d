# hashlib.pbkdf2_hmac/scrypt need OpenSSL (_hashlib), which this port does not build.
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
