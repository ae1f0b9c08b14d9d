# Top-level entry points. Each heavy build lives in its own script and caches
# its result outside the repo under a key that hashes its inputs.
SHELL := /bin/bash
ROOT  := $(CURDIR)
export WALI_CACHE ?= $(HOME)/.cache/wali-build
# A heavy build holds a lock for its whole run, so two builds started at once
# (two checkouts, a test run beside a developer's) do not both compile cold:
# the second waits, then finds the first one's cache entry.
LOCKED = mkdir -p $(WALI_CACHE) && flock

.PHONY: all setup host sysroot conformance libc-test test demo python python-smoke python-test

all: host sysroot

# Installs the Debian/npm packages every other target needs (idempotent).
setup:
	bash scripts/setup-deps.sh

host:
	cargo build --release -p wali

# The wasm32 musl sysroot and the wali-cc driver (build/sysroot, build/bin).
sysroot: setup
	bash guest-libc-patches/build-sysroot.sh

# Differential conformance suite: native vs wali, closing line "N passed, M failed".
conformance: host sysroot
	bash linux-tests/run.sh

# The quick start's first command: everything built, then a real guest (CPython
# running ports/cpython/demo.py) under the default policy.
demo: python busybox
	target/release/wali run build/ports/python/python.wasm ports/cpython/demo.py

# The libc port's own native-vs-wali checks (libc-heavy program, threads, hello).
libc-test: host sysroot
	bash guest-libc-patches/tests/run.sh

# The whole test suite: host unit/integration tests, the libc checks and the
# conformance suite, the OpenSSL check, then the interpreter smoke tests.
test: host sysroot
	cargo test --workspace --release
	$(MAKE) libc-test
	$(MAKE) conformance
	$(MAKE) fuzz-quick
	$(MAKE) openssl-check
	$(MAKE) busybox-check
	$(MAKE) python-smoke
	$(MAKE) ruby-smoke

# Syscall fuzzing of the host (fuzz/run.sh): guests making seeded random
# syscalls under the default policy plus one temp mount; fails on a host
# panic, a host crash or any change outside the mount. `fuzz` makes
# FUZZ_CALLS calls (10 million: 22 min on 2 cores, measured); `fuzz-quick`, part
# of `make test`, 100,000 (about 30 s). FUZZ_SEED picks the first seed.
.PHONY: fuzz fuzz-quick
FUZZ_CALLS ?= 10000000
FUZZ_SEED ?= 1
fuzz: host sysroot
	bash fuzz/run.sh $(FUZZ_CALLS) 1000 $(FUZZ_SEED)
fuzz-quick: host sysroot
	bash fuzz/run.sh 100000 1000 $(FUZZ_SEED)

# CPython 3.13 for WALI: build/ports/python/python.wasm and its standard
# library (build/ports/python/lib/python3.13), cached under
# $(WALI_CACHE)/python-<key> (ports/cpython/build.sh).
python: sysroot host
	$(LOCKED) $(WALI_CACHE)/python.lock bash ports/cpython/build.sh

# Small Python scripts (threads, sockets, signals, sqlite3, zlib, json,
# hashlib, subprocess, fork, shared memory: SQLite WAL from several processes,
# multiprocessing) under wali; closing line "N passed, M failed".
python-smoke: python busybox
	bash ports/cpython/smoke.sh

# Selected modules of CPython's test suite under wali and natively; writes the
# table in docs/ports.md. Slow: not part of `make test`.
python-test: python
	bash ports/cpython/run-tests.sh

# Benchmarks against native Linux (and wasmtime's WASI where a program fits
# it): whole programs (bench/programs, median of 5 runs) and per-syscall
# costs (`cargo bench -p wali-bench`); writes docs/performance.md.
.PHONY: bench
bench: host sysroot
	bash bench/run.sh

.PHONY: openssl openssl-check

# OpenSSL 3.5 for WALI: static build/ports/openssl/lib/{libssl,libcrypto}.a
# and headers, cached under $(WALI_CACHE)/openssl-<key> (built by
# scripts/port-deps.sh, the same build CPython and Ruby link; about 4
# minutes cold on 2 cores).
openssl: sysroot
	bash scripts/port-deps.sh openssl

# A C program using OpenSSL (digests, HMAC, PBKDF2, scrypt, AES-GCM, RNG,
# TLS 1.3 handshakes between threads) natively and under wali; closing line
# "N passed, M failed".
openssl-check: openssl host
	bash ports/openssl/check.sh

.PHONY: ruby ruby-smoke ruby-test

# Ruby 3.3 for WALI: build/ports/ruby/ruby.wasm and its library
# (build/ports/ruby/lib/ruby), cached under $(WALI_CACHE)/ruby-<key>
# (ports/ruby/build.sh).
ruby: sysroot host
	$(LOCKED) $(WALI_CACHE)/ruby.lock bash ports/ruby/build.sh

# Small Ruby scripts (threads, fibers, sockets, signals, fork, GC.stress,
# zlib, json, digest, exceptions) under wali; closing line "N passed, M failed".
ruby-smoke: ruby busybox
	bash ports/ruby/smoke.sh

# Ruby's own tests (test/ruby: thread, fiber, io, file, process, signal, gc,
# array, string, hash, exception; test/socket) under wali and natively, and
# irb on a pseudo-terminal; writes the table in ports/ruby/ports.md and
# docs/ports.md; closing line "N passed, M failed". Slow (~20 min): not part
# of `make test`.
ruby-test: ruby
	bash ports/ruby/run-tests.sh

.PHONY: busybox busybox-check

# busybox 1.37 for WALI: build/ports/busybox/bin/busybox (one multi-call
# module: ash as sh, coreutils, grep/sed/awk, find/xargs, ...) and a symlink
# per applet, which wali mounts read-only at /bin and /usr/bin for
# interpreter runs (policy key userland.tools); also the same busybox
# natively for the check. Cached under $(WALI_CACHE)/busybox-<key>
# (ports/busybox/build.sh; a few minutes cold).
busybox: sysroot
	$(LOCKED) $(WALI_CACHE)/busybox.lock bash ports/busybox/build.sh

# A shell script using the tools (ports/busybox/tests/tools.sh) run by the
# native busybox and by busybox.wasm under wali; the outputs must agree.
# Closing line "N passed, M failed".
busybox-check: busybox host
	bash ports/busybox/check.sh
