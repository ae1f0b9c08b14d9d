//! The guest's view of the file system: only the mounts exist, `..` and
//! symlinks resolve in that view, read-only mounts refuse every change, and
//! the virtual directories above mount points can be listed.

mod common;
use common::*;

/// Mounts: `mnt/` read-write at /m, `ro/` read-only at /r, `deep/` at
/// /a/b/c (so /a and /a/b are virtual), and a host file outside them all.
fn setup(sb: &Sandbox) -> Vec<String> {
    std::fs::write(sb.mnt().join("f"), b"rw file").unwrap();
    std::fs::create_dir(sb.mnt().join("d")).unwrap();
    std::fs::create_dir(sb.path("ro")).unwrap();
    std::fs::write(sb.path("ro/file"), b"read-only file").unwrap();
    std::fs::create_dir(sb.path("ro/dir")).unwrap();
    std::fs::write(sb.path("ro/dir/x"), b"x").unwrap();
    std::fs::create_dir(sb.path("deep")).unwrap();
    std::fs::write(sb.path("deep/file"), b"deep").unwrap();
    std::fs::write(sb.path("secret"), b"host secret").unwrap();
    vec![
        "--ro-dir".into(),
        format!("{}::/r", sb.path("ro").display()),
        "--dir".into(),
        format!("{}::/a/b/c", sb.path("deep").display()),
    ]
}

fn check(sb: &Sandbox, mounts: &[String], body: &str) -> std::process::Output {
    let extra: Vec<&str> = mounts.iter().map(String::as_str).collect();
    sb.check_with(body, &extra)
}

