#!/usr/bin/env bash
# Builds busybox for WALI: one multi-call module, build/ports/busybox/bin/busybox,
# next to one symlink per applet (sh -> busybox, ls -> busybox, ...). The
# host mounts that directory read-only at /bin and /usr/bin for interpreter
# runs (policy key tools.dir, docs/policy.md), so that /bin/sh, os.system,
# Ruby's backticks and `subprocess.run(..., shell=True)` work.
#
# Source: the upstream tarball of Debian trixie's `busybox` source package,
# pinned by sha256 below. Offline, point WALI_BUSYBOX_TARBALL at that
# busybox_<version>.orig.tar.bz2 fetched elsewhere: it is checked against the
# same hash.
#
# Configuration: `make allnoconfig`, then every option of ports/busybox/config
# (ash as sh, coreutils, find/xargs, grep/sed/awk, diff/patch, vi/less,
# gzip/tar: the applets listed in build/ports/busybox/APPLETS). Patches in
# ports/busybox/patches (each says why). Two build-system details for wasm-ld:
# busybox's partial links (`$(LD) -nostdlib -r`) go straight to wasm-ld
# (wali-cc links whole modules only), and `main` lives in an archive
# (libbb/lib.a) that crt1's weak reference alone does not pull in, hence
# --undefined=__main_argc_argv.
#
# The same source and configuration are also built natively
# (build/ports/busybox-native/bin): ports/busybox/check.sh runs one shell
# script under both and compares the output.
#
# The result is cached under $WALI_CACHE/busybox-<key>, key = sha256 of every
# input (the tarball hash, this directory's config, patches and scripts, the
# sysroot and wali-cc identity, the clang and cc versions); a cached run only
# copies it into build/. A cold build takes about 2 minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
jobs=${WALI_JOBS:-2}
out=$root/build/ports/busybox
native_out=$root/build/ports/busybox-native

# trixie's busybox 1:1.37.0-6.
BUSYBOX_UPSTREAM=1.37.0
BUSYBOX_SHA256=3311dff32e746499f4df0d5df04d7eb396382d7e108bb9250e7b519b837043a4

say() { echo "build-busybox: $*" >&2; }
die() { echo "build-busybox: error: $*" >&2; exit 1; }

[ -x "$root/build/bin/wali-cc" ] && [ -f "$root/build/sysroot/lib/libc.a" ] \
  || die "no sysroot: run 'make sysroot' first"
for tool in clang-19 wasm-ld-19 cc make sha256sum tar bzip2 patch; do
  command -v "$tool" >/dev/null || die "$tool not found (run 'make setup')"
done

