//! Operations on descriptors the guest already holds: I/O, duplication,
//! descriptor flags, locks, metadata through a descriptor, directories.

use super::Cx;
use std::ffi::CString;
use std::os::fd::{OwnedFd, RawFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use wali_core::errno::{Errno, SysResult};
use wali_core::fdtable::{FdEntry, FileKind, OpenFile};
use wali_core::memory::Mem;
use wali_core::process::mem;

// The guest's stat is the x86_64 kernel's, byte for byte.
const _: () = assert!(std::mem::size_of::<libc::stat>() == 144);
const _: () = assert!(std::mem::size_of::<libc::statfs>() == 120);

/// Most iovecs a single call takes (UIO_MAXIOV).
const IOV_MAX: i32 = 1024;

pub fn file(cx: &Cx, fd: i32) -> SysResult<Arc<OpenFile>> {
    cx.data().proc.fds.lock().unwrap().file(fd)
}

/// The host descriptor behind guest `fd`, for I/O.
fn io_fd(cx: &Cx, fd: i32) -> SysResult<(Arc<OpenFile>, RawFd)> {
    let f = file(cx, fd)?;
    let raw = f.raw_for_io()?;
    Ok((f, raw))
}

/// A write to a pipe nobody reads raises SIGPIPE on the writer, as on Linux;
/// the guest sees EPIPE only when it ignores or handles the signal.
fn sigpipe(cx: &mut Cx, r: SysResult) -> SysResult {
    if r == Err(Errno::EPIPE) {
        crate::signal_engine::raise_on_thread(cx.data_mut(), libc::SIGPIPE);
    }
    r
}

fn install(cx: &Cx, host: OwnedFd, cloexec: bool) -> SysResult {
    let file = OpenFile::host(host);
    cx.data()
        .proc
        .fds
        .lock()
        .unwrap()
        .insert(file, cloexec)
        .map(i64::from)
}

pub fn read(cx: &mut Cx, fd: i32, buf: i32, count: i32) -> SysResult {
    let (_f, raw) = io_fd(cx, fd)?;
    let len = count as u32 as usize;
    let p = mem(cx).addr(buf as u32, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel writes at most `len` of them.
    Errno::result(unsafe { libc::read(raw, p.cast(), len) } as i64)
}

pub fn write(cx: &mut Cx, fd: i32, buf: i32, count: i32) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw()?;
    let len = count as u32 as usize;
    let p = mem(cx).addr(buf as u32, len)?;
    let len = super::rlimit::write_len(cx, raw, None, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel reads at most `len` of them.
    let r = Errno::result(unsafe { libc::write(raw, p.cast(), len) } as i64);
    sigpipe(cx, r)
}

pub fn pread64(cx: &mut Cx, fd: i32, buf: i32, count: i32, offset: i64) -> SysResult {
    let (_f, raw) = io_fd(cx, fd)?;
    let len = count as u32 as usize;
    let p = mem(cx).addr(buf as u32, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel writes at most `len` of them.
    Errno::result(unsafe { libc::pread(raw, p.cast(), len, offset) } as i64)
}

pub fn pwrite64(cx: &mut Cx, fd: i32, buf: i32, count: i32, offset: i64) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw()?;
    let len = count as u32 as usize;
    let p = mem(cx).addr(buf as u32, len)?;
    let len = super::rlimit::write_len(cx, raw, Some(offset), len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel reads at most `len` of them.
    let r = Errno::result(unsafe { libc::pwrite(raw, p.cast(), len, offset) } as i64);
    sigpipe(cx, r)
}

/// Translates a guest iovec array (base u32, len u32) into host iovecs
/// pointing into guest memory, every buffer bounds-checked.
pub fn iovecs(m: &Mem, iov: i32, iovcnt: i32) -> SysResult<Vec<libc::iovec>> {
    if !(0..=IOV_MAX).contains(&iovcnt) {
        return Err(Errno::EINVAL);
    }
    let raw: Vec<[u32; 2]> = m.read_array(iov as u32, iovcnt as usize)?;
    let mut total: usize = 0;
    raw.iter()
        .map(|[base, len]| {
            total = total.checked_add(*len as usize).ok_or(Errno::EINVAL)?;
            if total > isize::MAX as usize {
                return Err(Errno::EINVAL);
            }
            Ok(libc::iovec {
                iov_base: m.addr(*base, *len as usize)?.cast(),
                iov_len: *len as usize,
            })
        })
        .collect()
}

/// The count of `v` for the host's vector I/O: `iovecs` built it from the
/// guest's int count.
fn iov_count(v: &[libc::iovec]) -> SysResult<i32> {
    i32::try_from(v.len()).map_err(|_| Errno::EINVAL)
}

pub fn readv(cx: &mut Cx, fd: i32, iov: i32, iovcnt: i32) -> SysResult {
    let (_f, raw) = io_fd(cx, fd)?;
    let v = iovecs(&mem(cx), iov, iovcnt)?;
    // SAFETY: each iovec in `v` spans guest bytes checked by `iovecs`, and `v` (with its length)
    // outlives the call.
    Errno::result(unsafe { libc::readv(raw, v.as_ptr(), iov_count(&v)?) } as i64)
}

pub fn writev(cx: &mut Cx, fd: i32, iov: i32, iovcnt: i32) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw()?;
    let mut v = iovecs(&mem(cx), iov, iovcnt)?;
    fsize_clamp(cx, raw, None, &mut v)?;
    // SAFETY: each iovec in `v` spans guest bytes checked by `iovecs`, and `v` (with its length)
    // outlives the call.
    let r = Errno::result(unsafe { libc::writev(raw, v.as_ptr(), iov_count(&v)?) } as i64);
    sigpipe(cx, r)
}

pub fn preadv(cx: &mut Cx, fd: i32, iov: i32, iovcnt: i32, offset: i64) -> SysResult {
    let (_f, raw) = io_fd(cx, fd)?;
    let v = iovecs(&mem(cx), iov, iovcnt)?;
    // SAFETY: each iovec in `v` spans guest bytes checked by `iovecs`, and `v` (with its length)
    // outlives the call.
    Errno::result(unsafe { libc::preadv(raw, v.as_ptr(), iov_count(&v)?, offset) } as i64)
}

pub fn pwritev(cx: &mut Cx, fd: i32, iov: i32, iovcnt: i32, offset: i64) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw()?;
    let mut v = iovecs(&mem(cx), iov, iovcnt)?;
    fsize_clamp(cx, raw, Some(offset), &mut v)?;
    // SAFETY: each iovec in `v` spans guest bytes checked by `iovecs`, and `v` (with its length)
    // outlives the call.
    let r = Errno::result(unsafe { libc::pwritev(raw, v.as_ptr(), iov_count(&v)?, offset) } as i64);
    sigpipe(cx, r)
}

/// Shortens a vectored write to what RLIMIT_FSIZE allows (see `rlimit`).
fn fsize_clamp(
    cx: &mut Cx,
    raw: RawFd,
    offset: Option<i64>,
    v: &mut Vec<libc::iovec>,
) -> SysResult<()> {
    let total = super::rlimit::iovecs_len(v);
    let allowed = super::rlimit::write_len(cx, raw, offset, total)?;
    if allowed < total {
        super::rlimit::clamp_iovecs(v, allowed);
    }
    Ok(())
}

pub fn close(cx: &mut Cx, fd: i32) -> SysResult {
    let entry = cx.data().proc.fds.lock().unwrap().remove(fd)?;
    drop(entry);
    Ok(0)
}

pub fn lseek(cx: &mut Cx, fd: i32, offset: i64, whence: i32) -> SysResult {
    let f = file(cx, fd)?;
    if f.kind == FileKind::VirtualDir {
        return match (whence, offset) {
            (libc::SEEK_SET, o) if o >= 0 => {
                f.virtual_pos.store(o as u64, Ordering::Relaxed);
                Ok(o)
            }
            (libc::SEEK_SET, _) => Err(Errno::EINVAL),
            (libc::SEEK_CUR, 0) => Ok(f.virtual_pos.load(Ordering::Relaxed) as i64),
            _ => Err(Errno::EINVAL),
        };
    }
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::lseek(f.raw()?, offset, whence) })
}

