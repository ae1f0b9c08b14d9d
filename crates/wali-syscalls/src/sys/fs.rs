//! Path operations, resolved in the guest's view of the mounts (see `vfs`).
//! Every final host call is made relative to the resolved parent directory
//! with NOFOLLOW semantics, so nothing the walker did not check is followed.

use super::fd::{file, virtual_dir_stat, virtual_statfs};
use super::Cx;
use std::ffi::CStr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::Arc;
use wali_core::errno::{Errno, SysResult};
use wali_core::fdtable::{FileKind, OpenFile};
use wali_core::memory::{read_timespec, Mem};
use wali_core::process::{mem, Process};
use wali_core::vfs::{parse_canonical, render, At, DirFd, Lookup, Node, Place};

const AT_FDCWD: i32 = libc::AT_FDCWD;

/// Where a lookup starts: the directory behind `dirfd` (or the cwd).
struct Start {
    dir: Option<Arc<OpenFile>>,
    cwd: Option<CwdSnapshot>,
}

/// The working directory as a lookup saw it when it started.
type CwdSnapshot = (wali_core::vfs::GuestPath, Option<(usize, Arc<OwnedFd>)>);

impl Start {
    fn new(cx: &Cx, dirfd: i32, path: &[u8]) -> SysResult<Start> {
        // Linux refuses an empty name before it looks at dirfd.
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        if path.starts_with(b"/") {
            return Ok(Start {
                dir: None,
                cwd: None,
            });
        }
        if dirfd == AT_FDCWD {
            let fs = cx.data().proc.fs.lock().unwrap();
            let cwd = (fs.cwd.clone(), fs.cwd_dir.clone());
            return Ok(Start {
                dir: None,
                cwd: Some(cwd),
            });
        }
        let f = file(cx, dirfd)?;
        if f.guest_path.is_none() {
            return Err(Errno::ENOTDIR);
        }
        Ok(Start {
            dir: Some(f),
            cwd: None,
        })
    }

    fn place<'a>(&'a self, proc: &'a Process, path: &[u8]) -> SysResult<Place<'a>> {
        if path.starts_with(b"/") {
            return Ok(Place {
                path: Vec::new(),
                at: At::Virtual,
            });
        }
        match &self.dir {
            None => match &self.cwd {
                Some((path, Some((mount, fd)))) => Ok(Place {
                    path: path.clone(),
                    at: At::Host {
                        mount: *mount,
                        fd: DirFd::Borrowed(fd.as_fd()),
                    },
                }),
                Some((path, None)) => Ok(Place {
                    path: path.clone(),
                    at: At::Virtual,
                }),
                None => proc.vfs.place(proc.fs.lock().unwrap().cwd.clone()),
            },
            Some(f) => {
                let path = parse_canonical(f.guest_path.as_deref().unwrap_or(b"/"));
                match (f.kind, f.mount) {
                    (FileKind::VirtualDir, _) => Ok(Place {
                        path,
                        at: At::Virtual,
                    }),
                    (FileKind::Host, Some(mount)) => {
                        let raw = f.raw()?;
                        let st = wali_core::host::fstat(raw)?;
                        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                            return Err(Errno::ENOTDIR);
                        }
                        Ok(Place {
                            path,
                            at: At::Host {
                                mount,
                                // SAFETY: `raw` is `f`'s descriptor, and
                                // `f` (in `Start`) outlives the lookup.
                                fd: DirFd::Borrowed(unsafe { BorrowedFd::borrow_raw(raw) }),
                            },
                        })
                    }
                    _ => Err(Errno::ENOTDIR),
                }
            }
        }
    }
}

/// Resolves `path` for a syscall: reads it from guest memory, starts at
/// `dirfd`, follows a final symlink when `follow`.
macro_rules! lookup {
    ($cx:expr, $proc:ident, $start:ident, $l:ident, $dirfd:expr, $path_ptr:expr, $follow:expr) => {
        let path_bytes = mem($cx).path($path_ptr as u32)?.to_vec();
        let $proc = $cx.data().proc.clone();
        let $start = Start::new($cx, $dirfd, &path_bytes)?;
        let place = $start.place(&$proc, &path_bytes)?;
        let $l = $proc.vfs.lookup(place, &path_bytes, $follow)?;
    };
}

