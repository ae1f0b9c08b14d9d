#!/usr/bin/env bash
# make python-smoke: runs each smoke/NAME.py under wali with python.wasm and
# compares its stdout with smoke/NAME.out. A script that prints a first line
# "SKIP: reason" is skipped (a host feature it needs has not landed yet).
# Extra wali flags come from a "# wali-flags: ..." line in the script; {tmp}
# is replaced by a fresh scratch directory, {pki} by a directory holding a
# throwaway test CA and certificates (scripts/test-pki.sh, made once per run
# with the host's openssl command).
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
  if [[ $flags == *'{pki}'* ]]; then
    [ -d "$scratch/pki" ] || bash "$root/scripts/test-pki.sh" "$scratch/pki" \
      || { echo "python-smoke: making the test PKI failed" >&2; exit 1; }
    flags=${flags//\{pki\}/$scratch/pki}
  fi
  reason=""
  for f in $flags; do
    case "$f" in --*) grep -q -- "$f" <<< "$help" || reason="wali has no $f option yet" ;; esac
  done
  if [ -n "$reason" ]; then
    printf 'SKIP %-16s %s\n' "$name" "$reason"; skip=$((skip + 1)); continue
  fi
  # One run each: a test that passes only when retried hides a defect.
  # shellcheck disable=SC2086
  (cd "$tmp" && timeout "$timeout" "$wali" run $flags "$py" "$script") > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
  rc=$?
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
# Three separate `wali run` processes (three sandboxes, not one) writing one
# SQLite database in WAL mode at once: every commit must be kept, as the
# db-shm file is mapped MAP_SHARED by each of them.
if [ -z "${1:-}" ] || [[ " $* " == *" sqlite_wal_separate "* ]]; then
  tmp="$scratch/sqlite_wal_separate"; mkdir -p "$tmp"
  db="$tmp/sep.db"
  "$wali" run --dir "$tmp" "$py" -c "import sqlite3; db = sqlite3.connect('$db'); db.execute('pragma journal_mode=wal'); db.execute('create table t(w, i)'); db.commit()" 2> "$tmp/stderr"
  for w in 0 1 2; do
    timeout "$timeout" "$wali" run --dir "$tmp" "$py" -c "
import sqlite3
db = sqlite3.connect('$db', timeout=60)
for i in range(200):
    with db:
        db.execute('insert into t values (?, ?)', ($w, i))
" 2>> "$tmp/stderr" &
  done
  wait
  got=$("$wali" run --dir "$tmp" "$py" -c "import sqlite3; db = sqlite3.connect('$db'); print(db.execute('select count(*) from t').fetchone()[0], db.execute('pragma integrity_check').fetchone()[0])" 2>> "$tmp/stderr")
  if [ "$got" = "600 ok" ]; then
    printf 'ok   %s\n' sqlite_wal_separate; pass=$((pass + 1))
  else
    printf 'FAIL %s (rows kept / integrity: %s, of 600)\n' sqlite_wal_separate "$got"
    tail -15 "$tmp/stderr" | sed 's/^/     ! /'
    fail=$((fail + 1)); failed+=(sqlite_wal_separate)
  fi
fi
# pip install from a local HTTPS index (pip_https.py, in one sandbox): six
# 1.16.0 fetched on the host with `pip download`, or, when the host cannot
# reach PyPI, a tiny pure-Python wheel made here (the line says which).
if [ -z "${1:-}" ] || [[ " $* " == *" pip_https "* ]]; then
  tmp="$scratch/pip_https"; mkdir -p "$tmp/wheels" "$tmp/site"
  [ -d "$scratch/pki" ] || bash "$root/scripts/test-pki.sh" "$scratch/pki" \
    || { echo "python-smoke: making the test PKI failed" >&2; exit 1; }
  if timeout 120 python3 -m pip download -q --no-deps --only-binary=:all: --no-cache-dir \
       -d "$tmp/wheels" six==1.16.0 > "$tmp/download.log" 2>&1 && ls "$tmp/wheels"/six-*.whl > /dev/null 2>&1; then
    pkg=six; origin="six 1.16.0 downloaded from PyPI on the host"
  else
    rm -f "$tmp/wheels"/*
    python3 - "$tmp/wheels" <<'PY'
import base64, hashlib, sys, zipfile
files = {"wali_tls_demo/__init__.py": "VALUE = 42\n",
         "wali_tls_demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: wali-tls-demo\nVersion: 1.0\n",
         "wali_tls_demo-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: wali\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
         "wali_tls_demo-1.0.dist-info/top_level.txt": "wali_tls_demo\n"}
rec = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode()},{len(c)}\n" for n, c in files.items())
files["wali_tls_demo-1.0.dist-info/RECORD"] = rec + "wali_tls_demo-1.0.dist-info/RECORD,,\n"
with zipfile.ZipFile(f"{sys.argv[1]}/wali_tls_demo-1.0-py3-none-any.whl", "w") as z:
    for n, c in files.items():
        z.writestr(n, c)
PY
    pkg=wali-tls-demo; origin="no PyPI from the host: a pure-Python wheel made locally"
  fi
  timeout 900 "$wali" run --allow-net '127.0.0.1:*' --ro-dir "$scratch/pki::/pki" --ro-dir "$tmp/wheels::/wheels" \
    --dir "$tmp/site::/site" --env HOME=/site --env TMPDIR=/site "$py" "$here/pip_https.py" \
    /pki/ca.pem /pki/server.pem /pki/server.key /wheels /site/lib "$pkg" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
  rc=$?
  if [ $rc = 0 ] && grep -q "^installed and imported: " "$tmp/stdout"; then
    printf 'ok   %s (%s)\n' pip_https "$origin"; pass=$((pass + 1))
  else
    printf 'FAIL %s (exit %s; %s)\n' pip_https "$rc" "$origin"
    sed 's/^/     | /' "$tmp/stdout"; tail -15 "$tmp/stderr" | sed 's/^/     ! /'
    fail=$((fail + 1)); failed+=(pip_https)
  fi
fi
echo "$pass passed, $fail failed${skip:+, $skip skipped}${failed:+ (${failed[*]})}"
[ $fail = 0 ]