/// A stat for a directory that exists only in the guest's view.
pub fn virtual_dir_stat(path: &[u8]) -> libc::stat {
    let mut st = wali_core::host::zeroed::<libc::stat>();
    st.st_mode = libc::S_IFDIR | 0o555;
    st.st_nlink = 2;
    st.st_ino = virtual_ino(path);
    st.st_uid = wali_core::host::uid();
    st.st_gid = wali_core::host::gid();
    st.st_blksize = 4096;
    st
}

/// A stable inode number for a virtual directory (never 0).
pub fn virtual_ino(path: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish() | 1
}

pub fn fstat(cx: &mut Cx, fd: i32, statbuf: i32) -> SysResult {
    let f = file(cx, fd)?;
    let st = stat_of_file(&f)?;
    mem(cx).write(statbuf as u32, st)?;
    Ok(0)
}

pub fn stat_of_file(f: &OpenFile) -> SysResult<libc::stat> {
    if f.kind == FileKind::VirtualDir {
        return Ok(virtual_dir_stat(f.guest_path.as_deref().unwrap_or(b"/")));
    }
    wali_core::host::fstat(f.raw()?)
}

pub fn fstatfs(cx: &mut Cx, fd: i32, buf: i32) -> SysResult {
    let f = file(cx, fd)?;
    let st = match f.kind {
        FileKind::VirtualDir => {
            let mut st = wali_core::host::zeroed::<libc::statfs>();
            virtual_statfs(&mut st);
            st
        }
        FileKind::Host => wali_core::host::fstatfs(f.raw()?)?,
    };
    mem(cx).write(buf as u32, st)?;
    Ok(0)
}