/// Resolves `path` (already read from guest memory) relative to the cwd and
/// hands the lookup to `f` (AF_UNIX socket addresses use this). For a
/// creating caller, `writable` gives the (directory, name) to create in, or
/// the error mkdir would answer (EROFS, EEXIST).
pub fn with_lookup<R>(
    cx: &Cx,
    path: &[u8],
    follow: bool,
    f: impl FnOnce(&Process, &Lookup<'_>, SysResult<(RawFd, &CStr)>) -> SysResult<R>,
) -> SysResult<R> {
    with_lookup_at(cx, AT_FDCWD, path, follow, f)
}

/// [`with_lookup`] relative to `dirfd`.
fn with_lookup_at<R>(
    cx: &Cx,
    dirfd: i32,
    path: &[u8],
    follow: bool,
    f: impl FnOnce(&Process, &Lookup<'_>, SysResult<(RawFd, &CStr)>) -> SysResult<R>,
) -> SysResult<R> {
    let proc = cx.data().proc.clone();
    let start = Start::new(cx, dirfd, path)?;
    let place = start.place(&proc, path)?;
    let l = proc.vfs.lookup(place, path, follow)?;
    let w = writable_target(&proc, &l, Errno::EEXIST);
    f(&proc, &l, w)
}

/// What a path operation acts on, once the path is resolved.
#[derive(Clone, Copy)]
enum Target {
    /// An existing file whose metadata changes ([`meta_target`]); a final
    /// symlink is followed when `follow`.
    Meta { follow: bool },
    /// The same, for a change of mode, owner or times (`what`, for the
    /// trace): also refused on a granted host device.
    Attrs { follow: bool, what: &'static str },
    /// A name to create ([`writable_target`]); never follows a final symlink.
    New,
}

/// Resolves the guest path at `path` against `dirfd`, picks the host
/// (directory, name) pair `target` says (or its error) and makes the final
/// `*at` call with `f`.
fn at_target(
    cx: &Cx,
    dirfd: i32,
    path: i32,
    target: Target,
    f: impl FnOnce(RawFd, &CStr) -> SysResult,
) -> SysResult {
    let follow = matches!(
        target,
        Target::Meta { follow: true } | Target::Attrs { follow: true, .. }
    );
    lookup!(cx, proc, start, l, dirfd, path, follow);
    let (dir, name) = match target {
        Target::Meta { .. } => meta_target(&proc, &l)?,
        Target::Attrs { what, .. } => {
            let (dir, name) = meta_target(&proc, &l)?;
            if let Ok(st) = wali_core::host::fstatat(dir, name, final_at_flags(name)) {
                refuse_device(&proc, &st, what, &render(&l.path))?;
            }
            (dir, name)
        }
        Target::New => writable_target(&proc, &l, Errno::EEXIST)?,
    };
    f(dir, name)
}

/// EPERM (with a trace line) when `st` is a granted host device: `/dev/null`
/// and friends are shared with the host, whose programs need them as they are.
pub fn refuse_device(proc: &Process, st: &libc::stat, what: &str, path: &[u8]) -> SysResult<()> {
    if proc.vfs.is_granted_device(st) {
        proc.denied(format_args!("{what} {}", String::from_utf8_lossy(path)),
            "granted devices ([dev]) are read/write only: their host node's mode, owner and times never change",
        );
        return Err(Errno::EPERM);
    }
    Ok(())
}

/// The host (directory, name) pair a final `*at` call acts on.
fn target<'l>(proc: &'l Process, l: &'l Lookup<'_>) -> Option<(RawFd, &'l CStr)> {
    match &l.node {
        Node::Entry { dir, name, .. } => Some((dir.raw(), name.as_c_str())),
        Node::MountRoot { mount } => Some((proc.vfs.mounts[*mount].root.as_raw_fd(), c".")),
        _ => None,
    }
}

fn read_only(proc: &Process, l: &Lookup<'_>) -> bool {
    l.mount().is_none_or(|m| proc.vfs.mounts[m].read_only)
}

/// The error for changing something in a read-only place: EEXIST when it
/// already exists (Linux checks that first), else EROFS.
fn exists(dir: RawFd, name: &CStr) -> bool {
    wali_core::host::fstatat(dir, name, libc::AT_SYMLINK_NOFOLLOW).is_ok()
}

fn stat_lookup(proc: &Process, l: &Lookup<'_>) -> SysResult<libc::stat> {
    let st = match &l.node {
        Node::Entry { dir, name, .. } => {
            wali_core::host::fstatat(dir.raw(), name, libc::AT_SYMLINK_NOFOLLOW)?
        }
        Node::MountRoot { mount } | Node::FileMount { mount } => {
            wali_core::host::fstat(proc.vfs.mounts[*mount].root.as_raw_fd())?
        }
        Node::Virtual => virtual_dir_stat(&render(&l.path)),
        Node::VirtualMissing => return Err(Errno::ENOENT),
    };
    if l.must_be_dir && st.st_mode & libc::S_IFMT != libc::S_IFDIR {
        return Err(Errno::ENOTDIR);
    }
    Ok(st)
}

// ---- open ----------------------------------------------------------------

pub fn open(cx: &mut Cx, path: i32, flags: i32, mode: i32) -> SysResult {
    openat(cx, AT_FDCWD, path, flags, mode)
}

pub fn creat(cx: &mut Cx, path: i32, mode: i32) -> SysResult {
    openat(
        cx,
        AT_FDCWD,
        path,
        libc::O_CREAT | libc::O_WRONLY | libc::O_TRUNC,
        mode,
    )
}

pub fn openat(cx: &mut Cx, dirfd: i32, path: i32, flags: i32, mode: i32) -> SysResult {
    let creating = flags & libc::O_CREAT != 0;
    let exclusive = creating && flags & libc::O_EXCL != 0;
    let follow = flags & libc::O_NOFOLLOW == 0 && !exclusive;
    lookup!(cx, proc, start, l, dirfd, path, follow);
    let writing = flags & libc::O_ACCMODE != libc::O_RDONLY || flags & libc::O_TRUNC != 0;
    let cloexec = flags & libc::O_CLOEXEC != 0;
    let guest_path = render(&l.path);
    let host_flags = flags | libc::O_CLOEXEC;

    let (host, mount, ro) = match &l.node {
        Node::VirtualMissing => {
            return Err(if creating {
                Errno::EROFS
            } else {
                Errno::ENOENT
            })
        }
        Node::Virtual => {
            if exclusive {
                return Err(Errno::EEXIST);
            }
            if writing || creating {
                return Err(Errno::EISDIR);
            }
            let f = OpenFile::virtual_dir(&guest_path);
            let fd = proc.fds.lock().unwrap().insert(f, cloexec)?;
            return Ok(fd as i64);
        }
        Node::FileMount { mount } => {
            let m = &proc.vfs.mounts[*mount];
            if exclusive {
                return Err(Errno::EEXIST);
            }
            if m.read_only && writing {
                return Err(Errno::EROFS);
            }
            if flags & libc::O_DIRECTORY != 0 {
                return Err(Errno::ENOTDIR);
            }
            // Reopen through the O_PATH root: the mount's file, never a
            // path the guest could have changed.
            let fd = wali_core::host::open(
                &wali_core::host::proc_self_fd(m.root.as_raw_fd()),
                host_flags & !(libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW),
                0,
            )?;
            (fd, *mount, m.read_only)
        }
        Node::Entry { .. } | Node::MountRoot { .. } => {
            let (dir, name) = target(&proc, &l).expect("entry or mount root");
            let mount = l.mount().expect("host node");
            let ro = proc.vfs.mounts[mount].read_only;
            let mut host_flags = host_flags;
            if ro && (writing || creating) {
                let present = exists(dir, name);
                if exclusive && present {
                    return Err(Errno::EEXIST);
                }
                if writing || !present {
                    return Err(if present || creating {
                        Errno::EROFS
                    } else {
                        Errno::ENOENT
                    });
                }
                host_flags &= !libc::O_CREAT;
            }
            if l.must_be_dir {
                if creating {
                    return Err(Errno::EISDIR);
                }
                host_flags |= libc::O_DIRECTORY;
            }
            if name.to_bytes() != b"." {
                host_flags |= libc::O_NOFOLLOW;
            }
            let nodev = proc.vfs.mounts[mount].nodev;
            if nodev
                && is_device(wali_core::host::fstatat(
                    dir,
                    name,
                    libc::AT_SYMLINK_NOFOLLOW,
                ))
            {
                nodev_denied(&proc, &guest_path);
                return Err(Errno::EACCES);
            }
            let fd =
                wali_core::host::openat(dir, name, host_flags, (mode & 0o7777) as libc::mode_t)?;
            // A device swapped in after the check: refused all the same
            // (dropping `fd` closes it).
            if nodev && is_device(wali_core::host::fstat(fd.as_raw_fd())) {
                nodev_denied(&proc, &guest_path);
                return Err(Errno::EACCES);
            }
            (fd, mount, ro)
        }
    };
    let f = OpenFile::with_path(host, &guest_path, mount, ro);
    let fd = proc.fds.lock().unwrap().insert(f, cloexec)?;
    Ok(fd as i64)
}

/// The file a successful stat describes is a character or block device.
fn is_device(st: SysResult<libc::stat>) -> bool {
    st.is_ok_and(|st| matches!(st.st_mode & libc::S_IFMT, libc::S_IFCHR | libc::S_IFBLK))
}

fn nodev_denied(proc: &wali_core::process::Process, guest_path: &[u8]) {
    proc.denied(
        format_args!(
            "open {:?}: a device file",
            String::from_utf8_lossy(guest_path)
        ),
        "mount nodev",
    );
}

// ---- stat family --------------------------------------------------------

pub fn stat(cx: &mut Cx, path: i32, statbuf: i32) -> SysResult {
    newfstatat(cx, AT_FDCWD, path, statbuf, 0)
}

pub fn lstat(cx: &mut Cx, path: i32, statbuf: i32) -> SysResult {
    newfstatat(cx, AT_FDCWD, path, statbuf, libc::AT_SYMLINK_NOFOLLOW)
}

fn empty_path(m: &Mem, path: i32) -> SysResult<bool> {
    Ok(m.path(path as u32)?.is_empty())
}

pub fn newfstatat(cx: &mut Cx, dirfd: i32, path: i32, statbuf: i32, flags: i32) -> SysResult {
    let valid = libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH | libc::AT_NO_AUTOMOUNT;
    if flags & !valid != 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    if flags & libc::AT_EMPTY_PATH != 0 && empty_path(&m, path)? {
        if dirfd == AT_FDCWD {
            let proc = cx.data().proc.clone();
            let cwd = render(&proc.fs.lock().unwrap().cwd);
            let l = proc.vfs.lookup(proc.vfs.place(Vec::new())?, &cwd, true)?;
            m.write(statbuf as u32, stat_lookup(&proc, &l)?)?;
            return Ok(0);
        }
        let f = file(cx, dirfd)?;
        let st = super::fd::stat_of_file(&f)?;
        m.write(statbuf as u32, st)?;
        return Ok(0);
    }
    m.addr(statbuf as u32, std::mem::size_of::<libc::stat>())?;
    lookup!(
        cx,
        proc,
        start,
        l,
        dirfd,
        path,
        flags & libc::AT_SYMLINK_NOFOLLOW == 0
    );
    let st = stat_lookup(&proc, &l)?;
    m.write(statbuf as u32, st)?;
    Ok(0)
}

pub fn statx(
    cx: &mut Cx,
    dirfd: i32,
    path: i32,
    flags: i32,
    mask: i32,
    statxbuf: i32,
) -> SysResult {
    const STATX_SIZE: usize = 256;
    const STATX_RESERVED: u32 = 0x8000_0000;
    let sync_bits = 0x6000; // AT_STATX_SYNC_TYPE
    let valid = libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH | libc::AT_NO_AUTOMOUNT | sync_bits;
    if flags & !valid != 0 || flags & sync_bits == sync_bits || mask as u32 & STATX_RESERVED != 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    // EFAULT before any lookup, as Linux.
    m.addr(statxbuf as u32, STATX_SIZE)?;
    if flags & libc::AT_EMPTY_PATH != 0 && empty_path(&m, path)? {
        let f = if dirfd == AT_FDCWD {
            None
        } else {
            Some(file(cx, dirfd)?)
        };
        return match f {
            Some(f) if f.kind == FileKind::Host => host_statx(
                f.raw()?,
                c"",
                libc::AT_EMPTY_PATH | (flags & sync_bits),
                mask,
                &m,
                statxbuf,
            ),
            Some(f) => {
                write_virtual_statx(&m, statxbuf, f.guest_path.as_deref().unwrap_or(b"/"))?;
                Ok(0)
            }
            None => {
                let cwd = render(&cx.data().proc.fs.lock().unwrap().cwd);
                let proc = cx.data().proc.clone();
                let l = proc.vfs.lookup(proc.vfs.place(Vec::new())?, &cwd, true)?;
                statx_lookup(&proc, &l, flags & sync_bits, mask, &m, statxbuf)
            }
        };
    }
    lookup!(
        cx,
        proc,
        start,
        l,
        dirfd,
        path,
        flags & libc::AT_SYMLINK_NOFOLLOW == 0
    );
    statx_lookup(&proc, &l, flags & sync_bits, mask, &m, statxbuf)
}

/// statx(2) of `name` in host directory `dir`, written straight into the
/// guest's buffer at `buf`.
fn host_statx(dir: RawFd, name: &CStr, flags: i32, mask: i32, m: &Mem, buf: i32) -> SysResult {
    const STATX_SIZE: usize = 256;
    let out = m.addr(buf as u32, STATX_SIZE)?;
    // SAFETY: `out` is STATX_SIZE bytes of guest memory checked in bounds by
    // `addr`, and the kernel writes at most sizeof(struct statx) = 256 bytes
    // there; `name` is NUL-terminated and outlives the call.
    Errno::result(unsafe { libc::syscall(libc::SYS_statx, dir, name.as_ptr(), flags, mask, out) })
}

fn statx_lookup(
    proc: &Process,
    l: &Lookup<'_>,
    sync: i32,
    mask: i32,
    m: &Mem,
    buf: i32,
) -> SysResult {
    match &l.node {
        Node::Entry { dir, name, .. } => {
            host_statx(
                dir.raw(),
                name,
                libc::AT_SYMLINK_NOFOLLOW | sync,
                mask,
                m,
                buf,
            )?;
        }
        Node::MountRoot { mount } | Node::FileMount { mount } => {
            let root = proc.vfs.mounts[*mount].root.as_raw_fd();
            host_statx(root, c"", libc::AT_EMPTY_PATH | sync, mask, m, buf)?;
        }
        Node::Virtual => write_virtual_statx(m, buf, &render(&l.path))?,
        Node::VirtualMissing => return Err(Errno::ENOENT),
    }
    if l.must_be_dir {
        let mode: u16 = m.read((buf as u32).wrapping_add(0x1c))?;
        if mode as u32 & libc::S_IFMT != libc::S_IFDIR {
            return Err(Errno::ENOTDIR);
        }
    }
    Ok(0)
}

fn write_virtual_statx(m: &Mem, buf: i32, path: &[u8]) -> SysResult<()> {
    let st = virtual_dir_stat(path);
    let mut raw = [0u8; 256];
    raw[0..4].copy_from_slice(&0x7ffu32.to_le_bytes()); // STATX_BASIC_STATS
    raw[4..8].copy_from_slice(&4096u32.to_le_bytes()); // blksize
                                                       // statx's nlink is 32 bits, as the kernel's own count.
    let nlink = u32::try_from(st.st_nlink).unwrap_or(u32::MAX);
    raw[0x10..0x14].copy_from_slice(&nlink.to_le_bytes());
    raw[0x14..0x18].copy_from_slice(&st.st_uid.to_le_bytes());
    raw[0x18..0x1c].copy_from_slice(&st.st_gid.to_le_bytes());
    // The mode's type and permission bits fill 16 bits, statx's field.
    raw[0x1c..0x1e].copy_from_slice(&st.st_mode.to_le_bytes()[..2]);
    raw[0x20..0x28].copy_from_slice(&st.st_ino.to_le_bytes());
    m.write_bytes(buf as u32, &raw)
}

// ---- access --------------------------------------------------------------

pub fn access(cx: &mut Cx, path: i32, mode: i32) -> SysResult {
    faccessat2(cx, AT_FDCWD, path, mode, 0)
}

pub fn faccessat(cx: &mut Cx, dirfd: i32, path: i32, mode: i32, _flags: i32) -> SysResult {
    // The kernel's faccessat has no flags argument: it is always 0.
    faccessat2(cx, dirfd, path, mode, 0)
}

pub fn faccessat2(cx: &mut Cx, dirfd: i32, path: i32, mode: i32, flags: i32) -> SysResult {
    if mode & !(libc::R_OK | libc::W_OK | libc::X_OK) != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & !(libc::AT_EACCESS | libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    lookup!(
        cx,
        proc,
        start,
        l,
        dirfd,
        path,
        flags & libc::AT_SYMLINK_NOFOLLOW == 0
    );
    match &l.node {
        Node::VirtualMissing => Err(Errno::ENOENT),
        Node::Virtual => {
            if mode & libc::W_OK != 0 {
                Err(Errno::EROFS)
            } else {
                Ok(0)
            }
        }
        Node::FileMount { mount } => {
            let m = &proc.vfs.mounts[*mount];
            if m.read_only && mode & libc::W_OK != 0 {
                return Err(Errno::EROFS);
            }
            let p = wali_core::host::proc_self_fd(m.root.as_raw_fd());
            // SAFETY: `p` is NUL-terminated and outlives the call.
            Errno::result(unsafe {
                libc::faccessat(AT_FDCWD, p.as_ptr(), mode, flags & libc::AT_EACCESS)
            })
        }
        _ => {
            let (dir, name) = target(&proc, &l).unwrap();
            wali_core::host::faccessat2(
                dir,
                name,
                mode,
                libc::AT_SYMLINK_NOFOLLOW | (flags & libc::AT_EACCESS),
            )?;
            if mode & libc::W_OK != 0 && read_only(&proc, &l) {
                return Err(Errno::EROFS);
            }
            if l.must_be_dir {
                stat_lookup(&proc, &l)?;
            }
            Ok(0)
        }
    }
}

// ---- creating and removing ---------------------------------------------------

/// The (dir, name) in which to create or remove something, or the error a
/// read-only or virtual place gives.
fn writable_target<'l>(
    proc: &'l Process,
    l: &'l Lookup<'_>,
    busy: Errno,
) -> SysResult<(RawFd, &'l CStr)> {
    match &l.node {
        Node::VirtualMissing => Err(Errno::EROFS),
        Node::Virtual | Node::MountRoot { .. } | Node::FileMount { .. } => Err(busy),
        Node::Entry { dir, name, .. } => {
            if read_only(proc, l) {
                return Err(if exists(dir.raw(), name) && busy == Errno::EEXIST {
                    Errno::EEXIST
                } else {
                    Errno::EROFS
                });
            }
            Ok((dir.raw(), name.as_c_str()))
        }
    }
}

pub fn mkdir(cx: &mut Cx, path: i32, mode: i32) -> SysResult {
    mkdirat(cx, AT_FDCWD, path, mode)
}

pub fn mkdirat(cx: &mut Cx, dirfd: i32, path: i32, mode: i32) -> SysResult {
    at_target(cx, dirfd, path, Target::New, |dir, name| {
        // SAFETY: `name` is NUL-terminated and outlives the call.
        Errno::result(unsafe { libc::mkdirat(dir, name.as_ptr(), mode as u32) })
    })
}

pub fn mknod(cx: &mut Cx, path: i32, mode: i32, dev: i64) -> SysResult {
    mknodat(cx, AT_FDCWD, path, mode, dev)
}

pub fn mknodat(cx: &mut Cx, dirfd: i32, path: i32, mode: i32, _dev: i64) -> SysResult {
    let kind = mode as u32 & libc::S_IFMT;
    if kind == libc::S_IFCHR || kind == libc::S_IFBLK || kind == libc::S_IFDIR {
        return Err(Errno::EPERM);
    }
    if !matches!(kind, 0 | libc::S_IFREG | libc::S_IFIFO | libc::S_IFSOCK) {
        return Err(Errno::EINVAL);
    }
    at_target(cx, dirfd, path, Target::New, |dir, name| {
        // SAFETY: `name` is NUL-terminated and outlives the call.
        Errno::result(unsafe { libc::mknodat(dir, name.as_ptr(), mode as u32, 0) })
    })
}

pub fn rmdir(cx: &mut Cx, path: i32) -> SysResult {
    unlinkat(cx, AT_FDCWD, path, libc::AT_REMOVEDIR)
}

pub fn unlink(cx: &mut Cx, path: i32) -> SysResult {
    unlinkat(cx, AT_FDCWD, path, 0)
}

pub fn unlinkat(cx: &mut Cx, dirfd: i32, path: i32, flags: i32) -> SysResult {
    if flags & !libc::AT_REMOVEDIR != 0 {
        return Err(Errno::EINVAL);
    }
    lookup!(cx, proc, start, l, dirfd, path, false);
    let busy = match (&l.node, flags & libc::AT_REMOVEDIR != 0) {
        (Node::VirtualMissing, _) => return Err(Errno::ENOENT),
        (Node::Virtual, false) => Errno::EISDIR,
        _ => Errno::EBUSY,
    };
    // The walker resolves a final "." or ".." away; Linux refuses them
    // (rmdir: EINVAL and ENOTEMPTY, unlink: EISDIR).
    let m = mem(cx);
    let last = m
        .path(path as u32)?
        .split(|&b| b == b'/')
        .rfind(|c| !c.is_empty());
    match (last, flags & libc::AT_REMOVEDIR != 0) {
        (Some(b".") | Some(b".."), false) => return Err(Errno::EISDIR),
        (Some(b"."), true) => return Err(Errno::EINVAL),
        (Some(b".."), true) => return Err(Errno::ENOTEMPTY),
        _ => {}
    }
    let (dir, name) = writable_target(&proc, &l, busy)?;
    if l.must_be_dir && flags & libc::AT_REMOVEDIR == 0 {
        // unlink("file/"): the trailing slash asks for a directory.
        let st = stat_lookup(&proc, &l)?;
        return Err(if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
            Errno::EISDIR
        } else {
            Errno::ENOTDIR
        });
    }
    // SAFETY: `name` is NUL-terminated and outlives the call.
    Errno::result(unsafe { libc::unlinkat(dir, name.as_ptr(), flags) })
}

pub fn rename(cx: &mut Cx, oldpath: i32, newpath: i32) -> SysResult {
    renameat2(cx, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0)
}

pub fn renameat(
    cx: &mut Cx,
    olddirfd: i32,
    oldpath: i32,
    newdirfd: i32,
    newpath: i32,
) -> SysResult {
    renameat2(cx, olddirfd, oldpath, newdirfd, newpath, 0)
}

pub fn renameat2(
    cx: &mut Cx,
    olddirfd: i32,
    oldpath: i32,
    newdirfd: i32,
    newpath: i32,
    flags: i32,
) -> SysResult {
    let old_missing_ok = false;
    let _ = old_missing_ok;
    let m = mem(cx);
    let new_bytes = m.path(newpath as u32)?.to_vec();
    lookup!(cx, proc, start, l, olddirfd, oldpath, false);
    if matches!(l.node, Node::VirtualMissing) {
        return Err(Errno::ENOENT);
    }
    let new_start = Start::new(cx, newdirfd, &new_bytes)?;
    let new_place = new_start.place(&proc, &new_bytes)?;
    let nl = proc.vfs.lookup(new_place, &new_bytes, false)?;
    // Linux answers EXDEV before it looks at either mount's writability.
    if l.mount() != nl.mount() && !matches!(nl.node, Node::VirtualMissing) {
        return Err(Errno::EXDEV);
    }
    let (od, on) = writable_target(&proc, &l, Errno::EBUSY)?;
    let (nd, nn) = writable_target(&proc, &nl, Errno::EBUSY)?;
    if l.must_be_dir || nl.must_be_dir {
        // A trailing slash on either name asks for a directory.
        let st = stat_lookup(&proc, &l)?;
        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            return Err(Errno::ENOTDIR);
        }
    }
    // SAFETY: both names are NUL-terminated and outlive the call.
    Errno::result(unsafe {
        libc::syscall(libc::SYS_renameat2, od, on.as_ptr(), nd, nn.as_ptr(), flags)
    })
}

