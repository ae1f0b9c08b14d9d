#!/usr/bin/env bash
# Native-vs-WALI comparison: builds each test program with the host's cc
# (glibc) and with wali-cc, runs the native binary and the module under
# `wali run`, and requires equal stdout and exit status. Also checks every
# module's imports against the syscall table and against the WALI ABI list
# alone (libc must not import extras into programs that do not call them).
# Needs `make sysroot` and the host (`cargo build --release -p wali`).
# Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wali_cc="$root/build/bin/wali-cc"
wali=${WALI:-$root/target/release/wali}
cc=${CC:-cc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ -x "$wali_cc" ] || { echo "run.sh: $wali_cc missing: run 'make sysroot' first" >&2; exit 2; }
[ -x "$wali" ] || { echo "run.sh: $wali missing: run 'cargo build --release -p wali' first" >&2; exit 2; }

pass=0 fail=0 skip=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail+1)); }

# name | environment (K=V ...) | arguments
tests=(
  "libc-heavy|WALI_TEST_VAR=hello world|TZ=EST5EDT,M3.2.0,M11.1.0|a|b c|"
  "hello|"
  "threads|"
)

for t in "${tests[@]}"; do
  IFS='|' read -r -a f <<< "$t"
  name=${f[0]}
  envs=() args=()
  for x in "${f[@]:1}"; do
    [ -z "$x" ] && continue
    if [[ $x == *=* && ${#args[@]} -eq 0 ]]; then envs+=("$x"); else args+=("$x"); fi
  done
  src="$here/$name.c"
  if ! "$cc" -O2 -pthread -o "$out/$name.native" "$src" -lm 2> "$out/$name.cc.err"; then
    bad "$name" "native build failed: $(head -3 "$out/$name.cc.err")"; continue
  fi
  if ! "$wali_cc" -O2 -o "$out/$name.wasm" "$src" -lm 2> "$out/$name.wali-cc.err"; then
    bad "$name" "wali-cc build failed: $(head -5 "$out/$name.wali-cc.err")"; continue
  fi
  if ! "$here/../check-imports.sh" "$out/$name.wasm" > "$out/$name.imports" 2>&1; then
    bad "$name" "imports: $(cat "$out/$name.imports")"; continue
  fi
  # These programs call nothing outside the WALI list, so libc must not pull
  # any extra import in (they must run on any WALI engine).
  if ! WALI_CHECK_ABI_ONLY=1 "$here/../check-imports.sh" "$out/$name.wasm" > "$out/$name.abi" 2>&1; then
    bad "$name" "imports outside the WALI ABI list: $(cat "$out/$name.abi")"; continue
  fi
  (cd "$out" && env -i "${envs[@]}" "./$name.native" "${args[@]}") > "$out/$name.native.out" 2>/dev/null
  nrc=$?
  wenv=()
  for e in "${envs[@]}"; do wenv+=(--env "$e"); done
  (cd "$out" && "$wali" run "${wenv[@]}" "$name.wasm" "${args[@]}") > "$out/$name.wasm.out" 2> "$out/$name.wasm.err"
  wrc=$?
  if [ "$name" = threads ] && [ $wrc = 1 ] && grep -q "pthread_create failed" "$out/$name.wasm.out"; then
    # The host answers __wasm_thread_spawn with an error until it has threads.
    echo "SKIP threads: the host cannot start threads yet"; skip=$((skip+1))
  elif [ $nrc != $wrc ]; then
    bad "$name" "exit status native=$nrc wali=$wrc; stderr: $(head -5 "$out/$name.wasm.err")"
  elif ! diff -u "$out/$name.native.out" "$out/$name.wasm.out" > "$out/$name.diff"; then
    bad "$name" "stdout differs:"; head -40 "$out/$name.diff"
  else
    ok "$name"
  fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
