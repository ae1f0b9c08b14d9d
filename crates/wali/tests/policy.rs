//! Policy files on the command line (`--policy`, `wali policy show`) and the
//! Landlock layer on its own: a process restricted with the ruleset the host
//! builds cannot reach what the policy does not grant even by raw syscalls,
//! i.e. without the host's own checks.

use std::ffi::CString;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::Command;
use wali_core::policy::Policy;
use wali_core::vfs::{MountSpec, Vfs};

fn wali() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wali"))
}

#[test]
fn policy_show_merges_files_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    std::fs::write(
        &a,
        "deny = [\"proc\"]\n[limits]\nthreads = 4\n[env]\nset = { A = \"1\" }\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "[limits]\nthreads = 8\n[[mount]]\nhost = \".\"\nguest = \"/p\"\n",
    )
    .unwrap();
    let out = wali()
        .args(["policy", "show", "--policy"])
        .arg(&a)
        .arg("--policy")
        .arg(&b)
        .args([
            "--env",
            "B=2",
            "--allow-net",
            "127.0.0.1:80",
            "--no-landlock",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let p = Policy::parse(&text, Path::new("/")).unwrap();
    assert_eq!(p.deny, ["proc"]);
    assert_eq!(p.limits.threads, Some(8));
    assert_eq!(p.landlock, Some(false));
    assert_eq!(p.net.allow, ["127.0.0.1:80"]);
    assert_eq!(p.env.set["A"].as_str(), Some("1"));
    assert_eq!(p.env.set["B"].as_str(), Some("2"));
    assert_eq!(p.mounts.len(), 1);
    assert_eq!(p.mounts[0].host, std::fs::canonicalize(dir.path()).unwrap());
    assert_eq!(p.dev.null, Some(true), "the built-in default is the base");
}

#[test]
fn policy_show_without_options_is_the_default_preset() {
    let out = wali().args(["policy", "show"]).output().unwrap();
    assert!(out.status.success());
    let p = Policy::parse(std::str::from_utf8(&out.stdout).unwrap(), Path::new("/")).unwrap();
    let mut expected = Policy::default();
    expected.merge(
        &Policy::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policies/default.toml"
        )))
        .unwrap(),
    );
    let mut got = Policy::default();
    got.merge(&p);
    assert_eq!(got, expected);
}

#[test]
fn bad_policy_files_are_one_line_125() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("unknown.toml", "nonsense = true\n"),
        ("class.toml", "deny = [\"files\"]\n"),
        ("syntax.toml", "deny = [\n"),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let out = wali()
            .args(["policy", "show", "--policy"])
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(125), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("wali: ") && err.contains(name), "{err}");
    }
    let out = wali()
        .args(["policy", "show", "--policy", "/nonexistent/p.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(125));
}

fn landlock_available() -> bool {
    // landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)
    // SAFETY: with the VERSION flag the kernel reads no attribute (NULL, 0)
    // and only returns the ABI version.
    let abi = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32,
        )
    };
    abi >= 6
}

fn open_errno(path: &Path, flags: i32) -> i32 {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    match wali_core::host::open(&c, flags | libc::O_CLOEXEC, 0o644) {
        Ok(_) => 0,
        Err(e) => e.0,
    }
}