pub fn link(cx: &mut Cx, oldpath: i32, newpath: i32) -> SysResult {
    linkat(cx, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0)
}

pub fn linkat(
    cx: &mut Cx,
    olddirfd: i32,
    oldpath: i32,
    newdirfd: i32,
    newpath: i32,
    flags: i32,
) -> SysResult {
    if flags & !(libc::AT_SYMLINK_FOLLOW | libc::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    if flags & libc::AT_EMPTY_PATH != 0 && empty_path(&m, oldpath)? {
        // Needs CAP_DAC_READ_SEARCH on Linux; the sandbox has none.
        return Err(Errno::ENOENT);
    }
    let new_bytes = m.path(newpath as u32)?.to_vec();
    lookup!(
        cx,
        proc,
        start,
        l,
        olddirfd,
        oldpath,
        flags & libc::AT_SYMLINK_FOLLOW != 0
    );
    let (od, on) = match &l.node {
        Node::Entry { dir, name, .. } => (dir.raw(), name.as_c_str()),
        Node::VirtualMissing => return Err(Errno::ENOENT),
        Node::FileMount { .. } => return Err(Errno::EXDEV),
        _ => return Err(Errno::EPERM), // hard links to directories
    };
    let new_start = Start::new(cx, newdirfd, &new_bytes)?;
    let new_place = new_start.place(&proc, &new_bytes)?;
    let nl = proc.vfs.lookup(new_place, &new_bytes, false)?;
    let (nd, nn) = writable_target(&proc, &nl, Errno::EEXIST)?;
    if l.mount() != nl.mount() {
        return Err(Errno::EXDEV);
    }
    // SAFETY: both names are NUL-terminated and outlive the call.
    Errno::result(unsafe { libc::linkat(od, on.as_ptr(), nd, nn.as_ptr(), 0) })
}

pub fn symlink(cx: &mut Cx, target: i32, linkpath: i32) -> SysResult {
    symlinkat(cx, target, AT_FDCWD, linkpath)
}

pub fn symlinkat(cx: &mut Cx, target: i32, newdirfd: i32, linkpath: i32) -> SysResult {
    let m = mem(cx);
    let target_bytes = std::ffi::CString::new(m.path(target as u32)?).map_err(|_| Errno::EINVAL)?;
    if target_bytes.as_bytes().is_empty() {
        return Err(Errno::ENOENT);
    }
    at_target(cx, newdirfd, linkpath, Target::New, |dir, name| {
        // SAFETY: both strings are NUL-terminated and outlive the call.
        Errno::result(unsafe { libc::symlinkat(target_bytes.as_ptr(), dir, name.as_ptr()) })
    })
}

pub fn readlink(cx: &mut Cx, path: i32, buf: i32, bufsiz: i32) -> SysResult {
    readlinkat(cx, AT_FDCWD, path, buf, bufsiz)
}

pub fn readlinkat(cx: &mut Cx, dirfd: i32, path: i32, buf: i32, bufsiz: i32) -> SysResult {
    if bufsiz <= 0 {
        return Err(Errno::EINVAL);
    }
    lookup!(cx, proc, start, l, dirfd, path, false);
    match &l.node {
        Node::Entry { dir, name, .. } => {
            let out = mem(cx).addr(buf as u32, bufsiz as usize)?;
            // SAFETY: `out` is `bufsiz` bytes of guest memory checked in
            // bounds by `addr`, and readlinkat writes at most `bufsiz`.
            Errno::result(unsafe {
                libc::readlinkat(dir.raw(), name.as_ptr(), out.cast(), bufsiz as usize)
            } as i64)
        }
        Node::VirtualMissing => Err(Errno::ENOENT),
        _ => Err(Errno::EINVAL),
    }
}

// ---- metadata changes --------------------------------------------------------

/// The (dir, name) whose metadata may change (follows a final symlink when
/// asked): EROFS on read-only mounts and virtual directories.
fn meta_target<'l>(proc: &'l Process, l: &'l Lookup<'_>) -> SysResult<(RawFd, &'l CStr)> {
    match &l.node {
        Node::VirtualMissing => Err(Errno::ENOENT),
        Node::Virtual => Err(Errno::EROFS),
        Node::FileMount { mount } => {
            if proc.vfs.mounts[*mount].read_only {
                Err(Errno::EROFS)
            } else {
                Ok((proc.vfs.mounts[*mount].root.as_raw_fd(), c""))
            }
        }
        _ => {
            let (dir, name) = target(proc, l).unwrap();
            if read_only(proc, l) {
                if !exists(dir, name) {
                    return Err(Errno::ENOENT);
                }
                return Err(Errno::EROFS);
            }
            Ok((dir, name))
        }
    }
}

