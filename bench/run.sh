#!/usr/bin/env bash
# Whole-program benchmarks (`make bench`): the C programs of bench/programs
# built natively (cc -O2), for wali (wali-cc -O2) and, where they fit WASI,
# for wasmtime's own WASI (clang-19 --target=wasm32-wasi with Debian's
# wasi-libc, run by bench/wasi-runner on the same wasmtime and engine
# settings); CPython start-up and micro-benchmarks when `make python` has
# been run, and Ruby's when `make ruby` has (start-up, cold and cached, and
# five programs of Ruby's benchmark/ directory, against the native build of
# the same Ruby that `make ruby-test` builds; built here if missing). Each
# figure is the median of $BENCH_RUNS runs (default 5) after one unmeasured
# warm-up run (which also fills the compiled-module caches).
# Then `cargo bench -p wali-bench` (per-syscall costs, criterion), unless
# BENCH_SKIP_CRITERION=1 (BENCH_SKIP_WASI=1 skips the WASI side), and bench-report writes docs/performance.md.
# BENCH_ONLY=ruby measures only the Ruby section again: the other results of
# the previous run (build/bench/results.tsv) and criterion's last estimates
# are kept, and docs/performance.md is rewritten.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${BENCH_RUNS:-5}
out=$root/build/bench
wali=$root/target/release/wali
walicc=$root/build/bin/wali-cc
cache=${WALI_CACHE:-$HOME/.cache/wali-build}
results=$out/results.tsv
say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$wali" ] || die "$wali missing (make host)"
[ -x "$walicc" ] || die "$walicc missing (make sysroot)"
only=${BENCH_ONLY:-}
case $only in
  "") rm -rf "$out"
      mkdir -p "$out"/{native,wali,wasi,data,modcache,wasicache}
      : > "$results" ;;
  ruby) [ -f "$results" ] || die "BENCH_ONLY=ruby needs the results of an earlier full run ($results)"
      # Keep the previous run's results but its Ruby rows and notes.
      grep -v -e '^result	ruby	' -e '^note	Ruby' "$results" > "$results.tmp"
      mv "$results.tmp" "$results"
      mkdir -p "$out/modcache" ;;
  *) die "BENCH_ONLY=$only: only 'ruby' is known" ;;
esac
export WALI_CACHE_DIR=$out/modcache
note() { printf 'note\t%s\n' "$*" >> "$results"; say "$*"; }
meta() { printf 'meta\t%s\t%s\n' "$1" "$2" >> "$results"; }
if [ -z "$only" ]; then   # (BENCH_ONLY=ruby: machine and programs as measured before)

# --- the machine -------------------------------------------------------------
meta cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
meta cores "$(nproc)"
meta kernel "$(uname -sr)"
meta rustc "$(rustc --version)"
meta wasmtime "$(sed -n '/^name = "wasmtime"$/{n;s/version = "\(.*\)"/\1/p}' "$root/Cargo.lock")"
meta cc "$(cc --version | head -1)"
meta clang "$(clang-19 --version 2>/dev/null | head -1)"
meta load "$(cut -d' ' -f1-3 /proc/loadavg)"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta runs "$runs"
meta commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD -- crates 2>/dev/null || echo ' + uncommitted host changes')"

fi

if [ -z "$only" ]; then   # (BENCH_ONLY=ruby: no WASI side, no C programs)
# --- the WASI side: wasi-libc and the runner -----------------------------------
wasi_sysroot=""
for d in /usr/share/wasi-sysroot /usr; do
  [ -f "$d/lib/wasm32-wasi/libc.a" ] && { wasi_sysroot=$d; break; }
