//! Path syscalls inside a read-write mount: open, the stat family, access,
//! creating, renaming and removing, links, metadata, the working directory.
//!
//! struct stat offsets: nlink @16, mode @24, uid @28, gid @32, size @48,
//! atime @72, mtime @88. statx: mask @0, nlink @0x10, mode @0x1c,
//! ino @0x20, size @0x28.

mod common;
use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

fn setup(sb: &Sandbox) {
    std::fs::write(sb.mnt().join("f"), b"0123456789").unwrap();
    std::fs::set_permissions(sb.mnt().join("f"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::create_dir(sb.mnt().join("d")).unwrap();
    std::fs::write(sb.mnt().join("d/inner"), b"inner").unwrap();
}

#[test]
fn open_creates_and_fails_like_linux() {
    let sb = Sandbox::new();
    setup(&sb);
    sb.check(
        r#"
  (func $main (local $fd i32) (local $dir i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/new") (k O_CREAT|O_EXCL|O_WRONLY) (i32.const 0o600))))
    (call $eq @ (call $SYS_open (str "/m/new") (k O_CREAT|O_EXCL|O_WRONLY) (i32.const 0o600)) (errno EEXIST))
    (call $eq @ (call $SYS_open (str "/m/missing") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/nodir/x") (k O_CREAT|O_WRONLY) (i32.const 0o600)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/f/x") (k O_RDONLY) (i32.const 0)) (errno ENOTDIR))
    (call $eq @ (call $SYS_open (str "/m/f/") (k O_RDONLY) (i32.const 0)) (errno ENOTDIR))
    (call $eq @ (call $SYS_open (str "/m/f") (k O_RDONLY|O_DIRECTORY) (i32.const 0)) (errno ENOTDIR))
    (call $eq @ (call $SYS_open (str "/m/d") (k O_WRONLY) (i32.const 0)) (errno EISDIR))
    (call $eq @ (call $SYS_open (str "/m") (k O_RDWR) (i32.const 0)) (errno EISDIR))
    (call $eq @ (call $SYS_open (str "/m/newdir/") (k O_CREAT|O_WRONLY) (i32.const 0o600)) (errno EISDIR))
    (call $eq @ (call $SYS_open (str "") (k O_RDONLY) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_open (i32.const 0) (k O_RDONLY) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_open (i32.const 0x40000) (k O_RDONLY) (i32.const 0)) (errno EFAULT))
    ;; a path running off the end of memory without a NUL
    (memory.fill (i32.const 0x3fff0) (i32.const 0x61) (i32.const 16))
    (call $eq @ (call $SYS_open (i32.const 0x3fff0) (k O_RDONLY) (i32.const 0)) (errno EFAULT))
    ;; a 300-byte component, and a 5000-byte path
    (memory.copy (i32.const 0x9000) (str "/m/") (i32.const 3))
    (memory.fill (i32.const 0x9003) (i32.const 0x61) (i32.const 300))
    (i32.store8 (i32.const 0x912f) (i32.const 0))
    (call $eq @ (call $SYS_open (i32.const 0x9000) (k O_RDONLY) (i32.const 0)) (errno ENAMETOOLONG))
    (memory.fill (i32.const 0x9000) (i32.const 0x2f) (i32.const 5000))
    (i32.store8 (i32.const 0xa388) (i32.const 0))
    (call $eq @ (call $SYS_open (i32.const 0x9000) (k O_RDONLY) (i32.const 0)) (errno ENAMETOOLONG))
    ;; O_TRUNC
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_WRONLY|O_TRUNC) (i32.const 0))))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_END)) (i64.const 0))
    (call $eq @ (call $SYS_write (local.get $fd) (str "xyz") (i32.const 3)) (i64.const 3))
    ;; creat
    (local.set $fd (call $okfd @ (call $SYS_creat (str "/m/made") (i32.const 0o640))))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    ;; openat: relative to a directory descriptor, or to the cwd
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m/d") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (local.set $fd (call $okfd @ (call $SYS_openat (local.get $dir) (str "inner") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 10)) (i64.const 5))
    (call $true @ (call $memeq (i32.const 0x8000) (str "inner") (i32.const 5)))
    (call $ok @ (call $SYS_openat (local.get $dir) (str "created") (k O_CREAT|O_WRONLY) (i32.const 0o644)))
    (call $ok @ (call $SYS_openat (local.get $dir) (str "../f") (k O_RDONLY) (i32.const 0)))
    (call $ok @ (call $SYS_openat (k AT_FDCWD) (str "m/f") (k O_RDONLY) (i32.const 0)))
    ;; an absolute path ignores dirfd, even a bad one
    (call $ok @ (call $SYS_openat (i32.const 99) (str "/m/f") (k O_RDONLY) (i32.const 0)))
    (call $eq @ (call $SYS_openat (i32.const 99) (str "f") (k O_RDONLY) (i32.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_openat (local.get $fd) (str "f") (k O_RDONLY) (i32.const 0)) (errno ENOTDIR)))
