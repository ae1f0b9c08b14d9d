# Sourced by the heavy build scripts (guest-libc-patches/build-sysroot.sh,
# ports/*/build.sh): fetches an upstream tarball the way the project allows,
# from a Debian trixie source package, and checks it against a pinned sha256.
#
#   debian_source SOURCE_PACKAGE ORIG_PREFIX SHA256 ENVVAR
#
# prints the path of the verified ORIG_PREFIX.orig.tar.* (for example
# debian_source zlib zlib_1.3.1 <sha> WALI_ZLIB_TARBALL). Looked up in order:
# the file named by $ENVVAR (for offline builds: the same upstream tarball
# fetched elsewhere), $cache/src, then `apt-get source` after adding a
# deb-src entry for trixie. The caller defines $cache, say() and die().

debian_source() {
  local pkg=$1 orig=$2 sha=$3 var=$4 cand="" store tmp ver got
  local override=${!var:-}
  store=$(ls "$cache/src/$orig".orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1 || true)
  if [ -n "$override" ]; then
    [ -f "$override" ] || die "$var=$override does not exist"
    cand=$override
  elif [ -n "$store" ]; then
    cand=$store
  else
    say "fetching $orig from Debian's trixie source package $pkg"
    command -v apt-get >/dev/null || die "apt-get not available: set $var to $orig.orig.tar.*"
    local src=/etc/apt/sources.list.d/wali-src.sources
    if [ ! -f "$src" ]; then
      [ -w /etc/apt/sources.list.d ] || die "cannot add $src (not root): set $var to $orig.orig.tar.*"
      cat > "$src" <<'SOURCES'
# Added by wali's build scripts: source packages only (musl, python3.13,
# ruby3.3 and their libraries come from trixie).
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    fi
    tmp=$(mktemp -d)
    chmod 755 "$tmp"   # apt runs as _apt and must be able to write here
    (cd "$tmp" && apt-get update -qq) > "$tmp/apt.log" 2>&1 || true
    # Name the source version explicitly: a plain `apt-get source bzip2`
    # looks for the version of the installed binary package.
    ver=$(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' \
      | while read -r v; do u=${v#*:}; u=${u%-*}; [ "${pkg}_$u" = "$orig" ] && { echo "$v"; break; }; done)
    [ -n "$ver" ] || { rm -rf "$tmp"; die "Debian has no $pkg source matching $orig any more: set $var"; }
    (cd "$tmp" && apt-get source --download-only -qq "$pkg=$ver") >> "$tmp/apt.log" 2>&1 \
      || { cat "$tmp/apt.log" >&2; rm -rf "$tmp"; die "apt-get source $pkg=$ver failed: set $var"; }
    cand=$(ls "$tmp/$orig".orig.tar.* | grep -v '\.asc$' | head -1)
    mkdir -p "$cache/src"
    cp "$cand" "$cache/src/$(basename "$cand").part"
    mv "$cache/src/$(basename "$cand").part" "$cache/src/$(basename "$cand")"
    rm -rf "$tmp"
    cand="$cache/src/$(basename "$cand")"
  fi
  got=$(sha256sum "$cand" | cut -d' ' -f1)
  [ "$got" = "$sha" ] || die "$cand has sha256 $got, expected $sha ($orig)"
  echo "$cand"
}
