#!/usr/bin/env bash
# make ruby-test: files of Ruby 3.3.8's own test suite (test/ruby/test_*.rb
# below and all of test/socket) run with Ruby's test runner
# (tool/test/runner.rb) twice: with ruby.wasm under wali and with a native
# build of the same pinned tarball; plus irb on a pseudo-terminal
# (tests/irb_pty.py). Writes the table into ports/ruby/ports.md (between the
# "ruby-test:begin/end" markers) and splices that file into docs/ports.md.
#
# Pass/fail criterion, per test file (wasm side only; the native run is the
# reference column of the table). A file passes when
#   - the wasm run finishes: no crash, no hang (per-file timeout
#     $TEST_TIMEOUT, default 180 s; the slowest file takes about 60 s), and
#     the runner prints its summary line;
#   - and every test that fails or errors under wasm either fails natively
#     too or is listed for that file in test-differences.txt with a reason.
# Tests listed there as "excluded" are not run under wasm (they kill or hang
# the process, or are too slow under wali). Listed failures that no longer
# fail are reported as stale (not an error). irb on a pseudo-terminal
# (tests/irb_pty.py) counts as one more file. Ends with "N passed, M failed".
# The verdicts and the report are tests/report.rb's.
#
# Environment: TESTS="ruby/test_array socket/test_tcp ..." runs a subset
# (names as in the table; the docs are not rewritten); TEST_TIMEOUT; JOBS (runs at once, default 2);
# REPORT_ONLY=1 rewrites the reports from the logs of the previous run;
# NATIVE_RUBY=DIR a native Ruby 3.3.8 install (bin/ruby) with its source
# tree (DIR/src) instead of the cached build. Logs:
# build/ports/ruby-test/{wasm,native}/NAME.log, and NAME.log.hang with the
# threads' kernel wait channels when a run reached its timeout.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
wali=${WALI:-$root/target/release/wali}
rb=${RUBY_WASM:-$root/build/ports/ruby/ruby.wasm}
logs=$root/build/ports/ruby-test
timeout=${TEST_TIMEOUT:-180}
jobs=${WALI_JOBS:-2}
say() { echo "ruby-test: $*" >&2; }
die() { echo "ruby-test: error: $*" >&2; exit 1; }

# The pinned source (the same tarball as the wasm build).
RUBY_VERSION=$(sed -n 's/^RUBY_VERSION=//p' "$here/build.sh")
RUBY_SHA256=$(sed -n 's/^RUBY_SHA256=//p' "$here/build.sh")
WITHOUT_EXT=$(sed -n "s/^WITHOUT_EXT='\(.*\)'$/\1/p" "$here/build.sh")
[ -n "$RUBY_SHA256" ] && [ -n "$WITHOUT_EXT" ] || die "cannot read the pins from build.sh"

