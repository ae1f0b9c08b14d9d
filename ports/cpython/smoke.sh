#!/usr/bin/env bash
# make python-smoke: runs each smoke/NAME.py under wali with python.wasm and
# compares its stdout with smoke/NAME.out. A script that prints a first line
# "SKIP: reason" is skipped (a host feature it needs has not landed yet).
# Extra wali flags come from a "# wali-flags: ..." line in the script; {tmp}
# is replaced by a fresh scratch directory.
# Ends with "N passed, M failed" (and the skips).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wali=${WALI:-$root/target/release/wali}
py=${PYTHON_WASM:-$root/build/ports/python/python.wasm}
timeout=${SMOKE_TIMEOUT:-120}
[ -x "$wali" ] || { echo "python-smoke: $wali missing (make host)" >&2; exit 1; }
[ -f "$py" ] || { echo "python-smoke: $py missing (make python)" >&2; exit 1; }
help=$("$wali" run --help 2>&1)

pass=0 fail=0 skip=0 failed=()
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for script in "$here"/smoke/*.py; do
  name=$(basename "$script" .py)
  [ -n "${1:-}" ] && [[ " $* " != *" $name "* ]] && continue
  tmp="$scratch/$name"; mkdir -p "$tmp"
  flags=$(sed -n 's/^# wali-flags: //p' "$script" | head -1)
  flags=${flags//\{tmp\}/$tmp}
  reason=""
  for f in $flags; do
    case "$f" in --*) grep -q -- "$f" <<< "$help" || reason="wali has no $f option yet" ;; esac
  done
  if [ -n "$reason" ]; then
    printf 'SKIP %-16s %s\n' "$name" "$reason"; skip=$((skip + 1)); continue
  fi
  # A script with a known intermittent failure says "# smoke-attempts: N":
  # it is run again, at most N times, and a retry is reported.
  attempts=$(sed -n 's/^# smoke-attempts: //p' "$script" | head -1)
  attempt=1
  while :; do
    # shellcheck disable=SC2086
    (cd "$tmp" && timeout "$timeout" "$wali" run $flags "$py" "$script") > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
    rc=$?
    { [ $rc = 0 ] && diff -q "$here/smoke/$name.out" "$tmp/stdout" >/dev/null; } && break
    [ "$attempt" -lt "${attempts:-1}" ] || break
    printf 'RETRY %s (attempt %s failed with exit %s: %s)\n' "$name" "$attempt" "$rc" "$(tail -1 "$tmp/stderr")"
    attempt=$((attempt + 1))
  done
  first=$(head -1 "$tmp/stdout")
  if [ $rc = 0 ] && [[ "$first" == SKIP:* ]]; then
    printf 'SKIP %-16s %s\n' "$name" "${first#SKIP: }"; skip=$((skip + 1))
  elif [ $rc = 0 ] && diff -u "$here/smoke/$name.out" "$tmp/stdout" > "$tmp/diff"; then
    printf 'ok   %s\n' "$name"; pass=$((pass + 1))
  else
    printf 'FAIL %s (exit %s)\n' "$name" "$rc"
    sed 's/^/     | /' "$tmp/diff" 2>/dev/null | head -20
    tail -15 "$tmp/stderr" | sed 's/^/     ! /'
    fail=$((fail + 1)); failed+=("$name")
  fi
done
echo "$pass passed, $fail failed${skip:+, $skip skipped}${failed:+ (${failed[*]})}"
[ $fail = 0 ]
