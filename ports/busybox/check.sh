#!/usr/bin/env bash
# The shell and tools of ports/busybox under wali against the same busybox
# built natively: ports/busybox/tests/tools.sh runs once with the native
# build (its applet links first on PATH) and once with busybox.wasm under
# wali (the applet directory mounted read-only at /bin, PATH=/bin, a fresh
# read-write directory as cwd); the outputs and exit statuses must agree.
# Then the facts wali changes on purpose: `uname -m` is wasm32 under wali.
# Closing line "N passed, M failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wali=$root/target/release/wali
bin=$root/build/ports/busybox/bin
native=$root/build/ports/busybox-native/bin
[ -x "$wali" ] || { echo "check-busybox: no $wali (run 'make host')" >&2; exit 2; }
[ -f "$bin/busybox" ] && [ -x "$native/busybox" ] \
  || { echo "check-busybox: no busybox build (run 'make busybox')" >&2; exit 2; }

pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/native" "$tmp/wali"

# Both runs see an empty environment apart from PATH (and HOME, unused).
(cd "$tmp/native" && env -i PATH="$native" HOME=/nonexistent "$native/sh" "$here/tests/tools.sh") \
  > "$tmp/native.out" 2>&1
native_rc=$?
(cd "$tmp/wali" && "$wali" run --ro-dir "$bin::/bin" --ro-dir "$here/tests" --dir "$tmp/wali" \
   --env PATH=/bin --env HOME=/nonexistent "$bin/busybox" sh "$here/tests/tools.sh") \
  > "$tmp/wali.out" 2>&1
wali_rc=$?
if [ "$native_rc" = "$wali_rc" ] && cmp -s "$tmp/native.out" "$tmp/wali.out"; then
  ok "tools.sh ($(grep -c . "$tmp/native.out") lines, exit $native_rc)"
else
  bad "tools.sh: native exit $native_rc, wali exit $wali_rc; diff native wali:"
  diff "$tmp/native.out" "$tmp/wali.out" | head -40
fi

# The applets the port promises (issue 21) are all there.
for a in sh ash echo cat ls tr sort head tail grep sed env sleep true false test [ printf wc \
         mkdir rm cp mv pwd uname xargs find cut expr awk; do
  [ -L "$bin/$a" ] || { bad "applet $a missing from $bin"; continue; }
done
[ "$fail" = 0 ] && ok "promised applets present"

m=$("$wali" run "$bin/busybox" uname -m 2>&1)
[ "$m" = wasm32 ] && ok "uname -m under wali: wasm32" || bad "uname -m under wali: '$m', expected wasm32"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