# --- cache key ----------------------------------------------------------------
key=$(
  {
    echo "busybox $BUSYBOX_SHA256"
    clang-19 --version | head -1
    cc --version | head -1
    cat "$root/build/sysroot/VERSION"
    (cd "$root/build" && find sysroot/lib bin -type f ! -name wasm-opt | LC_ALL=C sort | xargs sha256sum)
    "$root/build/bin/wasm-opt" --version 2>/dev/null || true
    cd "$here"
    # The build's inputs only (not check.sh and its test script).
    { printf '%s\n' build.sh config; find patches -type f; } | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -c1-16
)
cached="$cache/busybox-$key"
[ -z "${WALI_PRINT_KEY:-}" ] || { echo "$cached"; exit 0; }

# shellcheck source=../../scripts/debian-source.sh
. "$root/scripts/debian-source.sh"

# configure SRC: allnoconfig, then ports/busybox/config on top (a later
# line wins in kconfig; `oldconfig` settles dependencies), then a check that
# every option asked for is on.
configure() {
  local src=$1 k line
  (cd "$src" && make allnoconfig HOSTCC=cc) > "$src/../config.log" 2>&1 \
    || { tail -20 "$src/../config.log" >&2; die "make allnoconfig failed"; }
  for k in $(grep -o '^CONFIG_[A-Z0-9_]*' "$here/config"); do
    sed -i "/^$k=/d;/^# $k is not set/d" "$src/.config"
  done
  grep '^CONFIG_' "$here/config" | sed 's/^\(CONFIG_[A-Z0-9_]*\)=n$/# \1 is not set/' >> "$src/.config"
  (cd "$src" && { yes "" || true; } | make oldconfig HOSTCC=cc) >> "$src/../config.log" 2>&1 \
    || { tail -20 "$src/../config.log" >&2; die "make oldconfig failed"; }
  while read -r line; do
    grep -qxF "$line" "$src/.config" || die "$line from ports/busybox/config did not survive 'make oldconfig' (unknown or unmet dependency)"
  done < <(grep '^CONFIG_.*=y$' "$here/config")
}

# links DIR: one symlink per applet next to DIR/busybox.
links() {
  local dir=$1 list=$2 a
  for a in $(sed 's|.*/||' "$list" | LC_ALL=C sort -u); do
    ln -sfn busybox "$dir/$a"
  done
}

build_all() {
  local work t0 tarball src nsrc stage
  work=$(mktemp -d "$cache/tmp-busybox.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  tarball=$(debian_source busybox "busybox_$BUSYBOX_UPSTREAM" "$BUSYBOX_SHA256" WALI_BUSYBOX_TARBALL)
  # A private copy of the toolchain (a concurrent `make sysroot` replaces
  # build/sysroot under our feet otherwise), plus the partial-link wrapper.
  mkdir -p "$work/toolchain"
  cp -R "$root/build/bin" "$root/build/sysroot" "$work/toolchain/"
  cat > "$work/toolchain/bin/wali-ld-r" <<'EOF'
#!/bin/sh
# busybox's partial links ($(LD) -nostdlib [-Wl,...] -r -o built-in.o ...):
# straight to wasm-ld, which knows neither -nostdlib nor the -Wl, prefix.
for a; do
  shift
  case "$a" in
    -nostdlib) ;;
    -Wl,*) old=$IFS; IFS=,; set -- "$@" ${a#-Wl,}; IFS=$old ;;
    *) set -- "$@" "$a" ;;
  esac
done
exec wasm-ld-19 "$@"
EOF
  chmod +x "$work/toolchain/bin/wali-ld-r"
  export PATH="$work/toolchain/bin:$PATH"

  say "[0s] busybox $BUSYBOX_UPSTREAM for wasm32 (WALI)"
  mkdir -p "$work/wasm" "$work/native"
  tar xjf "$tarball" -C "$work/wasm"
  tar xjf "$tarball" -C "$work/native"
  src=$work/wasm/busybox-$BUSYBOX_UPSTREAM
  nsrc=$work/native/busybox-$BUSYBOX_UPSTREAM
  for p in "$here"/patches/*.patch; do
    patch -s -p1 -d "$src" < "$p" || die "patch $p does not apply"
    patch -s -p1 -d "$nsrc" < "$p" || die "patch $p does not apply"
  done
  configure "$src"
  (cd "$src" && make -j"$jobs" CC=wali-cc AR=wali-ar NM=wali-nm STRIP=wali-strip LD=wali-ld-r \
     HOSTCC=cc SKIP_STRIP=y EXTRA_LDFLAGS="-Wl,--undefined=__main_argc_argv" busybox busybox.links) \
    > "$work/wasm.log" 2>&1 || { grep -v 'Loading:' "$work/wasm.log" | tail -40 >&2; die "busybox (wasm32) build failed"; }

  say "[$(( $(date +%s) - t0 ))s] the same busybox natively (for ports/busybox/check.sh)"
  configure "$nsrc"
  # Natively a dynamic executable: glibc warns about static NSS otherwise.
  sed -i 's/^CONFIG_STATIC=y$/# CONFIG_STATIC is not set/' "$nsrc/.config"
  (cd "$nsrc" && { yes "" || true; } | make oldconfig HOSTCC=cc && make -j"$jobs" HOSTCC=cc busybox) \
    > "$work/native.log" 2>&1 || { tail -40 "$work/native.log" >&2; die "busybox (native) build failed"; }

  stage=$work/stage
  mkdir -p "$stage/bin" "$stage/native/bin"
  cp "$src/busybox" "$stage/bin/busybox"
  cp "$nsrc/busybox" "$stage/native/bin/busybox"
  links "$stage/bin" "$src/busybox.links"
  links "$stage/native/bin" "$src/busybox.links"
  sed 's|.*/||' "$src/busybox.links" | LC_ALL=C sort -u > "$stage/APPLETS"
  cp "$src/.config" "$stage/config"
  echo "busybox $BUSYBOX_UPSTREAM for WALI (wasm32), cache key $key: $(wc -l < "$stage/APPLETS") applets" > "$stage/VERSION"
  rm -rf "$cached.part"
  mv "$stage" "$cached.part"
  mv "$cached.part" "$cached"
  rm -rf "$work"
  trap - EXIT
  say "[$(( $(date +%s) - t0 ))s] built $cached"
}

mkdir -p "$cache"
start=$(date +%s)
if [ -f "$cached/bin/busybox" ] && [ -x "$cached/native/bin/busybox" ]; then
  say "using cached build $cached"
else
  build_all
fi
rm -rf "$out" "$native_out"
mkdir -p "$out" "$native_out"
cp -a "$cached/bin" "$cached/APPLETS" "$cached/config" "$cached/VERSION" "$out/"
cp -a "$cached/native/bin" "$native_out/"
say "ok: $out/bin/busybox ($(du -h "$out/bin/busybox" | cut -f1), $(wc -l < "$out/APPLETS") applets) ready ($(( $(date +%s) - start ))s)"
