//! Signals sent to the guest itself: handlers (table indices), default
//! actions (the host dies by the same signal), masks and pending sets.
//!
//! struct k_sigaction (the ABI's 24 bytes): handler @0, flags u64 @4,
//! restorer @12, mask @16. Handlers live at table index 2 and up (0 is
//! SIG_DFL; SIG_IGN is -2).

mod common;
use common::*;
use std::os::unix::process::ExitStatusExt;

const HANDLERS: &str = r#"
  (table (export "__indirect_function_table") 8 funcref)
  (elem (i32.const 2) $handler $info_handler)
  (global $last (mut i32) (i32.const 0))
  (global $count (mut i32) (i32.const 0))
  (global $mask_inside (mut i64) (i64.const 0))
  (func $handler (param $sig i32)
    (global.set $last (local.get $sig))
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    ;; the mask while the handler runs
    (drop (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0) (i32.const 0x6f00) (i32.const 8)))
    (global.set $mask_inside (i64.load (i32.const 0x6f00))))
  (global $info_signo (mut i32) (i32.const 0))
  (global $info_code (mut i32) (i32.const -1))
  (global $info_pid (mut i32) (i32.const 0))
  (func $info_handler (param $sig i32) (param $info i32) (param $ctx i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (global.set $info_signo (i32.load (local.get $info)))
    (global.set $info_code (i32.load (i32.add (local.get $info) (i32.const 8))))
    (global.set $info_pid (i32.load (i32.add (local.get $info) (i32.const 16)))))
  ;; sigaction(sig, handler, flags), checked
  (func $act (param $line i32) (param $sig i32) (param $handler i32) (param $flags i32)
    (memory.fill (i32.const 0x6000) (i32.const 0) (i32.const 24))
    (i32.store (i32.const 0x6000) (local.get $handler))
    (i32.store (i32.const 0x6004) (local.get $flags))
    (call $eq (local.get $line)
      (call $SYS_rt_sigaction (local.get $sig) (i32.const 0x6000) (i32.const 0) (i32.const 8))
      (i64.const 0)))
  (func $raise (param $line i32) (param $sig i32)
    (call $eq (local.get $line)
      (call $SYS_kill (i32.wrap_i64 (call $SYS_getpid)) (local.get $sig)) (i64.const 0)))
  (func $count (result i64) (i64.extend_i32_u (global.get $count)))
"#;

fn with_handlers(body: &str) -> String {
    format!("{HANDLERS}{body}")
}

#[test]
fn handler_runs_on_kill_tkill_tgkill() {
    let sb = Sandbox::new();
    sb.check(&with_handlers(
        r#"
  (func $main
    (call $act @ (k SIGUSR1) (i32.const 2) (i32.const 0))
    (call $raise @ (k SIGUSR1))
    (call $eq @ (call $count) (i64.const 1))
    (call $eq @ (i64.extend_i32_u (global.get $last)) (k64 SIGUSR1))
    ;; the signal is blocked while its handler runs
    (call $eq @ (i64.and (global.get $mask_inside) (i64.const 0x200)) (i64.const 0x200))
    ;; and unblocked again after
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0) (i32.const 0x6f00) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6f00)) (i64.const 0))
    ;; the old action comes back
    (memory.fill (i32.const 0x6100) (i32.const 0xff) (i32.const 24))
    (call $eq @ (call $SYS_rt_sigaction (k SIGUSR1) (i32.const 0) (i32.const 0x6100) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x6100)) (i64.const 2))
    (call $eq @ (i64.load (i32.const 0x6104)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6110)) (i64.const 0))
    ;; to the thread
    (call $eq @ (call $SYS_tkill (i32.wrap_i64 (call $SYS_gettid)) (k SIGUSR1)) (i64.const 0))
    (call $eq @ (call $count) (i64.const 2))
    (call $eq @ (call $SYS_tgkill (i32.wrap_i64 (call $SYS_getpid)) (i32.wrap_i64 (call $SYS_gettid)) (k SIGUSR1)) (i64.const 0))
    (call $eq @ (call $count) (i64.const 3))
    ;; signal 0 only probes
    (call $raise @ (i32.const 0))
    (call $eq @ (call $count) (i64.const 3))
    ;; SA_NODEFER: not blocked inside
    (call $act @ (k SIGUSR2) (i32.const 2) (k SA_NODEFER))
    (call $raise @ (k SIGUSR2))
    (call $eq @ (call $count) (i64.const 4))
    (call $eq @ (i64.and (global.get $mask_inside) (i64.const 0x800)) (i64.const 0))
    ;; SA_RESETHAND: once, then back to SIG_DFL
    (call $act @ (k SIGUSR2) (i32.const 2) (k SA_RESETHAND))
    (call $raise @ (k SIGUSR2))
    (call $eq @ (call $count) (i64.const 5))
    (call $eq @ (call $SYS_rt_sigaction (k SIGUSR2) (i32.const 0) (i32.const 0x6100) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x6100)) (k64 SIG_DFL)))
