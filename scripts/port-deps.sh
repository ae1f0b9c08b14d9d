# Sourced by ports/*/build.sh: the parts every port build shares. The
# caller defines $root, $work, $jobs, $t0, say() and die(); tc and pfx are
# the caller's (local) variables, set here.

# zlib 1.3.1, the one both interpreters link (Debian's zlib source package).
ZLIB_UPSTREAM=1.3.dfsg+really1.3.1
ZLIB_SHA256=60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb

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