done
if [ -z "$wasi_sysroot" ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  say "installing wasi-libc"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wasi-libc > "$out/apt.log" 2>&1 \
    || { apt-get update -q > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wasi-libc >> "$out/apt.log" 2>&1; }
  [ -f /usr/lib/wasm32-wasi/libc.a ] && wasi_sysroot=/usr
fi
wasi_run=""
if [ "${BENCH_SKIP_WASI:-0}" = 1 ]; then
  note "WASI skipped: BENCH_SKIP_WASI=1"
elif [ -z "$wasi_sysroot" ]; then
  note "WASI skipped: Debian's wasi-libc is not installed"
else
  key=$(cat "$here/wasi-runner/Cargo.toml" "$here/wasi-runner/Cargo.lock" "$here/wasi-runner/src/main.rs" 2>/dev/null \
        | sha256sum | cut -c1-16)
  wasi_run=$cache/wasi-runner-$key/wasi-run
  if [ ! -x "$wasi_run" ]; then
    say "building the WASI runner (wasmtime-wasi, once: cached in $cache/wasi-runner-$key)"
    if cargo build --release --locked --manifest-path "$here/wasi-runner/Cargo.toml" \
         --target-dir "$root/target/wasi-runner" > "$out/wasi-runner-build.log" 2>&1; then
      mkdir -p "$cache/wasi-runner-$key"
      cp "$root/target/wasi-runner/release/wasi-run" "$wasi_run.tmp" && mv "$wasi_run.tmp" "$wasi_run"
    else
      tail -20 "$out/wasi-runner-build.log" >&2
      wasi_run=""
      note "WASI skipped: the wasmtime-wasi runner did not build (see build/bench/wasi-runner-build.log)"
    fi
  fi
fi
export WASI_RUN_CACHE=$out/wasicache

# --- building the programs -------------------------------------------------------
wasi_ok=" hello matmul sieve filecopy "
for src in "$here"/programs/*.c; do
  p=$(basename "$src" .c)
  cc -O2 -pthread -o "$out/native/$p" "$src" || die "cc $p failed"
  "$walicc" -O2 -pthread "$src" -o "$out/wali/$p.wasm" || die "wali-cc $p failed"
  if [ -n "$wasi_run" ] && [[ "$wasi_ok" == *" $p "* ]]; then
    clang-19 --target=wasm32-wasi --sysroot="$wasi_sysroot" -O2 "$src" -o "$out/wasi/$p.wasm" \
      || { note "WASI build of $p failed"; rm -f "$out/wasi/$p.wasm"; }
  fi
done
cc -O2 -o "$out/native/echo_server" "$here/net/echo_server.c" || die "cc echo_server"
cc -O2 -pthread -o "$out/native/echo_client" "$here/net/echo_client.c" || die "cc echo_client"
"$walicc" -O2 "$here/net/echo_server.c" -o "$out/wali/echo_server.wasm" || die "wali-cc echo_server"

fi

# --- measuring -------------------------------------------------------------------
now() { date +%s%N; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
record() { printf 'result\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$results"; }

# time_runs GROUP NAME VARIANT CMD...: median wall time of the command, in s.
time_runs() {
  local group=$1 name=$2 variant=$3; shift 3
  if ! "$@" > "$out/last.out" 2> "$out/last.err"; then
    note "$name ($variant) failed: $(tail -1 "$out/last.err")"
    return
  fi
  local ts=() i t0
  for ((i = 0; i < runs; i++)); do
    t0=$(now)
    "$@" > /dev/null 2>&1
    ts+=("$(( $(now) - t0 ))")
  done
  local m
  m=$(printf '%s\n' "${ts[@]}" | median)
  m=$(awk -v n="$m" 'BEGIN {printf "%.6f", n / 1e9}')
  record "$group" "$name" "$variant" "$m" s
  say "$group/$name/$variant: $m s"
}

# variants GROUP NAME ARGS...: native, wali and (if built) WASI runs of one program.
variants() {
  local group=$1 name=$2 prog=$3; shift 3
  time_runs "$group" "$name" native "$out/native/$prog" "$@"
  time_runs "$group" "$name" wali "$wali" run $WALI_FLAGS "$out/wali/$prog.wasm" "$@"
  if [ -n "$wasi_run" ] && [ -f "$out/wasi/$prog.wasm" ]; then
    time_runs "$group" "$name" wasi "$wasi_run" $WASI_FLAGS "$out/wasi/$prog.wasm" "$@"
  fi
}

say "uptime: $(uptime)"
if [ -z "$only" ]; then   # (BENCH_ONLY=ruby: straight to the Ruby section)
WALI_FLAGS="" WASI_FLAGS=""
variants startup "hello (process start-up)" hello
variants cpu "matmul 400x400 doubles" matmul 400
variants cpu "sieve to 20 million" sieve 20000000

data=$out/data
head -c $((64 << 20)) /dev/urandom > "$data/src"
WALI_FLAGS="--dir $data" WASI_FLAGS="--dir $data::$data"
variants io "copy a 64 MiB file (64 KiB read/write)" filecopy "$data/src" "$data/dst"
rm -f "$data/dst"
WALI_FLAGS="" WASI_FLAGS=""
time_runs io "pipe 256 MiB between two processes (fork)" native "$out/native/pipe" 256
time_runs io "pipe 256 MiB between two processes (fork)" wali "$wali" run "$out/wali/pipe.wasm" 256

# TCP echo over loopback: the server native or under wali, the client native.
# (rate_runs also takes the locks section's sleep overshoots, unit ms.)
rate_runs() { # GROUP NAME VARIANT UNIT SED-EXPR CMD...
  local group=$1 name=$2 variant=$3 unit=$4 expr=$5; shift 5
  local vs=() i v
  for ((i = 0; i < runs; i++)); do
    v=$("$@" 2> /dev/null | sed -n "$expr")
    [ -n "$v" ] && vs+=("$v")
  done
  if [ ${#vs[@]} = 0 ]; then note "$name ($variant) failed"; return; fi
  local m
  m=$(printf '%s\n' "${vs[@]}" | median)
  record "$group" "$name" "$variant" "$m" "$unit"
  say "$group/$name/$variant: $m $unit"
}
wait_port() {
  local i
  for ((i = 0; i < 100; i++)); do
    (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0
    sleep 0.1
  done
  return 1
}
port=$((47000 + RANDOM % 2000))
for variant in native wali; do
  port=$((port + 1))
  if [ $variant = native ]; then
    "$out/native/echo_server" $port 2> /dev/null &
  else
    "$wali" run --allow-net "127.0.0.1:$port" "$out/wali/echo_server.wasm" $port 2> /dev/null &
  fi
  server=$!
  if wait_port $port; then
    rate_runs net "TCP echo, 1 connection, 64-byte request/response" $variant "req/s" \
      's/.*requests\/s=\([0-9.]*\).*/\1/p' "$out/native/echo_client" $port rr 1 1
    rate_runs net "TCP echo, 1 connection, 64 KiB streaming" $variant "MB/s" \
      's/.*MB\/s=\([0-9.]*\).*/\1/p' "$out/native/echo_client" $port stream 1
  else
    note "TCP echo server ($variant) did not start"
  fi
  kill $server 2> /dev/null
  wait $server 2> /dev/null
done

# --- locks and timers (issue 18) ------------------------------------------------------
# 100 threads on one mutex (wall time of the whole program) and the median
# overshoot of 50 ms sleeps (as the program reports it, in ms; lower is better).
time_runs locks "100 threads x 10000 mutex increments (C)" native "$out/native/lock100"
time_runs locks "100 threads x 10000 mutex increments (C)" wali "$wali" run "$out/wali/lock100.wasm"
overshoot='s/.*overshoot_ms=\([0-9.]*\).*/\1/p'
rate_runs locks "sleep overshoot, nanosleep 50 ms (C; median of 20)" native ms "$overshoot" "$out/native/sleep"
rate_runs locks "sleep overshoot, nanosleep 50 ms (C; median of 20)" wali ms "$overshoot" "$wali" run "$out/wali/sleep.wasm"

# --- TLS and crypto: bench/tls/tls_bench.c against the same OpenSSL 3.5.7
# source and configuration (no assembly) built natively and for wali
# (scripts/port-deps.sh, both cached), each figure the median of $runs runs
# of 2 s per measurement; the host's own OpenSSL (with assembly) as a note.
tls_rates() { # OUTFILE CMD...: appends "handshakes aes" of one run
  local f=$1; shift
  "$@" 2 2>> "$out/tls.err" | awk '/^handshakes_per_s/ {h=$2} /^aes_gcm_mb_per_s/ {a=$2} END {print h, a}' >> "$f"
}
if [ -z "$only" ] && bash "$root/scripts/port-deps.sh" openssl > "$out/openssl.log" 2>&1 \
   && bash "$root/scripts/port-deps.sh" openssl native >> "$out/openssl.log" 2>&1; then
  on=$root/build/ports/openssl-native ow=$root/build/ports/openssl
  if cc -O2 -pthread -I"$on/include" "$here/tls/tls_bench.c" -L"$on/lib" -lssl -lcrypto -o "$out/native/tls_bench" \
     && "$walicc" -O2 -pthread -I"$ow/include" "$here/tls/tls_bench.c" -L"$ow/lib" -lssl -lcrypto -o "$out/wali/tls_bench.wasm"; then
    : > "$out/tls.native"; : > "$out/tls.wali"
    "$wali" run "$out/wali/tls_bench.wasm" 0.1 > /dev/null 2>&1   # compile once (module cache)
    for ((i = 0; i < runs; i++)); do
      tls_rates "$out/tls.native" "$out/native/tls_bench"
      tls_rates "$out/tls.wali" "$wali" run "$out/wali/tls_bench.wasm"
    done
    for v in native wali; do
      record tls "TLS 1.3 handshakes (X25519, ECDSA P-256, memory BIOs)" $v "$(cut -d' ' -f1 "$out/tls.$v" | median)" handshakes/s
      record tls "AES-256-GCM encryption, 16 KiB records" $v "$(cut -d' ' -f2 "$out/tls.$v" | median)" MB/s
    done
    if cc -O2 -pthread "$here/tls/tls_bench.c" -lssl -lcrypto -o "$out/native/tls_bench_host" 2>/dev/null; then
      note "TLS: the host's own OpenSSL ($(openssl version 2>/dev/null | cut -d' ' -f1-2), with assembly): $("$out/native/tls_bench_host" 2 | tr '\n' ' ')"
    fi
  else
    note "TLS skipped: building bench/tls/tls_bench.c failed"
  fi
elif [ -z "$only" ]; then
  note "TLS skipped: the OpenSSL builds failed (see $out/openssl.log)"
fi

# --- interpreters ------------------------------------------------------------------
py_wasm=${PYTHON_WASM:-$root/build/ports/python/python.wasm}
py_native=${NATIVE_PYTHON:-$root/build/ports/python-native}
if [ -f "$py_wasm" ] && [ -x "$py_native" ]; then
  # Run as files: the script's directory is mounted by python.wasm's manifest.
  name="100 Python threads, one threading.Lock (more-itertools concurrent_tee, 30000 items)"
  time_runs locks "$name" native "$py_native" "$here/locks/concurrent_tee.py" 30000
  time_runs locks "$name" wali "$wali" run "$py_wasm" "$here/locks/concurrent_tee.py" 30000
  name="sleep overshoot, time.sleep(0.05) (CPython; median of 20)"
  rate_runs locks "$name" native ms "$overshoot" "$py_native" "$here/locks/sleep.py"
  rate_runs locks "$name" wali ms "$overshoot" "$wali" run "$py_wasm" "$here/locks/sleep.py"
fi
if [ -f "$py_wasm" ] && [ -x "$py_native" ]; then
  for f in "$here"/programs/py/*.py; do :; done
  time_runs python "start-up (python -c pass)" native "$py_native" -c pass
  time_runs python "start-up (python -c pass)" wali "$wali" run "$py_wasm" -c pass
  for f in "$here"/programs/py/*.py; do
    name=$(sed -n 's/^# bench: //p' "$f" | head -1)
    code=$(cat "$f")
    time_runs python "$name" native "$py_native" -c "$code"
    time_runs python "$name" wali "$wali" run "$py_wasm" -c "$code"
  done
else
  note "CPython skipped: $py_wasm or $py_native absent (make python)"
fi
fi

# Ruby 3.3: ruby.wasm against the native build of the same tarball and
# extension set (ports/ruby/run-tests.sh's native part, cached under
# $WALI_CACHE/ruby-native-<key>; NATIVE_RUBY=DIR with DIR/bin/ruby and the
# source tree in DIR/src instead). Start-up `ruby -e ''` cached (the warm
# module cache of this run) and cold (each run with a fresh, empty
# WALI_CACHE_DIR: Cranelift compiles all of ruby.wasm); then programs of
# Ruby's own benchmark/ directory, run as files (the script's directory is
# mounted by ruby.wasm's wali.interp manifest).
rb_wasm=${RUBY_WASM:-$root/build/ports/ruby/ruby.wasm}
rb_native=${NATIVE_RUBY:-}
if [ ! -f "$rb_wasm" ]; then
  note "Ruby skipped: $rb_wasm absent (make ruby)"
else
  if [ -z "$rb_native" ]; then
    rb_native=$(WALI_PRINT_NATIVE=1 bash "$root/ports/ruby/run-tests.sh")
    [ -x "$rb_native/bin/ruby" ] || NATIVE_BUILD_ONLY=1 bash "$root/ports/ruby/run-tests.sh" > "$out/ruby-native-build.log" 2>&1
  fi
  if [ ! -x "$rb_native/bin/ruby" ] || [ ! -d "$rb_native/src/benchmark" ]; then
    note "Ruby skipped: no native Ruby 3.3.8 ($rb_native; see build/bench/ruby-native-build.log)"
  else
    [ -z "$only" ] || note "Ruby section measured again on its own (BENCH_ONLY=ruby) $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), wali built from $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD -- crates 2>/dev/null || echo ' + uncommitted host changes'); the other tables are from the run above."
    time_runs ruby "start-up (ruby -e '')" native "$rb_native/bin/ruby" -e ''
    time_runs ruby "start-up (ruby -e '')" wali "$wali" run "$rb_wasm" -e ''
    cold() { # a fresh module cache for every run
      local d rc
      d=$(mktemp -d "$out/coldcache.XXXXXX")
      WALI_CACHE_DIR=$d "$wali" run "$rb_wasm" -e ''
      rc=$?
      rm -rf "$d"
      return $rc
    }
    time_runs ruby "start-up (ruby -e ''), cold: empty module cache (wali compiles ruby.wasm)" native "$rb_native/bin/ruby" -e ''
    time_runs ruby "start-up (ruby -e ''), cold: empty module cache (wali compiles ruby.wasm)" wali cold
    bdir=$rb_native/src/benchmark
    for b in "app_fib:app_fib (fib(34): method calls)" \
             "so_nbody:so_nbody (200k steps: Float arithmetic)" \
             "so_concatenate:so_concatenate (40M String appends in blocks)" \
             "so_fannkuch:so_fannkuch (n=9: Array permutations)" \
             "so_binary_trees:so_binary_trees (depth 16: allocation and GC)"; do
      f=$bdir/${b%%:*}.rb
      time_runs ruby "${b#*:}" native "$rb_native/bin/ruby" "$f"
      time_runs ruby "${b#*:}" wali "$wali" run "$rb_wasm" "$f"
    done
  fi
fi
say "uptime: $(uptime)"

# --- per-syscall costs and the report -------------------------------------------------
if [ "${BENCH_SKIP_CRITERION:-0}" != 1 ] && [ -z "$only" ]; then
  (cd "$root" && cargo bench -p wali-bench) > "$out/criterion.log" 2>&1 \
    || { tail -30 "$out/criterion.log" >&2; die "cargo bench failed"; }
fi
cd "$root" && cargo run --release -q -p wali-bench --bin bench-report -- \
  "$results" "$root/target/criterion" "$root/docs/performance.md" \
  || die "bench-report failed"
say "wrote docs/performance.md"