"#,
    ));
}

#[test]
fn siginfo_handler_gets_signo_code_and_pid() {
    let sb = Sandbox::new();
    sb.check(&with_handlers(
        r#"
  (func $main
    (call $act @ (k SIGUSR2) (i32.const 3) (k SA_SIGINFO))
    (call $raise @ (k SIGUSR2))
    (call $eq @ (call $count) (i64.const 1))
    (call $eq @ (i64.extend_i32_u (global.get $info_signo)) (k64 SIGUSR2))
    (call $eq @ (i64.extend_i32_s (global.get $info_code)) (i64.const 0))
    (call $eq @ (i64.extend_i32_s (global.get $info_pid)) (call $SYS_getpid)))
"#,
    ));
}

#[test]
fn ignored_and_default_ignored_signals_do_nothing() {
    let sb = Sandbox::new();
    let out = sb.check(&with_handlers(
        r#"
  (func $main
    (call $act @ (k SIGUSR1) (k SIG_IGN) (i32.const 0))
    (call $raise @ (k SIGUSR1))
    (call $act @ (k SIGTERM) (k SIG_IGN) (i32.const 0))
    (call $raise @ (k SIGTERM))
    ;; SIG_DFL of SIGCHLD and SIGWINCH is to ignore
    (call $raise @ (k SIGCHLD))
    (call $raise @ (k SIGWINCH))
    (call $eq @ (call $count) (i64.const 0))
    (call $puts (str "alive")))
"#,
    ));
    assert_eq!(stdout(&out), "alive");
}

#[test]
fn sigaction_and_kill_errors() {
    let sb = Sandbox::new();
    sb.check(&with_handlers(
        r#"
  (func $main
    (i32.store (i32.const 0x6000) (i32.const 2))
    (call $eq @ (call $SYS_rt_sigaction (k SIGKILL) (i32.const 0x6000) (i32.const 0) (i32.const 8)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigaction (k SIGSTOP) (i32.const 0x6000) (i32.const 0) (i32.const 8)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigaction (i32.const 0) (i32.const 0x6000) (i32.const 0) (i32.const 8)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigaction (i32.const 65) (i32.const 0x6000) (i32.const 0) (i32.const 8)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigaction (k SIGUSR1) (i32.const 0x6000) (i32.const 0) (i32.const 4)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigaction (k SIGUSR1) (i32.const 0x3fff0) (i32.const 0) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigaction (k SIGUSR1) (i32.const 0) (i32.const 0x3fff0) (i32.const 8)) (errno EFAULT))
    ;; querying SIGKILL is fine
    (call $eq @ (call $SYS_rt_sigaction (k SIGKILL) (i32.const 0) (i32.const 0x6100) (i32.const 8)) (i64.const 0))
    (call $eq @ (call $SYS_kill (i32.wrap_i64 (call $SYS_getpid)) (i32.const 65)) (errno EINVAL))
    (call $eq @ (call $SYS_kill (i32.wrap_i64 (call $SYS_getpid)) (i32.const -1)) (errno EINVAL))
    (call $eq @ (call $count) (i64.const 0))
    ;; the guest's own processes only (documented): pid 0 is the guest
    ;; itself here, -1 finds no child, a host process is EPERM
    (call $act @ (k SIGUSR1) (i32.const 2) (i32.const 0))
    (call $eq @ (call $SYS_kill (i32.const 0) (k SIGUSR1)) (i64.const 0))
    (call $eq @ (call $count) (i64.const 1))
    (call $eq @ (call $SYS_kill (i32.const -1) (k SIGUSR1)) (errno ESRCH))
    (call $eq @ (call $SYS_kill (i32.const 1) (k SIGUSR1)) (errno EPERM))
    (call $eq @ (call $SYS_kill (i32.const 1) (i32.const 0)) (errno EPERM))
    (call $eq @ (call $SYS_tkill (i32.const 0) (k SIGUSR1)) (errno EINVAL))
    (call $eq @ (call $SYS_tkill (i32.const 1) (k SIGUSR1)) (errno ESRCH))
    (call $eq @ (call $SYS_tgkill (i32.const 0) (i32.const 1) (k SIGUSR1)) (errno EINVAL))
    (call $eq @ (call $count) (i64.const 1)))
"#,
    ));
}

