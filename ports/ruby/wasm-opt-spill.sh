#!/usr/bin/env bash
# Stands in for wasm-opt in wali-cc (WALI_WASM_OPT) while ruby.wasm is
# linked: before wali-cc's --translate-to-exnref, makes every i32 value that
# is live across a call visible to Ruby's conservative GC.
#
# Ruby's GC finds object references held by C code by scanning the machine
# stack. On wasm32 most C locals are Wasm locals (or values on the Wasm
# operand stack), which no memory scan can see; only the part of the stack
# LLVM puts in linear memory (the shadow stack, __stack_pointer) is
# scannable. binaryen's --spill-pointers stores every i32 local that is live
# across a call into a slot of the function's shadow-stack frame just before
# the call, so the GC's scan from the current __stack_pointer to the thread's
# stack base sees them. --flatten first turns every value on the Wasm operand
# stack into a local, so that a value computed before a call and consumed
# after it (e.g. the address of `store(p->field, f())`) is spilled too.
# --flatten does not know the standard try_table/exnref encoding but handles
# LLVM's legacy try/catch, so it runs before the translation.
#
# Only modules whose output name matches WALI_SPILL_NAMES (default: ruby,
# miniruby) get the passes; configure's and mkmf's test programs don't.
# WALI_SPILL_OPT (default -O1) optimizes the flattened code afterwards.
set -euo pipefail
real=${WALI_REAL_WASM_OPT:?WALI_REAL_WASM_OPT must point at binaryen\'s wasm-opt}
out="" prev=""
for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
# Link tests (configure's and mkmf's conftest, which mkmf links against all
# of libruby-static.a) are never run when cross-compiling: skip them.
case "$(basename "$out")" in conftest|conftest.exe) exit 0 ;; esac
spill=0
for n in ${WALI_SPILL_NAMES:-ruby miniruby}; do [ "$(basename "$out")" = "$n" ] && spill=1; done
args=()
for a in "$@"; do
  if [ $spill = 1 ] && [ "$a" = --translate-to-exnref ]; then
    # shellcheck disable=SC2206
    args+=(--flatten --spill-pointers ${WALI_SPILL_OPT:--O1} "$a")
  else
    args+=("$a")
  fi
done
exec "$real" "${args[@]}"
