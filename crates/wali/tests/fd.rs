//! Descriptor syscalls: I/O, offsets, duplication, flags, pipes, locks,
//! directories read through a descriptor.

mod common;
use common::*;

#[test]
fn read_write_lseek_pread_pwrite() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_CREAT|O_RDWR|O_TRUNC) (i32.const 0o644))))
    (call $eq @ (i64.extend_i32_s (local.get $fd)) (i64.const 3))
    (call $eq @ (call $SYS_write (local.get $fd) (str "hello world") (i32.const 11)) (i64.const 11))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_CUR)) (i64.const 11))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (i64.const 0))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 5)) (i64.const 5))
    (call $true @ (call $memeq (i32.const 0x8000) (str "hello") (i32.const 5)))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const -3) (k SEEK_END)) (i64.const 8))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 100)) (i64.const 3))
    (call $true @ (call $memeq (i32.const 0x8000) (str "rld") (i32.const 3)))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 100)) (i64.const 0))
    ;; pread/pwrite leave the offset alone
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 5) (i64.const 6)) (i64.const 5))
    (call $true @ (call $memeq (i32.const 0x8000) (str "world") (i32.const 5)))
    (call $eq @ (call $SYS_pwrite64 (local.get $fd) (str "W") (i32.const 1) (i64.const 6)) (i64.const 1))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_CUR)) (i64.const 11))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 64) (i64.const 100)) (i64.const 0))
    ;; zero-length I/O, even at NULL
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0) (i32.const 0)) (i64.const 0))
    ;; bad offsets and whence
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const -1) (k SEEK_SET)) (errno EINVAL))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (i32.const 99)) (errno EINVAL))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 1) (i64.const -1)) (errno EINVAL))
    (call $eq @ (call $SYS_pwrite64 (local.get $fd) (i32.const 0x8000) (i32.const 1) (i64.const -1)) (errno EINVAL))
    ;; buffers at NULL or past the end of memory
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0) (i32.const 4)) (errno EFAULT))
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0) (i32.const 4)) (errno EFAULT))
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0x3fffc) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x3fffc) (i32.const 8) (i64.const 0)) (errno EFAULT))
    ;; the last bytes of memory are fine
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x3fffc) (i32.const 4) (i64.const 0)) (i64.const 4))
    ;; closed and never-opened descriptors
    (call $eq @ (call $SYS_close (local.get $fd)) (i64.const 0))
    (call $eq @ (call $SYS_close (local.get $fd)) (errno EBADF))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (errno EBADF))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 1) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_read (i32.const -1) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_write (i32.const 1000) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_close (i32.const -5)) (errno EBADF)))
"#,
    );
    assert_eq!(read(sb.mnt().join("f")), b"hello World");
}

#[test]
fn stdout_and_stderr_are_the_hosts() {
    let sb = Sandbox::new();
    let out = sb.check(
        r#"
  (func $main
    (call $eq @ (call $SYS_write (i32.const 1) (str "to stdout") (i32.const 9)) (i64.const 9))
    (call $eq @ (call $SYS_write (i32.const 2) (str "to stderr") (i32.const 9)) (i64.const 9))
    ;; stdin is /dev/null for the tests
    (call $eq @ (call $SYS_read (i32.const 0) (i32.const 0x8000) (i32.const 9)) (i64.const 0))
    ;; closing the guest's stderr leaves the host's alone
    (call $eq @ (call $SYS_close (i32.const 2)) (i64.const 0))
    (call $eq @ (call $SYS_write (i32.const 2) (str "x") (i32.const 1)) (errno EBADF)))
"#,
    );
    assert_eq!(stdout(&out), "to stdout");
    assert_eq!(stderr(&out), "to stderr");
}