pub fn chmod(cx: &mut Cx, path: i32, mode: i32) -> SysResult {
    fchmodat(cx, AT_FDCWD, path, mode, 0)
}

pub fn fchmodat(cx: &mut Cx, dirfd: i32, path: i32, mode: i32, flags: i32) -> SysResult {
    if flags & !libc::AT_SYMLINK_NOFOLLOW != 0 {
        return Err(Errno::EINVAL);
    }
    let follow = flags & libc::AT_SYMLINK_NOFOLLOW == 0;
    let target = Target::Attrs {
        follow,
        what: "chmod",
    };
    at_target(cx, dirfd, path, target, |dir, name| {
        // fchmodat2 (Linux 6.6) takes AT_SYMLINK_NOFOLLOW, so a symlink
        // swapped in after the walk is refused rather than followed.
        const SYS_FCHMODAT2: libc::c_long = 452;
        let at_flags = final_at_flags(name);
        // SAFETY: `name` is NUL-terminated and outlives the call.
        let r = unsafe { libc::syscall(SYS_FCHMODAT2, dir, name.as_ptr(), mode as u32, at_flags) };
        match Errno::result(r) {
            Err(Errno::ENOSYS) => chmod_via_opath(dir, name, mode),
            Err(Errno::ENOTSUP) if !follow => Err(Errno::ENOTSUP),
            r => r,
        }
    })
}

