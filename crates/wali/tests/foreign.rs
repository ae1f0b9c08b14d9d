//! Modules shaped like the output of WALI's reference toolchain: they define
//! (not import) their shared memory, export no function table, start threads
//! through an exported trampoline that reads the stack pointer and TLS base
//! from `arg`, install plain `(i32) -> ()` signal handlers, and import
//! `setjmp` from the host. They must run on our host unchanged.

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
/// engine is an interpreter). A compiling engine cannot resume the setjmp
/// frame: a warning at load names the imports, and the first longjmp ends
/// the guest with one clear line (see docs/compat.md).
const HOST_SJLJ: &str = r#"
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
"#;

#[test]
fn host_setjmp_longjmp_warn_at_load_and_fail_with_one_line_at_longjmp() {
    let out = run(HOST_SJLJ, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(134), "stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].contains("imports `wali.setjmp`"), "{err}");
    assert!(lines[1].contains("imports `wali.longjmp`"), "{err}");
    assert!(
        lines[2].starts_with("wali: the guest called longjmp"),
        "{err}"
    );
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