#[test]
fn readv_writev_preadv_pwritev() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/v") (k O_CREAT|O_RDWR) (i32.const 0o600))))
    ;; iov[0] = "abc", iov[1] = "", iov[2] = "defgh"
    (i32.store (i32.const 0x7000) (str "abc"))
    (i32.store (i32.const 0x7004) (i32.const 3))
    (i32.store (i32.const 0x7008) (i32.const 0))
    (i32.store (i32.const 0x700c) (i32.const 0))
    (i32.store (i32.const 0x7010) (str "defgh"))
    (i32.store (i32.const 0x7014) (i32.const 5))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x7000) (i32.const 3)) (i64.const 8))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x7000) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_pwritev (local.get $fd) (i32.const 0x7010) (i32.const 1) (i64.const 8)) (i64.const 5))
    ;; read back in two pieces: 2 bytes, then up to 100
    (i32.store (i32.const 0x7100) (i32.const 0x8000))
    (i32.store (i32.const 0x7104) (i32.const 2))
    (i32.store (i32.const 0x7108) (i32.const 0x8100))
    (i32.store (i32.const 0x710c) (i32.const 100))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (i64.const 0))
    (call $eq @ (call $SYS_readv (local.get $fd) (i32.const 0x7100) (i32.const 2)) (i64.const 13))
    (call $true @ (call $memeq (i32.const 0x8000) (str "ab") (i32.const 2)))
    (call $true @ (call $memeq (i32.const 0x8100) (str "cdefghdefgh") (i32.const 11)))
    (call $eq @ (call $SYS_preadv (local.get $fd) (i32.const 0x7100) (i32.const 2) (i64.const 10)) (i64.const 3))
    (call $true @ (call $memeq (i32.const 0x8000) (str "fg") (i32.const 2)))
    (call $true @ (call $memeq (i32.const 0x8100) (str "h") (i32.const 1)))
    ;; bad counts, a bad iovec array, a bad buffer inside a good array
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x7000) (i32.const -1)) (errno EINVAL))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x7000) (i32.const 1025)) (errno EINVAL))
    (call $eq @ (call $SYS_readv (local.get $fd) (i32.const 0x3fffc) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0) (i32.const 1)) (errno EFAULT))
    (i32.store (i32.const 0x7100) (i32.const 0x3fff0))
    (i32.store (i32.const 0x7104) (i32.const 0x20))
    (call $eq @ (call $SYS_readv (local.get $fd) (i32.const 0x7100) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_writev (i32.const 77) (i32.const 0x7000) (i32.const 1)) (errno EBADF)))
"#,
    );
    assert_eq!(read(sb.mnt().join("v")), b"abcdefghdefgh");
}

#[test]
fn dup_dup2_dup3_share_the_offset() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32) (local $d i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/d") (k O_CREAT|O_RDWR) (i32.const 0o644))))
    (local.set $d (call $okfd @ (call $SYS_dup (local.get $fd))))
    (call $eq @ (i64.extend_i32_s (local.get $d)) (i64.extend_i32_s (i32.add (local.get $fd) (i32.const 1))))
    (call $eq @ (call $SYS_write (local.get $fd) (str "12345") (i32.const 5)) (i64.const 5))
    (call $eq @ (call $SYS_lseek (local.get $d) (i64.const 0) (k SEEK_CUR)) (i64.const 5))
    ;; dup takes the lowest free number
    (call $eq @ (call $SYS_close (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_dup (local.get $fd)) (i64.const 0))
    ;; dup2
    (call $eq @ (call $SYS_dup2 (local.get $fd) (i32.const 10)) (i64.const 10))
    (call $eq @ (call $SYS_lseek (i32.const 10) (i64.const 1) (k SEEK_SET)) (i64.const 1))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_CUR)) (i64.const 1))
    (call $eq @ (call $SYS_dup2 (local.get $fd) (local.get $fd)) (i64.extend_i32_s (local.get $fd)))
    (call $eq @ (call $SYS_dup2 (i32.const 99) (i32.const 99)) (errno EBADF))
    (call $eq @ (call $SYS_dup2 (i32.const 99) (i32.const 10)) (errno EBADF))
    (call $eq @ (call $SYS_dup2 (local.get $fd) (i32.const -1)) (errno EBADF))
    (call $eq @ (call $SYS_dup2 (local.get $fd) (i32.const 100000)) (errno EBADF))
    ;; dup2 over an open descriptor closes it silently
    (call $eq @ (call $SYS_dup2 (local.get $d) (i32.const 10)) (i64.const 10))
    ;; dup3
    (call $eq @ (call $SYS_dup3 (local.get $fd) (local.get $fd) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_dup3 (local.get $fd) (i32.const 11) (k O_NONBLOCK)) (errno EINVAL))
    (call $eq @ (call $SYS_dup3 (i32.const 99) (i32.const 11) (i32.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_dup3 (local.get $fd) (i32.const 11) (k O_CLOEXEC)) (i64.const 11))
    (call $eq @ (call $SYS_fcntl (i32.const 11) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (call $SYS_fcntl (i32.const 10) (k F_GETFD) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_dup (i32.const 99)) (errno EBADF)))
"#,
    );
}

