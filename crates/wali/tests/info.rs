//! Process information, identity, limits, randomness and scheduling.

mod common;
use common::*;

#[test]
fn ids_match_the_host_process() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $out (param $v i64) (call $print_i64 (local.get $v)) (call $print (str " ") (i32.const 1)))
  (func $main
    (call $out (call $SYS_getpid))
    (call $out (call $SYS_getppid))
    (call $out (call $SYS_gettid))
    (call $out (call $SYS_getuid))
    (call $out (call $SYS_geteuid))
    (call $out (call $SYS_getgid))
    (call $out (call $SYS_getegid))
    (call $eq @ (call $SYS_gettid) (call $SYS_getpid))
    (call $eq @ (call $SYS_getresuid (i32.const 0x7000) (i32.const 0x7004) (i32.const 0x7008)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x7000)) (call $SYS_getuid))
    (call $eq @ (i64.load32_u (i32.const 0x7004)) (call $SYS_geteuid))
    (call $eq @ (call $SYS_getresgid (i32.const 0x7000) (i32.const 0x7004) (i32.const 0x7008)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x7008)) (call $SYS_getgid))
    (call $eq @ (call $SYS_getresuid (i32.const 0x7000) (i32.const 0x3fffe) (i32.const 0x7008)) (errno EFAULT))
    ;; identity changes: only to what already holds
    (call $eq @ (call $SYS_setuid (i32.wrap_i64 (call $SYS_getuid))) (i64.const 0))
    (call $eq @ (call $SYS_setuid (i32.add (i32.wrap_i64 (call $SYS_getuid)) (i32.const 1000))) (errno EPERM))
    (call $eq @ (call $SYS_setgid (i32.add (i32.wrap_i64 (call $SYS_getgid)) (i32.const 1000))) (errno EPERM))
    (call $eq @ (call $SYS_setresuid (i32.const -1) (i32.const -1) (i32.const -1)) (i64.const 0))
    (call $eq @ (call $SYS_setreuid (i32.const -1) (i32.add (i32.wrap_i64 (call $SYS_getuid)) (i32.const 1000))) (errno EPERM))
    (call $eq @ (call $SYS_setgroups (i32.const 0) (i32.const 0)) (errno EPERM)))
"#,
    );
    let child = sb
        .wali()
        .arg("--dir")
        .arg(format!("{}::/m", sb.mnt().display()))
        .arg(&g.path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    expect_exit(&g, &out, 0);
    let ids: Vec<i64> = stdout(&out)
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    let me = std::process::id() as i64;
    use wali_core::host;
    let (uid, euid, gid, egid) = (
        i64::from(host::uid()),
        i64::from(host::euid()),
        i64::from(host::gid()),
        i64::from(host::egid()),
    );
    assert_eq!(ids, [pid as i64, me, pid as i64, uid, euid, gid, egid]);
}

#[test]
fn getgroups_counts_then_fills() {
    let sb = Sandbox::new();
    // SAFETY: a size of 0 with a null list only asks for the count.
    let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    let body = r#"
  (func $main
    (call $eq @ (call $SYS_getgroups (i32.const 0) (i32.const 0)) (i64.const NGROUPS))
    (call $eq @ (call $SYS_getgroups (i32.const 64) (i32.const 0x7000)) (i64.const NGROUPS))
    (call $eq @ (call $SYS_getgroups (i32.const -1) (i32.const 0x7000)) (errno EINVAL))
    (if (i32.gt_s (i32.const NGROUPS) (i32.const 0)) (then
      (call $eq @ (call $SYS_getgroups (i32.sub (i32.const NGROUPS) (i32.const 1)) (i32.const 0x7000)) (errno EINVAL))
      (call $eq @ (call $SYS_getgroups (i32.const 64) (i32.const 0x3fffc)) (errno EFAULT)))))
"#
    .replace("NGROUPS", &n.to_string());
    sb.check(&body);
}