/// The `*at` flags for the final call on a resolved (dir, name): an empty
/// name means the directory descriptor itself (a file mount's root).
fn final_at_flags(name: &CStr) -> i32 {
    if name.is_empty() {
        libc::AT_EMPTY_PATH
    } else {
        libc::AT_SYMLINK_NOFOLLOW
    }
}

/// For kernels before fchmodat2: chmod through an O_PATH|O_NOFOLLOW handle.
fn chmod_via_opath(dir: RawFd, name: &CStr, mode: i32) -> SysResult {
    let fd = wali_core::host::openat(
        dir,
        name,
        libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        0,
    )?;
    let p = wali_core::host::proc_self_fd(fd.as_raw_fd());
    // SAFETY: `p` is NUL-terminated and outlives the call.
    Errno::result(unsafe { libc::chmod(p.as_ptr(), mode as u32) })
}

pub fn chown(cx: &mut Cx, path: i32, owner: i32, group: i32) -> SysResult {
    fchownat(cx, AT_FDCWD, path, owner, group, 0)
}

pub fn lchown(cx: &mut Cx, path: i32, owner: i32, group: i32) -> SysResult {
    fchownat(cx, AT_FDCWD, path, owner, group, libc::AT_SYMLINK_NOFOLLOW)
}

pub fn fchownat(
    cx: &mut Cx,
    dirfd: i32,
    path: i32,
    owner: i32,
    group: i32,
    flags: i32,
) -> SysResult {
    if flags & !(libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    if flags & libc::AT_EMPTY_PATH != 0 && empty_path(&m, path)? {
        return super::fd::fchown(cx, dirfd, owner, group);
    }
    let follow = flags & libc::AT_SYMLINK_NOFOLLOW == 0;
    let target = Target::Attrs {
        follow,
        what: "chown",
    };
    at_target(cx, dirfd, path, target, |dir, name| {
        let at_flags = final_at_flags(name);
        // SAFETY: `name` is NUL-terminated and outlives the call.
        Errno::result(unsafe {
            libc::fchownat(dir, name.as_ptr(), owner as u32, group as u32, at_flags)
        })
    })
}

pub fn utimensat(cx: &mut Cx, dirfd: i32, path: i32, times: i32, flags: i32) -> SysResult {
    if flags & !(libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let ts = if times == 0 {
        None
    } else {
        Some([
            read_timespec(&m, times as u32)?,
            read_timespec(&m, (times as u32).wrapping_add(16))?,
        ])
    };
    let tsp = ts.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
    if path == 0 || (flags & libc::AT_EMPTY_PATH != 0 && empty_path(&m, path)?) {
        // futimens(dirfd, times)
        let f = file(cx, dirfd)?;
        let raw = super::fd::writable_meta(cx, &f, "futimens")?;
        // SAFETY: `tsp` is NULL or points at the two timespecs in `ts`,
        // alive across the call.
        return Errno::result(unsafe { libc::futimens(raw, tsp) });
    }
    let follow = flags & libc::AT_SYMLINK_NOFOLLOW == 0;
    let target = Target::Attrs {
        follow,
        what: "utimensat",
    };
    at_target(cx, dirfd, path, target, |dir, name| {
        set_times_at(dir, name, tsp)
    })
}

/// utimensat on a resolved (dir, name); `tsp` is NULL or two timespecs.
fn set_times_at(dir: RawFd, name: &CStr, tsp: *const libc::timespec) -> SysResult {
    // SAFETY: `name` is NUL-terminated; every caller passes a `tsp` that is
    // NULL or two timespecs alive across this call.
    Errno::result(unsafe { libc::utimensat(dir, name.as_ptr(), tsp, final_at_flags(name)) })
}

/// Converts a guest `struct timeval[2]` (or NULL) to a timespec pair.
fn timevals(m: &Mem, times: i32) -> SysResult<Option<[libc::timespec; 2]>> {
    if times == 0 {
        return Ok(None);
    }
    let raw: [i64; 4] = [
        m.read(times as u32)?,
        m.read((times as u32).wrapping_add(8))?,
        m.read((times as u32).wrapping_add(16))?,
        m.read((times as u32).wrapping_add(24))?,
    ];
    if raw[1] < 0 || raw[1] >= 1_000_000 || raw[3] < 0 || raw[3] >= 1_000_000 {
        return Err(Errno::EINVAL);
    }
    Ok(Some([
        libc::timespec {
            tv_sec: raw[0],
            tv_nsec: raw[1] * 1000,
        },
        libc::timespec {
            tv_sec: raw[2],
            tv_nsec: raw[3] * 1000,
        },
    ]))
}

fn set_times(cx: &mut Cx, dirfd: i32, path: i32, ts: Option<[libc::timespec; 2]>) -> SysResult {
    let tsp = ts.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
    at_target(
        cx,
        dirfd,
        path,
        Target::Attrs {
            follow: true,
            what: "utimes",
        },
        |dir, name| set_times_at(dir, name, tsp),
    )
}

pub fn utimes(cx: &mut Cx, path: i32, times: i32) -> SysResult {
    let ts = timevals(&mem(cx), times)?;
    set_times(cx, AT_FDCWD, path, ts)
}

pub fn futimesat(cx: &mut Cx, dirfd: i32, path: i32, times: i32) -> SysResult {
    let ts = timevals(&mem(cx), times)?;
    set_times(cx, dirfd, path, ts)
}

pub fn utime(cx: &mut Cx, path: i32, times: i32) -> SysResult {
    let m = mem(cx);
    let ts = if times == 0 {
        None
    } else {
        let (a, mtime): (i64, i64) = (
            m.read(times as u32)?,
            m.read((times as u32).wrapping_add(8))?,
        );
        Some([
            libc::timespec {
                tv_sec: a,
                tv_nsec: 0,
            },
            libc::timespec {
                tv_sec: mtime,
                tv_nsec: 0,
            },
        ])
    };
    set_times(cx, AT_FDCWD, path, ts)
}

pub fn truncate(cx: &mut Cx, path: i32, length: i64) -> SysResult {
    let limit = cx.data().proc.soft_limit(libc::RLIMIT_FSIZE);
    let past_limit = std::cell::Cell::new(false);
    let r = at_target(
        cx,
        AT_FDCWD,
        path,
        Target::Meta { follow: true },
        |dir, name| {
            let fd = if name.is_empty() {
                let p = wali_core::host::proc_self_fd(dir);
                wali_core::host::open(&p, libc::O_WRONLY | libc::O_CLOEXEC, 0)?
            } else {
                let flags = libc::O_WRONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
                wali_core::host::openat(dir, name, flags, 0)?
            };
            if let Some(limit) = limit {
                // The guest's RLIMIT_FSIZE (see sys::rlimit): growing a
                // regular file past it fails.
                let grows = wali_core::host::fstat(fd.as_raw_fd()).is_ok_and(|st| {
                    st.st_mode & libc::S_IFMT == libc::S_IFREG
                        && length > st.st_size
                        && length as u64 > limit
                });
                if grows {
                    past_limit.set(true);
                    return Err(Errno::EFBIG);
                }
            }
            // SAFETY: ftruncate takes integers only and touches no memory.
            Errno::result(unsafe { libc::ftruncate(fd.as_raw_fd(), length) })
        },
    );
    if past_limit.get() {
        crate::signal_engine::raise_on_thread(cx.data_mut(), libc::SIGXFSZ);
    }
    r
}

// ---- working directory and friends -------------------------------------------

pub fn getcwd(cx: &mut Cx, buf: i32, size: i32) -> SysResult {
    let fs = cx.data().proc.fs.lock().unwrap();
    if let Some((_, fd)) = &fs.cwd_dir {
        if wali_core::host::fstat(fd.as_raw_fd()).is_ok_and(|st| st.st_nlink == 0) {
            return Err(Errno::ENOENT); // the directory was removed
        }
    }
    let mut cwd = render(&fs.cwd);
    drop(fs);
    cwd.push(0);
    if (size as u32 as usize) < cwd.len() {
        return Err(Errno::ERANGE);
    }
    mem(cx).write_bytes(buf as u32, &cwd)?;
    Ok(cwd.len() as i64)
}

pub fn chdir(cx: &mut Cx, path: i32) -> SysResult {
    lookup!(cx, proc, start, l, AT_FDCWD, path, true);
    let st = stat_lookup(&proc, &l)?;
    if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
        return Err(Errno::ENOTDIR);
    }
    if let Some((dir, name)) = target(&proc, &l) {
        wali_core::host::faccessat2(dir, name, libc::X_OK, libc::AT_SYMLINK_NOFOLLOW)?;
    }
    let dir = match &l.node {
        Node::Entry { dir, name, .. } => {
            let fd = wali_core::vfs::open_path_dir(dir.raw(), name)?;
            Some((l.mount().unwrap(), Arc::new(fd)))
        }
        Node::MountRoot { mount } => {
            Some((*mount, Arc::new(proc.vfs.mounts[*mount].root.try_clone()?)))
        }
        _ => None,
    };
    let mut fs = proc.fs.lock().unwrap();
    fs.cwd = l.path.clone();
    fs.cwd_dir = dir;
    Ok(0)
}

pub fn fchdir(cx: &mut Cx, fd: i32) -> SysResult {
    let f = file(cx, fd)?;
    let st = super::fd::stat_of_file(&f)?;
    if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
        return Err(Errno::ENOTDIR);
    }
    let path = f.guest_path.as_deref().ok_or(Errno::ENOTDIR)?;
    let dir = match (f.kind, f.mount) {
        (FileKind::Host, Some(mount)) => {
            let fd = wali_core::host::dup_cloexec(f.raw()?, 3)?;
            Some((mount, Arc::new(fd)))
        }
        _ => None,
    };
    let mut fs = cx.data().proc.fs.lock().unwrap();
    fs.cwd = parse_canonical(path);
    fs.cwd_dir = dir;
    Ok(0)
}