#[test]
fn paths_outside_the_mounts_are_invisible() {
    let sb = Sandbox::new();
    let mounts = setup(&sb);
    let secret = sb.path("secret").display().to_string();
    let mnt = sb.mnt().display().to_string();
    std::os::unix::fs::symlink("/usr/bin/env", sb.mnt().join("etc-link")).unwrap();
    std::os::unix::fs::symlink(&secret, sb.mnt().join("host-abs")).unwrap();
    std::os::unix::fs::symlink(format!("{mnt}/f"), sb.mnt().join("host-mnt")).unwrap();
    std::os::unix::fs::symlink("../secret", sb.mnt().join("up")).unwrap();
    std::os::unix::fs::symlink("../../../../../../../usr/bin/env", sb.mnt().join("way-up"))
        .unwrap();
    let body = r#"
  (func $main
    (call $eq @ (call $SYS_open (str "/usr/bin/env") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "/usr") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/etc/shadow") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "/tmp") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "SECRET") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "MNT/f") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_access (str "/proc/self/exe") (k F_OK)) (errno ENOENT))
    ;; .. cannot climb out of a mount
    (call $eq @ (call $SYS_open (str "/m/../usr/bin/env") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/d/../../../../../../usr/bin/env") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "/m/../secret") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_chdir (str "/m/d")) (i64.const 0))
    (call $eq @ (call $SYS_open (str "../../../../usr/bin/env") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "../../secret") (i32.const 0x7000)) (errno ENOENT))
    ;; .. inside the mount works, and at the top reaches the guest's /
    (call $eq @ (call $SYS_stat (str "../f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/d/../../m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/../../m/f") (i32.const 0x7000)) (i64.const 0))
    ;; symlinks pointing outside every mount
    (call $eq @ (call $SYS_open (str "/m/etc-link") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/host-abs") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/host-mnt") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/up") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/way-up") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "/m/way-up") (i32.const 0x7000)) (errno ENOENT))
    ;; they are still symlinks, readable as such
    (call $eq @ (call $SYS_lstat (str "/m/etc-link") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_readlink (str "/m/etc-link") (i32.const 0x8000) (i32.const 100)) (i64.const 12))
    ;; nor can a new one reach out, nor can O_CREAT create through it
    (call $eq @ (call $SYS_symlink (str "/etc/shadow") (str "/m/new-link")) (i64.const 0))
    (call $eq @ (call $SYS_open (str "/m/new-link") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    ;; (/secret would be created in the read-only virtual root)
    (call $eq @ (call $SYS_open (str "/m/up") (k O_CREAT|O_WRONLY) (i32.const 0o644)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/m/etc-link") (k O_CREAT|O_WRONLY) (i32.const 0o644)) (errno ENOENT)))
"#
    .replace("SECRET", &secret)
    .replace("MNT", &mnt);
    check(&sb, &mounts, &body);
    assert_eq!(read(sb.path("secret")), b"host secret");
    assert!(!sb.path("up").exists());
}

#[test]
fn absolute_symlinks_resolve_in_the_guests_view() {
    let sb = Sandbox::new();
    let mounts = setup(&sb);
    // Dangling on the host (no /m there), fine in the guest.
    std::os::unix::fs::symlink("/m/f", sb.mnt().join("abs")).unwrap();
    std::os::unix::fs::symlink("/a/b/c/file", sb.mnt().join("to-deep")).unwrap();
    std::os::unix::fs::symlink("/r/dir", sb.mnt().join("to-ro-dir")).unwrap();
    std::os::unix::fs::symlink("/", sb.mnt().join("root")).unwrap();
    std::os::unix::fs::symlink("../../../m/f", sb.path("deep/rel-up")).unwrap();
    let out = check(
        &sb,
        &mounts,
        r#"
  (func $cat (param $path i32) (local $fd i32) (local $n i32)
    (local.set $fd (call $okfd @ (call $SYS_open (local.get $path) (k O_RDONLY) (i32.const 0))))
    (local.set $n (call $okfd @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 100))))
    (call $print (i32.const 0x8000) (local.get $n))
    (call $print (str "\n") (i32.const 1))
    (drop (call $SYS_close (local.get $fd))))
  (func $main
    (call $cat (str "/m/abs"))
    (call $cat (str "/m/to-deep"))
    (call $cat (str "/m/to-ro-dir/x"))
    (call $cat (str "/m/root/m/f"))
    (call $cat (str "/m/root/r/file"))
    ;; ".." in a symlink target climbs the guest's tree, across mounts
    (call $cat (str "/a/b/c/rel-up"))
    ;; the link into the read-only mount stays read-only
    (call $eq @ (call $SYS_open (str "/m/to-ro-dir/x") (k O_WRONLY) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_mkdir (str "/m/to-ro-dir/new") (i32.const 0o755)) (errno EROFS)))
"#,
    );
    assert_eq!(
        stdout(&out),
        "rw file\ndeep\nx\nrw file\nread-only file\nrw file\n"
    );
}

/// A getdents64 name lookup (see fd.rs): d_type or -1, $count entries.
const FIND_DIRENT: &str = r#"
  (global $count (mut i32) (i32.const 0))
  (func $find (param $buf i32) (param $n i32) (param $name i32) (result i32)
    (local $p i32) (local $found i32)
    (local.set $found (i32.const -1))
    (global.set $count (i32.const 0))
    (local.set $p (local.get $buf))
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $p) (i32.add (local.get $buf) (local.get $n))))
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        (if (call $memeq (i32.add (local.get $p) (i32.const 19)) (local.get $name)
                         (i32.add (call $strlen (local.get $name)) (i32.const 1)))
          (then (local.set $found (i32.load8_u (i32.add (local.get $p) (i32.const 18))))))
        (local.set $p (i32.add (local.get $p) (i32.load16_u (i32.add (local.get $p) (i32.const 16)))))
        (br $next)))
    (local.get $found))
"#;