"#,
    );
    assert_eq!(read(sb.mnt().join("f")), b"xyz");
    assert!(sb.mnt().join("d/created").is_file());
    let mode = |p: &str| std::fs::metadata(sb.mnt().join(p)).unwrap().mode() & 0o777;
    assert_eq!(mode("made"), 0o640 & !current_umask());
    assert_eq!(mode("new"), 0o600 & !current_umask());
}

fn current_umask() -> u32 {
    // Reading the umask sets it: put it back at once.
    let old = wali_core::host::umask(0o022);
    wali_core::host::umask(old);
    old
}

#[test]
fn umask_applies_to_creates() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main
    (drop (call $SYS_umask (i32.const 0o022)))
    (call $eq @ (call $SYS_umask (i32.const 0o027)) (i64.const 0o022))
    (call $ok @ (call $SYS_open (str "/m/u") (k O_CREAT|O_WRONLY) (i32.const 0o777)))
    (call $eq @ (call $SYS_mkdir (str "/m/ud") (i32.const 0o777)) (i64.const 0))
    (call $eq @ (call $SYS_umask (i32.const 0o1777)) (i64.const 0o027))
    (call $eq @ (call $SYS_umask (i32.const 0)) (i64.const 0o777)))
"#,
    );
    let mode = |p: &str| std::fs::metadata(sb.mnt().join(p)).unwrap().mode() & 0o777;
    assert_eq!(mode("u"), 0o750);
    assert_eq!(mode("ud"), 0o750);
}

#[test]
fn stat_lstat_fstatat_statx() {
    let sb = Sandbox::new();
    setup(&sb);
    std::os::unix::fs::symlink("f", sb.mnt().join("s")).unwrap();
    let ino = std::fs::metadata(sb.mnt().join("f")).unwrap().ino();
    let body = r#"
  (func $main (local $fd i32) (local $dir i32)
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 10))
    (call $eq @ (i64.load32_u (i32.const 0x7018)) (k64 S_IFREG|0o644))
    (call $eq @ (i64.load (i32.const 0x7010)) (i64.const 1))
    (call $eq @ (i64.load (i32.const 0x7008)) (i64.const INO))
    (call $eq @ (call $SYS_stat (str "/m/d") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7018)) (k64 S_IFMT)) (k64 S_IFDIR))
    (call $eq @ (call $SYS_stat (str "/m/d/") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/d/.") (i32.const 0x7000)) (i64.const 0))
    ;; symlinks: stat follows, lstat does not
    (call $eq @ (call $SYS_stat (str "/m/s") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7008)) (i64.const INO))
    (call $eq @ (call $SYS_lstat (str "/m/s") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7018)) (k64 S_IFMT)) (k64 S_IFLNK))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 1))
    ;; errors
    (call $eq @ (call $SYS_stat (str "/m/nope") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (str "/m/f/") (i32.const 0x7000)) (errno ENOTDIR))
    (call $eq @ (call $SYS_stat (str "/m/f/x") (i32.const 0x7000)) (errno ENOTDIR))
    (call $eq @ (call $SYS_stat (str "") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_stat (i32.const 0) (i32.const 0x7000)) (errno EFAULT))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x3ff80)) (errno EFAULT))
    (call $eq @ (call $SYS_lstat (str "/m/f") (i32.const 0x3ff80)) (errno EFAULT))
    ;; fstat and newfstatat agree with stat
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_fstat (local.get $fd) (i32.const 0x7100)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7108)) (i64.const INO))
    (call $eq @ (call $SYS_fstat (local.get $fd) (i32.const 0x3ff80)) (errno EFAULT))
    (call $eq @ (call $SYS_fstat (i32.const 99) (i32.const 0x7100)) (errno EBADF))
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_newfstatat (local.get $dir) (str "f") (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7108)) (i64.const INO))
    (call $eq @ (call $SYS_fstatat (local.get $dir) (str "s") (i32.const 0x7100) (k AT_SYMLINK_NOFOLLOW)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7118)) (k64 S_IFMT)) (k64 S_IFLNK))
    (call $eq @ (call $SYS_newfstatat (local.get $fd) (str "") (i32.const 0x7100) (k AT_EMPTY_PATH)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7108)) (i64.const INO))
    (call $eq @ (call $SYS_newfstatat (local.get $fd) (str "") (i32.const 0x7100) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_newfstatat (local.get $dir) (str "f") (i32.const 0x7100) (i32.const 0x1)) (errno EINVAL))
    (call $eq @ (call $SYS_newfstatat (i32.const 99) (str "f") (i32.const 0x7100) (i32.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_newfstatat (local.get $fd) (str "f") (i32.const 0x7100) (i32.const 0)) (errno ENOTDIR))
    ;; statx
    (call $eq @ (call $SYS_statx (k AT_FDCWD) (str "/m/f") (i32.const 0) (k STATX_BASIC_STATS) (i32.const 0x7200)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7200)) (k64 STATX_BASIC_STATS)) (k64 STATX_BASIC_STATS))
    (call $eq @ (i64.load16_u (i32.const 0x721c)) (k64 S_IFREG|0o644))
    (call $eq @ (i64.load (i32.const 0x7220)) (i64.const INO))
    (call $eq @ (i64.load (i32.const 0x7228)) (i64.const 10))
    (call $eq @ (call $SYS_statx (local.get $dir) (str "s") (k AT_SYMLINK_NOFOLLOW) (k STATX_BASIC_STATS) (i32.const 0x7200)) (i64.const 0))
    (call $eq @ (i64.and (i64.load16_u (i32.const 0x721c)) (k64 S_IFMT)) (k64 S_IFLNK))
    (call $eq @ (call $SYS_statx (local.get $fd) (str "") (k AT_EMPTY_PATH) (k STATX_BASIC_STATS) (i32.const 0x7200)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7228)) (i64.const 10))
    (call $eq @ (call $SYS_statx (k AT_FDCWD) (str "/m/nope") (i32.const 0) (k STATX_BASIC_STATS) (i32.const 0x7200)) (errno ENOENT))
    (call $eq @ (call $SYS_statx (k AT_FDCWD) (str "/m/f") (i32.const 0) (k STATX_BASIC_STATS) (i32.const 0x3ff80)) (errno EFAULT)))