/// The read-only, empty file system the virtual directories live on.
pub fn virtual_statfs(st: &mut libc::statfs) {
    st.f_type = 0x01021994; // TMPFS_MAGIC
    st.f_bsize = 4096;
    st.f_namelen = 255;
    st.f_frsize = 4096;
    statfs_add_flags(st, libc::ST_RDONLY | libc::ST_NOSUID | libc::ST_NODEV);
}

/// ORs mount flags into `f_flags` (offset 80 of the x86_64 struct; the libc
/// crate keeps the field private).
pub fn statfs_add_flags(st: &mut libc::statfs, flags: u64) {
    const F_FLAGS: usize = 80;
    const _: () = assert!(std::mem::size_of::<libc::statfs>() >= F_FLAGS + 8);
    let p = st as *mut libc::statfs as *mut u8;
    // SAFETY: bytes 80..88 lie inside `*st` (asserted above), which is
    // borrowed mutably; unaligned access makes no alignment claim.
    unsafe {
        let f = p.add(F_FLAGS) as *mut u64;
        f.write_unaligned(f.read_unaligned() | flags);
    }
}

pub fn pipe(cx: &mut Cx, pipefd: i32) -> SysResult {
    pipe2(cx, pipefd, 0)
}

pub fn pipe2(cx: &mut Cx, pipefd: i32, flags: i32) -> SysResult {
    if flags & !(libc::O_CLOEXEC | libc::O_NONBLOCK | libc::O_DIRECT) != 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    m.addr(pipefd as u32, 8)?;
    let (r, w) = wali_core::host::pipe2(flags | libc::O_CLOEXEC)?;
    let cloexec = flags & libc::O_CLOEXEC != 0;
    let mut table = cx.data().proc.fds.lock().unwrap();
    let gr = table.insert(OpenFile::host(r), cloexec)?;
    let gw = match table.insert(OpenFile::host(w), cloexec) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = table.remove(gr);
            return Err(e);
        }
    };
    drop(table);
    m.write(pipefd as u32, [gr as u32, gw as u32])?;
    Ok(0)
}

pub fn dup(cx: &mut Cx, oldfd: i32) -> SysResult {
    let mut table = cx.data().proc.fds.lock().unwrap();
    let file = table.file(oldfd)?;
    table.insert(file, false).map(i64::from)
}

fn dup_to(cx: &Cx, oldfd: i32, newfd: i32, cloexec: bool) -> SysResult {
    let mut table = cx.data().proc.fds.lock().unwrap();
    let file = table.file(oldfd)?;
    if newfd < 0 || newfd as usize >= table.limit {
        return Err(Errno::EBADF);
    }
    let old = table.put(newfd as usize, FdEntry { file, cloexec });
    drop(table);
    drop(old); // closes outside the lock
    Ok(newfd as i64)
}

