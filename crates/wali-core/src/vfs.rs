//! The guest's filesystem view: a set of mounts (host directory or file →
//! guest path) and a path walker that resolves guest paths in that view.
//!
//! The walker resolves one component at a time with `openat(O_PATH |
//! O_NOFOLLOW)` and handles `..` and symlinks itself, in the guest's
//! namespace. The kernel therefore never follows a symlink or a `..` on the
//! guest's behalf: an absolute symlink means the guest's `/`, a `..` at a mount
//! root climbs the guest's tree, and a symlink swapped in by a racing thread
//! makes the final `*at` call fail (every final call is NOFOLLOW) instead of
//! escaping. Inside one mount, paths without `..` take a fast path through
//! `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`.

use crate::errno::{Errno, SysResult};
use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Symlinks followed in one lookup before ELOOP, as Linux.
const MAX_SYMLINKS: u32 = 40;
const NAME_MAX: usize = 255;

/// A guest path as its components, `/` being empty.
pub type GuestPath = Vec<Vec<u8>>;

pub fn render(path: &[Vec<u8>]) -> Vec<u8> {
    if path.is_empty() {
        return b"/".to_vec();
    }
    let mut out = Vec::new();
    for c in path {
        out.push(b'/');
        out.extend_from_slice(c);
    }
    out
}

/// Splits an absolute path into canonical components (lexically: `.` and
/// empty components dropped, `..` pops). Used only for paths the host itself
/// trusts (mount points, stored canonical paths).
pub fn parse_canonical(path: &[u8]) -> GuestPath {
    let mut out: GuestPath = Vec::new();
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                out.pop();
            }
            c => out.push(c.to_vec()),
        }
    }
    out
}

/// How a mount was requested on the command line or in a policy.
#[derive(Clone, Debug, Default)]
pub struct MountSpec {
    pub host: PathBuf,
    pub guest: PathBuf,
    pub read_only: bool,
    /// The host directory or file, already resolved (an `O_PATH`
    /// descriptor): mounted as is, never re-resolved from `host`, which then
    /// only names it (messages, Landlock's view, execve's hand-over). Set
    /// for what a module's manifest asks for (see `interp`).
    pub root: Option<std::sync::Arc<OwnedFd>>,
}

pub struct Mount {
    pub guest: GuestPath,
    pub host: PathBuf,
    /// O_PATH descriptor of the host directory or file.
    pub root: OwnedFd,
    pub is_dir: bool,
    pub read_only: bool,
    /// Another mount lies below this one (disables the fast path).
    pub has_nested: bool,
    /// Policy: execve of a module from this mount answers EACCES.
    pub noexec: bool,
    /// Policy: host device files inside this mount cannot be opened.
    pub nodev: bool,
    /// A host device the policy grants (`[dev]`, e.g. `/dev/null`): the guest
    /// reads and writes it, but never changes the host node's mode, owner or
    /// times (EPERM), by path or by descriptor.
    pub device: bool,
}

pub struct Vfs {
    pub mounts: Vec<Mount>,
}

/// A directory during a walk: the guest path, and where it lives.
pub struct Place<'a> {
    pub path: GuestPath,
    pub at: At<'a>,
}

pub enum At<'a> {
    /// An ancestor of mount points with nothing on the host behind it.
    Virtual,
    /// A host directory inside mount `mount`.
    Host { mount: usize, fd: DirFd<'a> },
}

pub enum DirFd<'a> {
    Borrowed(BorrowedFd<'a>),
    Owned(OwnedFd),
}

impl DirFd<'_> {
    /// An owned descriptor for the same directory.
    pub fn into_owned(self) -> std::io::Result<OwnedFd> {
        match self {
            DirFd::Borrowed(b) => b.try_clone_to_owned(),
            DirFd::Owned(o) => Ok(o),
        }
    }

    pub fn raw(&self) -> RawFd {
        match self {
            DirFd::Borrowed(b) => b.as_raw_fd(),
            DirFd::Owned(o) => o.as_raw_fd(),
        }
    }
}