#[test]
fn fcntl_descriptor_and_status_flags() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/c") (k O_CREAT|O_RDWR|O_CLOEXEC) (i32.const 0o644))))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_SETFD) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_GETFD) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_ioctl (local.get $fd) (k FIOCLEX) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    ;; F_DUPFD: lowest free >= arg; cloexec cleared, or set by F_DUPFD_CLOEXEC
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_DUPFD) (i64.const 20)) (i64.const 20))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_DUPFD) (i64.const 20)) (i64.const 21))
    (call $eq @ (call $SYS_fcntl (i32.const 20) (k F_GETFD) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_DUPFD_CLOEXEC) (i64.const 20)) (i64.const 22))
    (call $eq @ (call $SYS_fcntl (i32.const 22) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_DUPFD) (i64.const -1)) (errno EINVAL))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_DUPFD) (i64.const 100000)) (errno EINVAL))
    ;; status flags
    (call $eq @ (i64.and (call $SYS_fcntl (local.get $fd) (k F_GETFL) (i64.const 0)) (k64 O_ACCMODE|O_APPEND|O_NONBLOCK))
                (k64 O_RDWR))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_SETFL) (k64 O_APPEND|O_NONBLOCK)) (i64.const 0))
    (call $eq @ (i64.and (call $SYS_fcntl (local.get $fd) (k F_GETFL) (i64.const 0)) (k64 O_ACCMODE|O_APPEND|O_NONBLOCK))
                (k64 O_RDWR|O_APPEND|O_NONBLOCK))
    ;; shared with the duplicate
    (call $eq @ (i64.and (call $SYS_fcntl (i32.const 20) (k F_GETFL) (i64.const 0)) (k64 O_APPEND))
                (k64 O_APPEND))
    ;; O_APPEND writes at the end whatever the offset
    (call $eq @ (call $SYS_write (local.get $fd) (str "ab") (i32.const 2)) (i64.const 2))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (i64.const 0))
    (call $eq @ (call $SYS_write (local.get $fd) (str "cd") (i32.const 2)) (i64.const 2))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 10) (i64.const 0)) (i64.const 4))
    (call $true @ (call $memeq (i32.const 0x8000) (str "abcd") (i32.const 4)))
    ;; unknown commands, closed descriptors
    (call $eq @ (call $SYS_fcntl (local.get $fd) (i32.const 9999) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_fcntl (i32.const 99) (k F_GETFD) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_fcntl (i32.const 99) (k F_GETFL) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_fcntl (i32.const 99) (k F_DUPFD) (i64.const 0)) (errno EBADF)))
"#,
    );
}

