#!/usr/bin/env bash
# OpenSSL under WALI, differentially: ports/openssl/check.c (SHA-256, SHA3,
# HMAC, PBKDF2, scrypt, AES-256-GCM, the RNG, TLS 1.3 handshakes between two
# threads over a socketpair, trusted and refused) built with wali-cc against
# build/ports/openssl and run under `wali run`, and built with the host's cc
# against the host's OpenSSL 3 (libssl-dev: Debian's 3.0 on bookworm, 3.5 on
# trixie; the program prints only facts both agree on, and its first line,
# the major version, must match). Requires equal stdout and exit status, and
# that the module imports only what the syscall table lists.
# Needs `make openssl` and the host. Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wali=${WALI:-$root/target/release/wali}
ossl=$root/build/ports/openssl
cc=${CC:-cc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ -f "$ossl/lib/libssl.a" ] || { echo "check.sh: $ossl missing: run 'make openssl' first" >&2; exit 2; }
[ -x "$wali" ] || { echo "check.sh: $wali missing: run 'cargo build --release -p wali' first" >&2; exit 2; }

pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail+1)); }

if ! "$cc" -O1 -pthread -o "$out/check.native" "$here/check.c" -lssl -lcrypto 2> "$out/cc.err"; then
  bad openssl/build-native "$(head -3 "$out/cc.err") (install libssl-dev: make setup)"
fi
if ! "$root/build/bin/wali-cc" -O2 -pthread -I"$ossl/include" -o "$out/check.wasm" "$here/check.c" \
     -L"$ossl/lib" -lssl -lcrypto 2> "$out/wali-cc.err"; then
  bad openssl/build-wali "$(head -5 "$out/wali-cc.err")"
elif "$root/guest-libc-patches/check-imports.sh" "$out/check.wasm" > "$out/imports" 2>&1; then
  ok openssl/imports
else
  bad openssl/imports "$(head -5 "$out/imports")"
fi

if [ -x "$out/check.native" ] && [ -f "$out/check.wasm" ]; then
  (cd "$out" && "./check.native") > "$out/native.out" 2> "$out/native.err"
  nrc=$?
  (cd "$out" && "$wali" run check.wasm) > "$out/wali.out" 2> "$out/wali.err"
  wrc=$?
  if [ $nrc != 0 ]; then
    bad openssl/check "native run failed ($nrc): $(tail -3 "$out/native.out") $(head -3 "$out/native.err")"
  elif [ $nrc != $wrc ]; then
    bad openssl/check "exit status native=$nrc wali=$wrc; $(tail -2 "$out/wali.out"); stderr: $(head -5 "$out/wali.err")"
  elif ! diff -u "$out/native.out" "$out/wali.out" > "$out/diff"; then
    bad openssl/check "stdout differs:"; head -40 "$out/diff"
  else
    ok "openssl/check ($(wc -l < "$out/wali.out") facts)"
  fi
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