#[test]
fn uname_sysinfo_getrandom() {
    let sb = Sandbox::new();
    let mut u = wali_core::host::zeroed::<libc::utsname>();
    // SAFETY: `u` is a live, writable utsname.
    assert_eq!(unsafe { libc::uname(&mut u) }, 0);
    // SAFETY: uname NUL-terminates each field, and `u` outlives the borrow.
    let release = unsafe { std::ffi::CStr::from_ptr(u.release.as_ptr()) }
        .to_str()
        .unwrap()
        .to_string();
    let out = sb.check(
        r#"
  (func $main (local $i i32) (local $nonzero i32)
    (call $eq @ (call $SYS_uname (i32.const 0x7000)) (i64.const 0))
    (call $true @ (call $memeq (i32.const 0x7000) (str "Linux") (i32.const 6)))
    ;; release: the third 65-byte field
    (call $puts (i32.const 0x7082))
    (call $eq @ (call $SYS_uname (i32.const 0x3ff00)) (errno EFAULT))
    (call $eq @ (call $SYS_uname (i32.const 0)) (errno EFAULT))
    ;; sysinfo: uptime @0, totalram @32, mem_unit @104
    (call $eq @ (call $SYS_sysinfo (i32.const 0x7200)) (i64.const 0))
    (call $true @ (i64.gt_s (i64.load (i32.const 0x7200)) (i64.const 0)))
    (call $true @ (i64.gt_u (i64.load (i32.const 0x7220)) (i64.const 0)))
    (call $true @ (i32.ge_u (i32.load (i32.const 0x7268)) (i32.const 1)))
    (call $eq @ (call $SYS_sysinfo (i32.const 0x3ffc0)) (errno EFAULT))
    ;; getrandom
    (call $eq @ (call $SYS_getrandom (i32.const 0x7400) (i32.const 64) (i32.const 0)) (i64.const 64))
    (loop $each
      (local.set $nonzero (i32.or (local.get $nonzero) (i32.load8_u (i32.add (i32.const 0x7400) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 64))))
    (call $true @ (local.get $nonzero))
    (call $eq @ (call $SYS_getrandom (i32.const 0x7400) (i32.const 16) (k GRND_NONBLOCK)) (i64.const 16))
    (call $eq @ (call $SYS_getrandom (i32.const 0x7400) (i32.const 0) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_getrandom (i32.const 0x7400) (i32.const 16) (i32.const 0x40)) (errno EINVAL))
    (call $eq @ (call $SYS_getrandom (i32.const 0x3fff0) (i32.const 0x20) (i32.const 0)) (errno EFAULT)))
"#,
    );
    assert_eq!(stdout(&out), release);
}

#[test]
fn rlimits_and_rusage() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main
    ;; the descriptor limit is the host's guest table's
    (call $eq @ (call $SYS_getrlimit (k RLIMIT_NOFILE) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const 1024))
    ;; linear memory bounds the address space
    (call $eq @ (call $SYS_getrlimit (k RLIMIT_AS) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const 0x100000000))
    (call $eq @ (call $SYS_getrlimit (k RLIMIT_STACK) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const 0x800000))
    (call $eq @ (call $SYS_getrlimit (i32.const 99) (i32.const 0x7000)) (errno EINVAL))
    (call $eq @ (call $SYS_getrlimit (k RLIMIT_NOFILE) (i32.const 0x3fff8)) (errno EFAULT))
    ;; lowering RLIMIT_NOFILE to 5: descriptors 0-4 only
    (i64.store (i32.const 0x7000) (i64.const 5))
    (i64.store (i32.const 0x7008) (i64.const 4096))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_NOFILE) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_dup (i32.const 1)) (i64.const 3))
    (call $eq @ (call $SYS_dup (i32.const 1)) (i64.const 4))
    (call $eq @ (call $SYS_dup (i32.const 1)) (errno EMFILE))
    (call $eq @ (call $SYS_open (str "/m") (k O_RDONLY) (i32.const 0)) (errno EMFILE))
    (call $eq @ (call $SYS_dup2 (i32.const 1) (i32.const 5)) (errno EBADF))
    (call $eq @ (call $SYS_fcntl (i32.const 1) (k F_DUPFD) (i64.const 5)) (errno EINVAL))
    ;; cur above max, raising max
    (i64.store (i32.const 0x7000) (i64.const 100))
    (i64.store (i32.const 0x7008) (i64.const 50))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_NOFILE) (i32.const 0x7000)) (errno EINVAL))
    (i64.store (i32.const 0x7000) (i64.const 100))
    (i64.store (i32.const 0x7008) (i64.const 100000))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_NOFILE) (i32.const 0x7000)) (errno EPERM))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_NOFILE) (i32.const 0)) (errno EFAULT))
    ;; prlimit64: old value out, new value in, own process only
    (i64.store (i32.const 0x7000) (i64.const 64))
    (i64.store (i32.const 0x7008) (i64.const 64))
    (call $eq @ (call $SYS_prlimit64 (i32.const 0) (k RLIMIT_NOFILE) (i32.const 0x7000) (i32.const 0x7010)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7010)) (i64.const 5))
    (call $eq @ (i64.load (i32.const 0x7018)) (i64.const 4096))
    (call $eq @ (call $SYS_prlimit64 (i32.wrap_i64 (call $SYS_getpid)) (k RLIMIT_NOFILE) (i32.const 0) (i32.const 0x7010)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7010)) (i64.const 64))
    (call $eq @ (i64.load (i32.const 0x7018)) (i64.const 64))
    (call $eq @ (call $SYS_prlimit64 (i32.const 1) (k RLIMIT_NOFILE) (i32.const 0) (i32.const 0x7010)) (errno EPERM))
    (call $eq @ (call $SYS_dup (i32.const 1)) (i64.const 5))
    ;; getrusage
    (call $eq @ (call $SYS_getrusage (k RUSAGE_SELF) (i32.const 0x7100)) (i64.const 0))
    (call $true @ (i64.gt_s (i64.load (i32.const 0x7120)) (i64.const 0)))
    (call $eq @ (call $SYS_getrusage (k RUSAGE_CHILDREN) (i32.const 0x7100)) (i64.const 0))
    (call $eq @ (call $SYS_getrusage (i32.const 5) (i32.const 0x7100)) (errno EINVAL))
    (call $eq @ (call $SYS_getrusage (k RUSAGE_SELF) (i32.const 0x3ffc0)) (errno EFAULT)))
