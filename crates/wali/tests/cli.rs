//! The command line's bad inputs (one `wali: ` line, the documented status,
//! never a panic) and the compiled-module cache.

mod common;
use common::*;

/// Asserts exactly one line on stderr, starting `wali: `, and `code`.
fn expect_error(out: &std::process::Output, code: i32) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(err.starts_with("wali: "), "{err}");
    assert!(err.ends_with('\n'), "{err:?}");
    assert_eq!(err.lines().count(), 1, "one line only: {err}");
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!err.contains(bad), "{err}");
    }
    assert!(out.stdout.is_empty());
    err
}

fn raw(sb: &Sandbox, wat_text: &str) -> Guest {
    sb.write_module(&wat::parse_str(wat_text).unwrap(), wat_text)
}

#[test]
fn missing_module_is_127() {
    let sb = Sandbox::new();
    let out = sb.wali().arg(sb.path("nope.wasm")).output().unwrap();
    let err = expect_error(&out, 127);
    assert!(err.contains("nope.wasm"), "{err}");
}

#[test]
fn a_directory_as_module_is_126() {
    let sb = Sandbox::new();
    let out = sb.wali().arg(sb.mnt()).output().unwrap();
    expect_error(&out, 126);
}

#[test]
fn not_wasm_is_126() {
    let sb = Sandbox::new();
    for bytes in [
        &b"#!/bin/sh\necho hi\n"[..],
        b"",
        b"(module (func (export \"_start\")))",
    ] {
        let g = sb.write_module(bytes, "");
        let out = sb.wali().arg(&g.path).output().unwrap();
        let err = expect_error(&out, 126);
        assert!(err.contains("not a WebAssembly module"), "{err}");
    }
}

#[test]
fn invalid_wasm_is_126() {
    let sb = Sandbox::new();
    for bytes in [
        &b"\0asm\x01\0\0\0\xff\xff\xff"[..],
        b"\0asm\x02\0\0\0",
        b"\0asm",
    ] {
        let g = sb.write_module(bytes, "");
        let out = sb.wali().arg(&g.path).output().unwrap();
        let err = expect_error(&out, 126);
        assert!(err.contains("not a valid WebAssembly module"), "{err}");
    }
    // Valid binary, but fails validation (a type error).
    let g = sb.write_module(
        &wat::parse_str("(module (func (export \"_start\") (drop (i32.const 1))))").unwrap(),
        "",
    );
    let mut bytes = std::fs::read(&g.path).unwrap();
    // `i32.const 1; drop` becomes `i32.const 1; i32.add`: a stack underflow.
    let pos = bytes
        .windows(3)
        .position(|w| w == [0x41, 0x01, 0x1a])
        .unwrap();
    bytes[pos + 2] = 0x6a;
    std::fs::write(&g.path, &bytes).unwrap();
    let out = sb.wali().arg(&g.path).output().unwrap();
    expect_error(&out, 126);
}

#[test]
fn no_start_is_126() {
    let sb = Sandbox::new();
    let g = raw(
        &sb,
        r#"(module (memory (export "memory") 1) (func (export "main")))"#,
    );
    let out = sb.wali().arg(&g.path).output().unwrap();
    let err = expect_error(&out, 126);
    assert!(err.contains("_start"), "{err}");
}

#[test]
fn unknown_import_is_126_and_named_under_strict_imports() {
    let sb = Sandbox::new();
    let g = raw(
        &sb,
        r#"(module
             (import "wali" "SYS_frobnicate" (func (param i32) (result i64)))
             (memory (export "memory") 1)
             (func (export "_start")))"#,
    );
    let out = sb
        .wali()
        .arg("--strict-imports")
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 126);
    assert!(err.contains("wali.SYS_frobnicate"), "{err}");
    // The policy key does the same.
    let policy = sb.path("strict.toml");
    std::fs::write(&policy, "strict_imports = true\n").unwrap();
    let out = sb
        .wali()
        .arg("--policy")
        .arg(&policy)
        .arg(&g.path)
        .output()
        .unwrap();
    expect_error(&out, 126);
    // Without it, the module loads (WALI's lazy resolution) with one warning.
    let out = sb.wali().arg(&g.path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("wali.SYS_frobnicate"));

    let g = raw(
        &sb,
        r#"(module
             (import "env" "printf" (func (param i32) (result i32)))
             (func (export "_start")))"#,
    );
    let out = sb
        .wali()
        .arg("--strict-imports")
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 126);
    assert!(err.contains("env.printf"), "{err}");
}