"#
    .replace("INO", &ino.to_string());
    sb.check(&body);
}

#[test]
fn access_faccessat_faccessat2() {
    let sb = Sandbox::new();
    setup(&sb);
    sb.check(
        r#"
  (func $main (local $dir i32)
    (call $eq @ (call $SYS_access (str "/m/f") (k F_OK)) (i64.const 0))
    (call $eq @ (call $SYS_access (str "/m/f") (k R_OK|W_OK)) (i64.const 0))
    ;; nobody may execute a 0644 file, not even root
    (call $eq @ (call $SYS_access (str "/m/f") (k X_OK)) (errno EACCES))
    (call $eq @ (call $SYS_access (str "/m/d") (k X_OK)) (i64.const 0))
    (call $eq @ (call $SYS_access (str "/m/nope") (k F_OK)) (errno ENOENT))
    (call $eq @ (call $SYS_access (str "/m/f/") (k F_OK)) (errno ENOTDIR))
    (call $eq @ (call $SYS_access (str "/m/f") (i32.const 8)) (errno EINVAL))
    (call $eq @ (call $SYS_access (i32.const 0) (k F_OK)) (errno EFAULT))
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_faccessat (local.get $dir) (str "f") (k R_OK) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_faccessat (local.get $dir) (str "nope") (k R_OK) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_faccessat2 (local.get $dir) (str "f") (k R_OK) (k AT_EACCESS)) (i64.const 0))
    (call $eq @ (call $SYS_faccessat2 (local.get $dir) (str "f") (k R_OK) (k AT_SYMLINK_NOFOLLOW)) (i64.const 0))
    (call $eq @ (call $SYS_faccessat2 (local.get $dir) (str "f") (k R_OK) (i32.const 0x1)) (errno EINVAL))
    (call $eq @ (call $SYS_faccessat2 (i32.const 99) (str "f") (k R_OK) (i32.const 0)) (errno EBADF)))
"#,
    );
}