/// The result of a lookup.
pub enum Node<'a> {
    /// `name` inside a host directory; it may or may not exist. `name` is
    /// never a symlink the walker was asked to follow (unless a race swapped
    /// one in, which every final NOFOLLOW call then refuses).
    Entry {
        mount: usize,
        dir: DirFd<'a>,
        name: CString,
    },
    /// The root directory of a directory mount.
    MountRoot { mount: usize },
    /// A mounted single file.
    FileMount { mount: usize },
    /// An ancestor of mount points.
    Virtual,
    /// A name that does not exist inside a virtual directory (creating it
    /// answers EROFS, looking it up ENOENT).
    VirtualMissing,
}

pub struct Lookup<'a> {
    pub node: Node<'a>,
    /// Canonical guest path of the node.
    pub path: GuestPath,
    /// The path ended in `/`: the node must be a directory.
    pub must_be_dir: bool,
}

impl Lookup<'_> {
    pub fn mount(&self) -> Option<usize> {
        match self.node {
            Node::Entry { mount, .. } | Node::MountRoot { mount } | Node::FileMount { mount } => {
                Some(mount)
            }
            Node::Virtual | Node::VirtualMissing => None,
        }
    }
}

fn cstring(b: &[u8]) -> SysResult<CString> {
    CString::new(b).map_err(|_| Errno::EINVAL)
}

pub fn open_path_dir(dir: RawFd, name: &CStr) -> SysResult<OwnedFd> {
    crate::host::openat(
        dir,
        name,
        libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        0,
    )
}

/// The target of symlink `name` in `dir`; EINVAL when it is not a symlink.
pub fn read_link(dir: RawFd, name: &CStr) -> SysResult<Vec<u8>> {
    let mut buf = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: `name` is NUL-terminated and `buf` is writable for the
    // `buf.len()` bytes readlinkat may fill; it keeps neither pointer.
    let n = unsafe { libc::readlinkat(dir, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(Errno::last());
    }
    buf.truncate(n as usize);
    Ok(buf)
}

#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}
const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
const RESOLVE_NO_SYMLINKS: u64 = 0x04;
const RESOLVE_BENEATH: u64 = 0x08;

/// `openat2` confined beneath `dir`, refusing every symlink.
pub fn openat2_beneath_nosymlinks(dir: RawFd, rel: &CStr, flags: i32) -> SysResult<OwnedFd> {
    let how = OpenHow {
        flags: (flags | libc::O_CLOEXEC) as u64,
        mode: 0,
        resolve: RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    // SAFETY: `rel` is NUL-terminated and `how` a valid open_how of the size
    // passed; a bad `dir` only makes the call fail.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir,
            rel.as_ptr(),
            &how as *const OpenHow,
            std::mem::size_of::<OpenHow>(),
        )
    };
    if fd < 0 {
        Err(Errno::last())
    } else {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "syscall(2) returns the kernel's int descriptor in a long"
        )]
        let fd = fd as RawFd;
        // SAFETY: a descriptor openat2 just returned, owned by nothing else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}

impl Vfs {
    /// Opens every mount's host path. Fails with a message for the user when
    /// a host path does not exist.
    pub fn new(specs: &[MountSpec]) -> anyhow::Result<Vfs> {
        let mut mounts = Vec::new();
        for spec in specs {
            let guest_bytes = spec.guest.as_os_str().as_bytes();
            if !guest_bytes.starts_with(b"/") {
                anyhow::bail!(
                    "mount point '{}' must be an absolute guest path",
                    spec.guest.display()
                );
            }
            let root = match &spec.root {
                Some(resolved) => resolved.try_clone()?,
                None => {
                    let host_c = CString::new(spec.host.as_os_str().as_bytes())?;
                    crate::host::open(&host_c, libc::O_PATH | libc::O_CLOEXEC, 0).map_err(|e| {
                        anyhow::anyhow!(
                            "cannot mount '{}': {}",
                            spec.host.display(),
                            std::io::Error::from_raw_os_error(e.0)
                        )
                    })?
                }
            };
            let st = crate::host::fstat(root.as_raw_fd()).map_err(|e| {
                anyhow::anyhow!(
                    "cannot mount '{}': {}",
                    spec.host.display(),
                    std::io::Error::from_raw_os_error(e.0)
                )
            })?;
            let is_dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
            let guest = parse_canonical(guest_bytes);
            // A later mount of the same guest path replaces an earlier one.
            mounts.retain(|m: &Mount| m.guest != guest);
            mounts.push(Mount {
                guest,
                host: spec.host.clone(),
                root,
                is_dir,
                read_only: spec.read_only,
                has_nested: false,
                noexec: false,
                nodev: false,
                device: false,
            });
        }
        let guests: Vec<GuestPath> = mounts.iter().map(|m| m.guest.clone()).collect();
        for m in &mut mounts {
            m.has_nested = guests
                .iter()
                .any(|g| g.len() > m.guest.len() && g.starts_with(&m.guest));
        }
        Ok(Vfs { mounts })
    }

