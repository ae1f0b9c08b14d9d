//! Issue 14, finding 1: a module's `wali.interp` manifest may mount only
//! directories inside the module's own directory (resolved by the kernel
//! beneath it, no symlinks); anything else refuses the run with one line.
//! What it mounts shows under --trace-denials and in `wali policy show
//! --module`.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// The guest prints access("/host/s.txt", F_OK): 0 when the file is visible.
const PROBE: &str =
    r#"(func $main (call $print_i64 (call $SYS_access (str "/host/s.txt") (k F_OK))))"#;

/// `module` with a `wali.interp` custom section holding `manifest`.
fn with_manifest(module: &[u8], manifest: &str) -> Vec<u8> {
    let name = b"wali.interp";
    let mut payload = vec![u8::try_from(name.len()).unwrap()];
    payload.extend_from_slice(name);
    payload.extend_from_slice(manifest.as_bytes());
    let mut out = module.to_vec();
    out.push(0); // custom section id
    let mut n = payload.len();
    loop {
        let byte = u8::try_from(n & 0x7f).unwrap();
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(&payload);
    out
}

/// A module in `<sandbox>/app/` whose manifest mounts `stdlib` at /host, and
/// a secret `<sandbox>/secret/s.txt` outside that directory.
fn app(sb: &Sandbox, stdlib: &str) -> PathBuf {
    let probe = sb.guest(PROBE);
    let app = sb.path("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::create_dir_all(sb.path("secret")).unwrap();
    std::fs::write(sb.path("secret/s.txt"), "secret").unwrap();
    let manifest = format!("name = \"probe\"\nstdlib = \"{stdlib}\"\nstdlib_mount = \"/host\"\n");
    let module = app.join("m.wasm");
    std::fs::write(&module, with_manifest(&read(&probe.path), &manifest)).unwrap();
    module
}

fn run(sb: &Sandbox, module: &Path, extra: &[&str]) -> std::process::Output {
    sb.wali().args(extra).arg(module).output().unwrap()
}

fn expect_refused(out: &std::process::Output, stdlib: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(126), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("wali: "), "{err}");
    assert!(err.contains("wali.interp"), "{err}");
    assert!(err.contains(stdlib), "{err}");
    assert!(out.stdout.is_empty(), "the guest must not run");
}

#[test]
fn a_manifest_cannot_mount_outside_the_module_directory() {
    for stdlib in ["../secret", "/", "..", "sub/../../secret"] {
        let sb = Sandbox::new();
        let module = app(&sb, stdlib);
        std::fs::create_dir_all(sb.path("app/sub")).unwrap();
        expect_refused(&run(&sb, &module, &[]), stdlib);
        // The strict preset changes nothing.
        let strict = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/strict.toml");
        let strict = strict.to_str().unwrap();
        expect_refused(&run(&sb, &module, &["--policy", strict]), stdlib);
    }
}

#[test]
fn a_manifest_cannot_mount_through_a_symlink() {
    let sb = Sandbox::new();
    let module = app(&sb, "lib");
    std::os::unix::fs::symlink("../secret", sb.path("app/lib")).unwrap();
    expect_refused(&run(&sb, &module, &[]), "lib");
    // Nor through a symlinked component on the way.
    let module = app(&sb, "lib/.");
    expect_refused(&run(&sb, &module, &[]), "lib/.");
}

#[test]
fn a_manifest_mount_inside_the_module_directory_works_and_is_shown() {
    let sb = Sandbox::new();
    let module = app(&sb, "lib/v1");
    std::fs::create_dir_all(sb.path("app/lib/v1")).unwrap();
    std::fs::write(sb.path("app/lib/v1/s.txt"), "lib").unwrap();
    let out = run(&sb, &module, &["--trace-denials"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "0");
    let host = std::fs::canonicalize(sb.path("app/lib/v1")).unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("wali.interp")
            && err.contains(&host.display().to_string())
            && err.contains("/host"),
        "{err}"
    );
    // Without the trace, nothing is printed.
    assert_eq!(stderr(&run(&sb, &module, &[])), "");
    // `wali policy show --module` lists the mount.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wali"))
        .args(["policy", "show", "--module"])
        .arg(&module)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("host = \"{}\"", host.display())),
        "{text}"
    );
    assert!(text.contains("guest = \"/host\""), "{text}");
    // A missing library is a warning, not a mount, as before.
    let module = app(&sb, "absent");
    let out = run(&sb, &module, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "-2");
}