#[test]
fn fcntl_record_locks_and_flock() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32) (local $fd2 i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/l") (k O_CREAT|O_RDWR) (i32.const 0o644))))
    ;; struct flock: type i16 @0, whence i16 @2, start i64 @8, len i64 @16, pid i32 @24
    (i32.store16 (i32.const 0x7000) (k F_WRLCK))
    (i32.store16 (i32.const 0x7002) (k SEEK_SET))
    (i64.store (i32.const 0x7008) (i64.const 0))
    (i64.store (i32.const 0x7010) (i64.const 10))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_SETLK) (i64.const 0x7000)) (i64.const 0))
    ;; our own lock never conflicts with us: F_GETLK answers F_UNLCK
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_GETLK) (i64.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load16_u (i32.const 0x7000)) (k64 F_UNLCK))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_SETLK) (i64.const 0x3fff0)) (errno EFAULT))
    ;; flock: exclusive on one open file description excludes another
    (local.set $fd2 (call $okfd @ (call $SYS_open (str "/m/l") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_flock (local.get $fd) (k LOCK_EX)) (i64.const 0))
    (call $eq @ (call $SYS_flock (local.get $fd2) (k LOCK_EX|LOCK_NB)) (errno EWOULDBLOCK))
    (call $eq @ (call $SYS_flock (local.get $fd2) (k LOCK_SH|LOCK_NB)) (errno EWOULDBLOCK))
    (call $eq @ (call $SYS_flock (local.get $fd) (k LOCK_UN)) (i64.const 0))
    (call $eq @ (call $SYS_flock (local.get $fd2) (k LOCK_SH|LOCK_NB)) (i64.const 0))
    (call $eq @ (call $SYS_flock (local.get $fd) (k LOCK_SH|LOCK_NB)) (i64.const 0))
    (call $eq @ (call $SYS_flock (local.get $fd) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_flock (i32.const 99) (k LOCK_EX)) (errno EBADF)))
"#,
    );
}

#[test]
fn pipe_pipe2_fionread() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $r i32) (local $w i32)
    (call $eq @ (call $SYS_pipe (i32.const 0x7000)) (i64.const 0))
    (local.set $r (i32.load (i32.const 0x7000)))
    (local.set $w (i32.load (i32.const 0x7004)))
    (call $eq @ (i64.extend_i32_s (local.get $r)) (i64.const 3))
    (call $eq @ (i64.extend_i32_s (local.get $w)) (i64.const 4))
    (call $eq @ (call $SYS_fcntl (local.get $r) (k F_GETFD) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_write (local.get $w) (str "12345") (i32.const 5)) (i64.const 5))
    (call $eq @ (call $SYS_ioctl (local.get $r) (k FIONREAD) (i32.const 0x7010)) (i64.const 0))
    (call $eq @ (i64.load32_s (i32.const 0x7010)) (i64.const 5))
    (call $eq @ (call $SYS_ioctl (local.get $r) (k FIONREAD) (i32.const 0x3fffe)) (errno EFAULT))
    (call $eq @ (call $SYS_read (local.get $r) (i32.const 0x8000) (i32.const 3)) (i64.const 3))
    (call $eq @ (call $SYS_read (local.get $r) (i32.const 0x8000) (i32.const 100)) (i64.const 2))
    (call $true @ (call $memeq (i32.const 0x8000) (str "45") (i32.const 2)))
    (call $eq @ (call $SYS_lseek (local.get $r) (i64.const 0) (k SEEK_CUR)) (errno ESPIPE))
    (call $eq @ (call $SYS_pread64 (local.get $r) (i32.const 0x8000) (i32.const 1) (i64.const 0)) (errno ESPIPE))
    (call $eq @ (call $SYS_read (local.get $w) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_write (local.get $r) (i32.const 0x8000) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_fstat (local.get $r) (i32.const 0x7100)) (i64.const 0))
    (call $eq @ (i64.and (i64.load32_u (i32.const 0x7118)) (k64 S_IFMT)) (k64 S_IFIFO))
    (call $eq @ (call $SYS_fsync (local.get $w)) (errno EINVAL))
    (call $eq @ (call $SYS_ftruncate (local.get $w) (i64.const 0)) (errno EINVAL))
    ;; EOF once the write end is closed
    (call $eq @ (call $SYS_close (local.get $w)) (i64.const 0))
    (call $eq @ (call $SYS_read (local.get $r) (i32.const 0x8000) (i32.const 1)) (i64.const 0))
    (call $eq @ (call $SYS_close (local.get $r)) (i64.const 0))
    ;; pipe2 flags
    (call $eq @ (call $SYS_pipe2 (i32.const 0x7000) (k O_NONBLOCK|O_CLOEXEC)) (i64.const 0))
    (local.set $r (i32.load (i32.const 0x7000)))
    (call $eq @ (call $SYS_read (local.get $r) (i32.const 0x8000) (i32.const 1)) (errno EAGAIN))
    (call $eq @ (call $SYS_fcntl (local.get $r) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (i64.and (call $SYS_fcntl (local.get $r) (k F_GETFL) (i64.const 0)) (k64 O_NONBLOCK)) (k64 O_NONBLOCK))
    (call $eq @ (call $SYS_pipe2 (i32.const 0x7000) (k O_CREAT)) (errno EINVAL))
    (call $eq @ (call $SYS_pipe (i32.const 0x3fffc)) (errno EFAULT))
    (call $eq @ (call $SYS_pipe (i32.const 0)) (errno EFAULT)))