fn expect_signal(g: &Guest, out: &std::process::Output, sig: i32) {
    assert_eq!(
        out.status.signal(),
        Some(sig),
        "guest {} ended with {:?}, stderr:\n{}",
        g.path.display(),
        out.status,
        stderr(out)
    );
}

#[test]
fn default_action_kills_the_host_by_the_same_signal() {
    let sb = Sandbox::new();
    for (sig, name) in [(libc::SIGUSR1, "SIGUSR1"), (libc::SIGTERM, "SIGTERM")] {
        let g = sb.guest(&with_handlers(
            &r#"
  (func $main
    (call $puts (str "before"))
    (call $raise @ (k SIGNAL))
    (call $puts (str "after")))
"#
            .replace("SIGNAL", name),
        ));
        let out = sb.run(&g);
        expect_signal(&g, &out, sig);
        assert_eq!(stdout(&out), "before");
        assert_eq!(stderr(&out), "", "no host message for a guest's death");
    }
}

#[test]
fn sa_resethand_second_signal_kills() {
    let sb = Sandbox::new();
    let g = sb.guest(&with_handlers(
        r#"
  (func $main
    (call $act @ (k SIGUSR2) (i32.const 2) (k SA_RESETHAND))
    (call $raise @ (k SIGUSR2))
    (call $eq @ (call $count) (i64.const 1))
    (call $puts (str "once"))
    (call $raise @ (k SIGUSR2))
    (call $puts (str "twice")))
"#,
    ));
    let out = sb.run(&g);
    expect_signal(&g, &out, libc::SIGUSR2);
    assert_eq!(stdout(&out), "once");
}

#[test]
fn sigprocmask_blocks_and_sigpending_reports() {
    let sb = Sandbox::new();
    sb.check(&with_handlers(
        r#"
  (func $main
    (call $act @ (k SIGUSR1) (i32.const 2) (i32.const 0))
    ;; block SIGUSR1 (bit 9)
    (i64.store (i32.const 0x6200) (i64.const 0x200))
    (i64.store (i32.const 0x6210) (i64.const -1))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0x6200) (i32.const 0x6210) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6210)) (i64.const 0))
    (call $raise @ (k SIGUSR1))
    (call $eq @ (call $count) (i64.const 0))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0x6300) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6300)) (i64.const 0x200))
    ;; a blocked signal is pending once, however often it is sent
    (call $raise @ (k SIGUSR1))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0) (i32.const 0x6210) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6210)) (i64.const 0x200))
    ;; unblocking delivers it on the way out of the call
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_UNBLOCK) (i32.const 0x6200) (i32.const 0) (i32.const 8)) (i64.const 0))
    (call $eq @ (call $count) (i64.const 1))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0x6300) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6300)) (i64.const 0))
    ;; SIG_SETMASK; SIGKILL and SIGSTOP cannot be blocked
    (i64.store (i32.const 0x6200) (i64.const -1))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_SETMASK) (i32.const 0x6200) (i32.const 0) (i32.const 8)) (i64.const 0))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_SETMASK) (i32.const 0) (i32.const 0x6210) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6210)) (i64.const 0xfffffffffffbfeff))
    ;; a pending signal that becomes ignored is discarded
    (call $raise @ (k SIGUSR2))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0x6300) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6300)) (i64.const 0x800))
    (call $act @ (k SIGUSR2) (k SIG_IGN) (i32.const 0))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0x6300) (i32.const 8)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x6300)) (i64.const 0))
    (i64.store (i32.const 0x6200) (i64.const 0))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_SETMASK) (i32.const 0x6200) (i32.const 0) (i32.const 8)) (i64.const 0))
    ;; errors
    (call $eq @ (call $SYS_rt_sigprocmask (i32.const 99) (i32.const 0x6200) (i32.const 0) (i32.const 8)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0x6200) (i32.const 0) (i32.const 16)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0x3fffc) (i32.const 0) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0) (i32.const 0x3fffc) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0x6300) (i32.const 9)) (errno EINVAL))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0x3fffc) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $count) (i64.const 1)))
