//! Safe wrappers for the host calls the syscall handlers make again and again.
//!
//! Each wrapper proves its one `unsafe` here, once, so the handlers stay safe
//! code. Errors are exactly what the host call gave: a libc call's `-1`
//! becomes `Errno::last()`, as `Errno::result` does at the call sites, and a
//! `rustix` call's error keeps its raw errno. Calls without pointers or
//! descriptors to own (ids, umask) go through `rustix`, which is safe already.

use crate::errno::{Errno, SysResult};
use std::ffi::CStr;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

impl From<rustix::io::Errno> for Errno {
    fn from(e: rustix::io::Errno) -> Self {
        Errno(e.raw_os_error())
    }
}

/// A C struct for which all-zero bytes are a valid value, so `zeroed` may
/// make one as the buffer a host call fills in.
///
/// # Safety
/// Implement only for `repr(C)` types made of integers, arrays of integers,
/// raw pointers and unions of those: every bit pattern, all-zero included, is
/// then a valid value (a null raw pointer is valid; no references, `NonNull`,
/// enums or `bool` inside).
pub unsafe trait Zeroable: Sized {}

macro_rules! zeroable {
    ($($t:ty),* $(,)?) => {
        // SAFETY: each of these libc structs is a plain C struct of integers,
        // integer arrays, raw pointers and unions of them (checked against
        // the libc crate's definitions), so the all-zero value is valid.
        $(unsafe impl Zeroable for $t {})*
    };
}

zeroable!(
    libc::stat,
    libc::statfs,
    libc::timespec,
    libc::itimerspec,
    libc::itimerval,
    libc::sigset_t,
    libc::sigaction,
    libc::siginfo_t,
    libc::rusage,
    libc::utsname,
    libc::sysinfo,
    libc::winsize,
    libc::sockaddr_storage,
    libc::msghdr,
    libc::passwd,
    libc::group,
);

/// An all-zero `T`: the empty buffer a host call fills in.
#[inline]
pub fn zeroed<T: Zeroable>() -> T {
    // SAFETY: `T: Zeroable` promises the all-zero bit pattern is a valid `T`.
    unsafe { std::mem::zeroed() }
}

/// Takes ownership of the new descriptor a host call returned (`-1`: errno).
///
/// # Safety
/// `ret` must be the return value of a call that, when it is not `-1`,
/// returns a descriptor newly opened for this caller and owned by no one else.
#[inline]
pub unsafe fn own_new_fd<T: Into<i64> + Copy>(ret: T) -> SysResult<OwnedFd> {
    let fd = Errno::result(ret)?;
    // Descriptors fit an int; a host call returning more is a host bug.
    let fd = RawFd::try_from(fd).map_err(|_| Errno::EIO)?;
    // SAFETY: the caller promises `fd` is new and unowned, so this is its
    // only owner and closes it exactly once.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// This process's host pid.
#[inline]
pub fn pid() -> i32 {
    rustix::process::getpid().as_raw_nonzero().get()
}

/// The host parent's pid, 0 when there is none (as getppid(2) says).
#[inline]
pub fn ppid() -> i32 {
    rustix::process::Pid::as_raw(rustix::process::getppid())
}

/// The calling host thread's id.
#[inline]
pub fn tid() -> i32 {
    rustix::thread::gettid().as_raw_nonzero().get()
}

/// This process's host process group.
#[inline]
pub fn pgrp() -> i32 {
    rustix::process::getpgrp().as_raw_nonzero().get()
}

#[inline]
pub fn uid() -> u32 {
    rustix::process::getuid().as_raw()
}

#[inline]
pub fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

#[inline]
pub fn gid() -> u32 {
    rustix::process::getgid().as_raw()
}

#[inline]
pub fn egid() -> u32 {
    rustix::process::getegid().as_raw()
}

/// The host process's supplementary group ids.
pub fn groups() -> SysResult<Vec<u32>> {
    let groups = rustix::process::getgroups()?;
    Ok(groups.into_iter().map(|g| g.as_raw()).collect())
}

/// Sets the host umask to `mask` (permission bits only) and returns the old one.
#[inline]
pub fn umask(mask: u32) -> u32 {
    let old = rustix::process::umask(rustix::fs::Mode::from_bits_truncate(mask & 0o777));
    old.bits()
}

/// fstat(2) of a host descriptor.
pub fn fstat(fd: RawFd) -> SysResult<libc::stat> {
    let mut st = zeroed::<libc::stat>();
    // SAFETY: `st` is a live, writable `stat`, the buffer fstat fills; the
    // kernel checks `fd` (EBADF) and keeps no pointer past the call.
    Errno::result(unsafe { libc::fstat(fd, &mut st) })?;
    Ok(st)
}

/// fstatat(2): `name` in host directory `dir` with `AT_*` `flags`.
pub fn fstatat(dir: RawFd, name: &CStr, flags: i32) -> SysResult<libc::stat> {
    let mut st = zeroed::<libc::stat>();
    // SAFETY: `name` is NUL-terminated and `st` a live, writable `stat`; both
    // outlive the call and the kernel keeps neither.
    Errno::result(unsafe { libc::fstatat(dir, name.as_ptr(), &mut st, flags) })?;
    Ok(st)
}

/// fstatfs(2) of a host descriptor.
pub fn fstatfs(fd: RawFd) -> SysResult<libc::statfs> {
    let mut st = zeroed::<libc::statfs>();
    // SAFETY: `st` is a live, writable `statfs`, the buffer fstatfs fills.
    Errno::result(unsafe { libc::fstatfs(fd, &mut st) })?;
    Ok(st)
}

/// openat(2): opens `path` relative to host directory `dir`.
pub fn openat(dir: RawFd, path: &CStr, flags: i32, mode: libc::mode_t) -> SysResult<OwnedFd> {
    // SAFETY: `path` is NUL-terminated and outlives the call; openat returns
    // a new descriptor that nothing else owns.
    unsafe { own_new_fd(libc::openat(dir, path.as_ptr(), flags, mode)) }
}

/// open(2) of a host path (host-side files only: never a guest path).
pub fn open(path: &CStr, flags: i32, mode: libc::mode_t) -> SysResult<OwnedFd> {
    // SAFETY: `path` is NUL-terminated and outlives the call; open returns a
    // new descriptor that nothing else owns.
    unsafe { own_new_fd(libc::open(path.as_ptr(), flags, mode)) }
}

/// fcntl(F_DUPFD_CLOEXEC): a close-on-exec duplicate numbered `min` or above.
pub fn dup_cloexec(fd: RawFd, min: RawFd) -> SysResult<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC takes an int and returns a new descriptor that
    // nothing else owns.
    unsafe { own_new_fd(libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, min)) }
}