"#,
    );
}

/// Linux: writing to a pipe nobody reads raises SIGPIPE (default: death);
/// with SIGPIPE ignored the write fails with EPIPE.
#[test]
fn broken_pipe_is_epipe_when_sigpipe_is_ignored() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main
    ;; sigaction { handler = SIG_IGN }
    (i32.store (i32.const 0x6000) (k SIG_IGN))
    (call $eq @ (call $SYS_rt_sigaction (k SIGPIPE) (i32.const 0x6000) (i32.const 0) (i32.const 8)) (i64.const 0))
    (call $eq @ (call $SYS_pipe (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_close (i32.load (i32.const 0x7000))) (i64.const 0))
    (call $eq @ (call $SYS_write (i32.load (i32.const 0x7004)) (str "x") (i32.const 1)) (errno EPIPE)))
"#,
    );
}

#[test]
fn broken_pipe_kills_with_sigpipe_by_default() {
    use std::os::unix::process::ExitStatusExt;
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (call $eq @ (call $SYS_pipe (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_close (i32.load (i32.const 0x7000))) (i64.const 0))
    (drop (call $SYS_write (i32.load (i32.const 0x7004)) (str "x") (i32.const 1)))
    (call $print (str "survived") (i32.const 8)))
"#,
    );
    let out = sb.run(&g);
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{out:?}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn close_range_closes_or_marks_cloexec() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main
    (call $eq @ (call $SYS_dup2 (i32.const 1) (i32.const 5)) (i64.const 5))
    (call $eq @ (call $SYS_dup2 (i32.const 1) (i32.const 6)) (i64.const 6))
    (call $eq @ (call $SYS_dup2 (i32.const 1) (i32.const 8)) (i64.const 8))
    (call $eq @ (call $SYS_dup2 (i32.const 1) (i32.const 9)) (i64.const 9))
    (call $eq @ (call $SYS_close_range (i32.const 5) (i32.const 7) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_fcntl (i32.const 5) (k F_GETFD) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_fcntl (i32.const 6) (k F_GETFD) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_fcntl (i32.const 8) (k F_GETFD) (i64.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_close_range (i32.const 8) (i32.const 8) (k CLOSE_RANGE_CLOEXEC)) (i64.const 0))
    (call $eq @ (call $SYS_fcntl (i32.const 8) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (call $SYS_close_range (i32.const 7) (i32.const 5) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_close_range (i32.const 5) (i32.const 7) (i32.const 0x100)) (errno EINVAL))
    ;; up to ~0: everything from 9 on
    (call $eq @ (call $SYS_close_range (i32.const 9) (i32.const -1) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_fcntl (i32.const 9) (k F_GETFD) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_fcntl (i32.const 8) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (call $SYS_close_range (i32.const 500) (i32.const 600) (i32.const 0)) (i64.const 0)))
"#,
    );
}