#[test]
fn virtual_parents_of_mount_points() {
    let sb = Sandbox::new();
    let mounts = setup(&sb);
    let body = format!(
        "{FIND_DIRENT}{}",
        r#"
  (func $main (local $fd i32) (local $n i32)
    (call $eq @ (call $SYS_stat (str "/a") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7018)) (k64 S_IFMT)) (k64 S_IFDIR))
    (call $eq @ (call $SYS_stat (str "/a/b") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_statx (k AT_FDCWD) (str "/a/b") (i32.const 0) (k STATX_BASIC_STATS) (i32.const 0x7200)) (i64.const 0))
    (call $eq @ (i64.and (i64.load16_u (i32.const 0x721c)) (k64 S_IFMT)) (k64 S_IFDIR))
    (call $eq @ (call $SYS_stat (str "/a/x") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "/a/b/c/file") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/a/b/c/..") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_access (str "/a") (k R_OK|X_OK)) (i64.const 0))
    (call $eq @ (call $SYS_access (str "/a") (k W_OK)) (errno EROFS))
    ;; listing /a: ".", "..", "b"
    (local.set $fd (call $okfd @ (call $SYS_open (str "/a") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_fstat (local.get $fd) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7018)) (k64 S_IFMT)) (k64 S_IFDIR))
    (local.set $n (call $okfd @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096))))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "b"))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str ".."))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (global.get $count)) (i64.const 3))
    (call $eq @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096)) (i64.const 0))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (i64.const 0))
    (call $eq @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 10)) (errno EINVAL))
    (call $eq @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096)) (i64.extend_i32_s (local.get $n)))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 10)) (errno EISDIR))
    ;; relative lookups from it
    (call $eq @ (call $SYS_newfstatat (local.get $fd) (str "b/c/file") (i32.const 0x7000) (i32.const 0)) (i64.const 0))
    (call $ok @ (call $SYS_openat (local.get $fd) (str "b/c/file") (k O_RDONLY) (i32.const 0)))
    ;; listing /: the top of every mount
    (local.set $fd (call $okfd @ (call $SYS_open (str "/") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (local.set $n (call $okfd @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096))))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "a"))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "m"))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "r"))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "dev"))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "usr"))) (i64.const -1))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "tmp"))) (i64.const -1))
    ;; nothing can be created or removed there
    (call $eq @ (call $SYS_mkdir (str "/a/new") (i32.const 0o755)) (errno EROFS))
    (call $eq @ (call $SYS_mkdir (str "/a/b") (i32.const 0o755)) (errno EEXIST))
    (call $eq @ (call $SYS_open (str "/a/new") (k O_CREAT|O_WRONLY) (i32.const 0o644)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/a") (k O_WRONLY) (i32.const 0)) (errno EISDIR))
    (call $eq @ (call $SYS_rmdir (str "/a/b")) (errno EBUSY))
    (call $eq @ (call $SYS_rmdir (str "/a/b/c")) (errno EBUSY))
    (call $eq @ (call $SYS_unlink (str "/a/b")) (errno EISDIR))
    (call $eq @ (call $SYS_symlink (str "x") (str "/a/ln")) (errno EROFS))
    (call $eq @ (call $SYS_chmod (str "/a") (i32.const 0o777)) (errno EROFS))
    (call $eq @ (call $SYS_rename (str "/a/b") (str "/a/z")) (errno EBUSY))
    ;; the cwd can be virtual
    (call $eq @ (call $SYS_chdir (str "/a/b")) (i64.const 0))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 100)) (i64.const 5))
    (call $true @ (call $memeq (i32.const 0x8000) (str "/a/b") (i32.const 5)))
    (call $ok @ (call $SYS_open (str "c/file") (k O_RDONLY) (i32.const 0)))
    (call $eq @ (call $SYS_stat (str "../../m/f") (i32.const 0x7000)) (i64.const 0)))
"#
    );
    let extra: Vec<&str> = mounts.iter().map(String::as_str).collect();
    sb.check_with(&body, &extra);
}