pub fn umask(cx: &mut Cx, mask: i32) -> SysResult {
    // The host process's umask is the guest's: the kernel applies it to
    // every create made on the guest's behalf.
    let old = wali_core::host::umask(mask as u32 & 0o777);
    cx.data().proc.fs.lock().unwrap().umask = mask as u32 & 0o777;
    Ok(old as i64)
}

pub fn statfs(cx: &mut Cx, path: i32, buf: i32) -> SysResult {
    lookup!(cx, proc, start, l, AT_FDCWD, path, true);
    let mut st = match &l.node {
        Node::Virtual => {
            let mut st = wali_core::host::zeroed::<libc::statfs>();
            virtual_statfs(&mut st);
            st
        }
        Node::VirtualMissing => return Err(Errno::ENOENT),
        Node::FileMount { mount } | Node::MountRoot { mount } => {
            wali_core::host::fstatfs(proc.vfs.mounts[*mount].root.as_raw_fd())?
        }
        Node::Entry { dir, name, .. } => {
            let flags = libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC;
            let fd = wali_core::host::openat(dir.raw(), name, flags, 0)?;
            wali_core::host::fstatfs(fd.as_raw_fd())?
        }
    };
    if read_only(&proc, &l) {
        super::fd::statfs_add_flags(&mut st, libc::ST_RDONLY);
    }
    mem(cx).write(buf as u32, st)?;
    Ok(0)
}