#[test]
fn memfd_ftruncate_fallocate_fsync() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32) (local $f i32)
    (local.set $fd (call $okfd @ (call $SYS_memfd_create (str "scratch") (k MFD_CLOEXEC))))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_GETFD) (i64.const 0)) (k64 FD_CLOEXEC))
    (call $eq @ (call $SYS_write (local.get $fd) (str "data") (i32.const 4)) (i64.const 4))
    (call $eq @ (call $SYS_fstat (local.get $fd) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 4))
    (call $eq @ (call $SYS_ftruncate (local.get $fd) (i64.const 100)) (i64.const 0))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_END)) (i64.const 100))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 8) (i64.const 0)) (i64.const 8))
    (call $true @ (call $memeq (i32.const 0x8000) (str "data\00\00\00\00") (i32.const 8)))
    (call $eq @ (call $SYS_memfd_create (str "bad") (i32.const 0x1000)) (errno EINVAL))
    (call $eq @ (call $SYS_memfd_create (i32.const 0) (i32.const 0)) (errno EFAULT))
    ;; a regular file
    (local.set $f (call $okfd @ (call $SYS_open (str "/m/t") (k O_CREAT|O_RDWR) (i32.const 0o644))))
    (call $eq @ (call $SYS_write (local.get $f) (str "0123456789") (i32.const 10)) (i64.const 10))
    (call $eq @ (call $SYS_ftruncate (local.get $f) (i64.const 3)) (i64.const 0))
    (call $eq @ (call $SYS_fstat (local.get $f) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 3))
    (call $eq @ (call $SYS_ftruncate (local.get $f) (i64.const -1)) (errno EINVAL))
    (call $eq @ (call $SYS_ftruncate (i32.const 99) (i64.const 0)) (errno EBADF))
    (call $eq @ (call $SYS_fallocate (local.get $f) (i32.const 0) (i64.const 0) (i64.const 8192)) (i64.const 0))
    (call $eq @ (call $SYS_fstat (local.get $f) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7030)) (i64.const 8192))
    (call $eq @ (call $SYS_fallocate (local.get $f) (i32.const 0) (i64.const 0) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_fsync (local.get $f)) (i64.const 0))
    (call $eq @ (call $SYS_fdatasync (local.get $f)) (i64.const 0))
    (call $eq @ (call $SYS_fsync (i32.const 99)) (errno EBADF))
    ;; read-only descriptors cannot be truncated
    (call $eq @ (call $SYS_close (local.get $f)) (i64.const 0))
    (local.set $f (call $okfd @ (call $SYS_open (str "/m/t") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_ftruncate (local.get $f) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_write (local.get $f) (str "x") (i32.const 1)) (errno EBADF)))
"#,
    );
}

#[test]
fn sendfile_and_copy_file_range() {
    let sb = Sandbox::new();
    std::fs::write(sb.mnt().join("src"), b"0123456789").unwrap();
    sb.check(
        r#"
  (func $main (local $in i32) (local $out i32)
    (local.set $in (call $okfd @ (call $SYS_open (str "/m/src") (k O_RDONLY) (i32.const 0))))
    (local.set $out (call $okfd @ (call $SYS_open (str "/m/dst") (k O_CREAT|O_WRONLY) (i32.const 0o644))))
    ;; from the current offset
    (call $eq @ (call $SYS_sendfile (local.get $out) (local.get $in) (i32.const 0) (i32.const 4)) (i64.const 4))
    (call $eq @ (call $SYS_lseek (local.get $in) (i64.const 0) (k SEEK_CUR)) (i64.const 4))
    ;; from an explicit offset, updated; the file offset stays
    (i64.store (i32.const 0x7000) (i64.const 6))
    (call $eq @ (call $SYS_sendfile (local.get $out) (local.get $in) (i32.const 0x7000) (i32.const 100)) (i64.const 4))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const 10))
    (call $eq @ (call $SYS_lseek (local.get $in) (i64.const 0) (k SEEK_CUR)) (i64.const 4))
    (call $eq @ (call $SYS_sendfile (local.get $out) (local.get $in) (i32.const 0x3fffc) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_sendfile (local.get $out) (i32.const 99) (i32.const 0) (i32.const 1)) (errno EBADF))
    (call $eq @ (call $SYS_sendfile (i32.const 99) (local.get $in) (i32.const 0) (i32.const 1)) (errno EBADF))
    ;; copy_file_range with an input offset, output at its file offset
    (i64.store (i32.const 0x7008) (i64.const 1))
    (call $eq @ (call $SYS_copy_file_range (local.get $in) (i32.const 0x7008) (local.get $out) (i32.const 0)
                      (i32.const 3) (i32.const 0)) (i64.const 3))
    (call $eq @ (i64.load (i32.const 0x7008)) (i64.const 4))
    (call $eq @ (call $SYS_copy_file_range (local.get $in) (i32.const 0) (local.get $out) (i32.const 0)
                      (i32.const 3) (i32.const 1)) (errno EINVAL))
    (call $eq @ (call $SYS_copy_file_range (local.get $in) (i32.const 0x3fffc) (local.get $out) (i32.const 0)
                      (i32.const 3) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_copy_file_range (i32.const 99) (i32.const 0) (local.get $out) (i32.const 0)
                      (i32.const 3) (i32.const 0)) (errno EBADF)))