"#,
    ));
}

#[test]
fn unblocking_a_pending_fatal_signal_kills() {
    let sb = Sandbox::new();
    let g = sb.guest(&with_handlers(
        r#"
  (func $main
    (i64.store (i32.const 0x6200) (i64.const 0x200))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0x6200) (i32.const 0) (i32.const 8)) (i64.const 0))
    (call $raise @ (k SIGUSR1))
    (call $puts (str "blocked"))
    (drop (call $SYS_rt_sigprocmask (k SIG_UNBLOCK) (i32.const 0x6200) (i32.const 0) (i32.const 8)))
    (call $puts (str "unblocked")))
"#,
    ));
    let out = sb.run(&g);
    expect_signal(&g, &out, libc::SIGUSR1);
    assert_eq!(stdout(&out), "blocked");
}

#[test]
fn a_blocked_fatal_signal_never_delivered_is_harmless() {
    let sb = Sandbox::new();
    let g = sb.guest(&with_handlers(
        r#"
  (func $main
    (i64.store (i32.const 0x6200) (i64.const 0x4000))
    (call $eq @ (call $SYS_rt_sigprocmask (k SIG_BLOCK) (i32.const 0x6200) (i32.const 0) (i32.const 8)) (i64.const 0))
    (call $raise @ (k SIGTERM))
    (drop (call $SYS_exit_group (i32.const 3))))
"#,
    ));
    expect_exit(&g, &sb.run(&g), 3);
}

#[test]
fn traps_kill_with_the_native_signal() {
    let sb = Sandbox::new();
    for (op, sig) in [
        ("unreachable", libc::SIGILL),
        (
            "(drop (i32.div_s (i32.const 1) (i32.const 0)))",
            libc::SIGFPE,
        ),
        ("(drop (i32.load (i32.const 0x7ffffff0)))", libc::SIGSEGV),
    ] {
        let g = sb.guest(&format!("(func $main {op})"));
        let out = sb.run(&g);
        expect_signal(&g, &out, sig);
        let err = stderr(&out);
        assert!(err.starts_with("wali: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_garbage_handler_index_kills_by_sigsegv_and_says_why() {
    let sb = Sandbox::new();
    for (index, why) in [
        (100, "outside the function table"),
        (5, "not a function"),
        (4, "of the wrong type"),
    ] {
        let g = sb.guest(&with_handlers(&format!(
            r#"
  (elem (i32.const 4) $wrong)
  (func $wrong (param i64))
  (func $main
    (call $act @ (k SIGUSR1) (i32.const {index}) (i32.const 0))
    (call $raise @ (k SIGUSR1))
    (drop (call $SYS_exit_group (i32.const 3))))
"#
        )));
        let out = sb.run(&g);
        expect_signal(&g, &out, libc::SIGSEGV);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("handler for SIGUSR1 is table index {index}"))
                && err.contains(why)
                && err.contains("table size 8"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
