import zlib, bz2, lzma, gzip, io
data = b"wali " * 1000 + bytes(range(256))
print(hex(zlib.crc32(data)), hex(zlib.adler32(data)))
c = zlib.compress(data, 9)
print(zlib.decompress(c) == data, len(c) < len(data) // 10)
d = zlib.decompressobj()
print(d.decompress(c[:10]) + d.decompress(c[10:]) + d.flush() == data)
print(zlib.ZLIB_RUNTIME_VERSION)
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
    f.write(data)
print(gzip.decompress(buf.getvalue()) == data)
print(bz2.decompress(bz2.compress(data)) == data)
print(lzma.decompress(lzma.compress(data)) == data)
