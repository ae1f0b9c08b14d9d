# The dependencies the ports share, built one way. Sourced by
# ports/*/build.sh: the caller defines $root, $cache, $jobs, say() and die()
# (and $work and $t0 inside its build); tc and pfx are the caller's (local)
# variables, set here. Run as a script, `bash scripts/port-deps.sh openssl`
# is `make openssl`.

# zlib 1.3.1, the one both interpreters link (Debian's zlib source package).
ZLIB_UPSTREAM=1.3.dfsg+really1.3.1
ZLIB_SHA256=60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb

# OpenSSL 3.5 (Debian trixie's openssl source package: 3.5.7-1~deb13u2; the
# deb13u1 of 3.5.9 is not on the mirror yet, so `apt-get source` of it fails).
# Offline, point WALI_OPENSSL_TARBALL at openssl_3.5.7.orig.tar.gz.
#
# Configuration: linux-generic32 (wasm32 is a little-endian ILP32 Linux
# target to OpenSSL), no assembly (there is none for Wasm), threads on
# (pthreads), no shared libraries and no loadable modules (the legacy
# provider is built into libcrypto), no DSO (no dlopen in a static guest),
# no async (it needs ucontext, which Wasm cannot provide), no AF_ALG engine,
# no secure heap (it wants <linux/mman.h> for mlock2, which the sysroot does
# not ship, and locked pages mean little inside a Wasm memory).
# The RNG is seeded from the getrandom syscall only (--with-rand-seed).
# OPENSSLDIR is /etc/ssl, so the default CA file is /etc/ssl/cert.pem and the
# default CA directory /etc/ssl/certs, where wali mounts the host's bundle.
OPENSSL_UPSTREAM=3.5.7
OPENSSL_SHA256=a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8
OPENSSL_CONFIG=(no-asm threads no-shared no-module no-dso no-async no-afalgeng
  no-secure-memory no-tests no-docs no-apps --with-rand-seed=getrandom
  --prefix=/ --libdir=lib --openssldir=/etc/ssl)

# A private copy of the toolchain on PATH ($tc; a concurrent `make sysroot`
# replaces build/sysroot under our feet otherwise) and an empty install
# prefix for the libraries ($pfx).
port_toolchain() {
  tc=$work/toolchain
  mkdir -p "$tc"
  cp -R "$root/build/bin" "$root/build/sysroot" "$tc/"
  export PATH="$tc/bin:$PATH"
  pfx=$work/prefix
  mkdir -p "$pfx/lib" "$pfx/include" "$work/deps"
}

# port_zlib TARBALL: a static libz into $pfx, built with wali-cc.
port_zlib() {
  say "[$(( $(date +%s) - t0 ))s] zlib"
  tar xzf "$1" -C "$work/deps"
  (cd "$work/deps/zlib-1.3.1" && env CC=wali-cc AR=wali-ar RANLIB=wali-ranlib CFLAGS=-O2 \
     CHOST=wasm32-unknown-linux-musl ./configure --static --prefix="$pfx" \
     && make -j"$jobs" libz.a && make install) \
    > "$work/zlib.log" 2>&1 || { tail -30 "$work/zlib.log" >&2; die "zlib build failed"; }
}

# openssl_cached [wasm|native]: prints the directory of the OpenSSL build
# ({include,lib/libssl.a,lib/libcrypto.a,VERSION}), building it first if the
# cache lacks it. `wasm` (the default) is built with wali-cc and cached as
# $cache/openssl-<key>, the key hashing the tarball hash, this file, the
# sysroot and wali-cc, and the clang version, like the interpreters' keys (so
# a change here changes theirs too). `native` is the same source and
# configuration (no assembly either) built with the host's cc, for the
# benchmarks' native column ($cache/openssl-native-<key>). A lock keeps two
# builds of one key (CPython's and Ruby's at once) from colliding. About 4
# minutes cold on 2 cores.
openssl_cached() {
  local flavour=${1:-wasm} key cached lockfd
  case $flavour in wasm|native) ;; *) die "openssl_cached: unknown flavour $flavour" ;; esac
  [ -x "$root/build/bin/wali-cc" ] && [ -f "$root/build/sysroot/lib/libc.a" ] \
    || die "no sysroot: run 'make sysroot' first"
  key=$(
    {
      echo "openssl $OPENSSL_SHA256 $flavour ${OPENSSL_CONFIG[*]}"
      clang-19 --version | head -1
      if [ "$flavour" = native ]; then
        cc --version | head -1
      else
        cat "$root/build/sysroot/VERSION"
        (cd "$root/build" && find sysroot/lib bin -type f ! -name wasm-opt | LC_ALL=C sort | xargs sha256sum)
      fi
      sha256sum < "$root/scripts/port-deps.sh"
    } | sha256sum | cut -c1-16
  )
  if [ "$flavour" = native ]; then cached=$cache/openssl-native-$key; else cached=$cache/openssl-$key; fi
  mkdir -p "$cache"
  exec {lockfd}> "$cached.lock"
  flock "$lockfd"
  if [ -f "$cached/lib/libssl.a" ] && [ -f "$cached/lib/libcrypto.a" ]; then
    say "OpenSSL: using cached build $cached"
  else
    openssl_build "$flavour" "$cached" "$key" || { exec {lockfd}>&-; return 1; }
  fi
  exec {lockfd}>&-
  echo "$cached"
}

