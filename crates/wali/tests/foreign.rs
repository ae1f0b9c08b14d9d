//! Modules shaped like the output of WALI's reference toolchain: they define
//! (not import) their shared memory, export no function table, start threads
//! through an exported trampoline that reads the stack pointer and TLS base
//! from `arg`, install plain `(i32) -> ()` signal handlers, and import
//! `setjmp`/`longjmp` from the host. They must run on our host unchanged.

use std::process::Command;

const FOREIGN: &str = r#"
(module
  (import "wali" "__wasm_thread_spawn" (func $spawn (param i32 i32) (result i32)))
  (import "wali" "SYS_futex" (func $futex (param i32 i32 i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_set_tid_address" (func $set_tid (param i32) (result i64)))
  (import "wali" "SYS_exit" (func $exit (param i32) (result i64)))
  (import "wali" "SYS_exit_group" (func $exit_group (param i32) (result i64)))
  (import "wali" "SYS_rt_sigaction" (func $sigaction (param i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_kill" (func $kill (param i32 i32) (result i64)))
  (import "wali" "SYS_getpid" (func $getpid (result i64)))
  (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
  (memory (export "memory") 2 16384 shared)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (global $__tls_base (mut i32) (i32.const 0))
  ;; no table export: WALI binaries never export table 0
  (table 4 funcref)
  (elem (i32.const 1) $thread_trampoline $on_signal)

  ;; WALI's trampoline: arg -> {stack @0, tls_base @4}, then the C routine.
  (func $thread_trampoline (param $tid i32) (param $arg i32)
    (global.set $__stack_pointer (i32.load (local.get $arg)))
    (global.set $__tls_base (i32.load offset=4 (local.get $arg)))
    (call $thread_main (local.get $arg)))
  (func $thread_main (param $arg i32)
    ;; the thread's stack pointer must be what the creator handed over
    (if (i32.ne (global.get $__stack_pointer) (i32.const 98304)) (then unreachable))
    (drop (call $set_tid (i32.add (local.get $arg) (i32.const 8))))
    (i32.atomic.store (i32.const 1024) (i32.const 7))
    (drop (call $exit (i32.const 0))))
  (func $on_signal (param $sig i32)
    (i32.store (i32.const 2048) (i32.add (i32.load (i32.const 2048)) (local.get $sig))))

  (func (export "_start")
    ;; setjmp from the host returns 0 (the direct return)
    (if (i32.ne (call $setjmp (i32.const 3072)) (i32.const 0)) (then unreachable))
    ;; thread: arg block at 512 = {stack 98304, tls 0, ctid}
    (i32.store (i32.const 512) (i32.const 98304))
    (i32.store (i32.const 516) (i32.const 0))
    (i32.atomic.store (i32.const 520) (i32.const 1))
    (if (i32.le_s (call $spawn (i32.const 1) (i32.const 512)) (i32.const 0)) (then unreachable))
    (block $joined (loop $wait
      (br_if $joined (i32.eqz (i32.atomic.load (i32.const 520))))
      (drop (call $futex (i32.const 520) (i32.const 128) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
      (br $wait)))
    ;; handler for SIGUSR1 (10): struct sigaction at 4096, handler index 2
    (i32.store (i32.const 4096) (i32.const 2))
    (drop (call $sigaction (i32.const 10) (i32.const 4096) (i32.const 0) (i32.const 8)))
    (drop (call $kill (i32.wrap_i64 (call $getpid)) (i32.const 10)))
    ;; exit status: 7 (thread) + 10 (handler ran with signo 10) = 17
    (drop (call $exit_group (i32.add (i32.load (i32.const 1024)) (i32.load (i32.const 2048)))))))
"#;

/// Runs `wat` as a module with `args` (options, the module's path written
/// as `{}`, guest arguments).
fn run(wat: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("foreign.wasm");
    std::fs::write(&module, wat::parse_str(wat).unwrap()).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wali"));
    cmd.arg("run");
    if !args.contains(&"{}") {
        cmd.arg(&module);
    }
    for a in args {
        if *a == "{}" {
            cmd.arg(&module);
        } else {
            cmd.arg(a);
        }
    }
    cmd.env("WALI_CACHE_DIR", dir.path().join("cache"))
        .env_remove("WALI_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_wali_reference_style_module_runs_threads_handlers_and_setjmp() {
    let out = run(FOREIGN, &[]);
    assert_eq!(
        out.status.code(),
        Some(17),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Prints argv[1..], one per line (argument access as WALI's crt does it).
const PRINT_ARGS: &str = r#"
(module
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
  (import "wali" "__cl_get_argc" (func $argc (result i32)))
  (import "wali" "__cl_get_argv_len" (func $len (param i32) (result i32)))
  (import "wali" "__cl_copy_argv" (func $copy (param i32 i32) (result i32)))
  (memory (export "memory") 1 16384 shared)
  (func (export "_start") (local $i i32) (local $n i32)
    (local.set $i (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $i) (call $argc)))
      (local.set $n (call $len (local.get $i)))
      (drop (call $copy (i32.const 16) (local.get $i)))
      (i32.store8 (i32.add (i32.const 16) (local.get $n)) (i32.const 10))
      (drop (call $write (i32.const 1) (i32.const 16) (i32.add (local.get $n) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))))
"#;

#[test]
fn every_argument_after_the_module_belongs_to_the_guest() {
    // `lua.wasm -h`, `bash.wasm --version`: options of wali's own included.
    let out = run(PRINT_ARGS, &["{}", "-h"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "-h\n");
    let out = run(PRINT_ARGS, &["--no-cache", "{}", "--trace", "--help", "x"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "--trace\n--help\nx\n");
    assert_eq!(stderr(&out), "", "no trace: --trace was the guest's");
}

/// Imports WALI's engine resolves lazily: `SYS_frobnicate` (unknown, never
/// called), `SYS_getpid` declared with another type (never called), the
/// ABI's variants (`SYS_exit` with no result, `SYS_preadv` with the offset
/// in two halves), and `SYS_unknown_call` (unknown, called: -ENOSYS).
const LAZY: &str = r#"
(module
  (import "wali" "SYS_frobnicate" (func $frob (param i32) (result i64)))
  (import "wali" "SYS_getpid" (func $bad_getpid (param i32) (result i32)))
  (import "wali" "SYS_unknown_call" (func $unknown (param i32 i32) (result i64)))
  (import "wali" "SYS_preadv" (func $preadv (param i32 i32 i32 i64 i64) (result i64)))
  (import "wali" "SYS_open" (func $open (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_exit" (func $exit (param i32)))
  (memory (export "memory") 1 16384 shared)
  (data (i32.const 100) "/dev/zero\00")
  (func (export "_start") (local $fd i32)
    (if (i64.ne (call $unknown (i32.const 1) (i32.const 2)) (i64.const -38)) (then (call $exit (i32.const 3))))
    ;; preadv(fd, iov {512, 8}, 1, pos_l, pos_h) reads 8 zero bytes
    (local.set $fd (i32.wrap_i64 (call $open (i32.const 100) (i32.const 0) (i32.const 0))))
    (i32.store (i32.const 64) (i32.const 512))
    (i32.store (i32.const 68) (i32.const 8))
    (i64.store (i32.const 512) (i64.const -1))
    (if (i64.ne (call $preadv (local.get $fd) (i32.const 64) (i32.const 1) (i64.const 0) (i64.const 0)) (i64.const 8))
      (then (call $exit (i32.const 4))))
    (if (i64.ne (i64.load (i32.const 512)) (i64.const 0)) (then (call $exit (i32.const 5))))
    (drop (call $write (i32.const 1) (i32.const 100) (i32.const 9)))
    (call $exit (i32.const 42))))
"#;

#[test]
fn unknown_and_mistyped_imports_load_lazily_and_variants_are_accepted() {
    let out = run(LAZY, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(42), "stderr: {err}");
    assert_eq!(stdout(&out), "/dev/zero");
    // one warning per unknown or mistyped import, naming it and the types
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(
        err.contains("`wali.SYS_frobnicate` (i32) -> (i64)"),
        "{err}"
    );
    assert!(err.contains("`wali.SYS_unknown_call`"), "{err}");
    assert!(
        err.contains("`wali.SYS_getpid` as (i32) -> (i32), but wali's is () -> (i64)"),
        "{err}"
    );
    assert!(
        !err.contains("SYS_exit") && !err.contains("SYS_preadv"),
        "{err}"
    );

    // --strict-imports: the refusal, one line, 126
    let out = run(LAZY, &["--strict-imports", "{}"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(126), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("wali.SYS_frobnicate"), "{err}");
}

/// A called import whose declared type has no i64 result: one clear line.
const CALLS_MISTYPED: &str = r#"
(module
  (import "wali" "SYS_getpid" (func $bad_getpid (param i32) (result i32)))
  (memory (export "memory") 1 16384 shared)
  (func (export "_start") (drop (call $bad_getpid (i32.const 0)))))
"#;

#[test]
fn calling_an_import_with_no_i64_result_ends_the_guest_with_one_line() {
    use std::os::unix::process::ExitStatusExt;
    let out = run(CALLS_MISTYPED, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.signal(), Some(libc::SIGILL), "stderr: {err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("wali: the guest called `wali.SYS_getpid` (i32) -> (i32)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "the warning, then the call: {err}");
}

/// WALI's lua and bash import setjmp/longjmp from the host (the reference
/// engine is an interpreter). wali makes the functions that call setjmp
/// resumable at load (see docs/compat.md). These modules have the shape of
/// that toolchain's output: `__stack_pointer` as global 0, C frames that
/// move it, calls to the imports.
const SJLJ_IMPORTS: &str = r#"
  (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
  (import "wali" "sigsetjmp" (func $sigsetjmp (param i32 i32) (result i32)))
  (import "wali" "longjmp" (func $longjmp (param i32 i32)))
  (import "wali" "SYS_exit_group" (func $exit_group (param i32) (result i64)))
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
"#;

const SJLJ_DEFS: &str = r#"
  (memory (export "memory") 2 16384 shared)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (func $exit (param i32) (drop (call $exit_group (local.get 0))) (unreachable))
  ;; a C function with a 32-byte frame
  (func $enter (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (i32.const 32))))
  (func $leave (global.set $__stack_pointer (i32.add (global.get $__stack_pointer) (i32.const 32))))
  ;; writes the byte `c` to stdout
  (func $putc (param $c i32)
    (i32.store8 (i32.const 16) (local.get $c))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1))))
"#;

/// A module with the imports and helpers above; `body`'s own imports (lines
/// that start with `(import`) go first, as the format wants.
fn sjlj_module(body: &str) -> String {
    let (imports, rest): (Vec<&str>, Vec<&str>) = body
        .lines()
        .partition(|l| l.trim_start().starts_with("(import"));
    format!(
        "(module {SJLJ_IMPORTS} {} {SJLJ_DEFS} {})",
        imports.join("\n"),
        rest.join("\n")
    )
}

/// Runs `body` as a module and returns (status code, stdout, stderr).
fn run_sjlj(body: &str) -> (Option<i32>, String, String) {
    use std::os::unix::process::ExitStatusExt;
    let out = run(&sjlj_module(body), &[]);
    let code = out
        .status
        .code()
        .or_else(|| out.status.signal().map(|s| 128 + s));
    (code, stdout(&out), stderr(&out))
}

#[test]
fn host_longjmp_from_ten_frames_deep_returns_to_setjmp_with_the_stack_pointer_back() {
    let (code, out, err) = run_sjlj(
        r#"
  (func $deep (param $n i32)
    (call $enter)
    (if (i32.eqz (local.get $n)) (then (call $longjmp (i32.const 256) (i32.const 42))))
    (call $deep (i32.sub (local.get $n) (i32.const 1)))
    (call $leave))
  (func (export "_start") (local $r i32)
    (call $enter)
    (local.set $r (call $setjmp (i32.const 256)))
    (call $putc (i32.add (i32.const 48) (i32.rem_u (local.get $r) (i32.const 10))))
    (if (local.get $r) (then
      ;; the stack pointer is the one setjmp saw, not the one 10 frames down
      (if (i32.ne (global.get $__stack_pointer) (i32.const 65504)) (then (call $exit (i32.const 99))))
      (call $exit (local.get $r))))
    (call $deep (i32.const 10))
    (call $exit (i32.const 98)))
"#,
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(42), "02", ""));
}

#[test]
fn host_setjmp_inside_a_loop_and_an_if_resumes_there_with_locals_kept() {
    // for (i = 0; i < 5; ) if (i < 5) { r = setjmp(b); acc += r; i++;
    //   if (r < 3) longjmp(b, r + 1); }   -> acc 12, i 8
    let (code, out, err) = run_sjlj(
        r#"
  (func $jump (param $v i32) (call $enter) (call $longjmp (i32.const 256) (local.get $v)))
  (func (export "_start") (local $i i32) (local $r i32) (local $acc i32)
    (call $enter)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 5)))
        (if (i32.lt_u (local.get $i) (i32.const 5))
          (then
            (local.set $r (call $setjmp (i32.const 256)))
            (call $putc (i32.add (i32.const 48) (local.get $r)))
            (local.set $acc (i32.add (local.get $acc) (local.get $r)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.lt_u (local.get $r) (i32.const 3))
              (then (call $jump (i32.add (local.get $r) (i32.const 1)))))))
        (br $next)))
    (call $exit (i32.add (i32.mul (local.get $acc) (i32.const 16)) (local.get $i))))
"#,
    );
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (Some(12 * 16 + 8), "01230123", "")
    );
}

#[test]
fn host_setjmp_in_both_arms_of_an_if_resumes_in_the_arm_it_was_called_from() {
    // The condition has changed by the time of the longjmp: resuming must
    // not evaluate it again.
    let (code, out, err) = run_sjlj(
        r#"
  (func (export "_start") (local $flag i32) (local $r i32) (local $n i32)
    (call $enter)
    (local.set $flag (i32.const 1))
    (loop $again
      (if (local.get $flag)
        (then
          (local.set $r (call $setjmp (i32.const 256)))
          (call $putc (i32.add (i32.const 65) (local.get $r))))
        (else
          (local.set $r (call $sigsetjmp (i32.const 512) (i32.const 0)))
          (call $putc (i32.add (i32.const 97) (local.get $r)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $flag (i32.eqz (local.get $flag)))
      ;; flag is 0 now: back into the then arm
      (if (i32.eq (local.get $n) (i32.const 1)) (then (call $longjmp (i32.const 256) (i32.const 1))))
      ;; flag is 1: take the else arm for real ...
      (if (i32.eq (local.get $n) (i32.const 2)) (then (local.set $flag (i32.const 0)) (br $again)))
      ;; ... flag is 1 again: back into the else arm
      (if (i32.eq (local.get $n) (i32.const 3)) (then (call $longjmp (i32.const 512) (i32.const 2)))))
    (call $exit (local.get $n)))
"#,
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(4), "ABac", ""));
}

#[test]
fn host_longjmp_with_value_0_makes_setjmp_return_1() {
    let (code, out, err) = run_sjlj(
        r#"
  (func (export "_start") (local $r i32)
    (call $enter)
    (local.set $r (call $setjmp (i32.const 256)))
    (if (local.get $r) (then (call $exit (i32.add (i32.const 10) (local.get $r)))))
    (call $longjmp (i32.const 256) (i32.const 0))
    (call $exit (i32.const 98)))
"#,
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(11), "", ""));
}

#[test]
fn host_setjmp_in_two_nested_functions_each_longjmp_reaches_its_own() {
    // outer: setjmp(b1); inner: setjmp(b2); leaf longjmps to b2, then to b1
    // (through inner's frame, which must pass it on).
    let (code, out, err) = run_sjlj(
        r#"
  (global $leaf_calls (mut i32) (i32.const 0))
  (func $leaf
    (call $enter)
    (global.set $leaf_calls (i32.add (global.get $leaf_calls) (i32.const 1)))
    (if (i32.eq (global.get $leaf_calls) (i32.const 1))
      (then (call $longjmp (i32.const 512) (i32.const 5))))
    (call $longjmp (i32.const 256) (i32.const 7)))
  (func $inner (local $r i32)
    (call $enter)
    (local.set $r (call $setjmp (i32.const 512)))
    (call $putc (i32.add (i32.const 48) (local.get $r)))
    (call $leaf)
    (call $exit (i32.const 97)))
  (func (export "_start") (local $r i32)
    (call $enter)
    (local.set $r (call $setjmp (i32.const 256)))
    (call $putc (i32.add (i32.const 48) (local.get $r)))
    (if (i32.eqz (local.get $r)) (then (call $inner)))
    (call $exit (local.get $r)))
"#,
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(7), "0057", ""));
}

#[test]
fn host_setjmp_keeps_operands_below_the_call_and_below_an_enclosing_block() {
    // x = 1000 + ({ 100 + setjmp(b) }) : both 1000 and 100 sit on the
    // operand stack while setjmp runs and must be there again on resume.
    let (code, out, err) = run_sjlj(
        r#"
  (func (export "_start") (local $x i32) (local $n i32)
    (call $enter)
    (local.set $x
      (i32.add (i32.const 1000)
        (block (result i32)
          (i32.add (i32.const 100) (call $setjmp (i32.const 256))))))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (if (i32.eq (local.get $n) (i32.const 1)) (then (call $longjmp (i32.const 256) (i32.const 5))))
    (call $exit (i32.sub (local.get $x) (i32.const 1000))))
"#,
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(105), "", ""));
}

#[test]
fn host_sigsetjmp_with_savesigs_restores_the_mask_and_without_keeps_it() {
    // rt_sigprocmask(SIG_BLOCK, {SIGUSR1}) after sigsetjmp; after the jump
    // SIGUSR1 is blocked again only for the buffer saved without the mask.
    let (code, out, err) = run_sjlj(
        r#"
  (import "wali" "SYS_rt_sigprocmask" (func $sigprocmask (param i32 i32 i32 i32) (result i64)))
  (func $block_usr1
    (i64.store (i32.const 1024) (i64.const 512)) ;; bit of signal 10
    (drop (call $sigprocmask (i32.const 0) (i32.const 1024) (i32.const 0) (i32.const 8))))
  (func $usr1_blocked (result i32)
    (drop (call $sigprocmask (i32.const 0) (i32.const 0) (i32.const 1040) (i32.const 8)))
    (i32.ne (i32.wrap_i64 (i64.and (i64.load (i32.const 1040)) (i64.const 512))) (i32.const 0)))
  (func (export "_start") (local $r i32)
    (call $enter)
    (local.set $r (call $sigsetjmp (i32.const 256) (i32.const 1)))
    (if (local.get $r) (then
      (call $putc (i32.add (i32.const 48) (call $usr1_blocked)))
      (local.set $r (call $sigsetjmp (i32.const 512) (i32.const 0)))
      (if (local.get $r) (then
        (call $putc (i32.add (i32.const 48) (call $usr1_blocked)))
        (call $exit (i32.const 0))))
      (call $block_usr1)
      (call $longjmp (i32.const 512) (i32.const 1))))
    (call $block_usr1)
    (call $putc (i32.add (i32.const 48) (call $usr1_blocked)))
    (call $longjmp (i32.const 256) (i32.const 1)))
"#,
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(0), "101", ""));
}

const SIGNAL_LONGJMP: &str = r#"
  (import "wali" "SYS_rt_sigaction" (func $sigaction (param i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_kill" (func $kill (param i32 i32) (result i64)))
  (import "wali" "SYS_getpid" (func $getpid (result i64)))
  (import "wali" "SYS_setitimer" (func $setitimer (param i32 i32 i32) (result i64)))
  (table 4 funcref)
  (elem (i32.const 1) $on_signal)
  (func $on_signal (param $sig i32)
    (call $enter)
    (call $longjmp (i32.const 256) (local.get $sig)))
  (func $spin (call $enter) (loop $spin (br $spin)))
  (func $install
    ;; k_sigaction {handler 1, flags 0, restorer 0, mask 0} for SIGUSR1, SIGALRM
    (i32.store (i32.const 4096) (i32.const 1))
    (drop (call $sigaction (i32.const 10) (i32.const 4096) (i32.const 0) (i32.const 8)))
    (drop (call $sigaction (i32.const 14) (i32.const 4096) (i32.const 0) (i32.const 8))))
  (func $alarm_in_20ms
    (i64.store (i32.const 2056) (i64.const 20000))
    (drop (call $setitimer (i32.const 0) (i32.const 2032) (i32.const 0))))
"#;

#[test]
fn host_siglongjmp_out_of_a_signal_handler_at_a_syscall_and_in_a_busy_loop() {
    // bash's pattern: the handler siglongjmps back to the main loop. Once
    // from a handler run on return from kill(), once from one run while a
    // function called from there spins (a timer's SIGALRM).
    let (code, out, err) = run_sjlj(&format!(
        r#"{SIGNAL_LONGJMP}
  (func (export "_start") (local $r i32)
    (call $enter)
    (call $install)
    (local.set $r (call $sigsetjmp (i32.const 256) (i32.const 1)))
    (call $putc (i32.add (i32.const 65) (local.get $r)))
    (if (i32.eqz (local.get $r)) (then
      (drop (call $kill (i32.wrap_i64 (call $getpid)) (i32.const 10)))
      (call $exit (i32.const 97))))
    (if (i32.eq (local.get $r) (i32.const 10)) (then
      (call $alarm_in_20ms)
      (call $spin)))
    (call $exit (local.get $r)))
"#
    ));
    // A (direct), K (10: from kill), O (14: from the busy loop)
    assert_eq!((code, out.as_str(), err.as_str()), (Some(14), "AKO", ""));
}

#[test]
fn host_siglongjmp_from_a_handler_into_a_busy_loop_of_the_setjmp_function_is_one_line() {
    // The one case wali cannot resume: the handler interrupted the function
    // that called setjmp itself, between two calls (see docs/compat.md).
    let (code, out, err) = run_sjlj(&format!(
        r#"{SIGNAL_LONGJMP}
  (func (export "_start") (local $r i32)
    (call $enter)
    (call $install)
    (local.set $r (call $sigsetjmp (i32.const 256) (i32.const 1)))
    (call $putc (i32.add (i32.const 65) (local.get $r)))
    (if (local.get $r) (then (call $exit (local.get $r))))
    (call $alarm_in_20ms)
    (loop $spin (br $spin)))
"#
    ));
    assert_eq!((code, out.as_str()), (Some(134), "A"));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("interrupted between two calls"), "{err}");
}

#[test]
fn host_longjmp_to_a_returned_function_or_an_unset_buffer_ends_with_one_line() {
    let (code, out, err) = run_sjlj(
        r#"
  (func $returns (drop (call $setjmp (i32.const 256))))
  (func (export "_start")
    (call $enter)
    (call $returns)
    (call $longjmp (i32.const 256) (i32.const 1))
    (call $exit (i32.const 98)))
"#,
    );
    assert_eq!((code, out.as_str()), (Some(134), ""));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("already returned"), "{err}");

    let (code, _, err) = run_sjlj(
        r#"
  (func (export "_start")
    (call $longjmp (i32.const 768) (i32.const 1))
    (call $exit (i32.const 98)))
"#,
    );
    assert_eq!(code, Some(134));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("wali: the guest called longjmp with a jmp_buf (at 0x300)"),
        "{err}"
    );
}

#[test]
fn host_setjmp_module_without_stack_pointer_and_the_old_shape_still_run() {
    // The earlier shape of this test: no globals at all, longjmp in the
    // same function.
    let out = run(
        r#"
(module
  (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
  (import "wali" "longjmp" (func $longjmp (param i32 i32)))
  (import "wali" "SYS_exit_group" (func $exit_group (param i32) (result i64)))
  (memory (export "memory") 1 16384 shared)
  (func (export "_start")
    (if (i32.ne (call $setjmp (i32.const 256)) (i32.const 0))
      (then (drop (call $exit_group (i32.const 7)))))
    (call $longjmp (i32.const 256) (i32.const 1))
    (drop (call $exit_group (i32.const 9)))))
"#,
        &[],
    );
    assert_eq!(out.status.code(), Some(7), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

/// WALI's musl passes the kernel's 24-byte k_sigaction (handler @0, flags
/// u64 @4, restorer @12, mask @16) and uses SIG_IGN = -2: table index 1 is
/// an ordinary function (here the handler). A canary follows `oldact`.
const SIGACTION_24: &str = r#"
(module
  (import "wali" "SYS_rt_sigaction" (func $sigaction (param i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_kill" (func $kill (param i32 i32) (result i64)))
  (import "wali" "SYS_getpid" (func $getpid (result i64)))
  (import "wali" "SYS_exit_group" (func $exit_group (param i32) (result i64)))
  (memory (export "memory") 2 16384 shared)
  (table 4 funcref)
  (elem (i32.const 1) $on_signal)
  (func $on_signal (param $sig i32)
    (i32.store (i32.const 2048) (i32.add (i32.load (i32.const 2048)) (local.get $sig))))
  ;; exits with `code` unless `ok`
  (func $check (param $ok i32) (param $code i32)
    (if (i32.eqz (local.get $ok)) (then (drop (call $exit_group (local.get $code))))))
  (func (export "_start")
    ;; act: handler 1, flags SA_RESTART (u64 @4), mask {SIGUSR2} @16
    (i32.store (i32.const 4096) (i32.const 1))
    (i64.store (i32.const 4100) (i64.const 0x10000000))
    (i32.store (i32.const 4108) (i32.const 0))
    (i64.store (i32.const 4112) (i64.const 0x800))
    (call $check (i64.eqz (call $sigaction (i32.const 10) (i32.const 4096) (i32.const 0) (i32.const 8))) (i32.const 101))
    ;; oldact: 24 bytes of 0xff, then a canary
    (memory.fill (i32.const 4200) (i32.const 0xff) (i32.const 24))
    (i64.store (i32.const 4224) (i64.const 0x1122334455667788))
    (call $check (i64.eqz (call $sigaction (i32.const 10) (i32.const 0) (i32.const 4200) (i32.const 8))) (i32.const 102))
    (call $check (i32.eq (i32.load (i32.const 4200)) (i32.const 1)) (i32.const 103))
    (call $check (i64.eq (i64.load (i32.const 4204)) (i64.const 0x10000000)) (i32.const 104))
    (call $check (i64.eq (i64.load (i32.const 4216)) (i64.const 0x800)) (i32.const 105))
    (call $check (i64.eq (i64.load (i32.const 4224)) (i64.const 0x1122334455667788)) (i32.const 106))
    ;; the handler at index 1 runs
    (drop (call $kill (i32.wrap_i64 (call $getpid)) (i32.const 10)))
    (call $check (i32.eq (i32.load (i32.const 2048)) (i32.const 10)) (i32.const 107))
    ;; SIG_IGN (-2) for SIGUSR2: nothing runs, nothing dies
    (memory.fill (i32.const 4300) (i32.const 0) (i32.const 24))
    (i32.store (i32.const 4300) (i32.const -2))
    (call $check (i64.eqz (call $sigaction (i32.const 12) (i32.const 4300) (i32.const 0) (i32.const 8))) (i32.const 108))
    (drop (call $kill (i32.wrap_i64 (call $getpid)) (i32.const 12)))
    (call $check (i32.eq (i32.load (i32.const 2048)) (i32.const 10)) (i32.const 109))
    ;; and the old action of SIGUSR2 reads back as SIG_IGN
    (call $check (i64.eqz (call $sigaction (i32.const 12) (i32.const 0) (i32.const 4200) (i32.const 8))) (i32.const 110))
    (call $check (i32.eq (i32.load (i32.const 4200)) (i32.const -2)) (i32.const 111))
    (drop (call $exit_group (i32.const 0)))))
"#;

#[test]
fn a_24_byte_k_sigaction_with_handler_index_1_and_sig_ign_minus_2() {
    let out = run(SIGACTION_24, &[]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

/// WALI's crt: `__get_init_envfile` returns non-zero when it wrote the path
/// of the environment file; the guest then reads the file.
const PRINT_ENVFILE: &str = r#"
(module
  (import "wali" "__get_init_envfile" (func $envfile (param i32 i32) (result i32)))
  (import "wali" "SYS_open" (func $open (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_read" (func $read (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
  (memory (export "memory") 1 16384 shared)
  (func (export "_start") (local $fd i32) (local $n i32)
    (if (i32.eqz (call $envfile (i32.const 1024) (i32.const 256))) (then (return)))
    (local.set $fd (i32.wrap_i64 (call $open (i32.const 1024) (i32.const 0) (i32.const 0))))
    (if (i32.lt_s (local.get $fd) (i32.const 0)) (then unreachable))
    (local.set $n (i32.wrap_i64 (call $read (local.get $fd) (i32.const 4096) (i32.const 4096))))
    (drop (call $write (i32.const 1) (i32.const 4096) (local.get $n)))))
"#;

#[test]
fn the_environment_file_is_found_when_get_init_envfile_says_so() {
    let out = run(PRINT_ENVFILE, &["--env", "FOO=bar", "{}"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "FOO=bar\n");
}