"#,
    );
    assert_eq!(read(sb.mnt().join("dst")), b"01236789123");
}

/// A helper that looks `name` up in a getdents64 buffer: returns its d_type,
/// or -1; counts the entries into $count.
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
fn getdents64_lists_a_directory() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.mnt().join("dir")).unwrap();
    std::fs::write(sb.mnt().join("dir/a"), b"").unwrap();
    std::fs::create_dir(sb.mnt().join("dir/sub")).unwrap();
    std::os::unix::fs::symlink("a", sb.mnt().join("dir/ln")).unwrap();
    let body = format!(
        "{FIND_DIRENT}{}",
        r#"
  (func $main (local $fd i32) (local $n i32) (local $f i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/dir") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 10)) (errno EISDIR))
    ;; too small for one entry
    (call $eq @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 10)) (errno EINVAL))
    (local.set $n (call $okfd @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096))))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "a"))) (k64 DT_REG))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "sub"))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "ln"))) (k64 DT_LNK))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "."))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str ".."))) (k64 DT_DIR))
    (call $eq @ (i64.extend_i32_s (call $find (i32.const 0x8000) (local.get $n) (str "zz"))) (i64.const -1))
    (call $eq @ (i64.extend_i32_s (global.get $count)) (i64.const 5))
    ;; the end
    (call $eq @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096)) (i64.const 0))
    ;; rewind
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (i64.const 0))
    (call $true @ (i64.gt_s (call $SYS_getdents64 (local.get $fd) (i32.const 0x8000) (i32.const 4096)) (i64.const 0)))
    (call $eq @ (call $SYS_getdents64 (local.get $fd) (i32.const 0x3fff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_getdents64 (i32.const 99) (i32.const 0x8000) (i32.const 4096)) (errno EBADF))
    ;; a file is not a directory
    (local.set $f (call $okfd @ (call $SYS_open (str "/m/dir/a") (k O_RDONLY) (i32.const 0))))
    (call $eq @ (call $SYS_getdents64 (local.get $f) (i32.const 0x8000) (i32.const 4096)) (errno ENOTDIR))
    ;; the getdents alias
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 0) (k SEEK_SET)) (i64.const 0))
    (call $true @ (i64.gt_s (call $SYS_getdents (local.get $fd) (i32.const 0x8000) (i32.const 4096)) (i64.const 0))))
"#
    );
    sb.check(&body);
}

#[test]
fn ioctl_unknown_requests_are_enotty() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/i") (k O_CREAT|O_RDWR) (i32.const 0o644))))
    (call $eq @ (call $SYS_ioctl (local.get $fd) (k TCGETS) (i32.const 0x7000)) (errno ENOTTY))
    (call $eq @ (call $SYS_ioctl (local.get $fd) (i32.const 0x5412) (i32.const 0x7000)) (errno ENOTTY))
    (call $eq @ (call $SYS_ioctl (local.get $fd) (i32.const 0x1234) (i32.const 0)) (errno ENOTTY))
    (call $eq @ (call $SYS_write (local.get $fd) (str "abc") (i32.const 3)) (i64.const 3))
    (call $eq @ (call $SYS_lseek (local.get $fd) (i64.const 1) (k SEEK_SET)) (i64.const 1))
    (call $eq @ (call $SYS_ioctl (local.get $fd) (k FIONREAD) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load32_s (i32.const 0x7000)) (i64.const 2))
    (call $eq @ (call $SYS_ioctl (i32.const 99) (k FIONREAD) (i32.const 0x7000)) (errno EBADF)))
"#,
    );
}
