"""add-section.py MODULE.wasm NAME FILE: appends FILE's bytes to MODULE.wasm
as a custom section NAME (replacing an existing section of that name)."""
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_leb(buf, i):
    n = shift = 0
    while True:
        b = buf[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, i


def main(path, name, data_path):
    buf = open(path, "rb").read()
    assert buf[:8] == b"\0asm\x01\0\0\0", f"{path}: not a wasm module"
    data = open(data_path, "rb").read()
    out = bytearray(buf[:8])
    i = 8
    while i < len(buf):
        start = i
        sid = buf[i]
        size, j = read_leb(buf, i + 1)
        end = j + size
        if sid == 0:
            nlen, k = read_leb(buf, j)
            if buf[k:k + nlen] == name.encode():
                i = end
                continue
        out += buf[start:end]
        i = end
    payload = leb(len(name.encode())) + name.encode() + data
    out += b"\0" + leb(len(payload)) + payload
    open(path, "wb").write(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