#[test]
fn mkdir_rmdir_unlink() {
    let sb = Sandbox::new();
    setup(&sb);
    sb.check(
        r#"
  (func $main (local $dir i32)
    (call $eq @ (call $SYS_mkdir (str "/m/a") (i32.const 0o755)) (i64.const 0))
    (call $eq @ (call $SYS_mkdir (str "/m/a") (i32.const 0o755)) (errno EEXIST))
    (call $eq @ (call $SYS_mkdir (str "/m/f") (i32.const 0o755)) (errno EEXIST))
    (call $eq @ (call $SYS_mkdir (str "/m") (i32.const 0o755)) (errno EEXIST))
    (call $eq @ (call $SYS_mkdir (str "/m/x/y") (i32.const 0o755)) (errno ENOENT))
    (call $eq @ (call $SYS_mkdir (str "/m/f/y") (i32.const 0o755)) (errno ENOTDIR))
    (call $eq @ (call $SYS_mkdir (str "/m/b/") (i32.const 0o755)) (i64.const 0))
    (call $eq @ (call $SYS_rmdir (str "/m/b/")) (i64.const 0))
    ;; rmdir
    (call $eq @ (call $SYS_rmdir (str "/m/d")) (errno ENOTEMPTY))
    (call $eq @ (call $SYS_rmdir (str "/m/f")) (errno ENOTDIR))
    (call $eq @ (call $SYS_rmdir (str "/m/nope")) (errno ENOENT))
    (call $eq @ (call $SYS_rmdir (str "/m/a/.")) (errno EINVAL))
    (call $eq @ (call $SYS_rmdir (str "/m")) (errno EBUSY))
    (call $eq @ (call $SYS_rmdir (str "/m/a")) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/a") (i32.const 0x7000)) (errno ENOENT))
    ;; unlink
    (call $eq @ (call $SYS_unlink (str "/m/d")) (errno EISDIR))
    (call $eq @ (call $SYS_unlink (str "/m/nope")) (errno ENOENT))
    (call $eq @ (call $SYS_unlink (str "/m/f/")) (errno ENOTDIR))
    (call $eq @ (call $SYS_unlink (str "/m/d/inner")) (i64.const 0))
    (call $eq @ (call $SYS_unlink (str "/m/d/inner")) (errno ENOENT))
    ;; the *at forms
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m/d") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_mkdirat (local.get $dir) (str "sub") (i32.const 0o700)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/d/sub") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_unlinkat (local.get $dir) (str "sub") (i32.const 0)) (errno EISDIR))
    (call $eq @ (call $SYS_unlinkat (local.get $dir) (str "sub") (i32.const 0x1)) (errno EINVAL))
    (call $eq @ (call $SYS_unlinkat (local.get $dir) (str "sub") (k AT_REMOVEDIR)) (i64.const 0))
    (call $eq @ (call $SYS_mkdirat (i32.const 99) (str "sub") (i32.const 0o700)) (errno EBADF))
    (call $eq @ (call $SYS_rmdir (str "/m/d")) (i64.const 0)))
"#,
    );
    assert!(!sb.mnt().join("d").exists());
}