pub fn dup2(cx: &mut Cx, oldfd: i32, newfd: i32) -> SysResult {
    if oldfd == newfd {
        file(cx, oldfd)?;
        return Ok(newfd as i64);
    }
    dup_to(cx, oldfd, newfd, false)
}

pub fn dup3(cx: &mut Cx, oldfd: i32, newfd: i32, flags: i32) -> SysResult {
    if flags & !libc::O_CLOEXEC != 0 || oldfd == newfd {
        return Err(Errno::EINVAL);
    }
    dup_to(cx, oldfd, newfd, flags & libc::O_CLOEXEC != 0)
}

pub fn fcntl(cx: &mut Cx, fd: i32, cmd: i32, arg: i64) -> SysResult {
    // The integer commands read the argument as an int, as the kernel does.
    let argi = wali_core::narrow::c_int(arg);
    match cmd {
        libc::F_DUPFD | libc::F_DUPFD_CLOEXEC => {
            let mut table = cx.data().proc.fds.lock().unwrap();
            let file = table.file(fd)?;
            let Ok(min) = usize::try_from(argi) else {
                return Err(Errno::EINVAL);
            };
            if min >= table.limit {
                return Err(Errno::EINVAL);
            }
            let cloexec = cmd == libc::F_DUPFD_CLOEXEC;
            table
                .insert_from(min, FdEntry { file, cloexec })
                .map(i64::from)
        }
        libc::F_GETFD => {
            let table = cx.data().proc.fds.lock().unwrap();
            Ok(if table.get(fd)?.cloexec {
                libc::FD_CLOEXEC as i64
            } else {
                0
            })
        }
        libc::F_SETFD => {
            let mut table = cx.data().proc.fds.lock().unwrap();
            table.get_mut(fd)?.cloexec = argi & libc::FD_CLOEXEC != 0;
            Ok(0)
        }
        libc::F_GETFL => {
            let f = file(cx, fd)?;
            match f.kind {
                FileKind::VirtualDir => {
                    Ok((libc::O_RDONLY | libc::O_DIRECTORY | libc::O_LARGEFILE) as i64)
                }
                // SAFETY: F_GETFL takes no argument and touches no memory.
                FileKind::Host => Errno::result(unsafe { libc::fcntl(f.raw()?, cmd) }),
            }
        }
        libc::F_SETFL
        | libc::F_GETOWN
        | libc::F_SETOWN
        | libc::F_SETPIPE_SZ
        | libc::F_GETPIPE_SZ
        | libc::F_ADD_SEALS
        | libc::F_GET_SEALS
        | libc::F_NOTIFY => {
            let f = file(cx, fd)?;
            // SAFETY: every command of this arm takes an int argument, so no guest value is used
            // as a pointer.
            Errno::result(unsafe { libc::fcntl(f.raw()?, cmd, argi) })
        }
        libc::F_GETLK
        | libc::F_SETLK
        | libc::F_SETLKW
        | libc::F_OFD_GETLK
        | libc::F_OFD_SETLK
        | libc::F_OFD_SETLKW => {
            let f = file(cx, fd)?;
            let m = mem(cx);
            // The guest's struct flock is the x86_64 one (32 bytes).
            let mut lock: libc::flock = m.read(wali_core::narrow::guest_u32(arg))?;
            let raw = f.raw()?;
            // SAFETY: the lock commands take a `struct flock *`; `lock` is a live, writable flock.
            Errno::result(unsafe { libc::fcntl(raw, cmd, &mut lock) })?;
            if cmd == libc::F_GETLK || cmd == libc::F_OFD_GETLK {
                m.write(wali_core::narrow::guest_u32(arg), lock)?;
            }
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

/// Terminal and descriptor ioctls. Anything not listed answers ENOTTY, so
/// requests such as TIOCSTI (injecting input into the host's terminal) never
/// reach the host.
pub fn ioctl(cx: &mut Cx, fd: i32, request: i32, argp: i32) -> SysResult {
    const TCGETS: i32 = 0x5401;
    const TCSETS: i32 = 0x5402;
    const TCSETSW: i32 = 0x5403;
    const TCSETSF: i32 = 0x5404;
    const TIOCGPGRP: i32 = 0x540F;
    const TIOCSPGRP: i32 = 0x5410;
    const TIOCGWINSZ: i32 = 0x5413;
    const TIOCSWINSZ: i32 = 0x5414;
    const FIONREAD: i32 = 0x541B;
    const FIONBIO: i32 = 0x5421;
    const FIONCLEX: i32 = 0x5450;
    const FIOCLEX: i32 = 0x5451;
    /// The kernel's struct termios (not glibc's): 4 flags, line, 19 cc.
    const KERNEL_TERMIOS: usize = 36;

    let f = file(cx, fd)?;
    let m = mem(cx);
    match request {
        FIOCLEX | FIONCLEX => {
            let mut table = cx.data().proc.fds.lock().unwrap();
            table.get_mut(fd)?.cloexec = request == FIOCLEX;
            Ok(0)
        }
        TCGETS => {
            let raw = f.raw()?;
            let mut buf = [0u8; 64];
            // SAFETY: TCGETS writes a kernel termios (36 bytes) into `buf`, a live 64-byte array.
            Errno::result(unsafe { libc::ioctl(raw, TCGETS as _, buf.as_mut_ptr()) })?;
            m.write_bytes(argp as u32, &buf[..KERNEL_TERMIOS])?;
            Ok(0)
        }
        TCSETS | TCSETSW | TCSETSF => {
            let raw = f.raw()?;
            let mut buf = [0u8; 64];
            buf[..KERNEL_TERMIOS].copy_from_slice(m.slice(argp as u32, KERNEL_TERMIOS)?);
            // SAFETY: TCSETS* read a kernel termios (36 bytes) from `buf`, a live 64-byte array.
            Errno::result(unsafe { libc::ioctl(raw, request as _, buf.as_ptr()) })
        }
        TIOCGWINSZ => {
            let mut ws = wali_core::host::zeroed::<libc::winsize>();
            // SAFETY: TIOCGWINSZ fills `ws`, a live, writable winsize.
            Errno::result(unsafe { libc::ioctl(f.raw()?, TIOCGWINSZ as _, &mut ws) })?;
            m.write(argp as u32, ws)?;
            Ok(0)
        }
        TIOCSWINSZ => {
            let ws: libc::winsize = m.read(argp as u32)?;
            // SAFETY: TIOCSWINSZ reads `ws`, a live winsize.
            Errno::result(unsafe { libc::ioctl(f.raw()?, TIOCSWINSZ as _, &ws) })
        }
        TIOCGPGRP | FIONREAD => {
            let mut v: i32 = 0;
            // SAFETY: TIOCGPGRP and FIONREAD write one int into `v`, a live local.
            Errno::result(unsafe { libc::ioctl(f.raw()?, request as _, &mut v) })?;
            m.write(argp as u32, v)?;
            Ok(0)
        }
        TIOCSPGRP | FIONBIO => {
            let v: i32 = m.read(argp as u32)?;
            // SAFETY: TIOCSPGRP and FIONBIO read one int from `v`, a live local.
            Errno::result(unsafe { libc::ioctl(f.raw()?, request as _, &v) })
        }
        _ => Err(Errno::ENOTTY),
    }
}

pub fn flock(cx: &mut Cx, fd: i32, operation: i32) -> SysResult {
    let f = file(cx, fd)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::flock(f.raw()?, operation) })
}

pub fn fsync(cx: &mut Cx, fd: i32) -> SysResult {
    let f = file(cx, fd)?;
    if f.kind == FileKind::VirtualDir {
        return Err(Errno::EINVAL);
    }
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::fsync(f.raw()?) })
}

