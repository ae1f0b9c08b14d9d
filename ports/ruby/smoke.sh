#!/usr/bin/env bash
# make ruby-smoke: runs each smoke/NAME.rb under wali with ruby.wasm (no
# flags but what the script asks for) and compares its stdout with
# smoke/NAME.out. Extra wali flags come from a "# wali-flags: ..." line,
# ruby flags from a "# ruby-flags: ..." line; {tmp} is replaced by a fresh
# scratch directory (also the working directory).
# Ends with "N passed, M failed". Names on the command line run a subset.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wali=${WALI:-$root/target/release/wali}
rb=${RUBY_WASM:-$root/build/ports/ruby/ruby.wasm}
timeout=${SMOKE_TIMEOUT:-300}
[ -x "$wali" ] || { echo "ruby-smoke: $wali missing (make host)" >&2; exit 1; }
[ -f "$rb" ] || { echo "ruby-smoke: $rb missing (make ruby)" >&2; exit 1; }

pass=0 fail=0 failed=()
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for script in "$here"/smoke/*.rb; do
  name=$(basename "$script" .rb)
  [ -n "${1:-}" ] && [[ " $* " != *" $name "* ]] && continue
  tmp="$scratch/$name"; mkdir -p "$tmp"
  flags=$(sed -n 's/^# wali-flags: //p' "$script" | head -1)
  flags=${flags//\{tmp\}/$tmp}
  rflags=$(sed -n 's/^# ruby-flags: //p' "$script" | head -1)
  t0=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$tmp" && timeout -k 10 "$timeout" "$wali" run $flags "$rb" $rflags "$script") > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  if [ $rc = 0 ] && diff -u "$here/smoke/$name.out" "$tmp/stdout" > "$tmp/diff"; then
    printf 'ok   %-12s (%ss)\n' "$name" "$secs"; pass=$((pass + 1))
  else
    printf 'FAIL %s (exit %s, %ss)\n' "$name" "$rc" "$secs"
    sed 's/^/     | /' "$tmp/diff" 2>/dev/null | head -20
    tail -15 "$tmp/stderr" | sed 's/^/     ! /'
    fail=$((fail + 1)); failed+=("$name")
  fi
done
echo "$pass passed, $fail failed${failed:+ (${failed[*]})}"
[ $fail = 0 ]
