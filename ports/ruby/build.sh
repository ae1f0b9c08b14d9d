#!/usr/bin/env bash
# Builds Ruby 3.3 for WALI: build/ports/ruby/ruby.wasm and its library
# directory build/ports/ruby/lib/ruby (3.3.0, site_ruby, vendor_ruby, gems).
#
# Sources are Debian trixie source packages' upstream tarballs, pinned by
# sha256 below (ruby3.3, libyaml; zlib and OpenSSL in scripts/port-deps.sh,
# shared with CPython). Offline, point WALI_RUBY_TARBALL, WALI_ZLIB_TARBALL,
# WALI_OPENSSL_TARBALL and WALI_YAML_TARBALL at the .orig tarballs fetched
# earlier: they are checked against the same hashes.
#
# Steps: zlib, OpenSSL (from its own cache entry) and libyaml with wali-cc; Ruby cross-built with wali-cc and Debian's `ruby`
# as baseruby, every extension linked statically into ruby.wasm
# (--with-static-linked-ext); the link goes through wasm-opt-spill.sh
# (binaryen --flatten --spill-pointers, see there) so that Ruby's
# conservative GC sees references held in Wasm locals; `make install` gives
# the library. Installing into build/ appends a `wali.interp` custom section
# (manifest.toml) so that `wali run ruby.wasm script.rb` works without flags.
#
# How the Ruby sources' wasm paths are avoided (no patch to Ruby): see
# README.md in this directory.
#
# The result is cached under $WALI_CACHE/ruby-<key>, key = sha256 of every
# input (tarball hashes, the files of this directory that affect the build,
# the sysroot and wali-cc identity, clang and baseruby versions).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../../scripts/port-deps.sh
. "$root/scripts/port-deps.sh"
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
jobs=${WALI_JOBS:-2}
out=$root/build/ports/ruby

RUBY_VERSION=3.3.8
RUBY_SHA256=e2e1233ad275b7623a05edf23a01192626d1da454bdfe353a28a87acd8ef015c
YAML_UPSTREAM=0.2.5
YAML_SHA256=fa240dbf262be053f3898006d502d514936c818e422afdcf33921c63bed9bf2e

# Extensions left out (see docs/ports.md): no libffi,
# readline/libedit or dbm ports yet; win32* are Windows-only; -test-/* are
# Ruby's test-only extensions, always built as shared objects. (psych is
# built, on libyaml.)
WITHOUT_EXT='fiddle,readline,dbm,gdbm,win32,win32ole,-test-/*'


say() { echo "build-ruby: $*" >&2; }
die() { echo "build-ruby: error: $*" >&2; exit 1; }

[ -x "$root/build/bin/wali-cc" ] && [ -f "$root/build/sysroot/lib/libc.a" ] \
  || die "no sysroot: run 'make sysroot' first"
for tool in clang-19 make perl flock sha256sum tar xz; do
  command -v "$tool" >/dev/null || die "$tool not found (run 'make setup')"
done
baseruby=${WALI_BASERUBY:-$(command -v ruby || true)}
if [ -z "$baseruby" ]; then
  say "installing Debian's ruby (baseruby for the cross build)"
  command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] \
    || die "no ruby found: install Debian's 'ruby' package or set WALI_BASERUBY"
  apt-get install -y -qq ruby >/dev/null || die "apt-get install ruby failed"
  baseruby=$(command -v ruby)
fi

