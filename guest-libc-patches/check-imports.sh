#!/usr/bin/env bash
# check-imports.sh WASM...
# Fails unless every import of every module is a WALI import (module "wali",
# SYS_* or auxiliary) that the syscall table lists, with the table's Wasm
# signature. Also refuses the reference engine's setjmp/longjmp imports: our
# sysroot implements those inside the guest.
#
# Allowed names and their signatures come from the syscall table's binary
# (`cargo run -p syscall-table -- imports` and `-- signatures`); without cargo
# or the crate, from the ABI document (WALI_ABI_MD, else shared/wali-abi.md
# beside the repo). WALI_CHECK_ABI_ONLY=1 allows only the 140 syscalls of the
# ABI list (`syscall-table abi-imports`; for binaries that must run on any
# WALI engine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
prog=check-imports

die() { echo "$prog: error: $*" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: $0 MODULE.wasm..." >&2; exit 2; }
command -v wasm-objdump >/dev/null || die "wasm-objdump not found (apt-get install wabt)"

abi_md=${WALI_ABI_MD:-}
if [ -z "$abi_md" ]; then
  for c in "$root/../shared/wali-abi.md"; do
    [ -f "$c" ] && { abi_md=$c; break; }
  done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- "name<TAB>params->results" for every allowed import ------------------------
# From the ABI document: syscall rows and the auxiliary imports table.
abi_sigs() {
  [ -n "$abi_md" ] && [ -f "$abi_md" ] || return 1
  awk -F'|' '
    function norm(s) { gsub(/[ `]/, "", s); return s }
    # | 0 | SYS_read | (i32, i32, i32) | ... |   (aliases: "(also imported as SYS_x)")
    $2 ~ /^ *[0-9]+ *$/ && $3 ~ /SYS_/ {
      names = $3; params = norm($4)
      n = split(names, w, /[ ()]+/)
      for (i = 1; i <= n; i++) if (w[i] ~ /^SYS_[a-z0-9_]+$/) print w[i] "\t" params "->(i64)"
    }
    # | `__init` | () -> i32 | ... |
    $2 ~ /`__?[a-z_]+`/ && $3 ~ /->/ {
      name = norm($2); sig = norm($3)
      split(sig, p, "->"); res = p[2]; if (res != "()") res = "(" res ")"
      print name "\t" p[1] "->" res
    }' "$abi_md"
}
# table CMD FILE: the syscall table binary's CMD (imports, abi-imports:
# names; signatures: "name<TAB>params->results") into FILE.
table() {
  command -v cargo >/dev/null && [ -f "$root/syscall-table/Cargo.toml" ] \
    && (cd "$root" && cargo run -q -p syscall-table --bin syscall-table -- "$1") > "$2" 2>"$tmp/cargo.err" \
    && [ -s "$2" ]
}

if [ "${WALI_CHECK_ABI_ONLY:-0}" = 1 ]; then
  if table abi-imports "$tmp/allowed" && table signatures "$tmp/sigs"; then
    src="the WALI ABI list (syscall-table abi-imports)"
  else
    abi_sigs > "$tmp/sigs" || die "WALI_CHECK_ABI_ONLY needs the syscall-table crate or the ABI document (set WALI_ABI_MD)"
    cut -f1 "$tmp/sigs" > "$tmp/allowed"
    src="the ABI document's list ($abi_md)"
  fi
else
  if table imports "$tmp/allowed" && table signatures "$tmp/sigs"; then
    src="the syscall table (syscall-table imports)"
  else
    abi_sigs > "$tmp/sigs" || die "no syscall table and no ABI document to check against"
    cut -f1 "$tmp/sigs" > "$tmp/allowed"
    src="the ABI document ($abi_md)"
  fi
fi

# "(i32 buf, i32) -> (i64)" and "(i32,i32)->i64" both become "(i32,i32)->(i64)"
canon() {
  awk '{ split($0, h, "->"); p = h[1]; r = h[2]; ps = ""; rs = ""
         while (match(p, /i(32|64)/)) { ps = ps (ps ? "," : "") substr(p, RSTART, 3); p = substr(p, RSTART + 3) }
         while (match(r, /i(32|64)/)) { rs = rs (rs ? "," : "") substr(r, RSTART, 3); r = substr(r, RSTART + 3) }
         print "(" ps ")->(" rs ")" }'
}

# --- each module's imports ------------------------------------------------------------
status=0
for wasm in "$@"; do
  [ -f "$wasm" ] || { echo "$prog: $wasm: no such file" >&2; status=1; continue; }
  wasm-objdump -x -j Type "$wasm" 2>/dev/null \
    | sed -n 's/^ - type\[\([0-9]*\)\] \(.*\)$/\1\t\2/p' | sed 's/ //g' > "$tmp/types"
  # " - func[3] sig=5 <x> <- wali.SYS_read" ; memories/tables/globals print differently
  wasm-objdump -x -j Import "$wasm" 2>/dev/null | sed -n 's/^ - \(.*\)$/\1/p' > "$tmp/imports" \
    || { echo "$prog: $wasm: not a readable Wasm module" >&2; status=1; continue; }
  bad=0 count=0
  while IFS= read -r line; do
    count=$((count+1))
    full=${line##*<- }
    mod=${full%%.*} name=${full#*.}
    kind=${line%%\[*}
    if [ "$kind" != func ] || [ "$mod" != wali ]; then
      echo "$prog: $wasm: import $full ($kind) is not a WALI function import"; bad=1; continue
    fi
    case "$name" in
      setjmp|sigsetjmp|longjmp)
        echo "$prog: $wasm: imports $name: the reference engine's sjlj import; our libc does it in the guest (build with wali-cc)"; bad=1; continue ;;
    esac
    if ! grep -qxF "$name" "$tmp/allowed"; then
      echo "$prog: $wasm: import wali.$name is not in $src"; bad=1; continue
    fi
    sig=$(echo "$line" | sed -n 's/.*sig=\([0-9]*\).*/\1/p')
    have=$(awk -F'\t' -v s="$sig" '$1 == s { print $2 }' "$tmp/types" | canon)
    want=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$tmp/sigs" | canon)
    if [ -n "$want" ] && [ "$have" != "$want" ]; then
      echo "$prog: $wasm: import wali.$name has type $have, the table says $want"; bad=1
    fi
  done < "$tmp/imports"
  if [ $bad = 0 ]; then
    echo "$prog: $wasm: ok ($count imports, all in $src)"
  else
    status=1
  fi
done
exit $status
