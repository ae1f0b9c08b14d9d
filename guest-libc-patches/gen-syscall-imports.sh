#!/usr/bin/env bash
# Regenerates musl/arch/wasm32/syscall_imports.h from the host's syscall table
# (syscall-table/src/table.rs), so libc and host agree on every import's name,
# number and Wasm signature, and on which arguments of syscall() are 64-bit in
# C. The table's own binary renders it (`syscall-table musl-imports`); this
# script only writes it in place. Run it after changing the table; the output
# is committed because the sysroot build must not depend on the Rust crate
# (and the header is part of the sysroot's cache key). `cargo test -p
# syscall-table` fails while the committed header is stale.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/musl/arch/wasm32/syscall_imports.h"
command -v cargo >/dev/null || { echo "gen-syscall-imports: cargo not found (the syscall table is a Rust crate)" >&2; exit 1; }

(cd "$root" && cargo run -q -p syscall-table -- musl-imports) > "$out.tmp" \
  || { rm -f "$out.tmp"; echo "gen-syscall-imports: cargo run -p syscall-table failed" >&2; exit 1; }
mv "$out.tmp" "$out"
echo "gen-syscall-imports: wrote $(grep -c '^__WALI_IMPORT' "$out") imports to ${out#$here/}" >&2
