#!/usr/bin/env bash
# Cross-builds GNU hello (Debian's source package: a real autoconf+gnulib
# configure) with wali-cc and runs it under wali:
#   ./configure --host=wasm32-unknown-linux-musl CC=wali-cc
# Needs `make sysroot`, the host, and the deb-src entry build-sysroot.sh adds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/build/bin"
wali=${WALI:-$root/target/release/wali}
cache=${WALI_CACHE:-$HOME/.cache/wali-build}

tarball=$(ls "$cache"/src/hello_*.orig.tar.gz 2>/dev/null | tail -1 || true)
if [ -z "$tarball" ]; then
  tmp=$(mktemp -d); chmod 755 "$tmp"
  # Only the upstream tarball is needed; apt may still complain about the rest.
  (cd "$tmp" && apt-get source --download-only -qq hello > apt.log 2>&1) || true
  tarball=$(ls "$tmp"/hello_*.orig.tar.gz 2>/dev/null | tail -1) \
    || { cat "$tmp/apt.log" >&2; echo "autoconf-hello: could not fetch Debian's hello source" >&2; exit 2; }
  mkdir -p "$cache/src" && cp "$tarball" "$cache/src/" && tarball="$cache/src/$(basename "$tarball")"
  rm -rf "$tmp"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar xzf "$tarball" -C "$work"
cd "$work"/hello-*
export PATH="$bin:$PATH"
CONFIG_SITE="$bin/wali-config.site" ./configure -q --host=wasm32-unknown-linux-musl \
  CC=wali-cc AR=wali-ar RANLIB=wali-ranlib > configure.log 2>&1 \
  || { tail -30 config.log; echo "autoconf-hello: configure failed" >&2; exit 1; }
make -s -j2 > make.log 2>&1 || { tail -30 make.log; echo "autoconf-hello: make failed" >&2; exit 1; }
"$here/../check-imports.sh" hello
got=$("$wali" run hello --greeting="hello from wali")
[ "$got" = "hello from wali" ] || { echo "autoconf-hello: unexpected output: $got" >&2; exit 1; }
echo "autoconf-hello: configure, build and run ok"
