#!/usr/bin/env bash
# check-modules.sh CROSS_BUILD_MAKEFILE: fails (printing their names) if a
# module this port promises is not built into python.wasm.
set -euo pipefail
required="_socket select _posixsubprocess fcntl termios mmap math cmath
_struct _json _pickle _datetime _decimal _random _bisect _heapq array
unicodedata binascii zlib _sqlite3 _bz2 _lzma _md5 _sha1 _sha2 _sha3 _blake2
_elementtree pyexpat _multiprocessing _posixshmem _queue _statistics _zoneinfo
_contextvars _asyncio _csv _opcode resource grp syslog _ssl _hashlib"
missing=""
for m in $required; do
  var=MODULE_$(echo "$m" | tr 'a-z' 'A-Z')_STATE
  grep -q "^$var=yes$" "$1" || missing="$missing $m"
done
# _thread and _signal are part of the interpreter core (no Makefile state);
# the smoke tests check them at run time.
if [ -n "$missing" ]; then echo "$missing"; exit 1; fi