pub fn fdatasync(cx: &mut Cx, fd: i32) -> SysResult {
    let f = file(cx, fd)?;
    if f.kind == FileKind::VirtualDir {
        return Err(Errno::EINVAL);
    }
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::fdatasync(f.raw()?) })
}

pub fn sync(_cx: &mut Cx) -> SysResult {
    // SAFETY: sync takes no arguments.
    unsafe { libc::sync() };
    Ok(0)
}

pub fn syncfs(cx: &mut Cx, fd: i32) -> SysResult {
    let f = file(cx, fd)?;
    match f.kind {
        FileKind::VirtualDir => Ok(0),
        // SAFETY: integer arguments only; no memory is read or written.
        FileKind::Host => Errno::result(unsafe { libc::syncfs(f.raw()?) }),
    }
}

/// The host descriptor of `f` for a change of its mode, owner or times
/// (`what`): EROFS in a read-only mount, EPERM on a granted host device.
pub fn writable_meta(cx: &Cx, f: &OpenFile, what: &str) -> SysResult<RawFd> {
    if f.read_only_mount {
        return Err(Errno::EROFS);
    }
    let raw = f.raw()?;
    if let Ok(st) = wali_core::host::fstat(raw) {
        let proc = &cx.data().proc;
        let path = f.guest_path.as_deref().unwrap_or(b"(descriptor)");
        super::fs::refuse_device(proc, &st, what, path)?;
    }
    Ok(raw)
}