# --- native build: begin (this block, with the tarball's sha256 and the C
# compiler's version, makes the cache key of the native build) --------------
# Native Ruby built from the pinned tarball with the same extension set as
# ruby.wasm (--with-out-ext from build.sh) and the same -O2, no JIT; installed
# with its prefix = the cache directory, plus the source tree (test/, tool/,
# benchmark/) under src/. Also used by bench/run.sh.
native_build() {
  local dest=$1 tar work t0
  tar=${WALI_RUBY_TARBALL:-$(ls "$cache/src/ruby3.3_$RUBY_VERSION".orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)}
  [ -f "$tar" ] || die "no ruby3.3_$RUBY_VERSION.orig tarball in $cache/src: run 'make ruby' first"
  [ "$(sha256sum "$tar" | cut -d' ' -f1)" = "$RUBY_SHA256" ] || die "$tar: sha256 mismatch"
  command -v cc >/dev/null && command -v make >/dev/null || die "no native cc/make (make setup)"
  work=$(mktemp -d "$cache/tmp-ruby-native.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  say "building native Ruby $RUBY_VERSION (once; cached in $dest)"
  tar xJf "$tar" -C "$work"
  local src=$work/ruby-$RUBY_VERSION
  find "$src/.bundle/gems" -name extconf.rb -delete
  mkdir -p "$work/build"
  local baseruby=()
  command -v ruby >/dev/null && baseruby=(--with-baseruby="$(command -v ruby)")
  (cd "$work/build" && "$src/configure" --prefix="$dest" --disable-install-doc \
     --disable-jit-support --disable-yjit --disable-rjit "${baseruby[@]}" \
     optflags=-O2 debugflags=-g --with-out-ext="$WITHOUT_EXT") > "$work/configure.log" 2>&1 \
    || { tail -30 "$work/configure.log" >&2; die "native configure failed"; }
  local nogems=(-o prepare-gems -o update-gems -o extract-gems -o update-gems-sequential -o extract-gems-sequential)
  (cd "$work/build" && make -j"$jobs" "${nogems[@]}") > "$work/make.log" 2>&1 \
    || { tail -40 "$work/make.log" >&2; die "native make failed"; }
  (cd "$work/build" && make "${nogems[@]}" install-nodoc INSTRUBY_OPTS=--exclude=bundled-gems \
     DESTDIR="$work/dest") > "$work/install.log" 2>&1 \
    || { tail -30 "$work/install.log" >&2; die "native make install failed"; }
  local stage=$work/dest$dest
  mkdir -p "$stage/src"
  (cd "$src" && cp -a test tool benchmark "$stage/src/")
  cp "$work"/*.log "$stage/"
  echo "Ruby $RUBY_VERSION native, built $(date -u +%FT%TZ) in $(( $(date +%s) - t0 ))s" > "$stage/VERSION"
  rm -rf "$dest"
  mv "$stage" "$dest"
  rm -rf "$work"
  trap - EXIT
  "$dest/bin/ruby" -e 'exit(RUBY_VERSION == ARGV[0])' "$RUBY_VERSION" || die "native ruby does not run"
  say "native Ruby built in $(( $(date +%s) - t0 ))s"
}
# --- native build: end -------------------------------------------------------

native_key=$(
  {
    echo "ruby $RUBY_SHA256 without $WITHOUT_EXT"
    cc --version | head -1
    sed -n '/^# --- native build: begin/,/^# --- native build: end/p' "$here/run-tests.sh"
  } | sha256sum | cut -c1-16
)
native=${NATIVE_RUBY:-$cache/ruby-native-$native_key}
[ -z "${WALI_PRINT_NATIVE:-}" ] || { echo "$native"; exit 0; }
mkdir -p "$cache"
if [ ! -x "$native/bin/ruby" ]; then
  [ -z "${NATIVE_RUBY:-}" ] || die "NATIVE_RUBY=$NATIVE_RUBY has no bin/ruby"
  native_build "$native"
fi
[ -n "${NATIVE_BUILD_ONLY:-}" ] && exit 0

# --- the runs -------------------------------------------------------------------
[ -x "$wali" ] || die "$wali missing (make host)"
[ -f "$rb" ] || die "$rb missing (make ruby)"
src=$native/src
shims=$here/tests/lib
diffs=$here/test-differences.txt
subset=${TESTS:+1}   # a subset prints its verdicts but leaves the docs alone
TESTS=${TESTS:-"ruby/test_thread ruby/test_fiber ruby/test_io ruby/test_file ruby/test_process
ruby/test_signal ruby/test_gc ruby/test_array ruby/test_string ruby/test_hash ruby/test_exception
$(cd "$src/test" && ls socket/test_*.rb | sed 's/\.rb$//' | tr '\n' ' ')"}
mkdir -p "$logs/wasm" "$logs/native"

# The "excluded" entries of test-differences.txt for FILE as runner options
# (-n '!/REGEXP/'): tests that crash or hang the wasm process, or are too
# slow under wali. Format of the file: see its header.
excludes() {
  local f=$1 kind t
  while read -r file kind t _; do
    { [ "$file" = "$f" ] || [ "$file" = '*' ]; } && [ "$kind" = excluded ] || continue
    case $t in
      /*/) printf -- '-n\n!%s\n' "$t" ;;
      *) printf -- '-n\n!/(?<![\\w:])%s\\z/\n' "$(printf '%s' "$t" | sed 's/[][\.*^$?+(){}|/]/\\&/g')" ;;
    esac
  done < <(grep -v '^[[:space:]]*\(#\|$\)' "$diffs")
}