#[test]
fn wrongly_typed_import_is_126_under_strict_imports() {
    let sb = Sandbox::new();
    let g = raw(
        &sb,
        r#"(module
             (import "wali" "SYS_getpid" (func (param i32) (result i32)))
             (memory (export "memory") 1)
             (func (export "_start")))"#,
    );
    let out = sb
        .wali()
        .arg("--strict-imports")
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 126);
    assert!(err.contains("wali.SYS_getpid"), "{err}");
    assert!(err.contains("() -> (i64)"), "{err}");

    // An aux import with the wrong type; a global with a syscall's name
    // (nothing can stand in for it: refused even without --strict-imports).
    for (import, strict) in [
        (r#"(import "wali" "__proc_exit" (func (param i64)))"#, true),
        (r#"(import "wali" "SYS_read" (global i32))"#, false),
    ] {
        let g = raw(
            &sb,
            &format!(r#"(module {import} (memory (export "memory") 1) (func (export "_start")))"#),
        );
        let mut cmd = sb.wali();
        if strict {
            cmd.arg("--strict-imports");
        }
        let out = cmd.arg(&g.path).output().unwrap();
        expect_error(&out, 126);
    }
}

#[test]
fn wasi_module_is_126_with_a_hint() {
    let sb = Sandbox::new();
    let g = raw(
        &sb,
        r#"(module
             (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
             (memory (export "memory") 1)
             (func (export "_start")))"#,
    );
    let out = sb.wali().arg(&g.path).output().unwrap();
    let err = expect_error(&out, 126);
    assert!(err.contains("wasi_snapshot_preview1.fd_write"), "{err}");
    assert!(err.contains("WASI"), "{err}");
}

#[test]
fn missing_mount_is_125() {
    let sb = Sandbox::new();
    let g = sb.guest("(func $main)");
    for opt in ["--dir", "--ro-dir"] {
        let out = sb
            .wali()
            .arg(opt)
            .arg(format!("{}::/x", sb.path("absent").display()))
            .arg(&g.path)
            .output()
            .unwrap();
        let err = expect_error(&out, 125);
        assert!(err.contains("absent"), "{err}");
    }
    // A relative guest mount point.
    let out = sb
        .wali()
        .arg("--dir")
        .arg(format!("{}::relative", sb.mnt().display()))
        .arg(&g.path)
        .output()
        .unwrap();
    expect_error(&out, 125);
}

#[test]
fn the_compiled_module_cache_is_used() {
    let sb = Sandbox::new();
    let g = sb.guest(r#"(func $main (call $puts (str "cached")))"#);
    let cwasm = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(sb.cache())
            .map(|d| {
                d.map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "cwasm"))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(cwasm().is_empty());
    let out = sb.run(&g);
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "cached");
    let entries = cwasm();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let modified = std::fs::metadata(&entries[0]).unwrap().modified().unwrap();

    // The second run loads the entry and does not rewrite it.
    let out = sb.run(&g);
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "cached");
    assert_eq!(cwasm(), entries);
    assert_eq!(
        std::fs::metadata(&entries[0]).unwrap().modified().unwrap(),
        modified
    );

    // --no-cache neither reads nor writes it.
    std::fs::write(&entries[0], b"garbage").unwrap();
    let out = sb.run_with(&g, &["--no-cache"], &[]);
    expect_exit(&g, &out, 0);
    assert_eq!(read(&entries[0]), b"garbage");

    // A corrupt entry is recompiled, not fatal.
    let out = sb.run(&g);
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "cached");

    // Another module gets its own entry.
    let g2 = sb.guest(r#"(func $main (call $puts (str "other")))"#);
    let out = sb.run(&g2);
    expect_exit(&g2, &out, 0);
    assert_eq!(cwasm().len(), 2);
}

#[test]
fn an_unwritable_cache_is_not_fatal() {
    let sb = Sandbox::new();
    let g = sb.guest(r#"(func $main (call $puts (str "ok")))"#);
    let file = sb.path("not-a-dir");
    std::fs::write(&file, b"").unwrap();
    let out = sb
        .wali()
        .env("WALI_CACHE_DIR", file.join("sub"))
        .arg(&g.path)
        .output()
        .unwrap();
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "ok");
    assert_eq!(stderr(&out), "");
}

/// Runs `cmd`, killing it after `secs` (a hang is a failure, not a stuck test).
fn output_within(cmd: &mut std::process::Command, secs: u64) -> std::process::Output {
    use std::io::Read;
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("wali still running after {secs}s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    std::process::Output {
        status,
        stdout,
        stderr,
    }
}

#[test]
fn a_fifo_as_module_does_not_block() {
    let sb = Sandbox::new();
    let fifo = sb.path("module.wasm");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = output_within(sb.wali().arg(&fifo), 20);
    let err = expect_error(&out, 126);
    assert!(err.contains("module.wasm"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    // Also when the manifest reader would look first (no --no-interp).
    let out = output_within(sb.wali().arg("--no-cache").arg(&fifo).arg("x.py"), 20);
    expect_error(&out, 126);
}

#[test]
fn two_mounts_at_one_guest_path_are_an_error() {
    let sb = Sandbox::new();
    let g = sb.guest("(func $main)");
    let (a, b) = (sb.mnt(), sb.cache());
    for (first, second) in [
        ("--dir", "--ro-dir"),
        ("--ro-dir", "--dir"),
        ("--dir", "--dir"),
    ] {
        let out = sb
            .wali()
            .arg(first)
            .arg(format!("{}::/x", a.display()))
            .arg(second)
            .arg(format!("{}::/x/", b.display()))
            .arg(&g.path)
            .output()
            .unwrap();
        let err = expect_error(&out, 125);
        for part in [
            a.display().to_string(),
            b.display().to_string(),
            "/x".into(),
        ] {
            assert!(err.contains(&part), "{first} {second}: {err}");
        }
    }
    // The same for `wali policy show`.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wali"))
        .args(["policy", "show", "--dir"])
        .arg(format!("{}::/x", a.display()))
        .arg("--ro-dir")
        .arg(format!("{}::/x", b.display()))
        .output()
        .unwrap();
    expect_error(&out, 125);
}

fn strict_preset() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/strict.toml")
}

#[test]
fn allow_net_under_a_policy_that_denies_the_network_is_refused() {
    let sb = Sandbox::new();
    let g = sb.guest("(func $main)");
    let out = sb
        .wali()
        .arg("--policy")
        .arg(strict_preset())
        .args(["--allow-net", "127.0.0.1:80"])
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 125);
    assert!(err.contains("--allow-net 127.0.0.1:80"), "{err}");
    assert!(err.contains("deny"), "{err}");
    assert!(err.contains("strict.toml"), "{err}");
    // Without the flag the preset runs.
    let out = sb
        .wali()
        .arg("--policy")
        .arg(strict_preset())
        .arg(&g.path)
        .output()
        .unwrap();
    expect_exit(&g, &out, 0);
}

#[test]
fn a_policy_syntax_error_is_one_line_with_its_position() {
    let sb = Sandbox::new();
    let g = sb.guest("(func $main)");
    let file = sb.path("bad.toml");
    std::fs::write(&file, "deny = []\n[limits]\nthreads = \"many\n").unwrap();
    let out = sb
        .wali()
        .arg("--policy")
        .arg(&file)
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 125);
    assert!(err.contains(&format!("{}:3:", file.display())), "{err}");
    std::fs::write(&file, "[limits]\nthreads = \"many\"\n").unwrap();
    let out = sb
        .wali()
        .arg("--policy")
        .arg(&file)
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 125);
    assert!(err.contains(&format!("{}:2:11:", file.display())), "{err}");
}