pub fn ftruncate(cx: &mut Cx, fd: i32, length: i64) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw().map_err(|_| Errno::EINVAL)?;
    super::rlimit::grow_to(cx, raw, length)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::ftruncate(raw, length) })
}

pub fn fchmod(cx: &mut Cx, fd: i32, mode: i32) -> SysResult {
    let f = file(cx, fd)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::fchmod(writable_meta(cx, &f, "fchmod")?, mode as u32) })
}

pub fn fchown(cx: &mut Cx, fd: i32, owner: i32, group: i32) -> SysResult {
    let f = file(cx, fd)?;
    let raw = writable_meta(cx, &f, "fchown")?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::fchown(raw, owner as u32, group as u32) })
}

pub fn fadvise(cx: &mut Cx, fd: i32, offset: i64, len: i64, advice: i32) -> SysResult {
    let f = file(cx, fd)?;
    // posix_fadvise returns the error number instead of setting errno.
    // SAFETY: integer arguments only; no memory is read or written.
    match unsafe { libc::posix_fadvise(f.raw()?, offset, len, advice) } {
        0 => Ok(0),
        e => Err(Errno(e)),
    }
}

pub fn fallocate(cx: &mut Cx, fd: i32, mode: i32, offset: i64, len: i64) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw()?;
    if mode & libc::FALLOC_FL_KEEP_SIZE == 0 {
        super::rlimit::grow_to(cx, raw, offset.saturating_add(len))?;
    }
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::fallocate(raw, mode, offset, len) })
}

/// An optional `loff_t *` argument (sendfile, copy_file_range, splice): the
/// 8-byte value is read from guest memory before the call, the host call
/// updates a copy, and a successful call writes it back.
struct GuestOffset {
    ptr: u32,
    value: Option<i64>,
}

impl GuestOffset {
    fn read(m: &Mem, ptr: i32) -> SysResult<GuestOffset> {
        let value = if ptr != 0 {
            Some(m.read(ptr as u32)?)
        } else {
            None
        };
        Ok(GuestOffset {
            ptr: ptr as u32,
            value,
        })
    }

    /// The pointer for the host call (NULL when the guest passed NULL).
    fn host_ptr(&mut self) -> *mut i64 {
        self.value
            .as_mut()
            .map_or(std::ptr::null_mut(), |v| v as *mut i64)
    }

    fn write_back(&self, m: &Mem) -> SysResult<()> {
        match self.value {
            Some(v) => m.write(self.ptr, v),
            None => Ok(()),
        }
    }
}

pub fn sendfile(cx: &mut Cx, out_fd: i32, in_fd: i32, offset: i32, count: i32) -> SysResult {
    let out = file(cx, out_fd)?;
    let inp = file(cx, in_fd)?;
    let m = mem(cx);
    let mut off = GuestOffset::read(&m, offset)?;
    let (out_raw, in_raw) = (out.raw()?, inp.raw()?);
    let count = super::rlimit::write_len(cx, out_raw, None, count as u32 as usize)?;
    // SAFETY: `off.host_ptr()` is NULL or points at `off`'s own i64, alive across the call; the
    // data moves between descriptors, not through our memory.
    let r = Errno::result(unsafe { libc::sendfile(out_raw, in_raw, off.host_ptr(), count) } as i64);
    let n = sigpipe(cx, r)?;
    off.write_back(&m)?;
    Ok(n)
}