# openssl_build FLAVOUR DEST KEY: builds into DEST (see openssl_cached).
openssl_build() (
  local flavour=$1 cached=$2 key=$3 work t0 tarball stage src target env_cc
  # shellcheck source=debian-source.sh
  . "$root/scripts/debian-source.sh"
  work=$(mktemp -d "$cache/tmp-openssl.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  tarball=$(debian_source openssl "openssl_$OPENSSL_UPSTREAM" "$OPENSSL_SHA256" WALI_OPENSSL_TARBALL)
  if [ "$flavour" = native ]; then
    target=linux-x86_64; env_cc=(CC=cc AR=ar RANLIB=ranlib)
  else
    port_toolchain
    target=linux-generic32; env_cc=(CC=wali-cc AR=wali-ar RANLIB=wali-ranlib)
  fi
  say "[0s] OpenSSL $OPENSSL_UPSTREAM ($flavour): configure ($target ${OPENSSL_CONFIG[*]})"
  tar xzf "$tarball" -C "$work"
  src=$work/openssl-$OPENSSL_UPSTREAM
  stage=$work/stage
  (cd "$src" && env "${env_cc[@]}" CFLAGS=-O2 ./Configure "$target" "${OPENSSL_CONFIG[@]}" \
     && make -j"$jobs" build_libs \
     && make install_dev DESTDIR="$stage") \
    > "$work/openssl.log" 2>&1 || { tail -40 "$work/openssl.log" >&2; die "OpenSSL build failed (log above)"; }
  rm -rf "$stage/lib/pkgconfig" "$stage/lib/cmake" "$stage/lib64"
  echo "OpenSSL $OPENSSL_UPSTREAM ($flavour, static), cache key $key: $target ${OPENSSL_CONFIG[*]}" > "$stage/VERSION"
  rm -rf "$cached.part"
  mv "$stage" "$cached.part"
  mv "$cached.part" "$cached"
  say "[$(( $(date +%s) - t0 ))s] OpenSSL: built $cached"
)

# port_openssl: the cached wasm OpenSSL's headers and static libraries into
# $pfx (inside a port's build).
port_openssl() {
  local dir
  say "[$(( $(date +%s) - t0 ))s] OpenSSL"
  dir=$(openssl_cached wasm) || die "OpenSSL build failed"
  cp -R "$dir/include/." "$pfx/include/"
  cp "$dir/lib/libssl.a" "$dir/lib/libcrypto.a" "$pfx/lib/"
}

# `bash scripts/port-deps.sh openssl [native]`: the OpenSSL build copied to
# build/ports/openssl (or build/ports/openssl-native), for C guests to link
# (wali-cc ... -Ibuild/ports/openssl/include -Lbuild/ports/openssl/lib
# -lssl -lcrypto -pthread).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  root=$(cd "$(dirname "$0")/.." && pwd)
  cache=${WALI_CACHE:-$HOME/.cache/wali-build}
  jobs=${WALI_JOBS:-2}
  say() { echo "port-deps: $*" >&2; }
  die() { echo "port-deps: error: $*" >&2; exit 1; }
  case ${1:-} in
    openssl)
      flavour=${2:-wasm}
      for tool in clang-19 cc make perl sha256sum tar flock; do
        command -v "$tool" >/dev/null || die "$tool not found (run 'make setup')"
      done
      start=$(date +%s)
      dir=$(openssl_cached "$flavour")
      out=$root/build/ports/openssl
      [ "$flavour" = wasm ] || out=$out-$flavour
      rm -rf "$out"
      mkdir -p "$out"
      cp -a "$dir/include" "$dir/lib" "$dir/VERSION" "$out/"
      say "ok: $out/lib/libssl.a, libcrypto.a ready ($(( $(date +%s) - start ))s)" ;;
    *) die "usage: $0 openssl [wasm|native]" ;;
  esac
fi