#[test]
fn rename_renameat_renameat2() {
    let sb = Sandbox::new();
    setup(&sb);
    std::fs::write(sb.mnt().join("g"), b"g").unwrap();
    std::fs::create_dir(sb.mnt().join("e")).unwrap();
    sb.check(
        r#"
  (func $main (local $dir i32)
    (call $eq @ (call $SYS_rename (str "/m/f") (str "/m/f2")) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_rename (str "/m/f") (str "/m/f3")) (errno ENOENT))
    (call $eq @ (call $SYS_rename (str "/m/f2") (str "/m/nodir/f")) (errno ENOENT))
    ;; replacing a file
    (call $eq @ (call $SYS_rename (str "/m/f2") (str "/m/g")) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/g") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 10))
    ;; files and directories do not replace each other
    (call $eq @ (call $SYS_rename (str "/m/g") (str "/m/e")) (errno EISDIR))
    (call $eq @ (call $SYS_rename (str "/m/e") (str "/m/g")) (errno ENOTDIR))
    (call $eq @ (call $SYS_rename (str "/m/e") (str "/m/d")) (errno ENOTEMPTY))
    (call $eq @ (call $SYS_rename (str "/m/d") (str "/m/d/sub")) (errno EINVAL))
    ;; an empty directory can be replaced
    (call $eq @ (call $SYS_rename (str "/m/d") (str "/m/e")) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/e/inner") (i32.const 0x7000)) (i64.const 0))
    ;; renameat / renameat2
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m/e") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_renameat (local.get $dir) (str "inner") (k AT_FDCWD) (str "/m/h")) (i64.const 0))
    (call $eq @ (call $SYS_renameat2 (k AT_FDCWD) (str "/m/h") (local.get $dir) (str "back") (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_renameat2 (local.get $dir) (str "back") (k AT_FDCWD) (str "/m/g") (k RENAME_NOREPLACE)) (errno EEXIST))
    (call $eq @ (call $SYS_renameat2 (local.get $dir) (str "back") (k AT_FDCWD) (str "/m/g") (k RENAME_EXCHANGE)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/g") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 5))
    (call $eq @ (call $SYS_stat (str "/m/e/back") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 10))
    (call $eq @ (call $SYS_renameat2 (local.get $dir) (str "back") (k AT_FDCWD) (str "/m/zz") (k RENAME_EXCHANGE)) (errno ENOENT))
    (call $eq @ (call $SYS_renameat2 (local.get $dir) (str "back") (k AT_FDCWD) (str "/m/zz") (i32.const 0x100)) (errno EINVAL))
    (call $eq @ (call $SYS_renameat (i32.const 99) (str "back") (k AT_FDCWD) (str "/m/zz")) (errno EBADF))
    (call $eq @ (call $SYS_rename (i32.const 0) (str "/m/zz")) (errno EFAULT))
    (memory.fill (i32.const 0x3fff0) (i32.const 0x61) (i32.const 16))
    (call $eq @ (call $SYS_rename (str "/m/g") (i32.const 0x3fff0)) (errno EFAULT))
    (call $eq @ (call $SYS_rename (str "/m") (str "/m/e/m")) (errno EBUSY))
    ;; a trailing slash asks for a directory
    (call $eq @ (call $SYS_rename (str "/m/g/") (str "/m/zz")) (errno ENOTDIR))
    (call $eq @ (call $SYS_rename (str "/m/e/") (str "/m/e2/")) (i64.const 0)))
"#,
    );
}

#[test]
fn links_symlinks_and_loops() {
    let sb = Sandbox::new();
    setup(&sb);
    sb.check(
        r#"
  (func $main (local $dir i32) (local $fd i32)
    ;; hard links
    (call $eq @ (call $SYS_link (str "/m/f") (str "/m/h")) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/h") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7010)) (i64.const 2))
    (call $eq @ (call $SYS_link (str "/m/f") (str "/m/h")) (errno EEXIST))
    (call $eq @ (call $SYS_link (str "/m/nope") (str "/m/h2")) (errno ENOENT))
    (call $eq @ (call $SYS_link (str "/m/d") (str "/m/d2")) (errno EPERM))
    (call $eq @ (call $SYS_link (str "/m/f") (str "/m/nodir/x")) (errno ENOENT))
    ;; symlinks
    (call $eq @ (call $SYS_symlink (str "f") (str "/m/s")) (i64.const 0))
    (call $eq @ (call $SYS_symlink (str "f") (str "/m/s")) (errno EEXIST))
    (call $eq @ (call $SYS_symlink (str "") (str "/m/s0")) (errno ENOENT))
    (call $eq @ (call $SYS_readlink (str "/m/s") (i32.const 0x8000) (i32.const 100)) (i64.const 1))
    (call $eq @ (i64.load8_u (i32.const 0x8000)) (i64.const 0x66))
    (call $eq @ (call $SYS_readlink (str "/m/s") (i32.const 0x8000) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_readlink (str "/m/f") (i32.const 0x8000) (i32.const 100)) (errno EINVAL))
    (call $eq @ (call $SYS_readlink (str "/m/nope") (i32.const 0x8000) (i32.const 100)) (errno ENOENT))
    (call $eq @ (call $SYS_readlink (str "/m/s") (i32.const 0x3fff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_symlink (str "a-rather-long-target") (str "/m/long")) (i64.const 0))
    (call $eq @ (call $SYS_readlink (str "/m/long") (i32.const 0x8000) (i32.const 4)) (i64.const 4))
    (call $true @ (call $memeq (i32.const 0x8000) (str "a-ra") (i32.const 4)))
    (call $eq @ (call $SYS_link (str "/m/s") (str "/m/ln")) (i64.const 0))
    (call $eq @ (call $SYS_lstat (str "/m/ln") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7018)) (k64 S_IFMT)) (k64 S_IFLNK))
    ;; linkat follows a final symlink only with AT_SYMLINK_FOLLOW
    (call $eq @ (call $SYS_linkat (k AT_FDCWD) (str "/m/s") (k AT_FDCWD) (str "/m/lf") (k AT_SYMLINK_FOLLOW)) (i64.const 0))
    (call $eq @ (call $SYS_lstat (str "/m/lf") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7018)) (k64 S_IFMT)) (k64 S_IFREG))
    (call $eq @ (call $SYS_linkat (k AT_FDCWD) (str "/m/s") (k AT_FDCWD) (str "/m/lx") (i32.const 0x1)) (errno EINVAL))
    ;; the *at forms
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m/d") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_symlinkat (str "inner") (local.get $dir) (str "si")) (i64.const 0))
    (call $eq @ (call $SYS_readlinkat (local.get $dir) (str "si") (i32.const 0x8000) (i32.const 100)) (i64.const 5))
    (call $true @ (call $memeq (i32.const 0x8000) (str "inner") (i32.const 5)))
    (call $eq @ (call $SYS_stat (str "/m/d/si") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 5))
    (call $eq @ (call $SYS_linkat (local.get $dir) (str "inner") (local.get $dir) (str "i2") (i32.const 0)) (i64.const 0))
    ;; a dangling symlink: O_CREAT creates its target, O_EXCL refuses
    (call $eq @ (call $SYS_symlink (str "target") (str "/m/dang")) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/dang") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_open (str "/m/dang") (k O_CREAT|O_EXCL|O_WRONLY) (i32.const 0o644)) (errno EEXIST))
    (call $ok @ (call $SYS_open (str "/m/dang") (k O_CREAT|O_WRONLY) (i32.const 0o644)))
    (call $eq @ (call $SYS_stat (str "/m/target") (i32.const 0x7000)) (i64.const 0))
    ;; loops
    (call $eq @ (call $SYS_symlink (str "loop2") (str "/m/loop1")) (i64.const 0))
    (call $eq @ (call $SYS_symlink (str "loop1") (str "/m/loop2")) (i64.const 0))
    (call $eq @ (call $SYS_open (str "/m/loop1") (k O_RDONLY) (i32.const 0)) (errno ELOOP))
    (call $eq @ (call $SYS_stat (str "/m/loop1") (i32.const 0x7000)) (errno ELOOP))
    (call $eq @ (call $SYS_stat (str "/m/loop1/x") (i32.const 0x7000)) (errno ELOOP))
    (call $eq @ (call $SYS_lstat (str "/m/loop1") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_symlink (str "self") (str "/m/self")) (i64.const 0))
    (call $eq @ (call $SYS_access (str "/m/self") (k F_OK)) (errno ELOOP))
    ;; O_NOFOLLOW on a symlink
    (call $eq @ (call $SYS_open (str "/m/s") (k O_RDONLY|O_NOFOLLOW) (i32.const 0)) (errno ELOOP))
    ;; symlinks in the middle of a path, to directories
    (call $eq @ (call $SYS_symlink (str "d") (str "/m/dl")) (i64.const 0))
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/dl/inner") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 10)) (i64.const 5))
    (call $eq @ (call $SYS_stat (str "/m/dl/") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/s/") (i32.const 0x7000)) (errno ENOTDIR))
    (call $eq @ (call $SYS_stat (str "/m/s/x") (i32.const 0x7000)) (errno ENOTDIR)))
"#,
    );
    assert_eq!(
        std::fs::read_link(sb.mnt().join("d/si")).unwrap(),
        std::path::Path::new("inner")
    );
}

#[test]
fn chmod_chown_utimensat_truncate() {
    let sb = Sandbox::new();
    setup(&sb);
    std::os::unix::fs::symlink("f", sb.mnt().join("s")).unwrap();
    let (uid, gid) = (wali_core::host::uid(), wali_core::host::gid());
    let body = r#"
  (func $main (local $fd i32) (local $dir i32)
    (call $eq @ (call $SYS_chmod (str "/m/f") (i32.const 0o600)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x7018)) (k64 S_IFREG|0o600))
    (call $eq @ (call $SYS_chmod (str "/m/s") (i32.const 0o640)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x7018)) (k64 S_IFREG|0o640))
    (call $eq @ (call $SYS_chmod (str "/m/nope") (i32.const 0o600)) (errno ENOENT))
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_RDWR) (i32.const 0))))
    (call $eq @ (call $SYS_fchmod (local.get $fd) (i32.const 0o604)) (i64.const 0))
    (call $eq @ (call $SYS_fstat (local.get $fd) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x7018)) (k64 S_IFREG|0o604))
    (call $eq @ (call $SYS_fchmod (i32.const 99) (i32.const 0o604)) (errno EBADF))
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_fchmodat (local.get $dir) (str "f") (i32.const 0o644) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x7018)) (k64 S_IFREG|0o644))
    (call $eq @ (call $SYS_fchmodat (local.get $dir) (str "f") (i32.const 0o644) (i32.const 0x1)) (errno EINVAL))
    ;; chown to what already holds
    (call $eq @ (call $SYS_chown (str "/m/f") (i32.const UID) (i32.const GID)) (i64.const 0))
    (call $eq @ (call $SYS_chown (str "/m/f") (i32.const -1) (i32.const -1)) (i64.const 0))
    (call $eq @ (call $SYS_chown (str "/m/nope") (i32.const -1) (i32.const -1)) (errno ENOENT))
    (call $eq @ (call $SYS_fchown (local.get $fd) (i32.const UID) (i32.const GID)) (i64.const 0))
    (call $eq @ (call $SYS_fchown (i32.const 99) (i32.const UID) (i32.const GID)) (errno EBADF))
    (call $eq @ (call $SYS_fchownat (local.get $dir) (str "s") (i32.const UID) (i32.const GID) (k AT_SYMLINK_NOFOLLOW)) (i64.const 0))
    (call $eq @ (call $SYS_fchownat (local.get $dir) (str "s") (i32.const UID) (i32.const GID) (i32.const 0x1)) (errno EINVAL))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load32_u (i32.const 0x701c)) (i64.const UID))
    (call $eq @ (i64.load32_u (i32.const 0x7020)) (i64.const GID))
    ;; utimensat: atime 1000.5, mtime 2000.25
    (i64.store (i32.const 0x7100) (i64.const 1000))
    (i64.store (i32.const 0x7108) (i64.const 500000000))
    (i64.store (i32.const 0x7110) (i64.const 2000))
    (i64.store (i32.const 0x7118) (i64.const 250000000))
    (call $eq @ (call $SYS_utimensat (k AT_FDCWD) (str "/m/f") (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7048)) (i64.const 1000))
    (call $eq @ (i64.load (i32.const 0x7050)) (i64.const 500000000))
    (call $eq @ (i64.load (i32.const 0x7058)) (i64.const 2000))
    (call $eq @ (i64.load (i32.const 0x7060)) (i64.const 250000000))
    ;; UTIME_OMIT leaves atime, and the guest's tv_nsec is the low 4 bytes only
    (i64.store (i32.const 0x7108) (k64 UTIME_OMIT))
    (i64.store (i32.const 0x7110) (i64.const 3000))
    (i64.store (i32.const 0x7118) (i64.const 0x7777777700000007))
    (call $eq @ (call $SYS_utimensat (local.get $fd) (i32.const 0) (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7048)) (i64.const 1000))
    (call $eq @ (i64.load (i32.const 0x7058)) (i64.const 3000))
    (call $eq @ (i64.load (i32.const 0x7060)) (i64.const 7))
    ;; NULL times: now
    (call $eq @ (call $SYS_utimensat (local.get $dir) (str "f") (i32.const 0) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $true @ (i64.gt_s (i64.load (i32.const 0x7058)) (i64.const 1600000000)))
    (i64.store (i32.const 0x7108) (i64.const 1000000000))
    (call $eq @ (call $SYS_utimensat (k AT_FDCWD) (str "/m/f") (i32.const 0x7100) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_utimensat (k AT_FDCWD) (str "/m/f") (i32.const 0x3fff8) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_utimensat (k AT_FDCWD) (str "/m/nope") (i32.const 0) (i32.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_utimensat (k AT_FDCWD) (str "/m/f") (i32.const 0) (i32.const 0x1)) (errno EINVAL))
    ;; truncate
    (call $eq @ (call $SYS_truncate (str "/m/f") (i64.const 4)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 4))
    (call $eq @ (call $SYS_truncate (str "/m/s") (i64.const 2)) (i64.const 0))
    (call $eq @ (call $SYS_truncate (str "/m/d") (i64.const 0)) (errno EISDIR))
    (call $eq @ (call $SYS_truncate (str "/m/nope") (i64.const 0)) (errno ENOENT))
    (call $eq @ (call $SYS_truncate (str "/m/f") (i64.const -1)) (errno EINVAL)))
"#
    .replace("UID", &uid.to_string())
    .replace("GID", &gid.to_string());
    sb.check(&body);
    assert_eq!(read(sb.mnt().join("f")), b"01");
}