# Ruby's test runner as make test-all runs it (test/.excludes, no
# memory_leak tests), verbose, listing skips; the stubs in tests/lib first
# on the load path.
run_one() { # SIDE NAME
  local side=$1 n=$2 tmp log rc t0 ex=()
  log=$logs/$side/${n//\//_}.log
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/ruby-test-$side.XXXXXX")
  local args=(-I "$shims" "$src/tool/test/runner.rb" -v --show-skip
              --excludes-dir="$src/test/.excludes" '--name=!/memory_leak/')
  t0=$(date +%s)
  # Shortly before the timeout, the state of every thread of the run's
  # processes goes into the log: where a hang sits (kernel wait channel).
  ( trap 'kill $s 2>/dev/null; exit' TERM; sleep $(( timeout > 20 ? timeout - 10 : timeout )) & s=$!
    wait $s && dump_threads "$tmp" > "$log.hang" ) &
  local watcher=$!
  if [ "$side" = wasm ]; then
    mapfile -t ex < <(excludes "$n")
    # The source tree and the stubs read-only at their host paths, a
    # scratch directory as /tmp (the working directory, TMPDIR and HOME);
    # loopback and abstract Unix sockets allowed.
    (cd "$tmp" && timeout -k 10 "$timeout" "$wali" run --ro-dir "$src" --ro-dir "$shims" \
       --dir "$tmp::/tmp" --env TMPDIR=/tmp --env HOME=/tmp --env LANG=C.UTF-8 \
       --env PATH=/usr/local/bin:/usr/bin:/bin \
       --allow-net 127.0.0.1 --allow-net '[::1]' --allow-net 0.0.0.0 --allow-net '[::]' --allow-net '@*' \
       "$rb" -C /tmp "${args[@]}" "${ex[@]}" "$src/test/$n.rb") > "$log" 2>&1 < /dev/null
  else
    (cd "$tmp" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$tmp" TMPDIR="$tmp" LANG=C.UTF-8 \
       timeout -k 10 "$timeout" "$native/bin/ruby" "${args[@]}" "$src/test/$n.rb") > "$log" 2>&1 < /dev/null
  fi
  rc=$?
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
  [ -s "$log.hang" ] || rm -f "$log.hang"
  reap "$tmp"
  printf "\nexit %s after %ss%s\n" "$rc" "$(( $(date +%s) - t0 ))" "${ex:+ (excluded: $(( ${#ex[@]} / 2 )) entries)}" >> "$log"
  rm -rf "$tmp"
}
# Kills what is left of a run: a test's subprocesses that the runner started
# in their own process group (EnvUtil's pgroup: true), which timeout's signal
# to its group misses when the run is killed. Found by the run's scratch
# directory in their command line (wali's fork and exec keep its arguments).
reap() {
  local p args
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    mapfile -d '' args 2>/dev/null < "$p/cmdline" || continue
    [[ " ${args[*]} " == *"$1"* ]] && kill -9 "${p#/proc/}" 2>/dev/null
  done
}
# The processes of a run (as for reap) with each thread's name, state and
# kernel wait channel, and the kernel stack when readable.
dump_threads() {
  local p t args
  for p in /proc/[0-9]*; do
    mapfile -d '' args 2>/dev/null < "$p/cmdline" || continue
    [[ " ${args[*]} " == *"$1"* ]] || continue
    echo "== pid ${p#/proc/} ppid $(awk '/^PPid/ {print $2}' "$p/status" 2>/dev/null): ${args[*]:0:3} ..."
    for t in "$p"/task/*; do
      echo "  tid ${t##*/} $(cat "$t/comm" 2>/dev/null) state $(awk '{print $3}' "$t/stat" 2>/dev/null) wchan $(cat "$t/wchan" 2>/dev/null)"
      sed 's/^/      /' "$t/stack" 2>/dev/null | head -8
    done
  done
}
export -f run_one excludes reap dump_threads
export wali rb native src shims diffs logs timeout

t_start=$(date +%s)
if [ -z "${REPORT_ONLY:-}" ]; then
  # Native and wasm runs of the files side by side (2 at a time): the
  # native ones take a few seconds each.
  for n in $TESTS; do printf 'wasm %s\nnative %s\n' "$n" "$n"; done \
    | xargs -P "${JOBS:-2}" -L1 bash -c 'run_one "$0" "$1"; echo "ruby-test: $0 $1: $(tail -1 "$logs/$0/${1//\//_}.log")" >&2'
  if command -v python3 > /dev/null; then
    python3 "$here/tests/irb_pty.py" "$wali" "$rb" "$logs/irb_pty.log" > /dev/null 2>&1
    echo "exit $?" >> "$logs/irb_pty.log"
  else
    echo "irb_pty: FAIL: python3 (its pty module drives the terminal) not found" > "$logs/irb_pty.log"
  fi
fi

# --- the verdicts, ports/ruby/ports.md and its copy in docs/ports.md ------------
[ -n "${REPORT_ONLY:-}" ] || [ -n "$subset" ] || echo $(( $(date +%s) - t_start )) > "$logs/run-seconds"
RUN_SECONDS=$(cat "$logs/run-seconds" 2>/dev/null) "$native/bin/ruby" "$here/tests/report.rb" \
  "$logs" "$diffs" "$([ -n "$subset" ] && echo - || echo "$here/ports.md")" "$TESTS" > "$logs/report.txt"
rc=$?
# docs/ports.md keeps the Ruby section between these markers (the CPython
# report generator, ports/cpython/run-tests.sh, copies it the same way).
if [ -n "$subset" ]; then
  say "a subset (TESTS=...): ports/ruby/ports.md and docs/ports.md left as they are"
elif grep -q '^<!-- ruby:begin' "$root/docs/ports.md" && grep -q '^<!-- ruby:end -->' "$root/docs/ports.md"; then
  "$native/bin/ruby" -e '
    doc, sec = File.read(ARGV[0]), File.read(ARGV[1])
    doc = doc.sub(/^(<!-- ruby:begin[^\n]*-->\n).*?^(<!-- ruby:end -->)/m) { $1 + sec + $2 }
    File.write(ARGV[0] + ".tmp", doc)' "$root/docs/ports.md" "$here/ports.md" \
    && mv "$root/docs/ports.md.tmp" "$root/docs/ports.md"
  say "wrote ports/ruby/ports.md and its copy in docs/ports.md"
else
  say "docs/ports.md has no ruby:begin/ruby:end markers: only ports/ruby/ports.md written"
fi
cat "$logs/report.txt"   # ends with "N passed, M failed"
exit "$rc"