/// pipe2(2); the caller chooses the flags (O_CLOEXEC included or not).
pub fn pipe2(flags: i32) -> SysResult<(OwnedFd, OwnedFd)> {
    let mut fds = [-1; 2];
    // SAFETY: `fds` is the writable array of two ints pipe2 fills.
    Errno::result(unsafe { libc::pipe2(fds.as_mut_ptr(), flags) })?;
    // SAFETY: on success both descriptors are new and owned by no one else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// socket(2).
pub fn socket(domain: i32, ty: i32, protocol: i32) -> SysResult<OwnedFd> {
    // SAFETY: integer arguments only; the result is a new, unowned descriptor.
    unsafe { own_new_fd(libc::socket(domain, ty, protocol)) }
}

/// socketpair(2).
pub fn socketpair(domain: i32, ty: i32, protocol: i32) -> SysResult<(OwnedFd, OwnedFd)> {
    let mut fds = [-1; 2];
    // SAFETY: `fds` is the writable array of two ints socketpair fills.
    Errno::result(unsafe { libc::socketpair(domain, ty, protocol, fds.as_mut_ptr()) })?;
    // SAFETY: on success both descriptors are new and owned by no one else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// memfd_create(2).
pub fn memfd_create(name: &CStr, flags: u32) -> SysResult<OwnedFd> {
    // SAFETY: `name` is NUL-terminated and outlives the call; the result is a
    // new, unowned descriptor.
    unsafe { own_new_fd(libc::memfd_create(name.as_ptr(), flags)) }
}

/// kill(2): `pid` and `sig` as the kernel reads them (0, -1 and -pgid too).
pub fn kill(pid: i32, sig: i32) -> SysResult {
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::kill(pid, sig) })
}

/// getpgid(2); 0 means the caller.
pub fn getpgid(pid: i32) -> SysResult {
    // SAFETY: integer argument only; no memory is read or written.
    Errno::result(unsafe { libc::getpgid(pid) })
}

/// _exit(2): ends the process now, without running exit handlers or
/// flushing stdio (the caller flushes what it must first).
pub fn exit_immediately(status: i32) -> ! {
    // SAFETY: _exit takes an int and never returns; no Rust state is observed
    // after it.
    unsafe { libc::_exit(status) }
}

/// clock_gettime(2) of `clock`.
pub fn clock_gettime(clock: libc::clockid_t) -> SysResult<libc::timespec> {
    let mut ts = zeroed::<libc::timespec>();
    // SAFETY: `ts` is a live, writable timespec, the buffer the call fills.
    Errno::result(unsafe { libc::clock_gettime(clock, &mut ts) })?;
    Ok(ts)
}

/// `/proc/self/fd/N`: reopens what host descriptor `fd` refers to, never a
/// path the guest could have changed since.
pub fn proc_self_fd(fd: RawFd) -> std::ffi::CString {
    std::ffi::CString::new(format!("/proc/self/fd/{fd}")).expect("no NUL in a number")
}

/// faccessat2(2) (Linux 5.8), which unlike faccessat honours
/// AT_SYMLINK_NOFOLLOW and AT_EACCESS.
pub fn faccessat2(dir: RawFd, name: &CStr, mode: i32, flags: i32) -> SysResult {
    // SAFETY: `name` is NUL-terminated and outlives the call; the other
    // arguments are integers.
    Errno::result(unsafe { libc::syscall(libc::SYS_faccessat2, dir, name.as_ptr(), mode, flags) })
}

/// sched_yield(2).
pub fn sched_yield() {
    rustix::thread::sched_yield();
}

/// pause(2): sleeps until a signal handler runs (or the process ends).
pub fn pause() {
    // SAFETY: pause takes no arguments and touches no memory.
    unsafe { libc::pause() };
}
