//! Process exit, the command line and the initial environment.

mod common;
use common::*;

#[test]
fn exit_group_status_passes_through() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (drop (call $SYS_exit_group (i32.const 42)))
    unreachable)
"#,
    );
    let out = sb.run(&g);
    expect_exit(&g, &out, 42);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn exit_status_is_masked_to_8_bits() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (drop (call $SYS_exit_group (i32.const 0x203)))
    unreachable)
"#,
    );
    expect_exit(&g, &sb.run(&g), 3);
}

#[test]
fn sys_exit_ends_a_single_threaded_process() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (drop (call $SYS_exit (i32.const 7)))
    unreachable)
"#,
    );
    expect_exit(&g, &sb.run(&g), 7);
}

#[test]
fn proc_exit_ends_the_process() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (call $__proc_exit (i32.const 5))
    ;; never reached: would exit 1
    (drop (call $SYS_exit_group (i32.const 1))))
"#,
    );
    expect_exit(&g, &sb.run(&g), 5);
}

#[test]
fn returning_from_start_exits_zero() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main (call $print (str "bye") (i32.const 3)))
"#,
    );
    let out = sb.run(&g);
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "bye");
}

#[test]
fn init_and_deinit_answer_zero() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main
    (call $eq @ (i64.extend_i32_s (call $__init)) (i64.const 0))
    (call $eq @ (i64.extend_i32_s (call $__deinit)) (i64.const 0)))
"#,
    );
}

/// Every syscall the table marks unsupported answers ENOSYS (called with
/// zero arguments of the right types).
#[test]
fn unsupported_syscalls_are_enosys() {
    let mut body = String::from("  (func $main\n");
    let unsupported: Vec<_> = syscall_table::SYSCALLS
        .iter()
        .filter(|s| s.status == syscall_table::Status::Unsupported)
        .collect();
    assert!(!unsupported.is_empty());
    for s in unsupported {
        let args: String = s
            .params
            .iter()
            .map(|(_, t)| match t {
                syscall_table::WasmType::I32 => " (i32.const 0)",
                syscall_table::WasmType::I64 => " (i64.const 0)",
            })
            .collect();
        body.push_str(&format!(
            "    (call $eq @ (call $SYS_{}{args}) (errno ENOSYS))\n",
            s.name
        ));
    }
    body.push_str("  )\n");
    Sandbox::new().check(&body);
}

/// Prints every argument on its own line, through the three argv imports.
const PRINT_ARGV: &str = r#"
  (func $main
    (local $i i32) (local $n i32) (local $len i32)
    (local.set $n (call $__cl_get_argc))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $len (call $__cl_get_argv_len (local.get $i)))
        ;; the copy has a NUL after the argument: fill with 0xff first
        (memory.fill (i32.const 0x8000) (i32.const 0xff) (i32.const 256))
        (call $eq @ (i64.extend_i32_s (call $__cl_copy_argv (i32.const 0x8000) (local.get $i)))
                    (i64.const 0))
        (call $eq @ (i64.load8_u (i32.add (i32.const 0x8000) (local.get $len))) (i64.const 0))
        (call $eq @ (i64.extend_i32_s (call $strlen (i32.const 0x8000)))
                    (i64.extend_i32_s (local.get $len)))
        (call $print (i32.const 0x8000) (local.get $len))
        (call $print (str "\n") (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; out of range
    (call $eq @ (i64.extend_i32_s (call $__cl_get_argv_len (local.get $n))) (i64.const -1))
    (call $eq @ (i64.extend_i32_s (call $__cl_get_argv_len (i32.const -1))) (i64.const -1))
    (call $eq @ (i64.extend_i32_s (call $__cl_copy_argv (i32.const 0x8000) (local.get $n)))
                (i64.const -22))
    ;; a destination past the end of memory
    (call $eq @ (i64.extend_i32_s (call $__cl_copy_argv (i32.const 0x3fffe) (i32.const 0)))
                (i64.const -14)))
"#;

#[test]
fn argv_reaches_the_guest_verbatim() {
    let sb = Sandbox::new();
    let g = sb.guest(PRINT_ARGV);
    let out = sb.run_with(&g, &[], &["hello", "two words", "", "--dir", "-x", "wörld"]);
    expect_exit(&g, &out, 0);
    let want = format!(
        "{}\nhello\ntwo words\n\n--dir\n-x\nwörld\n",
        g.path.display()
    );
    assert_eq!(stdout(&out), want);
}

/// Opens the environment file named by `__get_init_envfile` and copies it
/// to stdout.
const PRINT_ENV: &str = r#"
  (func $main
    (local $fd i32) (local $n i64)
    ;; too small a buffer: no path written (0)
    (call $eq @ (i64.extend_i32_s (call $__get_init_envfile (i32.const 0x8000) (i32.const 4)))
                (i64.const 0))
    ;; non-zero: a path was written (the WALI ABI)
    (call $true @ (i32.ne (call $__get_init_envfile (i32.const 0x8000) (i32.const 256)) (i32.const 0)))
    (local.set $fd (call $okfd @ (call $SYS_open (i32.const 0x8000) (k O_RDONLY) (i32.const 0))))
    (block $eof
      (loop $more
        (local.set $n (call $okv @ (call $SYS_read (local.get $fd) (i32.const 0x9000) (i32.const 7))))
        (br_if $eof (i64.eqz (local.get $n)))
        (call $print (i32.const 0x9000) (i32.wrap_i64 (local.get $n)))
        (br $more)))
    ;; the file is read-only to the guest
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0x9000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_open (i32.const 0x8000) (k O_WRONLY) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_close (local.get $fd)) (i64.const 0)))
"#;

#[test]
fn environment_file_holds_only_env_options() {
    let sb = Sandbox::new();
    let g = sb.guest(PRINT_ENV);
    let mut cmd = sb.wali();
    cmd.env("WALI_TEST_SECRET", "must-not-leak")
        .env("WALI_TEST_PASSED", "from-host")
        .args(["--env", "A=1", "--env", "B=two words", "--env", "EMPTY="])
        .args(["--env", "WALI_TEST_PASSED", "--env", "C=x=y"])
        .arg(&g.path);
    let out = cmd.output().unwrap();
    expect_exit(&g, &out, 0);
    assert_eq!(
        stdout(&out),
        "A=1\nB=two words\nEMPTY=\nWALI_TEST_PASSED=from-host\nC=x=y\n"
    );
}

#[test]
fn environment_file_is_empty_without_env_options() {
    let sb = Sandbox::new();
    let g = sb.guest(PRINT_ENV);
    let mut cmd = sb.wali();
    cmd.env("WALI_TEST_SECRET", "must-not-leak").arg(&g.path);
    let out = cmd.output().unwrap();
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn syscall_stats_counts_calls() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (drop (call $SYS_getpid))
    (drop (call $SYS_getpid))
    (drop (call $SYS_getpid))
    (call $print (str "x") (i32.const 1)))
"#,
    );
    let stats = sb.path("stats.txt");
    let out = sb.run_with(&g, &["--syscall-stats", stats.to_str().unwrap()], &[]);
    expect_exit(&g, &out, 0);
    let text = String::from_utf8(read(&stats)).unwrap();
    assert!(text.lines().any(|l| l == "getpid\t3"), "{text}");
    assert!(text.lines().any(|l| l == "write\t1"), "{text}");
}