    /// `st` is the host node of a granted device (see [`Mount::device`]),
    /// however the guest reached it (its mount, a descriptor, another mount
    /// of the same host directory).
    pub fn is_granted_device(&self, st: &libc::stat) -> bool {
        let kind = st.st_mode & libc::S_IFMT;
        if kind != libc::S_IFCHR && kind != libc::S_IFBLK {
            return false;
        }
        self.mounts.iter().filter(|m| m.device).any(|m| {
            crate::host::fstat(m.root.as_raw_fd())
                .is_ok_and(|dst| dst.st_dev == st.st_dev && dst.st_ino == st.st_ino)
        })
    }

    /// The mount whose guest path is exactly `path`.
    pub fn mount_at(&self, path: &[Vec<u8>]) -> Option<usize> {
        self.mounts.iter().position(|m| m.guest == path)
    }

    /// `path` lies strictly above some mount point.
    pub(crate) fn is_mount_ancestor(&self, path: &[Vec<u8>]) -> bool {
        self.mounts
            .iter()
            .any(|m| m.guest.len() > path.len() && m.guest.starts_with(path))
    }

    /// The deepest directory mount containing `path`.
    fn containing_mount(&self, path: &[Vec<u8>]) -> Option<usize> {
        self.mounts
            .iter()
            .enumerate()
            .filter(|(_, m)| m.is_dir && path.starts_with(&m.guest))
            .max_by_key(|(_, m)| m.guest.len())
            .map(|(i, _)| i)
    }

    /// Children of a virtual directory: the next component of every mount
    /// below it.
    pub fn virtual_children(&self, path: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut names: Vec<Vec<u8>> = self
            .mounts
            .iter()
            .filter(|m| m.guest.len() > path.len() && m.guest.starts_with(path))
            .map(|m| m.guest[path.len()].clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Opens the directory at canonical guest path `path` (no symlinks are
    /// followed: a component that became a symlink is an error).
    pub fn place(&self, path: GuestPath) -> SysResult<Place<'_>> {
        let Some(m) = self.containing_mount(&path) else {
            return if path.is_empty() || self.is_mount_ancestor(&path) {
                Ok(Place {
                    path,
                    at: At::Virtual,
                })
            } else {
                Err(Errno::ENOENT)
            };
        };
        let mount = &self.mounts[m];
        let rest = &path[mount.guest.len()..];
        if rest.is_empty() {
            return Ok(Place {
                at: At::Host {
                    mount: m,
                    fd: DirFd::Borrowed(mount.root.as_fd_borrowed()),
                },
                path,
            });
        }
        let mut rel = Vec::new();
        for (i, c) in rest.iter().enumerate() {
            if i > 0 {
                rel.push(b'/');
            }
            rel.extend_from_slice(c);
        }
        let rel = cstring(&rel)?;
        let fd = match openat2_beneath_nosymlinks(
            mount.root.as_raw_fd(),
            &rel,
            libc::O_PATH | libc::O_DIRECTORY,
        ) {
            Ok(fd) => fd,
            // An ancestor of a nested mount that the host does not have.
            Err(Errno::ENOENT) if self.is_mount_ancestor(&path) => {
                return Ok(Place {
                    path,
                    at: At::Virtual,
                })
            }
            Err(e) => return Err(e),
        };
        Ok(Place {
            at: At::Host {
                mount: m,
                fd: DirFd::Owned(fd),
            },
            path,
        })
    }

    /// Resolves `path` (absolute, or relative to `start`) in the guest's
    /// view. With `follow`, a final symlink is followed.
    pub fn lookup<'a>(
        &'a self,
        start: Place<'a>,
        path: &[u8],
        follow: bool,
    ) -> SysResult<Lookup<'a>> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        // An absolute path below a mount point starts at that mount's root:
        // the components up to it are the mount's own plain names, so the
        // walk from `/` would only rediscover it (and miss the fast path).
        let rebased;
        let (mut here, path) = if path[0] == b'/' {
            match self.rebase_absolute(path) {
                Some((place, rel)) => {
                    rebased = rel;
                    (place, rebased.as_slice())
                }
                None => (self.place(Vec::new())?, path),
            }
        } else {
            (start, path)
        };
        if let Some(fast) = self.lookup_fast(&here, path, follow)? {
            return Ok(fast);
        }
        let mut must_be_dir = path.ends_with(b"/");
        let mut pending: std::collections::VecDeque<Vec<u8>> = path
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty() && *c != b".")
            .map(|c| c.to_vec())
            .collect();
        let mut links = 0u32;

