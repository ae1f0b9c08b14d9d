#!/usr/bin/env bash
# Builds CPython 3.13 for WALI: build/ports/python/python.wasm and its
# standard library build/ports/python/lib/python3.13 (with .pyc files).
#
# Sources are Debian trixie source packages' upstream tarballs, each pinned by
# sha256 below (python3.13, bzip2, xz-utils, sqlite3; zlib and OpenSSL in
# scripts/port-deps.sh, shared with Ruby). Offline, point
# WALI_PYTHON_TARBALL, WALI_ZLIB_TARBALL, WALI_OPENSSL_TARBALL,
# WALI_BZIP2_TARBALL, WALI_XZ_TARBALL, WALI_SQLITE_TARBALL at the .orig
# tarballs fetched earlier: they are checked against the same hashes.
#
# Steps: the libraries (zlib, OpenSSL from its own cache entry, bzip2,
# liblzma, SQLite) with wali-cc; a native
# build-python from the same CPython source (--with-build-python); the cross
# build with every extension module linked statically into python.wasm; the
# standard library compiled to .pyc by the native python. Installing into
# build/ appends a `wali.interp` custom section (manifest.toml) to python.wasm
# so that `wali run python.wasm script.py` works without flags.
#
# The result is cached under $WALI_CACHE/python-<key>, key = sha256 of every
# input (tarball hashes, the files of this directory, the sysroot and wali-cc
# identity, the clang version); a cached run only copies it into build/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../../scripts/port-deps.sh
. "$root/scripts/port-deps.sh"
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
jobs=${WALI_JOBS:-2}
out=$root/build/ports/python

PY_VERSION=3.13.5
PY_SHA256=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
BZIP2_UPSTREAM=1.0.8
BZIP2_SHA256=ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269
XZ_UPSTREAM=5.8.1
XZ_SHA256=0b54f79df85912504de0b14aec7971e3f964491af1812d83447005807513cd9e
SQLITE_UPSTREAM=3.46.1
SQLITE_SHA256=d0cdd2ece271b29e7ce18095745d892517ee26d0f270065b3a25c2e9eb11639c

say() { echo "build-python: $*" >&2; }
die() { echo "build-python: error: $*" >&2; exit 1; }

[ -x "$root/build/bin/wali-cc" ] && [ -f "$root/build/sysroot/lib/libc.a" ] \
  || die "no sysroot: run 'make sysroot' first"
for tool in clang-19 cc make perl flock sha256sum tar xz tclsh; do
  command -v "$tool" >/dev/null || die "$tool not found (run 'make setup'; tclsh builds SQLite's amalgamation)"
done