pub fn copy_file_range(
    cx: &mut Cx,
    fd_in: i32,
    off_in: i32,
    fd_out: i32,
    off_out: i32,
    len: i32,
    flags: i32,
) -> SysResult {
    transfer(
        cx,
        [fd_in, off_in, fd_out, off_out, len, flags],
        libc::copy_file_range,
    )
}

/// The host's copy_file_range or splice.
type TransferCall = unsafe extern "C" fn(
    libc::c_int,
    *mut libc::loff_t,
    libc::c_int,
    *mut libc::loff_t,
    libc::size_t,
    libc::c_uint,
) -> libc::ssize_t;

/// copy_file_range and splice: descriptors translated, the loff_t offsets
/// read and written back, EPIPE raising SIGPIPE (a pipe with no reader).
fn transfer(cx: &mut Cx, args: [i32; 6], call: TransferCall) -> SysResult {
    let [fd_in, off_in, fd_out, off_out, len, flags] = args;
    let fin = file(cx, fd_in)?;
    let fout = file(cx, fd_out)?;
    let m = mem(cx);
    let mut oi = GuestOffset::read(&m, off_in)?;
    let mut oo = GuestOffset::read(&m, off_out)?;
    let (in_raw, out_raw) = (fin.raw()?, fout.raw()?);
    let len = super::rlimit::write_len(cx, out_raw, oo.value, len as u32 as usize)?;
    // SAFETY: `call` is libc's copy_file_range or splice, whose offset pointers are NULL or the
    // i64s owned by `oi`/`oo`, alive across the call; the data moves between descriptors.
    let r = Errno::result(unsafe {
        call(
            in_raw,
            oi.host_ptr(),
            out_raw,
            oo.host_ptr(),
            len,
            flags as u32,
        )
    } as i64);
    let n = sigpipe(cx, r)?;
    oi.write_back(&m)?;
    oo.write_back(&m)?;
    Ok(n)
}