#[test]
fn an_unwritable_syscall_stats_file_is_named_at_start() {
    let sb = Sandbox::new();
    let g = sb.guest(r#"(func $main (call $puts (str "ran")))"#);
    let bad = sb.path("absent-dir/stats");
    let out = sb
        .wali()
        .arg("--syscall-stats")
        .arg(&bad)
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 125);
    assert!(err.contains(&bad.display().to_string()), "{err}");
    assert!(err.contains("--syscall-stats"), "{err}");
}

fn cwasm_entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "cwasm"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Issue 14, finding 2: a cache entry someone else wrote (a guest that could
/// reach the cache, an older wali) is never deserialized: its tag does not
/// verify, so the module is recompiled, with a warning.
#[test]
fn a_forged_cache_entry_never_runs() {
    let sb = Sandbox::new();
    let planted = sb.guest(r#"(func $main (call $puts (str "planted")))"#);
    let genuine = sb.guest(r#"(func $main (call $puts (str "genuine")))"#);
    let out = sb.run(&planted);
    assert_eq!(stdout(&out), "planted");
    let first = cwasm_entries(&sb.cache());
    let out = sb.run(&genuine);
    assert_eq!(stdout(&out), "genuine");
    let all = cwasm_entries(&sb.cache());
    let target = all.iter().find(|p| !first.contains(p)).unwrap().clone();
    // Another module's genuine compiled code, under this module's name.
    std::fs::copy(&first[0], &target).unwrap();
    let out = sb.run(&genuine);
    expect_exit(&genuine, &out, 0);
    assert_eq!(stdout(&out), "genuine");
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("recompil"), "{err}");
    // The entry was replaced by a genuine one: no warning next time.
    let out = sb.run(&genuine);
    assert_eq!(stdout(&out), "genuine");
    assert_eq!(stderr(&out), "");
    // A raw serialization without a tag (what wali wrote before entries
    // were authenticated) is not loaded either.
    let entry = read(&first[0]);
    let raw = entry
        .windows(4)
        .position(|w| w == b"\x7fELF")
        .map_or(entry.clone(), |i| entry[i..].to_vec());
    std::fs::write(&target, raw).unwrap();
    let out = sb.run(&genuine);
    assert_eq!(stdout(&out), "genuine");
    assert!(stderr(&out).contains("recompil"), "{}", stderr(&out));
}

/// The cache and its key stay out of every guest's view: a run whose mounts
/// would expose them is refused (with --no-cache too: a guest that could
/// write them could make a later run execute its code).
#[test]
fn a_mount_exposing_the_cache_is_refused() {
    let sb = Sandbox::new();
    let g = sb.guest(r#"(func $main (call $puts (str "ran")))"#);
    let home = sb.path("home");
    let cache = home.join(".cache/wali/modules");
    std::fs::create_dir_all(&cache).unwrap();
    let run = |args: &[std::ffi::OsString]| {
        sb.wali()
            .env("WALI_CACHE_DIR", &cache)
            .args(args)
            .arg(&g.path)
            .output()
            .unwrap()
    };
    let mount = |flag: &str, host: &std::path::Path, guest: &str| -> Vec<std::ffi::OsString> {
        vec![flag.into(), format!("{}::{guest}", host.display()).into()]
    };
    // Other spellings of the same directories: a symlink to home, a path
    // through `..`, and a file mount of the key.
    let link = sb.path("link-to-home");
    std::os::unix::fs::symlink(&home, &link).unwrap();
    let dotdot = home.join(".cache/..");
    let _ = run(&[]); // creates the key
    for args in [
        mount("--dir", &home, "/home"),
        mount("--ro-dir", &home, "/home"),
        mount("--ro-dir", &cache, "/c"),
        [mount("--dir", &home, "/home"), vec!["--no-cache".into()]].concat(),
        mount("--dir", &link, "/home"),
        mount("--dir", &dotdot, "/home"),
        mount("--ro-dir", &cache.join("key"), "/k"),
    ] {
        let out = run(&args);
        let err = expect_error(&out, 125);
        assert!(
            err.contains(&cache.display().to_string()),
            "{args:?}: {err}"
        );
    }
    // A relative WALI_CACHE_DIR that does not exist yet is found too.
    let fresh = sb.path("work");
    std::fs::create_dir_all(&fresh).unwrap();
    let out = sb
        .wali()
        .current_dir(&fresh)
        .env("WALI_CACHE_DIR", "sub/cache")
        .arg("--dir")
        .arg(format!("{}::/w", fresh.display()))
        .arg(&g.path)
        .output()
        .unwrap();
    let err = expect_error(&out, 125);
    assert!(err.contains("sub/cache"), "{err}");
    // A mount beside the cache is fine, and the key is private.
    let out = run(&mount("--dir", &sb.mnt(), "/m"));
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "ran");
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache), 0o700);
    assert_eq!(mode(&cache.join("key")), 0o600);
}

/// A bind mount shows the cache's directory under a path that no path
/// comparison relates to it; the check compares inodes of the descriptors the
/// guest would reach. Needs a private mount namespace, so it runs as root
/// (CI does); elsewhere it says so and checks nothing.
#[test]
fn a_bind_mount_of_the_cache_is_refused() {
    if wali_core::host::euid() != 0 {
        eprintln!("not root: bind mounts cannot be made, nothing checked");
        return;
    }
    let sb = Sandbox::new();
    let g = sb.guest(r#"(func $main (call $puts (str "ran")))"#);
    let home = sb.path("home");
    let cache = home.join(".cache/wali/modules");
    std::fs::create_dir_all(&cache).unwrap();
    let other = sb.path("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    let script = format!(
        "mount --bind '{}' '{}' && exec \"$0\" run --dir '{}::/home' '{}'",
        home.display(),
        other.display(),
        other.display(),
        g.path.display()
    );
    let out = std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .arg(env!("CARGO_BIN_EXE_wali"))
        .env("WALI_CACHE_DIR", &cache)
        .env_remove("WALI_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = expect_error(&out, 125);
    assert!(err.contains("module cache"), "{err}");
}