/// Opens `path` (relative to `dirfd`, a final symlink followed when
/// `follow`) for execve: it must be a regular file the guest may execute
/// (EACCES otherwise, as Linux answers for directories and missing x bits).
/// Returns the file and its guest path.
pub fn open_exec(cx: &Cx, dirfd: i32, path: &[u8], follow: bool) -> SysResult<(OwnedFd, Vec<u8>)> {
    with_lookup_at(cx, dirfd, path, follow, |proc, l, _| {
        let guest = render(&l.path);
        exec_mount_allowed(proc, l.mount(), &guest)?;
        let fd = match &l.node {
            Node::Entry { dir, name, .. } => {
                wali_core::host::faccessat2(
                    dir.raw(),
                    name,
                    libc::X_OK,
                    libc::AT_SYMLINK_NOFOLLOW,
                )?;
                let flags = libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
                wali_core::host::openat(dir.raw(), name, flags, 0)?
            }
            Node::FileMount { mount } => reopen_exec(proc.vfs.mounts[*mount].root.as_raw_fd())?,
            Node::VirtualMissing => return Err(Errno::ENOENT),
            Node::Virtual | Node::MountRoot { .. } => return Err(Errno::EACCES),
        };
        Ok((regular_exec(fd)?, guest))
    })
}

