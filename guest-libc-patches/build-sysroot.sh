#!/usr/bin/env bash
# Builds build/sysroot (musl 1.2.5 ported to WALI + compiler-rt builtins) and
# build/bin/wali-cc & co. The musl build is cached outside the repo under
# $WALI_CACHE/sysroot-<key>, key = sha256 of every input of that build (the
# pinned tarball hash, musl/ and patches/ here, this script, the clang
# version); a cached run only copies it into build/.
#
# The upstream tarball comes from Debian's trixie source package (apt-get
# source, see scripts/debian-source.sh) and must match MUSL_SHA256. Offline,
# point WALI_MUSL_TARBALL at musl-1.2.5.tar.gz fetched earlier.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
jobs=${WALI_JOBS:-2}

MUSL_VERSION=1.2.5
MUSL_SHA256=a9a118bbe84d8764da0ea0d28b3ab3fae8477fc7e4085d90102b8596fc7c75e4
CLANG=clang-19

say() { echo "build-sysroot: $*" >&2; }
die() { echo "build-sysroot: error: $*" >&2; exit 1; }

for tool in $CLANG llvm-ar-19 llvm-ranlib-19 llvm-objdump-19 sha256sum patch make; do
  command -v "$tool" >/dev/null || die "$tool not found (run 'make setup')"
done
# Debian's libclang-rt-19-dev-wasm32 puts the builtins in clang's resource dir.
BUILTINS=$($CLANG -print-resource-dir)/lib/wasi/libclang_rt.builtins-wasm32.a
[ -f "$BUILTINS" ] || die "$BUILTINS missing (apt-get install libclang-rt-19-dev-wasm32)"

# --- cache key ------------------------------------------------------------------
key=$(
  {
    echo "musl $MUSL_SHA256"
    $CLANG --version | head -1
    sha256sum "$BUILTINS" | cut -d' ' -f1
    cd "$here"
    find build-sysroot.sh musl patches -type f | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -c1-16
)
cached="$cache/sysroot-$key"

# --- the musl tarball -------------------------------------------------------------
# shellcheck source=../scripts/debian-source.sh
. "$root/scripts/debian-source.sh"

build_musl() {
  local tarball work src stage
  tarball=$(debian_source musl "musl_$MUSL_VERSION" "$MUSL_SHA256" WALI_MUSL_TARBALL)
  work=$(mktemp -d "$cache/tmp-sysroot.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  say "building musl $MUSL_VERSION for wasm32 in $work (make -j$jobs)"
  tar xzf "$tarball" -C "$work"
  src="$work/musl-$MUSL_VERSION"
  # The arch/wasm32 overlay and wasm32 replacement sources, then the patches.
  cp -R "$here/musl/." "$src/"
  while read -r p; do
    [ -n "$p" ] || continue
    patch -s -p1 -d "$src" < "$here/patches/$p" || die "patch $p does not apply"
  done < "$here/patches/series"

  # config.mak by hand: musl's configure does not know wasm32, and the
  # compiler can't link test programs before this libc exists.
  cat > "$src/config.mak" <<EOF
ARCH = wasm32
SUBARCH =
ASMSUBARCH =
srcdir = .
prefix = /
exec_prefix = \$(prefix)
bindir = \$(exec_prefix)/bin
libdir = \$(prefix)/lib
includedir = \$(prefix)/include
syslibdir = /lib
CC = $CLANG --target=wasm32-unknown-unknown
CFLAGS_AUTO = -Os -pipe -fno-unwind-tables -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections -Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion -Werror=incompatible-pointer-types -Qunused-arguments -Waddress -Warray-bounds -Wchar-subscripts -Winit-self -Wreturn-type -Wsequence-point -Wstrict-aliasing -Wunused-function -Wunused-label -Wunused-variable
CFLAGS_C99FSE = -std=c99 -nostdinc -ffreestanding
WASM_FEATURES = -matomics -mbulk-memory -mmutable-globals -msign-ext -mnontrapping-fptoint -mmultivalue -mreference-types -mexception-handling
CFLAGS = \$(WASM_FEATURES) -mllvm -wasm-enable-sjlj
CFLAGS_MEMOPS =
CFLAGS_NOSSP = -fno-stack-protector
CPPFLAGS =
LDFLAGS =
LDFLAGS_AUTO =
CROSS_COMPILE =
AR = llvm-ar-19
RANLIB = llvm-ranlib-19
LIBCC =
OPTIMIZE_GLOBS = internal/*.c malloc/*.c string/*.c
ALL_TOOLS =
TOOL_LIBS =
SHARED_LIBS =
EOF
  local libs="lib/libc.a lib/crt1.o lib/crti.o lib/crtn.o"
  for l in m rt pthread crypt util xnet resolv dl; do libs="$libs lib/lib$l.a"; done
  make -C "$src" -j"$jobs" -s $libs > "$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log" >&2; die "musl build failed (log above)"; }

  stage="$work/sysroot"
  make -C "$src" -s install-headers DESTDIR="$stage" >/dev/null
  mkdir -p "$stage/lib"
  for l in $libs; do cp "$src/$l" "$stage/lib/"; done
  cp "$BUILTINS" "$stage/lib/"
  printf 'musl %s for WALI (wasm32), cache key %s\n' "$MUSL_VERSION" "$key" > "$stage/VERSION"
  # Another build may have finished the same key meanwhile: keep the first.
  if [ ! -d "$cached" ]; then
    mv "$stage" "$cached.part.$$"
    mv -T "$cached.part.$$" "$cached" 2>/dev/null || rm -rf "$cached.part.$$"
  fi
  rm -rf "$work"
  trap - EXIT
}

mkdir -p "$cache"
start=$(date +%s)
if [ -f "$cached/lib/libc.a" ]; then
  say "using cached sysroot $cached"
else
  build_musl
fi

# --- install into build/ -------------------------------------------------------
rm -rf "$root/build/sysroot"
mkdir -p "$root/build/bin"
cp -R "$cached" "$root/build/sysroot"
for f in "$here"/driver/*; do
  cp "$f" "$root/build/bin/"
done
chmod +x "$root"/build/bin/wali-*
ln -sf wali-cc "$root/build/bin/wali-c++"

# --- quick self-check: ABI layouts compile, hello links and validates -------------
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
"$root/build/bin/wali-cc" -c "$here/tests/abi-layout.c" -o "$check/abi.o" \
  || die "ABI layout check failed (tests/abi-layout.c)"
"$root/build/bin/wali-cc" -O2 "$here/tests/hello.c" -o "$check/hello.wasm" \
  || die "linking hello.c failed"
if command -v wasm-validate >/dev/null; then
  wasm-validate --enable-threads --enable-exceptions "$check/hello.wasm" \
    || die "hello.wasm does not validate"
fi
say "ok: build/sysroot and build/bin/wali-cc ready ($(( $(date +%s) - start ))s)"
