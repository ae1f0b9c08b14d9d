#!/usr/bin/env bash
# Installs the guest toolchain from Debian and npm. Idempotent and quiet when
# everything is already present, so every `make` target may depend on it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

need_apt=()
# wabt: wasm-objdump/wasm-validate for the sysroot's import and validity checks;
# patch and make build musl; perl configures OpenSSL, libssl-dev is the native
# side of ports/openssl/check.sh.
for pkg in clang-19 lld-19 llvm-19 libclang-rt-19-dev-wasm32 wabt patch make perl libssl-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# binaryen from npm: Debian's is too old for --translate-to-exnref.
binaryen_version=132.0.0
tools="${WALI_CACHE:-$HOME/.cache/wali-build}/tools/binaryen-$binaryen_version"
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  echo "setup: installing binaryen@$binaryen_version from npm" >&2
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund "binaryen@$binaryen_version" >/dev/null)
fi
mkdir -p "$root/build/bin"
ln -sf "$tools/node_modules/.bin/wasm-opt" "$root/build/bin/wasm-opt"