#[test]
fn getcwd_chdir_fchdir() {
    let sb = Sandbox::new();
    setup(&sb);
    let out = sb.check(
        r#"
  (func $main (local $dir i32) (local $fd i32)
    ;; the host's cwd is not under a mount: the guest starts at /
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 100)) (i64.const 2))
    (call $true @ (call $memeq (i32.const 0x8000) (str "/") (i32.const 2)))
    (call $eq @ (call $SYS_chdir (str "/m/d")) (i64.const 0))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 100)) (i64.const 5))
    (call $true @ (call $memeq (i32.const 0x8000) (str "/m/d") (i32.const 5)))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 5)) (i64.const 5))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 4)) (errno ERANGE))
    (call $eq @ (call $SYS_getcwd (i32.const 0) (i32.const 0)) (errno ERANGE))
    (call $eq @ (call $SYS_getcwd (i32.const 0x3fffe) (i32.const 100)) (errno EFAULT))
    ;; relative paths start there
    (local.set $fd (call $okfd @ (call $SYS_open (str "inner") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_stat (str "./inner") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_stat (str "../f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_chdir (str "..")) (i64.const 0))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 100)) (i64.const 3))
    (call $true @ (call $memeq (i32.const 0x8000) (str "/m") (i32.const 3)))
    (call $eq @ (call $SYS_chdir (str "d/")) (i64.const 0))
    (call $eq @ (call $SYS_chdir (str "/m/f")) (errno ENOTDIR))
    (call $eq @ (call $SYS_chdir (str "/m/nope")) (errno ENOENT))
    (call $eq @ (call $SYS_chdir (str "")) (errno ENOENT))
    (call $eq @ (call $SYS_chdir (i32.const 0)) (errno EFAULT))
    ;; fchdir
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_fchdir (local.get $dir)) (i64.const 0))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 100)) (i64.const 3))
    (call $eq @ (call $SYS_fchdir (local.get $fd)) (errno ENOTDIR))
    (call $eq @ (call $SYS_fchdir (i32.const 99)) (errno EBADF))
    ;; a relative chdir out of the mount reaches the guest's /
    (call $eq @ (call $SYS_chdir (str "../../..")) (i64.const 0))
    (call $eq @ (call $SYS_getcwd (i32.const 0x8000) (i32.const 100)) (i64.const 2))
    (call $eq @ (call $SYS_stat (str "m/d/inner") (i32.const 0x7000)) (i64.const 0))
    ;; the directory removed under the cwd
    (call $eq @ (call $SYS_mkdir (str "/m/gone") (i32.const 0o755)) (i64.const 0))
    (call $eq @ (call $SYS_chdir (str "/m/gone")) (i64.const 0))
    (call $eq @ (call $SYS_rmdir (str "/m/gone")) (i64.const 0))
    (call $eq @ (call $SYS_open (str "x") (k O_CREAT|O_WRONLY) (i32.const 0o644)) (errno ENOENT))
    (call $eq @ (call $SYS_chdir (str "/m")) (i64.const 0))
    (call $puts (str "done")))