"#,
    );
}

#[test]
fn sched_and_prctl() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $n i32) (local $i i32) (local $bits i32)
    (call $eq @ (call $SYS_sched_yield) (i64.const 0))
    ;; the kernel answers the size of its cpumask, and at least one CPU is set
    (local.set $n (call $okfd @ (call $SYS_sched_getaffinity (i32.const 0) (i32.const 128) (i32.const 0x7000))))
    (call $true @ (i32.gt_s (local.get $n) (i32.const 0)))
    (loop $each
      (local.set $bits (i32.add (local.get $bits) (i32.popcnt (i32.load8_u (i32.add (i32.const 0x7000) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (local.get $n))))
    (call $true @ (i32.ge_s (local.get $bits) (i32.const 1)))
    (call $ok @ (call $SYS_sched_getaffinity (i32.wrap_i64 (call $SYS_getpid)) (i32.const 128) (i32.const 0x7000)))
    (call $eq @ (call $SYS_sched_getaffinity (i32.const 0) (i32.const 128) (i32.const 0x3ffc0)) (errno EFAULT))
    (call $eq @ (call $SYS_sched_getaffinity (i32.const 1) (i32.const 128) (i32.const 0x7000)) (errno ESRCH))
    ;; thread names: 15 bytes kept
    (call $eq @ (call $SYS_prctl (k PR_SET_NAME) (i64.extend_i32_u (str "wali-guest-name-too-long")) (i64.const 0) (i64.const 0) (i64.const 0)) (i64.const 0))
    (memory.fill (i32.const 0x7100) (i32.const 0xff) (i32.const 16))
    (call $eq @ (call $SYS_prctl (k PR_GET_NAME) (i64.const 0x7100) (i64.const 0) (i64.const 0) (i64.const 0)) (i64.const 0))
    (call $true @ (call $memeq (i32.const 0x7100) (str "wali-guest-name") (i32.const 16)))
    (call $eq @ (call $SYS_prctl (k PR_SET_NAME) (i64.extend_i32_u (str "short")) (i64.const 0) (i64.const 0) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_prctl (k PR_GET_NAME) (i64.const 0x7100) (i64.const 0) (i64.const 0) (i64.const 0)) (i64.const 0))
    (call $true @ (call $memeq (i32.const 0x7100) (str "short") (i32.const 6)))
    (call $eq @ (call $SYS_prctl (k PR_GET_NAME) (i64.const 0x3fff8) (i64.const 0) (i64.const 0) (i64.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_prctl (i32.const 9999) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)) (errno EINVAL)))
"#,
    );
}

/// A guest's RLIMIT_FSIZE is its own: wali's messages to a stderr that is a
/// file still get written (wali applied it to itself and panicked, exit 101).
#[test]
fn guest_rlimits_never_reach_the_host() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (i64.store (i32.const 0x7000) (i64.const 1))
    (i64.store (i32.const 0x7008) (i64.const 1))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_FSIZE) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_CPU) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_getrlimit (k RLIMIT_FSIZE) (i32.const 0x7010)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7010)) (i64.const 1))
    unreachable)
"#,
    );
    let err_path = sb.path("stderr.txt");
    let err = std::fs::File::create(&err_path).unwrap();
    let out = sb
        .wali()
        .arg(&g.path)
        .stderr(err)
        .output()
        .expect("spawn wali");
    let text = String::from_utf8_lossy(&read(&err_path)).into_owned();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), Some(libc::SIGILL), "{text}");
    assert!(text.starts_with("wali: guest trapped"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

/// Whatever limits the guest sets, the host process's own stay the ones it
/// started with (seen from outside in /proc/PID/limits).
#[test]
fn the_host_keeps_its_own_rlimits() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (i64.store (i32.const 0x7000) (i64.const 1))
    (i64.store (i32.const 0x7008) (i64.const 2))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_FSIZE) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_CPU) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_setrlimit (k RLIMIT_CORE) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_prlimit64 (i32.const 0) (k RLIMIT_STACK) (i32.const 0x7000) (i32.const 0)) (i64.const 0))
    (call $puts (str "ready\n"))
    (i64.store (i32.const 0x7100) (i64.const 5))
    (i64.store (i32.const 0x7108) (i64.const 0))
    (drop (call $SYS_nanosleep (i32.const 0x7100) (i32.const 0))))
"#,
    );
    let mut child = sb
        .wali()
        .arg(&g.path)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn wali");
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let host = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(line, "ready\n");
    let mine = std::fs::read_to_string("/proc/self/limits").unwrap();
    for what in [
        "Max cpu time",
        "Max file size",
        "Max core file size",
        "Max stack size",
    ] {
        let pick = |t: &str| t.lines().find(|l| l.starts_with(what)).unwrap().to_string();
        assert_eq!(pick(&host), pick(&mine), "{what}");
    }
}