/// Opens for execve the file open on guest descriptor `fd` (execveat with
/// AT_EMPTY_PATH and an empty path: fexecve), with open_exec's checks.
/// Returns the file and its guest path (`/dev/fd/N`, as Linux names it, for
/// a descriptor not opened by path).
pub fn open_exec_fd(cx: &Cx, fd: i32) -> SysResult<(OwnedFd, Vec<u8>)> {
    if fd == AT_FDCWD {
        return Err(Errno::EACCES); // the cwd: a directory
    }
    let f = file(cx, fd)?;
    let guest = match &f.guest_path {
        Some(p) => p.to_vec(),
        None => format!("/dev/fd/{fd}").into_bytes(),
    };
    exec_mount_allowed(&cx.data().proc, f.mount, &guest)?;
    // A virtual directory has no host descriptor: a directory, EACCES.
    let raw = f.raw().map_err(|_| Errno::EACCES)?;
    Ok((regular_exec(reopen_exec(raw)?)?, guest))
}

/// A noexec mount refuses execve with EACCES.
fn exec_mount_allowed(proc: &Process, mount: Option<usize>, guest: &[u8]) -> SysResult<()> {
    if mount.is_some_and(|m| proc.vfs.mounts[m].noexec) {
        proc.denied(
            format_args!("execve {:?}", String::from_utf8_lossy(guest)),
            "mount noexec",
        );
        return Err(Errno::EACCES);
    }
    Ok(())
}

/// Opens a host descriptor's file anew for reading (an O_PATH mount root, a
/// guest's descriptor of any mode), once the caller may execute it.
fn reopen_exec(raw: RawFd) -> SysResult<OwnedFd> {
    let p = wali_core::host::proc_self_fd(raw);
    // SAFETY: `p` is NUL-terminated and outlives the call.
    Errno::result(unsafe { libc::access(p.as_ptr(), libc::X_OK) })?;
    wali_core::host::open(&p, libc::O_RDONLY | libc::O_CLOEXEC, 0)
}

/// Only regular files run (EACCES otherwise, as Linux).
fn regular_exec(fd: OwnedFd) -> SysResult<OwnedFd> {
    let st = wali_core::host::fstat(fd.as_raw_fd())?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(Errno::EACCES);
    }
    Ok(fd)
}