pub fn getdents64(cx: &mut Cx, fd: i32, dirp: i32, count: i32) -> SysResult {
    let f = file(cx, fd)?;
    let m = mem(cx);
    let len = count as u32 as usize;
    if f.kind == FileKind::VirtualDir {
        let path = f.guest_path.as_deref().unwrap_or(b"/");
        let buf = m.slice_mut(dirp as u32, len)?;
        return virtual_getdents(cx, &f, path, buf);
    }
    let p = m.addr(dirp as u32, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel writes at most `len` of them.
    let n = unsafe { libc::syscall(libc::SYS_getdents64, f.raw()?, p, len) };
    Errno::result(n)
}

/// Lists a virtual directory: ".", "..", then the next component of each
/// mount below it.
fn virtual_getdents(cx: &Cx, f: &OpenFile, path: &[u8], buf: &mut [u8]) -> SysResult {
    let proc = &cx.data().proc;
    let canon = wali_core::vfs::parse_canonical(path);
    let mut names: Vec<(Vec<u8>, u8)> = vec![
        (b".".to_vec(), libc::DT_DIR),
        (b"..".to_vec(), libc::DT_DIR),
    ];
    for child in proc.vfs.virtual_children(&canon) {
        let mut full = canon.clone();
        full.push(child.clone());
        let is_file = proc
            .vfs
            .mount_at(&full)
            .is_some_and(|m| !proc.vfs.mounts[m].is_dir);
        names.push((child, if is_file { libc::DT_REG } else { libc::DT_DIR }));
    }
    let mut pos = wali_core::narrow::usize_from(f.virtual_pos.load(Ordering::Relaxed));
    let mut written = 0;
    while pos < names.len() {
        let (name, dtype) = &names[pos];
        let reclen = (19 + name.len() + 1).div_ceil(8) * 8;
        if written + reclen > buf.len() {
            break;
        }
        let rec = &mut buf[written..written + reclen];
        rec.fill(0);
        let mut full = canon.clone();
        full.push(name.clone());
        rec[0..8].copy_from_slice(&virtual_ino(&wali_core::vfs::render(&full)).to_le_bytes());
        rec[8..16].copy_from_slice(&((pos + 1) as i64).to_le_bytes());
        // A name is at most NAME_MAX (255) bytes: the record fits a u16.
        let reclen16 = u16::try_from(reclen).map_err(|_| Errno::ENAMETOOLONG)?;
        rec[16..18].copy_from_slice(&reclen16.to_le_bytes());
        rec[18] = *dtype;
        rec[19..19 + name.len()].copy_from_slice(name);
        written += reclen;
        pos += 1;
    }
    if written == 0 && pos < names.len() {
        return Err(Errno::EINVAL); // buffer too small for one entry
    }
    f.virtual_pos.store(pos as u64, Ordering::Relaxed);
    Ok(written as i64)
}

pub fn memfd_create(cx: &mut Cx, name: i32, flags: i32) -> SysResult {
    let m = mem(cx);
    // Names longer than 249 bytes are EINVAL for memfd_create.
    let name = m.cstr(name as u32, 249).map_err(|e| {
        if e == Errno::ENAMETOOLONG {
            Errno::EINVAL
        } else {
            e
        }
    })?;
    let cname = CString::new(name).map_err(|_| Errno::EINVAL)?;
    let allowed = libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING;
    if flags as u32 & !allowed != 0 {
        return Err(Errno::EINVAL);
    }
    let host = wali_core::host::memfd_create(&cname, flags as u32 | libc::MFD_CLOEXEC)?;
    install(cx, host, flags as u32 & libc::MFD_CLOEXEC != 0)
}

pub fn close_range(cx: &mut Cx, first: i32, last: i32, flags: i32) -> SysResult {
    const CLOSE_RANGE_UNSHARE: i32 = 2;
    const CLOSE_RANGE_CLOEXEC: i32 = 4;
    let (first, last) = (first as u32, last as u32);
    if flags & !(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) != 0 || first > last {
        return Err(Errno::EINVAL);
    }
    let mut table = cx.data().proc.fds.lock().unwrap();
    let end = (last as usize).min(table.span().saturating_sub(1));
    let mut closed = Vec::new();
    for fd in (first as usize..=end).map_while(|fd| i32::try_from(fd).ok()) {
        if flags & CLOSE_RANGE_CLOEXEC != 0 {
            if let Ok(e) = table.get_mut(fd) {
                e.cloexec = true;
            }
        } else if let Ok(e) = table.remove(fd) {
            closed.push(e);
        }
    }
    drop(table);
    drop(closed);
    Ok(0)
}

pub fn splice(
    cx: &mut Cx,
    fd_in: i32,
    off_in: i32,
    fd_out: i32,
    off_out: i32,
    len: i32,
    flags: i32,
) -> SysResult {
    transfer(
        cx,
        [fd_in, off_in, fd_out, off_out, len, flags],
        libc::splice,
    )
}

pub fn preadv2(cx: &mut Cx, fd: i32, iov: i32, iovcnt: i32, offset: i64, flags: i32) -> SysResult {
    let (_f, raw) = io_fd(cx, fd)?;
    let v = iovecs(&mem(cx), iov, iovcnt)?;
    // Offset -1 reads at (and advances) the file position, as on Linux.
    // SAFETY: each iovec in `v` spans guest bytes checked by `iovecs`, and `v` (with its length)
    // outlives the call.
    Errno::result(unsafe { libc::preadv2(raw, v.as_ptr(), iov_count(&v)?, offset, flags) } as i64)
}

pub fn pwritev2(cx: &mut Cx, fd: i32, iov: i32, iovcnt: i32, offset: i64, flags: i32) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw()?;
    let mut v = iovecs(&mem(cx), iov, iovcnt)?;
    // Offset -1 writes at the file position.
    fsize_clamp(cx, raw, (offset != -1).then_some(offset), &mut v)?;
    let r = Errno::result(
        // SAFETY: each iovec in `v` spans guest bytes checked by `iovecs`, and `v` (with its
        // length) outlives the call.
        unsafe { libc::pwritev2(raw, v.as_ptr(), iov_count(&v)?, offset, flags) } as i64,
    );
    sigpipe(cx, r)
}
