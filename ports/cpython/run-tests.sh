#!/usr/bin/env bash
# make python-test: runs a named list of CPython test modules with
# `python.wasm -m test -v` under wali and with the native build of the same
# source, and writes docs/ports.md: the port's notes (ports.md.in) plus a
# table of passed / failed / skipped per module, wali next to native, with the
# reasons for differences from test-notes.md (written by hand from the logs).
# Logs: build/ports/python-test/{wali,native}/<module>.log.
# TESTS="test_os test_json" limits the runs; JOBS=2 runs two modules at once.
# The table lists every module: one without logs (not run this time) keeps its row of the previous
# docs/ports.md, so that a few modules can be rerun and the table rewritten
# (REPORT_ONLY=1) without running all of them again.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wali=${WALI:-$root/target/release/wali}
py=${PYTHON_WASM:-$root/build/ports/python/python.wasm}
native=${NATIVE_PYTHON:-$root/build/ports/python-native}
logs=$root/build/ports/python-test
timeout=${TEST_TIMEOUT:-1200}
jobs=${JOBS:-1}
ALL_TESTS="test_os test_posix test_threading test_thread test_socket test_selectors test_select
test_signal test_subprocess test_fcntl test_time test_io test_fileio test_tempfile test_shutil
test_pathlib test_json test_re test_str test_sqlite3 test_zlib test_asyncio
test_multiprocessing_fork test_ssl test_hashlib test_hmac test_httplib test_urllib2_localnet"
TESTS=${TESTS:-$ALL_TESTS}
# (test_str is what 3.13 calls test_unicode.)
[ -x "$wali" ] && [ -f "$py" ] && [ -x "$native" ] || { echo "python-test: run 'make python' first" >&2; exit 1; }
mkdir -p "$logs/wali" "$logs/native"

run_one() { # side module
  local side=$1 m=$2 tmp rc
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/pytest-$side-$m.XXXXXX")
  local t0=$(date +%s)
  if [ "$side" = wali ]; then
    (cd "$tmp" && timeout -k 10 "$timeout" "$wali" run --dir "$tmp::/tmp" --env TMPDIR=/tmp \
       --allow-net 127.0.0.1 --allow-net '[::1]' --allow-net 0.0.0.0 --allow-net '[::]' --allow-net '@*' \
       "$py" -m test -v "$m") > "$logs/$side/$m.log" 2>&1 < /dev/null
  else
    (cd "$tmp" && TMPDIR=$tmp timeout -k 10 "$timeout" "$native" -m test -v "$m") \
      > "$logs/$side/$m.log" 2>&1 < /dev/null
  fi
  rc=$?
  echo "exit $rc after $(( $(date +%s) - t0 ))s" >> "$logs/$side/$m.log"
  rm -rf "$tmp"
}

# summary LOG -> "passed failed skipped status"
summary() {
  "$native" - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
# regrtest's own run: a forked child that escaped its test (test_posix's
# fexecve one does when exec fails) prints a whole run of its own first, so
# count only the part after the previous "Result:" line. Within it, sum every
# unittest summary (test_asyncio runs one per submodule).
parts = re.split(r"^Result: .*$", text, flags=re.M)
seg = parts[-2] if len(parts) >= 2 else text
ran = [int(x) for x in re.findall(r"^Ran (\d+) tests? in", seg, re.M)]
f = e = s = x = 0
for m in re.finditer(r"^(?:FAILED|OK) ?(?:\((.*)\))?$", seg, re.M):
    for k, v in re.findall(r"(\w+)=(\d+)", m.group(1) or ""):
        v = int(v)
        if k == "failures": f += v
        elif k == "errors": e += v
        elif k == "skipped": s += v
        elif k == "expected_failures": x += v
total = sum(ran)
rc = re.findall(r"^exit (\d+) after (\d+)s$", text, re.M)
code, secs = rc[-1] if rc else ("?", "?")
if code == "124" or code == "137":
    status = f"timeout ({secs}s)"
elif not ran:
    status = f"crashed (exit {code})"
elif re.search(r"^Result: SUCCESS", text, re.M) or re.search(r"^Tests result: SUCCESS", text, re.M):
    status = "ok"
else:
    status = f"exit {code}"
print(f"{total - f - e - s}\t{f + e}\t{s}\t{status}\t{secs}")
PY
}

export -f run_one
export wali py native logs timeout
# REPORT_ONLY=1: only rewrite docs/ports.md from the existing logs.
if [ -z "${REPORT_ONLY:-}" ]; then
  for m in $TESTS; do printf 'wali %s\nnative %s\n' "$m" "$m"; done \
    | xargs -P "$jobs" -L1 bash -c 'run_one "$0" "$1"; echo "python-test: $0 $1 done"'
fi

{
  cat "$here/ports.md.in"
  echo
  echo "## CPython test suite under wali"
  echo
  echo "\`make python-test\` ($(date -u +%F)): \`python.wasm -m test -v MODULE\` under wali vs the native"
  echo "build of the same source on the same machine. passed / failed (failures + errors) / skipped"
  echo "are unittest's counts; the wali log of each module is in build/ports/python-test/wali/."
  echo "Rows of modules not rerun that day are kept from the previous report (the date of each"
  echo "module's run is in its note when it differs; test_ssl, test_hashlib, test_hmac,"
  echo "test_httplib and test_urllib2_localnet were added and run on 2026-12-04)."
  echo
  echo "| module | wali passed | failed | skipped | native passed | failed | skipped | notes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for m in $ALL_TESTS; do
    if [ ! -f "$logs/wali/$m.log" ] || [ ! -f "$logs/native/$m.log" ]; then
      grep -m1 "^| $m |" "$root/docs/ports.md" || echo "| $m | | | | | | | not run |"
      continue
    fi
    IFS=$'\t' read -r wp wf ws wst wsec < <(summary "$logs/wali/$m.log")
    IFS=$'\t' read -r np nf ns nst nsec < <(summary "$logs/native/$m.log")
    note=$(sed -n "s/^$m: //p" "$here/test-notes.md" 2>/dev/null | head -1)
    case "$wst" in crash*|timeout*) note="**$wst** ${note}" ;; esac
    echo "| $m | $wp | $wf | $ws | $np | $nf | $ns | ${wsec}s vs ${nsec}s. $note |"
  done
  echo
  [ -f "$here/test-notes-footer.md" ] && cat "$here/test-notes-footer.md"
  # The Ruby port's section (its source is ports/ruby/ports.md).
  if [ -f "$root/ports/ruby/ports.md" ]; then
    echo
    echo "<!-- ruby:begin (from ports/ruby/ports.md; keep when regenerating this file) -->"
    cat "$root/ports/ruby/ports.md"
    echo "<!-- ruby:end -->"
  fi
  # The OpenSSL port's section (its source is ports/openssl/ports.md).
  if [ -f "$root/ports/openssl/ports.md" ]; then
    echo
    echo "<!-- openssl:begin (from ports/openssl/ports.md; keep when regenerating this file) -->"
    cat "$root/ports/openssl/ports.md"
    echo "<!-- openssl:end -->"
  fi
} > "$root/docs/ports.md.tmp"
mv "$root/docs/ports.md.tmp" "$root/docs/ports.md"
echo "python-test: wrote docs/ports.md"