/// In a forked child (Landlock restricts the calling thread and what it
/// starts), applies the host's ruleset and tries the escapes with raw
/// syscalls. Each check is one bit of the exit status.
#[test]
fn landlock_alone_confines_the_host_process() {
    if !landlock_available() {
        eprintln!("skipped: no Landlock ABI >= 6");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rw = dir.path().join("rw");
    let ro = dir.path().join("ro");
    let outside = dir.path().join("outside");
    for d in [&rw, &ro, &outside] {
        std::fs::create_dir(d).unwrap();
        std::fs::write(d.join("f"), "x").unwrap();
    }
    let mounts = vec![
        MountSpec {
            host: rw.clone(),
            guest: "/rw".into(),
            read_only: false,
            root: None,
        },
        MountSpec {
            host: ro.clone(),
            guest: "/ro".into(),
            read_only: true,
            root: None,
        },
    ];
    let vfs = Vfs::new(&mounts).unwrap();
    let opts = wali_core::RunOptions {
        mounts,
        no_cache: true,
        ..Default::default()
    };
    // SAFETY: the child uses only data it copied, then execs or `_exit`s
    // without returning into the test harness. A lock another test thread
    // held at the fork could only hang the child (and fail the test by
    // timeout), not corrupt memory.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // The exit status is the number of the first failed check.
        let mut bad = 0i32;
        let mut check = |n: i32, ok: bool| {
            if !ok && bad == 0 {
                bad = n;
            }
        };
        check(
            20,
            wali_core::policy::landlock::restrict(&opts, &vfs, None, &Default::default()),
        );
        // granted
        check(1, open_errno(&rw.join("f"), libc::O_RDWR) == 0);
        check(
            2,
            open_errno(&rw.join("new"), libc::O_WRONLY | libc::O_CREAT) == 0,
        );
        check(3, open_errno(&ro.join("f"), libc::O_RDONLY) == 0);
        // refused by the kernel
        check(4, open_errno(&ro.join("f"), libc::O_WRONLY) == libc::EACCES);
        check(
            5,
            open_errno(&outside.join("f"), libc::O_RDONLY) == libc::EACCES,
        );
        check(
            6,
            open_errno(Path::new("/etc/shadow"), libc::O_RDONLY) == libc::EACCES,
        );
        check(
            7,
            open_errno(Path::new("/proc/1/root/etc/hostname"), libc::O_RDONLY) != 0,
        );
        check(8, wali_core::host::kill(1, 0).is_err());
        let link_from =
            CString::new(outside.join("f").into_os_string().into_encoded_bytes()).unwrap();
        let link_to = CString::new(rw.join("l").into_os_string().into_encoded_bytes()).unwrap();
        check(
            9,
            // SAFETY: both paths are NUL-terminated and outlive the call.
            unsafe { libc::link(link_from.as_ptr(), link_to.as_ptr()) } != 0,
        );
        let s = wali_core::host::socket(libc::AF_INET, libc::SOCK_STREAM, 0).unwrap();
        let addr = libc::sockaddr_in {
            sin_family: libc::sa_family_t::try_from(libc::AF_INET).unwrap(),
            sin_port: 47399u16.to_be(),
            sin_addr: libc::in_addr {
                s_addr: u32::from_be_bytes([127, 0, 0, 1]).to_be(),
            },
            sin_zero: [0; 8],
        };
        // SAFETY: `addr` is a live sockaddr_in of the size passed.
        let r = unsafe {
            libc::bind(
                s.as_raw_fd(),
                &addr as *const libc::sockaddr_in as *const libc::sockaddr,
                libc::socklen_t::try_from(std::mem::size_of::<libc::sockaddr_in>()).unwrap(),
            )
        };
        check(10, r != 0);
        // A native program: not granted execute (exit 99 if it ran).
        let sh = CString::new("/bin/sh").unwrap();
        let (c, code) = (
            CString::new("-c").unwrap(),
            CString::new("exit 99").unwrap(),
        );
        let argv = [sh.as_ptr(), c.as_ptr(), code.as_ptr(), std::ptr::null()];
        // SAFETY: `argv` ends in NULL and points at NUL-terminated strings
        // that outlive the call.
        unsafe { libc::execv(sh.as_ptr(), argv.as_ptr()) };
        wali_core::host::exit_immediately(bad);
    }
    let mut status = 0;
    // SAFETY: `status` is a live, writable int.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(libc::WIFEXITED(status), "status {status:#x}");
    assert_eq!(libc::WEXITSTATUS(status), 0, "first failed check");
}
