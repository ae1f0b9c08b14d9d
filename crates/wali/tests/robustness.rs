//! Hostile pointers and lengths: every syscall given a pointer past the end
//! of memory, a wrapping pointer+length, or NULL answers -EFAULT (or
//! -EINVAL), and the host never crashes.

mod common;
use common::*;

/// Each line calls one syscall with a bad pointer (0xfffffff0 with length
/// 0x20 wraps around 4 GiB; 0x3fff0 + 0x20 runs past the 4-page memory).
const CALLS: &str = r#"
  (func $main (local $fd i32) (local $dir i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_CREAT|O_RDWR) (i32.const 0o644))))
    (call $eq @ (call $SYS_write (local.get $fd) (str "some bytes") (i32.const 10)) (i64.const 10))
    (local.set $dir (call $okfd @ (call $SYS_open (str "/m") (k O_RDONLY|O_DIRECTORY) (i32.const 0))))
    ;; buffers
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0xfffffff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x3fff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_read (local.get $fd) (i32.const 0x100) (i32.const -1)) (errno EFAULT))
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0xfffffff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_write (local.get $fd) (i32.const 0x10) (i32.const 0x7fffffff)) (errno EFAULT))
    (call $eq @ (call $SYS_write (i32.const 1) (i32.const 0xffffffff) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0xfffffff0) (i32.const 0x20) (i64.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_pwrite64 (local.get $fd) (i32.const 0xfffffff0) (i32.const 0x20) (i64.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_getrandom (i32.const 0xfffffff0) (i32.const 0x20) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_getdents64 (local.get $dir) (i32.const 0xfffffff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_getcwd (i32.const 0xfffffff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_readlink (str "/m/f") (i32.const 0xfffffff0) (i32.const 0x20)) (errno EFAULT))
    (call $eq @ (call $SYS_sched_getaffinity (i32.const 0) (i32.const 0x20) (i32.const 0xfffffff0)) (errno EFAULT))
    ;; iovec arrays, and iovecs pointing out of memory
    (call $eq @ (call $SYS_readv (local.get $fd) (i32.const 0xfffffff0) (i32.const 4)) (errno EFAULT))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0xfffffffc) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x100) (i32.const 0x7fffffff)) (errno EINVAL))
    (i32.store (i32.const 0x7000) (i32.const 0xfffffff0))
    (i32.store (i32.const 0x7004) (i32.const 0x20))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x7000) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_preadv (local.get $fd) (i32.const 0x7000) (i32.const 1) (i64.const 0)) (errno EFAULT))
    ;; lengths summing past isize::MAX... and beyond 4 GiB in total
    (i32.store (i32.const 0x7000) (i32.const 0x100))
    (i32.store (i32.const 0x7004) (i32.const 0xffffffff))
    (i32.store (i32.const 0x7008) (i32.const 0x100))
    (i32.store (i32.const 0x700c) (i32.const 0xffffffff))
    (call $eq @ (call $SYS_writev (local.get $fd) (i32.const 0x7000) (i32.const 2)) (errno EFAULT))
    ;; structures written by the host
    (call $eq @ (call $SYS_fstat (local.get $fd) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_stat (str "/m/f") (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_lstat (str "/m/f") (i32.const 0xffffff80)) (errno EFAULT))
    (call $eq @ (call $SYS_newfstatat (local.get $dir) (str "f") (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_statx (local.get $dir) (str "f") (i32.const 0) (i32.const 0x7ff) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_statfs (str "/m") (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_fstatfs (local.get $fd) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_uname (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_sysinfo (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_getrusage (i32.const 0) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_getrlimit (i32.const 7) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_setrlimit (i32.const 7) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_prlimit64 (i32.const 0) (i32.const 7) (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_prlimit64 (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_clock_gettime (i32.const 0) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_clock_getres (i32.const 0) (i32.const 0xfffffff8)) (errno EFAULT))
    (call $eq @ (call $SYS_gettimeofday (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_gettimeofday (i32.const 0) (i32.const 0xfffffffc)) (errno EFAULT))
    (call $eq @ (call $SYS_times (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_time (i32.const 0xfffffffc)) (errno EFAULT))
    (call $eq @ (call $SYS_nanosleep (i32.const 0xfffffff8) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_clock_nanosleep (i32.const 1) (i32.const 0) (i32.const 0xfffffff8) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_pipe (i32.const 0xfffffffc)) (errno EFAULT))
    (call $eq @ (call $SYS_pipe2 (i32.const 0xfffffffc) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_getresuid (i32.const 0xfffffffe) (i32.const 0x7000) (i32.const 0x7000)) (errno EFAULT))
    (call $eq @ (call $SYS_getgroups (i32.const 64) (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_ioctl (local.get $fd) (k FIONREAD) (i32.const 0xfffffffe)) (errno EFAULT))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_GETLK) (i64.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_fcntl (local.get $fd) (k F_SETLK) (i64.const 0x1fffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_prctl (k PR_GET_NAME) (i64.const 0xfffffff8) (i64.const 0) (i64.const 0) (i64.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_prctl (k PR_SET_NAME) (i64.const 0xfffffff8) (i64.const 0) (i64.const 0) (i64.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_sendfile (local.get $fd) (local.get $fd) (i32.const 0xfffffffc) (i32.const 1)) (errno EFAULT))
    (call $eq @ (call $SYS_copy_file_range (local.get $fd) (i32.const 0xfffffffc) (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigaction (i32.const 10) (i32.const 0xffffff80) (i32.const 0) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigaction (i32.const 10) (i32.const 0) (i32.const 0xffffff80) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigprocmask (i32.const 0) (i32.const 0xfffffffc) (i32.const 0) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigprocmask (i32.const 0) (i32.const 0) (i32.const 0xfffffffc) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_rt_sigpending (i32.const 0xfffffffc) (i32.const 8)) (errno EFAULT))
    (call $eq @ (call $SYS_sigaltstack (i32.const 0xfffffff8) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_utimensat (local.get $dir) (str "f") (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_utimes (str "/m/f") (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_utime (str "/m/f") (i32.const 0xfffffff8)) (errno EFAULT))
    (call $eq @ (call $SYS_futex (i32.const 0xfffffffc) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_getcpu (i32.const 0xfffffffe) (i32.const 0) (i32.const 0)) (errno EFAULT))
    ;; path arguments: wrapping, past the end, NULL
    (call $eq @ (call $SYS_open (i32.const 0xffffffff) (k O_RDONLY) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_open (i32.const 0x40000) (k O_RDONLY) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_openat (local.get $dir) (i32.const 0xfffffff0) (k O_RDONLY) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_stat (i32.const 0xfffffff0) (i32.const 0x7000)) (errno EFAULT))
    (call $eq @ (call $SYS_access (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_mkdir (i32.const 0xfffffff0) (i32.const 0o755)) (errno EFAULT))
    (call $eq @ (call $SYS_unlink (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_rmdir (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_chdir (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_chmod (i32.const 0xfffffff0) (i32.const 0o644)) (errno EFAULT))
    (call $eq @ (call $SYS_truncate (i32.const 0xfffffff0) (i64.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_statfs (i32.const 0xfffffff0) (i32.const 0x7000)) (errno EFAULT))
    (call $eq @ (call $SYS_symlink (i32.const 0xfffffff0) (str "/m/l")) (errno EFAULT))
    (call $eq @ (call $SYS_symlink (str "f") (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_link (str "/m/f") (i32.const 0xfffffff0)) (errno EFAULT))
    (call $eq @ (call $SYS_rename (i32.const 0xfffffff0) (str "/m/g")) (errno EFAULT))
    (call $eq @ (call $SYS_renameat2 (local.get $dir) (str "f") (local.get $dir) (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_memfd_create (i32.const 0xfffffff0) (i32.const 0)) (errno EFAULT))
    ;; memory management with addresses near 4 GiB
    (call $eq @ (call $SYS_munmap (i32.const 0xfffff000) (i32.const 0x1000)) (i64.const 0))
    (drop (call $SYS_munmap (i32.const 0xfffff000) (i32.const 0x2000)))
    (call $eq @ (call $SYS_mprotect (i32.const 0xfffff000) (i32.const 0x2000) (i32.const 1)) (errno ENOMEM))
    (call $eq @ (call $SYS_madvise (i32.const 0xfffff000) (i32.const 0x2000) (i32.const 4)) (errno ENOMEM))
    (call $eq @ (call $SYS_msync (i32.const 0xfffff000) (i32.const 0x2000) (i32.const 4)) (errno ENOMEM))
    (call $eq @ (call $SYS_mremap (i32.const 0xfffff000) (i32.const 0x1000) (i32.const 0x2000) (i32.const 1) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_mmap (i32.const 0xfffff000) (i32.const 0x2000) (i32.const 3) (i32.const 0x32) (i32.const -1) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 0xfffff000) (i32.const 3) (i32.const 0x22) (i32.const -1) (i64.const 0)) (errno ENOMEM))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const -1) (i32.const 3) (i32.const 0x22) (i32.const -1) (i64.const 0)) (errno ENOMEM))
    ;; aux imports
    (call $eq @ (i64.extend_i32_s (call $__cl_copy_argv (i32.const 0xfffffff0) (i32.const 0))) (errno EFAULT))
    ;; (non-zero would mean "a path was written": a bad buffer gets 0)
    (call $eq @ (i64.extend_i32_s (call $__get_init_envfile (i32.const 0xfffffff0) (i32.const 0x20))) (i64.const 0))
    ;; still fine afterwards
    (call $eq @ (call $SYS_pread64 (local.get $fd) (i32.const 0x8000) (i32.const 10) (i64.const 0)) (i64.const 10))
    (call $puts (str "survived")))
"#;

#[test]
fn bad_pointers_are_efault_never_a_crash() {
    let sb = Sandbox::new();
    let out = sb.check(CALLS);
    assert_eq!(stdout(&out), "survived");
    assert_eq!(stderr(&out), "");
}