# --- cache key ------------------------------------------------------------------
key=$(
  {
    echo "ruby $RUBY_SHA256 zlib $ZLIB_SHA256 yaml $YAML_SHA256 without $WITHOUT_EXT"
    clang-19 --version | head -1
    "$baseruby" -e 'puts RUBY_DESCRIPTION'
    cat "$root/build/sysroot/VERSION"
    (cd "$root/build" && find sysroot/lib bin -type f ! -name wasm-opt | LC_ALL=C sort | xargs sha256sum)
    "$root/build/bin/wasm-opt" --version 2>/dev/null || true
    (cd "$root" && sha256sum scripts/port-deps.sh)
    cd "$here"
    # The build's own inputs only (not the tests, docs, or the manifest and
    # add-section.rb, applied at install time).
    { printf '%s\n' build.sh config.site wasm-opt-spill.sh; find patches -type f 2>/dev/null || true; } \
      | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -c1-16
)
cached="$cache/ruby-$key"

# --- sources ----------------------------------------------------------------------
# shellcheck source=../../scripts/debian-source.sh
. "$root/scripts/debian-source.sh"

build_all() {
  local work tc pfx t0 rb_tar zlib_tar yaml_tar src
  work=$(mktemp -d "$cache/tmp-ruby.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  rb_tar=$(debian_source ruby3.3 "ruby3.3_$RUBY_VERSION" "$RUBY_SHA256" WALI_RUBY_TARBALL)
  zlib_tar=$(debian_source zlib "zlib_$ZLIB_UPSTREAM" "$ZLIB_SHA256" WALI_ZLIB_TARBALL)
  yaml_tar=$(debian_source libyaml "libyaml_$YAML_UPSTREAM" "$YAML_SHA256" WALI_YAML_TARBALL)

  port_toolchain

  port_zlib "$zlib_tar"
  port_openssl

  # libyaml (for psych): the tarball has no configure script, and the
  # library is seven C files: compiled directly, as its CMake build would.
  say "[$(( $(date +%s) - t0 ))s] libyaml"
  tar xzf "$yaml_tar" -C "$work/deps"
  (cd "$work/deps/libyaml-$YAML_UPSTREAM" && set -e \
     && for f in src/*.c; do
          wali-cc -O2 -DYAML_DECLARE_STATIC -DYAML_VERSION_MAJOR=0 -DYAML_VERSION_MINOR=2 \
            -DYAML_VERSION_PATCH=5 "-DYAML_VERSION_STRING=\"$YAML_UPSTREAM\"" -Iinclude \
            -c "$f" -o "${f%.c}.o"
        done \
     && wali-ar rcs "$pfx/lib/libyaml.a" src/*.o && cp include/yaml.h "$pfx/include/") \
    > "$work/yaml.log" 2>&1 || { tail -30 "$work/yaml.log" >&2; die "libyaml build failed"; }

  say "[$(( $(date +%s) - t0 ))s] Ruby $RUBY_VERSION: configure"
  tar xJf "$rb_tar" -C "$work"
  src=$work/ruby-$RUBY_VERSION
  [ -z "$(ls "$here/patches"/*.patch 2>/dev/null)" ] || for p in "$here"/patches/*.patch; do
    patch -s -p1 -d "$src" < "$p" || die "patch $p does not apply"
  done
  # Bundled gems' C extensions (debug, racc's cparse, rbs) are always built
  # as shared objects, which WALI cannot load: not built (racc falls back to
  # its pure-Ruby parser; debug and rbs are unusable, see docs/ports.md).
  find "$src/.bundle/gems" -name extconf.rb -delete
  mkdir -p "$work/cross"
  printf '. %q\n. %q\n' "$tc/bin/wali-config.site" "$here/config.site" > "$work/config.site"
  # -U__wasm__: Ruby's sources take their WASI/Asyncify paths (wasm/setjmp.h,
  # Asyncify stack scanning, rb_wasm_rt_start) whenever __wasm__ is defined;
  # this target is Linux with real setjmp (Wasm EH), pthreads and signals.
  # __wasm32__ stays defined for musl's headers. See README.md.
  (cd "$work/cross" && CONFIG_SITE="$work/config.site" "$src/configure" \
     --host=wasm32-unknown-linux-musl --build=x86_64-linux-gnu --target=wasm32-unknown-linux-musl \
     CC=wali-cc CXX=wali-c++ AR=wali-ar RANLIB=wali-ranlib NM=wali-nm OBJDUMP=wali-objdump STRIP=wali-strip \
     CFLAGS="-O2 -U__wasm__" optflags=-O2 debugflags= \
     --prefix=/usr/local --disable-shared --with-static-linked-ext \
     --with-baseruby="$baseruby" --with-coroutine=pthread --with-setjmp-type=setjmp \
     --disable-install-doc --disable-jit-support --disable-yjit --disable-rjit \
     --with-zlib-dir="$pfx" --with-libyaml-dir="$pfx" --with-openssl-dir="$pfx" --with-out-ext="$WITHOUT_EXT") \
    > "$work/configure.log" 2>&1 || { tail -30 "$work/configure.log" >&2; die "configure failed (log above)"; }
  # configure insists on ELF for *-linux* and then asks for -export-dynamic,
  # which in wasm-ld exports every libc symbol: nothing loads extensions
  # dynamically here.
  sed -i 's/ -Wl,-export-dynamic//' "$work/cross/Makefile"

  say "[$(( $(date +%s) - t0 ))s] Ruby $RUBY_VERSION: make (ruby.wasm linked through wasm-opt-spill.sh)"
  local nogems=(-o prepare-gems -o update-gems -o extract-gems -o update-gems-sequential -o extract-gems-sequential)
  (cd "$work/cross" && WALI_WASM_OPT="$here/wasm-opt-spill.sh" WALI_REAL_WASM_OPT="$tc/bin/wasm-opt" \
     make -j"$jobs" "${nogems[@]}") \
    > "$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; die "make failed (log above)"; }

  say "[$(( $(date +%s) - t0 ))s] Ruby $RUBY_VERSION: install (library)"
  local dest=$work/dest stage=$work/stage
  # Not the bundled gems (Debian's tarball has them extracted but without
  # their .gem files, which `prepare-gems` would download; three of them
  # carry C extensions that cannot be built): -o skips the download targets,
  # --exclude=bundled-gems their installation. The default gems are installed.
  # rbinstall runs under the baseruby: with Debian's, rubygems-integration
  # would send the default gems' specifications to /var/lib/gems (and the
  # `irb`, `gem`, ... scripts would find no gem); its own switch turns that off.
  (cd "$work/cross" && WALI_WASM_OPT="$here/wasm-opt-spill.sh" WALI_REAL_WASM_OPT="$tc/bin/wasm-opt" \
     DEBIAN_DISABLE_RUBYGEMS_INTEGRATION=1 \
     make "${nogems[@]}" install-nodoc INSTRUBY_OPTS=--exclude=bundled-gems DESTDIR="$dest") > "$work/install.log" 2>&1 \
    || { tail -30 "$work/install.log" >&2; die "make install failed"; }
  ls "$dest"/usr/local/lib/ruby/gems/*/specifications/default/irb-*.gemspec >/dev/null 2>&1 \
    || die "the default gems' specifications were not installed (see $work/install.log)"
  mkdir -p "$stage"
  mv "$dest/usr/local/lib" "$stage/lib"
  rm -f "$stage"/lib/*.a "$stage"/lib/pkgconfig -r
  mkdir -p "$stage/bin"
  # The scripts (irb, gem, rake ...) whose #! is /usr/local/bin/ruby.
  cp -a "$dest/usr/local/bin/." "$stage/bin/"
  rm -f "$stage/bin/ruby"
  cp "$work/cross/ruby" "$stage/ruby.wasm"
  {
    echo "Ruby $RUBY_VERSION for WALI (wasm32), cache key $key"
    echo "built $(date -u +%FT%TZ) in $(( $(date +%s) - t0 ))s"
    echo "extensions: $(sed -n 's/^EXTOBJS = //p;' "$work/cross/Makefile" | head -1)"
  } > "$stage/VERSION"
  (cd "$work/cross" && ls ext/*/Makefile ext/*/*/Makefile .bundle/gems/*/ext/*/Makefile 2>/dev/null) \
    >> "$stage/VERSION" || true
  # The build tree's logs help when something is missing.
  mkdir -p "$stage/logs"
  cp "$work"/*.log "$stage/logs/" 2>/dev/null || true
  rm -rf "$cached.part"
  mv "$stage" "$cached.part"
  mv "$cached.part" "$cached"
  rm -rf "$work"
  trap - EXIT
  say "[$(( $(date +%s) - t0 ))s] built $cached"
}

mkdir -p "$cache"
start=$(date +%s)
if [ -f "$cached/ruby.wasm" ]; then
  say "using cached build $cached"
else
  build_all
fi

# --- install into build/ (the library hard-linked when the cache shares the
# filesystem), with the wali.interp manifest appended to ruby.wasm ------------
rm -rf "$out"
mkdir -p "$out"
cp -al "$cached/lib" "$cached/bin" "$out/" 2>/dev/null || cp -a "$cached/lib" "$cached/bin" "$out/"
cp "$cached/VERSION" "$cached/ruby.wasm" "$out/"
"$baseruby" "$here/add-section.rb" "$out/ruby.wasm" wali.interp "$here/manifest.toml" \
  || die "adding the wali.interp section failed"
say "ok: $out/ruby.wasm ($(du -h "$out/ruby.wasm" | cut -f1)) ready ($(( $(date +%s) - start ))s)"
