# The interpreter starts from the manifest's mounts: stdlib, executable, script.
import sys, os, importlib
print(sys.version_info[:2])
print(sys.executable)
print(sys.prefix)
print(os.path.basename(__file__))
mods = ["_socket", "select", "_thread", "_signal", "_posixsubprocess", "fcntl",
        "termios", "mmap", "math", "cmath", "_struct", "_json", "_pickle",
        "_datetime", "_decimal", "_random", "_bisect", "_heapq", "array",
        "unicodedata", "binascii", "zlib", "_sqlite3", "_bz2", "_lzma", "_md5",
        "_sha1", "_sha2", "_sha3", "_blake2", "pyexpat", "_elementtree"]
for m in mods:
    mod = importlib.import_module(m)
    assert m in sys.builtin_module_names, m
print("builtin modules ok:", len(mods))
import decimal, datetime, unicodedata, math
print(decimal.Decimal(1) / decimal.Decimal(7))
print(datetime.date(2026, 11, 21).isoformat())
print(unicodedata.name("\u00e9"))
print(math.factorial(30))