# --- cache key ------------------------------------------------------------------
key=$(
  {
    echo "python $PY_SHA256 zlib $ZLIB_SHA256 bzip2 $BZIP2_SHA256 xz $XZ_SHA256 sqlite $SQLITE_SHA256"
    clang-19 --version | head -1
    cc --version | head -1
    cat "$root/build/sysroot/VERSION"
    (cd "$root/build" && find sysroot/lib bin -type f ! -name wasm-opt | LC_ALL=C sort | xargs sha256sum)
    "$root/build/bin/wasm-opt" --version 2>/dev/null || true
    (cd "$root" && sha256sum scripts/port-deps.sh)
    cd "$here"
    # The build's own inputs only (not the manifest, applied at install
    # time, nor the tests and docs).
    { printf '%s\n' build.sh config.site check-modules.sh; find patches include -type f 2>/dev/null || true; } \
      | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -c1-16
)
cached="$cache/python-$key"
[ -z "${WALI_PRINT_KEY:-}" ] || { echo "$cached"; exit 0; }

# --- sources ----------------------------------------------------------------------
# shellcheck source=../../scripts/debian-source.sh
. "$root/scripts/debian-source.sh"

build_all() {
  local work tc pfx t0 py_tar
  work=$(mktemp -d "$cache/tmp-python.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  py_tar=$(debian_source python3.13 "python3.13_$PY_VERSION" "$PY_SHA256" WALI_PYTHON_TARBALL)
  local zlib_tar bz_tar xz_tar sq_tar
  zlib_tar=$(debian_source zlib "zlib_$ZLIB_UPSTREAM" "$ZLIB_SHA256" WALI_ZLIB_TARBALL)
  bz_tar=$(debian_source bzip2 "bzip2_$BZIP2_UPSTREAM" "$BZIP2_SHA256" WALI_BZIP2_TARBALL)
  xz_tar=$(debian_source xz-utils "xz-utils_$XZ_UPSTREAM" "$XZ_SHA256" WALI_XZ_TARBALL)
  sq_tar=$(debian_source sqlite3 "sqlite3_$SQLITE_UPSTREAM" "$SQLITE_SHA256" WALI_SQLITE_TARBALL)

  port_toolchain
  local cross_env=(CC=wali-cc AR=wali-ar RANLIB=wali-ranlib)

  port_zlib "$zlib_tar"
  port_openssl

  say "[$(( $(date +%s) - t0 ))s] bzip2"
  tar xzf "$bz_tar" -C "$work/deps"
  (cd "$work/deps/bzip2-1.0.8" && make -j"$jobs" "${cross_env[@]}" CFLAGS="-O2 -D_FILE_OFFSET_BITS=64" libbz2.a \
     && cp libbz2.a "$pfx/lib/" && cp bzlib.h "$pfx/include/") \
    > "$work/bzip2.log" 2>&1 || { tail -30 "$work/bzip2.log" >&2; die "bzip2 build failed"; }

  say "[$(( $(date +%s) - t0 ))s] liblzma"
  tar xJf "$xz_tar" -C "$work/deps"
  (cd "$work/deps/xz-$XZ_UPSTREAM" && CONFIG_SITE="$tc/bin/wali-config.site" ./configure \
     --host=wasm32-unknown-linux-musl --build=x86_64-linux-gnu "${cross_env[@]}" CFLAGS=-O2 \
     --prefix="$pfx" --disable-shared --enable-static --enable-threads=posix --disable-nls \
     --disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-lzma-links \
     --disable-scripts --disable-doc \
     && make -j"$jobs" -C src/liblzma && make -C src/liblzma install) \
    > "$work/xz.log" 2>&1 || { tail -30 "$work/xz.log" >&2; die "liblzma build failed"; }

  say "[$(( $(date +%s) - t0 ))s] SQLite (amalgamation generated natively, compiled with wali-cc)"
  tar xJf "$sq_tar" -C "$work/deps"
  mkdir -p "$work/deps/sqlite-amal"
  (cd "$work/deps/sqlite-amal" && env -u CC "../sqlite3-$SQLITE_UPSTREAM/configure" && make -j"$jobs" sqlite3.c \
     && wali-cc -O2 -c sqlite3.c -o sqlite3.o -D_FILE_OFFSET_BITS=64 \
          -DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION \
          -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
          -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_COLUMN_METADATA \
          -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000 \
     && wali-ar rcs "$pfx/lib/libsqlite3.a" sqlite3.o && cp sqlite3.h "$pfx/include/") \
    > "$work/sqlite.log" 2>&1 || { tail -30 "$work/sqlite.log" >&2; die "SQLite build failed"; }

  say "[$(( $(date +%s) - t0 ))s] CPython $PY_VERSION: native build-python"
  tar xJf "$py_tar" -C "$work"
  local src=$work/Python-$PY_VERSION
  [ -z "$(ls "$here/patches"/*.patch 2>/dev/null)" ] || for p in "$here"/patches/*.patch; do
    patch -s -p1 -d "$src" < "$p" || die "patch $p does not apply"
  done
  mkdir -p "$work/native"
  # Configured through a relative path, so that the build tree and the
  # source tree can move (into the cache) together and still run.
  (cd "$work/native" && env -u CC -u AR -u RANLIB "../Python-$PY_VERSION/configure" --prefix=/usr/local \
     --without-ensurepip && make -j"$jobs") \
    > "$work/native.log" 2>&1 || { tail -30 "$work/native.log" >&2; die "native python build failed"; }
  local buildpy=$work/native/python
  "$buildpy" -c 'import sys; assert sys.version_info[:2] == (3, 13)' || die "native python does not run"

  say "[$(( $(date +%s) - t0 ))s] CPython $PY_VERSION: cross build for wasm32 (WALI)"
  mkdir -p "$work/cross"
  printf '. %q\n. %q\n' "$tc/bin/wali-config.site" "$here/config.site" > "$work/config.site"
  (cd "$work/cross" && CONFIG_SITE="$work/config.site" "$src/configure" \
     --host=wasm32-unknown-linux-musl --build=x86_64-linux-gnu \
     CC=wali-cc CXX=wali-c++ AR=wali-ar RANLIB=wali-ranlib READELF=true \
     CFLAGS="-O2 -DTHREAD_STACK_SIZE=0x100000" CPPFLAGS="-I$here/include" \
     PKG_CONFIG_LIBDIR="$pfx/lib/pkgconfig" PKG_CONFIG_PATH= \
     ZLIB_CFLAGS="-I$pfx/include" ZLIB_LIBS="-L$pfx/lib -lz" \
     BZIP2_CFLAGS="-I$pfx/include" BZIP2_LIBS="-L$pfx/lib -lbz2" \
     LIBLZMA_CFLAGS="-I$pfx/include" LIBLZMA_LIBS="-L$pfx/lib -llzma" \
     LIBSQLITE3_CFLAGS="-I$pfx/include" LIBSQLITE3_LIBS="-L$pfx/lib -lsqlite3" \
     --prefix=/usr/local --disable-shared --with-build-python="$buildpy" \
     --with-ensurepip=no --without-readline \
     --with-openssl="$pfx" --with-openssl-rpath=no \
     && make -j"$jobs") \
    > "$work/cross.log" 2>&1 || { tail -40 "$work/cross.log" >&2; die "cross build failed (log above)"; }
  # Every module we promise must be built (statically) into python.wasm.
  local missing
  missing=$("$here/check-modules.sh" "$work/cross/Makefile") || die "modules missing from the build: $missing"

  say "[$(( $(date +%s) - t0 ))s] standard library (.pyc compiled by the native python)"
  local dest=$work/dest stage=$work/stage
  (cd "$work/cross" && make libinstall DESTDIR="$dest") > "$work/install.log" 2>&1 \
    || { tail -30 "$work/install.log" >&2; die "make libinstall failed"; }
  mkdir -p "$stage/lib"
  mv "$dest/usr/local/lib/python3.13" "$stage/lib/"
  mkdir -p "$stage/lib/python3.13/lib-dynload"
  cp "$work/cross/python" "$stage/python.wasm"
  {
    echo "CPython $PY_VERSION for WALI (wasm32), cache key $key"
    echo "built $(date -u +%FT%TZ) in $(( $(date +%s) - t0 ))s"
    echo "modules: $(sed -n 's/^MODULE_\([A-Z0-9_]*\)_STATE=yes$/\1/p' "$work/cross/Makefile" | tr 'A-Z' 'a-z' | tr '\n' ' ')"
  } > "$stage/VERSION"
  # Keep the native python (build tree + sources) for `make python-test`'s
  # native column: $cached-native/{native,Python-$PY_VERSION}.
  rm -rf "$cached-native" "$cached-native.part"
  mkdir -p "$cached-native.part"
  find "$work/native" -name '*.o' -delete
  mv "$work/native" "$src" "$cached-native.part/"
  mv "$cached-native.part" "$cached-native"
  rm -rf "$cached.part"
  mv "$stage" "$cached.part"
  mv "$cached.part" "$cached"
  rm -rf "$work"
  trap - EXIT
  say "[$(( $(date +%s) - t0 ))s] built $cached"
}

mkdir -p "$cache"
start=$(date +%s)
if [ -f "$cached/python.wasm" ] && [ -x "$cached-native/native/python" ]; then
  say "using cached build $cached"
else
  build_all
fi

# --- install into build/ (the library hard-linked when the cache shares the
# filesystem), with the wali.interp manifest appended to python.wasm ----------
rm -rf "$out"
mkdir -p "$out"
cp -al "$cached/lib" "$out/" 2>/dev/null || cp -a "$cached/lib" "$out/"
cp "$cached/VERSION" "$cached/python.wasm" "$out/"
"$cached-native/native/python" "$here/add-section.py" "$out/python.wasm" wali.interp "$here/manifest.toml" \
  || die "adding the wali.interp section failed"
ln -sfn "$cached-native/native/python" "$root/build/ports/python-native"
say "ok: $out/python.wasm ($(du -h "$out/python.wasm" | cut -f1)) ready ($(( $(date +%s) - start ))s)"