#[test]
fn read_only_mounts_refuse_every_change() {
    let sb = Sandbox::new();
    let mounts = setup(&sb);
    check(
        &sb,
        &mounts,
        r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/r/file") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 100)) (i64.const 14))
    (call $eq @ (call $SYS_write (local.get $fd) (str "x") (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_ftruncate (local.get $fd) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_fchmod (local.get $fd) (i32.const 0o600)) (errno EROFS))
    (call $eq @ (call $SYS_fchown (local.get $fd) (i32.const -1) (i32.const -1)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/r/file") (k O_WRONLY) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/r/file") (k O_RDWR) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/r/file") (k O_RDONLY|O_TRUNC) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/r/new") (k O_CREAT|O_WRONLY) (i32.const 0o644)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/r/file") (k O_CREAT|O_EXCL|O_WRONLY) (i32.const 0o644)) (errno EEXIST))
    ;; O_CREAT of an existing file, read-only: allowed, as on a read-only fs
    (call $ok @ (call $SYS_open (str "/r/file") (k O_CREAT|O_RDONLY) (i32.const 0o644)))
    (call $eq @ (call $SYS_creat (str "/r/new") (i32.const 0o644)) (errno EROFS))
    (call $eq @ (call $SYS_mkdir (str "/r/newdir") (i32.const 0o755)) (errno EROFS))
    (call $eq @ (call $SYS_mkdir (str "/r/dir") (i32.const 0o755)) (errno EEXIST))
    (call $eq @ (call $SYS_rmdir (str "/r/dir")) (errno EROFS))
    (call $eq @ (call $SYS_unlink (str "/r/file")) (errno EROFS))
    (call $eq @ (call $SYS_unlink (str "/r/dir/x")) (errno EROFS))
    (call $eq @ (call $SYS_rename (str "/r/file") (str "/r/renamed")) (errno EROFS))
    (call $eq @ (call $SYS_link (str "/r/file") (str "/r/hard")) (errno EROFS))
    (call $eq @ (call $SYS_symlink (str "file") (str "/r/sym")) (errno EROFS))
    (call $eq @ (call $SYS_chmod (str "/r/file") (i32.const 0o600)) (errno EROFS))
    (call $eq @ (call $SYS_chown (str "/r/file") (i32.const -1) (i32.const -1)) (errno EROFS))
    (call $eq @ (call $SYS_utimensat (k AT_FDCWD) (str "/r/file") (i32.const 0) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_utimensat (local.get $fd) (i32.const 0) (i32.const 0) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_truncate (str "/r/file") (i64.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_access (str "/r/file") (k W_OK)) (errno EROFS))
    (call $eq @ (call $SYS_access (str "/r/file") (k R_OK)) (i64.const 0))
    ;; missing names stay ENOENT
    (call $eq @ (call $SYS_unlink (str "/r/nope")) (errno EROFS))
    (call $eq @ (call $SYS_chmod (str "/r/nope") (i32.const 0o600)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/r/nope") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    ;; statfs says read-only (ST_RDONLY in f_flags @80)
    (call $eq @ (call $SYS_statfs (str "/r") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load (i32.const 0x7050)) (i64.const 1)) (i64.const 1))
    (call $eq @ (call $SYS_fstatfs (local.get $fd) (i32.const 0x7000)) (i64.const 0))
    ;; moving out of or into it
    (call $eq @ (call $SYS_rename (str "/r/file") (str "/m/file")) (errno EXDEV))
    (call $eq @ (call $SYS_rename (str "/r/file") (str "/r/dir/file")) (errno EROFS))
    (call $eq @ (call $SYS_rename (str "/m/f") (str "/r/f")) (errno EXDEV)))
"#,
    );
    assert_eq!(read(sb.path("ro/file")), b"read-only file");
    let names: Vec<_> = std::fs::read_dir(sb.path("ro"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn renames_and_links_across_mounts_are_exdev() {
    let sb = Sandbox::new();
    let mounts = setup(&sb);
    check(
        &sb,
        &mounts,
        r#"
  (func $main
    (call $eq @ (call $SYS_rename (str "/m/f") (str "/a/b/c/f")) (errno EXDEV))
    (call $eq @ (call $SYS_rename (str "/a/b/c/file") (str "/m/file")) (errno EXDEV))
    (call $eq @ (call $SYS_renameat2 (k AT_FDCWD) (str "/m/d") (k AT_FDCWD) (str "/a/b/c/d") (i32.const 0)) (errno EXDEV))
    (call $eq @ (call $SYS_link (str "/m/f") (str "/a/b/c/f")) (errno EXDEV))
    ;; within one mount, fine
    (call $eq @ (call $SYS_rename (str "/a/b/c/file") (str "/a/b/c/moved")) (i64.const 0))
    (call $eq @ (call $SYS_link (str "/a/b/c/moved") (str "/a/b/c/linked")) (i64.const 0)))
"#,
    );
    assert!(sb.mnt().join("f").exists());
    assert!(sb.path("deep/moved").exists());
}

#[test]
fn device_files_are_there() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/dev/null") (k O_RDWR) (i32.const 0))))
    (call $eq @ (call $SYS_write (local.get $fd) (str "gone") (i32.const 4)) (i64.const 4))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 4)) (i64.const 0))
    (local.set $fd (call $okfd @ (call $SYS_open (str "/dev/zero") (k O_RDONLY) (i32.const 0))))
    (memory.fill (i32.const 0x8000) (i32.const 0xff) (i32.const 16))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 16)) (i64.const 16))
    (call $eq @ (i64.load (i32.const 0x8008)) (i64.const 0))
    (local.set $fd (call $okfd @ (call $SYS_open (str "/dev/urandom") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 16)) (i64.const 16))
    (call $eq @ (call $SYS_stat (str "/dev") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/dev/sda") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_unlink (str "/dev/null")) (errno EBUSY)))
"#,
    );
}
