#!/usr/bin/env bash
# Builds OpenSSL 3 for WALI: static libcrypto.a and libssl.a plus headers in
# build/ports/openssl/{lib,include}, for the interpreter ports and C guests
# to link (wali-cc ... -I build/ports/openssl/include -L build/ports/openssl/lib
# -lssl -lcrypto -pthread).
#
# Source: the upstream tarball of Debian trixie's `openssl` source package,
# pinned by sha256 below. Offline, point WALI_OPENSSL_TARBALL at that
# openssl_<version>.orig.tar.gz fetched elsewhere: it is checked against the
# same hash.
#
# Configuration: linux-generic32 (wasm32 is a little-endian ILP32 Linux
# target to OpenSSL), no assembly (there is none for Wasm), threads on
# (pthreads), no shared libraries and no loadable modules (the legacy
# provider is built into libcrypto), no DSO (no dlopen in a static guest),
# no async (it needs ucontext, which Wasm cannot provide), no AF_ALG engine,
# no secure heap (it wants <linux/mman.h> for mlock2, which the sysroot does
# not ship, and locked pages mean little inside a Wasm memory).
# The RNG is seeded from the getrandom syscall only (--with-rand-seed).
# OPENSSLDIR is /etc/ssl, so the default CA locations are
# /etc/ssl/cert.pem and /etc/ssl/certs, where Debian keeps them.
#
# The result is cached under $WALI_CACHE/openssl-<key>, key = sha256 of every
# input (the tarball hash, this script, the sysroot and wali-cc identity, the
# clang version); a cached run only copies it into build/. A cold build takes
# about 4 minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# port_toolchain; this script does not touch the interpreters' cache keys.
# shellcheck source=../../scripts/port-deps.sh
. "$root/scripts/port-deps.sh"
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
jobs=${WALI_JOBS:-2}
out=$root/build/ports/openssl

# trixie's openssl 3.5.7-1~deb13u2 (the deb13u1 of 3.5.9 is not on the
# mirror yet, so `apt-get source` of it fails).
OPENSSL_UPSTREAM=3.5.7
OPENSSL_SHA256=a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8
OPENSSL_CONFIG=(linux-generic32 no-asm threads no-shared no-module no-dso no-async no-afalgeng
  no-secure-memory no-tests no-docs no-apps --with-rand-seed=getrandom
  --prefix=/ --libdir=lib --openssldir=/etc/ssl)

say() { echo "build-openssl: $*" >&2; }
die() { echo "build-openssl: error: $*" >&2; exit 1; }

[ -x "$root/build/bin/wali-cc" ] && [ -f "$root/build/sysroot/lib/libc.a" ] \
  || die "no sysroot: run 'make sysroot' first"
for tool in clang-19 make perl sha256sum tar; do
  command -v "$tool" >/dev/null || die "$tool not found (run 'make setup')"
done

# --- cache key (the same inputs as the interpreters' keys) --------------------
key=$(
  {
    echo "openssl $OPENSSL_SHA256"
    clang-19 --version | head -1
    cat "$root/build/sysroot/VERSION"
    (cd "$root/build" && find sysroot/lib bin -type f ! -name wasm-opt | LC_ALL=C sort | xargs sha256sum)
    (cd "$root" && sha256sum scripts/port-deps.sh ports/openssl/build.sh)
  } | sha256sum | cut -c1-16
)
cached="$cache/openssl-$key"
[ -z "${WALI_PRINT_KEY:-}" ] || { echo "$cached"; exit 0; }

# shellcheck source=../../scripts/debian-source.sh
. "$root/scripts/debian-source.sh"

build_all() {
  local work tc pfx t0 tarball stage
  work=$(mktemp -d "$cache/tmp-openssl.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  tarball=$(debian_source openssl "openssl_$OPENSSL_UPSTREAM" "$OPENSSL_SHA256" WALI_OPENSSL_TARBALL)
  port_toolchain
  say "[0s] OpenSSL $OPENSSL_UPSTREAM: configure (${OPENSSL_CONFIG[*]})"
  tar xzf "$tarball" -C "$work"
  stage=$work/stage
  (cd "$work/openssl-$OPENSSL_UPSTREAM" \
     && env CC=wali-cc AR=wali-ar RANLIB=wali-ranlib CFLAGS=-O2 ./Configure "${OPENSSL_CONFIG[@]}" \
     && make -j"$jobs" build_libs \
     && make install_dev DESTDIR="$stage") \
    > "$work/openssl.log" 2>&1 || { tail -40 "$work/openssl.log" >&2; die "OpenSSL build failed (log: $work/openssl.log)"; }
  rm -rf "$stage/lib/pkgconfig" "$stage/lib/cmake"
  echo "OpenSSL $OPENSSL_UPSTREAM for WALI (wasm32, static), cache key $key: ${OPENSSL_CONFIG[*]}" > "$stage/VERSION"
  rm -rf "$cached.part"
  mv "$stage" "$cached.part"
  mv "$cached.part" "$cached"
  rm -rf "$work"
  trap - EXIT
  say "[$(( $(date +%s) - t0 ))s] built $cached"
}

mkdir -p "$cache"
start=$(date +%s)
if [ -f "$cached/lib/libssl.a" ] && [ -f "$cached/lib/libcrypto.a" ]; then
  say "using cached build $cached"
else
  build_all
fi
rm -rf "$out"
mkdir -p "$out"
cp -a "$cached/include" "$cached/lib" "$cached/VERSION" "$out/"
say "ok: $out/lib/libssl.a, libcrypto.a ready ($(( $(date +%s) - start ))s)"