"#,
    );
    assert_eq!(stdout(&out), "done");
}

#[test]
fn statfs_and_fstatfs() {
    let sb = Sandbox::new();
    setup(&sb);
    let st = {
        let c = std::ffi::CString::new(sb.mnt().to_str().unwrap()).unwrap();
        let mut st = wali_core::host::zeroed::<libc::statfs>();
        // SAFETY: `c` is NUL-terminated and `st` a live, writable statfs.
        assert_eq!(unsafe { libc::statfs(c.as_ptr(), &mut st) }, 0);
        st
    };
    let body = r#"
  (func $main (local $fd i32)
    (call $eq @ (call $SYS_statfs (str "/m/f") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const FTYPE))
    (call $eq @ (i64.load (i32.const 0x7008)) (i64.const BSIZE))
    (call $eq @ (i64.and (i64.load (i32.const 0x7050)) (i64.const 1)) (i64.const 0))
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/d") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_fstatfs (local.get $fd) (i32.const 0x7100)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7100)) (i64.const FTYPE))
    (call $eq @ (call $SYS_statfs (str "/m") (i32.const 0x7100)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7100)) (i64.const FTYPE))
    (call $eq @ (call $SYS_statfs (str "/m/nope") (i32.const 0x7000)) (errno ENOENT))
    (call $eq @ (call $SYS_statfs (str "/m/f") (i32.const 0x3ffc0)) (errno EFAULT))
    (call $eq @ (call $SYS_fstatfs (local.get $fd) (i32.const 0x3ffc0)) (errno EFAULT))
    (call $eq @ (call $SYS_fstatfs (i32.const 99) (i32.const 0x7000)) (errno EBADF))
    ;; the virtual root: a read-only tmpfs-like file system
    (call $eq @ (call $SYS_statfs (str "/") (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const 0x01021994))
    (call $eq @ (i64.and (i64.load (i32.const 0x7050)) (i64.const 1)) (i64.const 1)))
"#
    .replace("FTYPE", &(st.f_type as i64).to_string())
    .replace("BSIZE", &(st.f_bsize as i64).to_string());
    sb.check(&body);
}