        if pending.is_empty() {
            // "/", "." or "//": the start directory itself.
            return Ok(self.finish_dir(here, must_be_dir));
        }

        while let Some(comp) = pending.pop_front() {
            let last = pending.is_empty();
            if comp == b".." {
                let mut parent = here.path.clone();
                parent.pop();
                here = self.place(parent)?;
                if last {
                    return Ok(self.finish_dir(here, true));
                }
                continue;
            }
            if comp.len() > NAME_MAX {
                return Err(Errno::ENAMETOOLONG);
            }
            let mut child = here.path.clone();
            child.push(comp.clone());

            // A mount point hides whatever the host has there.
            if let Some(m) = self.mount_at(&child) {
                let mount = &self.mounts[m];
                if !mount.is_dir {
                    if !last || must_be_dir {
                        return Err(Errno::ENOTDIR);
                    }
                    return Ok(Lookup {
                        node: Node::FileMount { mount: m },
                        path: child,
                        must_be_dir,
                    });
                }
                here = Place {
                    path: child,
                    at: At::Host {
                        mount: m,
                        fd: DirFd::Borrowed(mount.root.as_fd_borrowed()),
                    },
                };
                if last {
                    return Ok(self.finish_dir(here, must_be_dir));
                }
                continue;
            }

            let (mount, dirfd) = match &here.at {
                At::Virtual => {
                    if self.is_mount_ancestor(&child) {
                        here = Place {
                            path: child,
                            at: At::Virtual,
                        };
                        if last {
                            return Ok(self.finish_dir(here, must_be_dir));
                        }
                        continue;
                    }
                    if last {
                        return Ok(Lookup {
                            node: Node::VirtualMissing,
                            path: child,
                            must_be_dir,
                        });
                    }
                    return Err(Errno::ENOENT);
                }
                At::Host { mount, fd } => (*mount, fd.raw()),
            };
            let name = cstring(&comp)?;

            if last && !follow && !must_be_dir {
                return Ok(Lookup {
                    node: Node::Entry {
                        mount,
                        dir: take_dir(here.at),
                        name,
                    },
                    path: child,
                    must_be_dir,
                });
            }

            if !last {
                match open_path_dir(dirfd, &name) {
                    Ok(fd) => {
                        here = Place {
                            path: child,
                            at: At::Host {
                                mount,
                                fd: DirFd::Owned(fd),
                            },
                        };
                        continue;
                    }
                    Err(Errno::ENOENT) if self.is_mount_ancestor(&child) => {
                        here = Place {
                            path: child,
                            at: At::Virtual,
                        };
                        continue;
                    }
                    Err(Errno::ENOTDIR) | Err(Errno::ELOOP) => {} // maybe a symlink
                    Err(e) => return Err(e),
                }
            }

            // The last component (to follow), or a non-directory in the middle.
            match read_link(dirfd, &name) {
                Ok(target) => {
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Err(Errno::ELOOP);
                    }
                    if target.is_empty() {
                        return Err(Errno::ENOENT);
                    }
                    if last && target.ends_with(b"/") {
                        must_be_dir = true;
                    }
                    for c in target
                        .split(|&b| b == b'/')
                        .filter(|c| !c.is_empty() && *c != b".")
                        .rev()
                    {
                        pending.push_front(c.to_vec());
                    }
                    if target[0] == b'/' {
                        here = self.place(Vec::new())?;
                    }
                    if pending.is_empty() {
                        // The link pointed at "/" (or "." ...).
                        return Ok(self.finish_dir(here, true));
                    }
                }
                Err(Errno::EINVAL) if !last => return Err(Errno::ENOTDIR),
                Err(Errno::EINVAL) | Err(Errno::ENOENT) if last => {
                    return Ok(Lookup {
                        node: Node::Entry {
                            mount,
                            dir: take_dir(here.at),
                            name,
                        },
                        path: child,
                        must_be_dir,
                    })
                }
                Err(e) => return Err(e),
            }
        }
        unreachable!("the loop returns at the last component")
    }

    /// For an absolute path strictly inside a directory mount: the mount's
    /// root and the rest of the path, relative to it.
    fn rebase_absolute(&self, path: &[u8]) -> Option<(Place<'_>, Vec<u8>)> {
        let comps: Vec<&[u8]> = path
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty() && *c != b".")
            .collect();
        let (index, mount) = self
            .mounts
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m.is_dir
                    && m.guest.len() < comps.len()
                    && m.guest.iter().zip(&comps).all(|(g, c)| g.as_slice() == *c)
            })
            .max_by_key(|(_, m)| m.guest.len())?;
        let mut rel = comps[mount.guest.len()..].join(&b'/');
        if path.ends_with(b"/") {
            rel.push(b'/');
        }
        Some((
            Place {
                path: mount.guest.clone(),
                at: At::Host {
                    mount: index,
                    fd: DirFd::Borrowed(mount.root.as_fd_borrowed()),
                },
            },
            rel,
        ))
    }

    /// A path inside one mount with no `..`, no nested mounts, and no
    /// symlinks on the way: one `openat2` opens the parent directory. Returns
    /// None to fall back to the component walk (ELOOP from a symlink, ...).
    fn lookup_fast<'a>(
        &'a self,
        here: &Place<'a>,
        path: &[u8],
        follow: bool,
    ) -> SysResult<Option<Lookup<'a>>> {
        let At::Host { mount, fd } = &here.at else {
            return Ok(None);
        };
        let m = &self.mounts[*mount];
        if m.has_nested || path.ends_with(b"/") {
            return Ok(None);
        }
        let comps: Vec<&[u8]> = path
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty() && *c != b".")
            .collect();
        if comps.len() < 2 || comps.iter().any(|c| *c == b".." || c.len() > NAME_MAX) {
            return Ok(None);
        }
        let (last, dirs) = comps.split_last().unwrap();
        let rel = cstring(&dirs.join(&b'/'))?;
        let dirfd =
            match openat2_beneath_nosymlinks(fd.raw(), &rel, libc::O_PATH | libc::O_DIRECTORY) {
                Ok(fd) => fd,
                Err(_) => return Ok(None),
            };
        let name = cstring(last)?;
        if follow {
            match read_link(dirfd.as_raw_fd(), &name) {
                Err(Errno::EINVAL) | Err(Errno::ENOENT) => {}
                _ => return Ok(None),
            }
        }
        let mut path_out = here.path.clone();
        path_out.extend(comps.iter().map(|c| c.to_vec()));
        Ok(Some(Lookup {
            node: Node::Entry {
                mount: *mount,
                dir: DirFd::Owned(dirfd),
                name,
            },
            path: path_out,
            must_be_dir: false,
        }))
    }

    fn finish_dir<'a>(&'a self, place: Place<'a>, must_be_dir: bool) -> Lookup<'a> {
        let node = match place.at {
            At::Virtual => Node::Virtual,
            At::Host { mount, fd } => {
                if self.mounts[mount].guest == place.path {
                    Node::MountRoot { mount }
                } else {
                    // A directory reached by path: name it as "." in itself.
                    Node::Entry {
                        mount,
                        dir: fd,
                        name: c".".to_owned(),
                    }
                }
            }
        };
        Lookup {
            node,
            path: place.path,
            must_be_dir,
        }
    }

    pub fn host_path(&self, mount: usize) -> &Path {
        &self.mounts[mount].host
    }
}

fn take_dir(at: At<'_>) -> DirFd<'_> {
    match at {
        At::Host { fd, .. } => fd,
        At::Virtual => unreachable!("host entries only"),
    }
}

trait BorrowFd {
    fn as_fd_borrowed(&self) -> BorrowedFd<'_>;
}
impl BorrowFd for OwnedFd {
    fn as_fd_borrowed(&self) -> BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.as_fd()
    }
}
