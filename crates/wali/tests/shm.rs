//! The guest's /dev/shm (policy key `dev.shm`): a private per-run directory
//! that exists while the run does and is removed when it ends; none by
//! default for a module without an interpreter manifest.

mod common;
use common::*;

const PROBE: &str = r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/dev/shm/probe") (k O_CREAT|O_EXCL|O_WRONLY) (i32.const 0o600))))
    (call $eq @ (call $SYS_write (local.get $fd) (str "x") (i32.const 1)) (i64.const 1)))
"#;

/// The host directories named after `pid` that a private /dev/shm could be.
fn private_dirs(pid: u32) -> Vec<std::path::PathBuf> {
    let prefix = format!("wali-shm-{pid}-");
    let mut found = Vec::new();
    let bases = [
        Some(std::path::PathBuf::from("/dev/shm")),
        std::env::var_os("XDG_RUNTIME_DIR").map(Into::into),
        Some(std::env::temp_dir()),
    ];
    for base in bases.into_iter().flatten() {
        for e in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                found.push(e.path());
            }
        }
    }
    found
}

#[test]
fn private_dev_shm_is_there_during_the_run_and_removed_after() {
    let sb = Sandbox::new();
    let policy = sb.path("shm.toml");
    std::fs::write(&policy, "[dev]\nshm = \"private\"\n").unwrap();
    let g = sb.guest(PROBE);
    let mut cmd = sb.wali();
    cmd.arg("--policy").arg(&policy).arg(&g.path);
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    expect_exit(&g, &out, 0);
    // The remover works asynchronously after the run's last process ended.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !private_dirs(pid).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(private_dirs(pid), Vec::<std::path::PathBuf>::new());
}

#[test]
fn no_dev_shm_by_default_for_a_plain_module_and_bad_values_refused() {
    let sb = Sandbox::new();
    let g = sb.guest(PROBE);
    let out = sb.run(&g);
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = sb.path("bad.toml");
    std::fs::write(&bad, "[dev]\nshm = \"shm\"\n").unwrap();
    let out = sb.run_with(&g, &["--policy", bad.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("dev.shm"), "{}", stderr(&out));
}
