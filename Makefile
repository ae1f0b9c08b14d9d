# Top-level entry points. Each heavy build lives in its own script and caches
# its result outside the repo under a key that hashes its inputs.
SHELL := /bin/bash
ROOT  := $(CURDIR)
export WALI_CACHE ?= $(HOME)/.cache/wali-build

.PHONY: all setup host sysroot conformance test demo

all: host sysroot

# Installs the Debian/npm packages every other target needs (idempotent).
setup:
	bash scripts/setup-deps.sh

host:
	cargo build --release -p wali-host

# The wasm32 musl sysroot and the wali-cc driver (build/sysroot, build/bin).
sysroot: setup
	bash guest-libc-patches/build-sysroot.sh

# Differential conformance suite: native vs wali, closing line "N passed, M failed".
conformance: host sysroot
	bash linux-tests/run.sh

# The whole test suite: host unit/integration tests plus the conformance suite.
test: host sysroot
	cargo test --workspace --release
	$(MAKE) conformance
