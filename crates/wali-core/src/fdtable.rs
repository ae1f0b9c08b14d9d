//! The guest's descriptor table: guest fd numbers map to host open files.
//!
//! Guest fds are virtual so that a guest can never name a host descriptor it
//! was not given (the host's own mount roots, caches, or the engine's fds).

use crate::errno::{Errno, SysResult};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// What kind of object an open file is, as far as the host must know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Anything backed by a host descriptor: files, directories, pipes, ...
    Host,
    /// A directory that exists only in the guest's view: an ancestor of a
    /// mount point (`/` when only `/tmp/x` is mounted). No host descriptor.
    VirtualDir,
}

/// An open file description. `dup` shares it, as the kernel shares offsets
/// and status flags between duplicated descriptors.
pub struct OpenFile {
    host: Option<OwnedFd>,
    pub kind: FileKind,
    /// Canonical guest path for descriptors opened by path (directories need
    /// it to resolve `openat` and `fchdir`).
    pub guest_path: Option<Box<[u8]>>,
    /// The mount a path-opened descriptor lives in (directories use it as the
    /// start of relative lookups).
    pub mount: Option<usize>,
    /// Opened inside a read-only mount: metadata changes answer EROFS.
    pub read_only_mount: bool,
    /// Directory offset of a virtual directory (index of the next entry).
    pub virtual_pos: AtomicU64,
}

impl OpenFile {
    pub fn host(fd: OwnedFd) -> Arc<OpenFile> {
        Arc::new(OpenFile {
            host: Some(fd),
            kind: FileKind::Host,
            guest_path: None,
            mount: None,
            read_only_mount: false,
            virtual_pos: AtomicU64::new(0),
        })
    }

    pub fn with_path(
        fd: OwnedFd,
        path: &[u8],
        mount: usize,
        read_only_mount: bool,
    ) -> Arc<OpenFile> {
        Arc::new(OpenFile {
            host: Some(fd),
            kind: FileKind::Host,
            guest_path: Some(path.into()),
            mount: Some(mount),
            read_only_mount,
            virtual_pos: AtomicU64::new(0),
        })
    }

    pub fn virtual_dir(path: &[u8]) -> Arc<OpenFile> {
        Arc::new(OpenFile {
            host: None,
            kind: FileKind::VirtualDir,
            guest_path: Some(path.into()),
            mount: None,
            read_only_mount: true,
            virtual_pos: AtomicU64::new(0),
        })
    }

    /// The host descriptor; a virtual directory has none (EBADF, as for an
    /// O_PATH descriptor).
    #[inline]
    pub fn raw(&self) -> SysResult<RawFd> {
        self.host
            .as_ref()
            .map(|f| f.as_raw_fd())
            .ok_or(Errno::EBADF)
    }

    /// Like [`raw`](Self::raw), but a virtual directory answers EISDIR, as a
    /// read of a directory does.
    #[inline]
    pub fn raw_for_io(&self) -> SysResult<RawFd> {
        self.host
            .as_ref()
            .map(|f| f.as_raw_fd())
            .ok_or(Errno::EISDIR)
    }
}

#[derive(Clone)]
pub struct FdEntry {
    pub file: Arc<OpenFile>,
    pub cloexec: bool,
}

pub struct FdTable {
    entries: Vec<Option<FdEntry>>,
    /// RLIMIT_NOFILE as the guest set it.
    pub limit: usize,
}

impl FdTable {
    pub fn new(limit: usize) -> FdTable {
        FdTable {
            entries: Vec::new(),
            limit,
        }
    }

    #[inline]
    pub fn get(&self, fd: i32) -> SysResult<&FdEntry> {
        if fd < 0 {
            return Err(Errno::EBADF);
        }
        self.entries
            .get(fd as usize)
            .and_then(|e| e.as_ref())
            .ok_or(Errno::EBADF)
    }

    #[inline]
    pub fn file(&self, fd: i32) -> SysResult<Arc<OpenFile>> {
        self.get(fd).map(|e| e.file.clone())
    }

    pub fn get_mut(&mut self, fd: i32) -> SysResult<&mut FdEntry> {
        if fd < 0 {
            return Err(Errno::EBADF);
        }
        self.entries
            .get_mut(fd as usize)
            .and_then(|e| e.as_mut())
            .ok_or(Errno::EBADF)
    }

    /// Installs at the lowest free number >= `min` (EMFILE past the limit).
    pub fn insert_from(&mut self, min: usize, entry: FdEntry) -> SysResult<i32> {
        let free = (min..self.limit).find(|&i| self.entries.get(i).is_none_or(|e| e.is_none()));
        let fd = free.ok_or(Errno::EMFILE)?;
        let guest_fd = i32::try_from(fd).map_err(|_| Errno::EMFILE)?;
        self.put(fd, entry);
        Ok(guest_fd)
    }

    pub fn insert(&mut self, file: Arc<OpenFile>, cloexec: bool) -> SysResult<i32> {
        self.insert_from(0, FdEntry { file, cloexec })
    }

    /// Installs at exactly `fd`, returning what was there.
    pub fn put(&mut self, fd: usize, entry: FdEntry) -> Option<FdEntry> {
        if self.entries.len() <= fd {
            self.entries.resize(fd + 1, None);
        }
        self.entries[fd].replace(entry)
    }

    pub fn remove(&mut self, fd: i32) -> SysResult<FdEntry> {
        if fd < 0 {
            return Err(Errno::EBADF);
        }
        self.entries
            .get_mut(fd as usize)
            .and_then(|e| e.take())
            .ok_or(Errno::EBADF)
    }

    /// Highest possible fd number plus one (for close_range and friends).
    pub fn span(&self) -> usize {
        self.entries.len()
    }

    /// Every descriptor number below `span`, open or not.
    pub fn numbers(&self) -> impl Iterator<Item = i32> {
        (0..self.entries.len()).map_while(|fd| i32::try_from(fd).ok())
    }

    /// Number of open descriptors.
    pub fn count(&self) -> usize {
        self.entries.iter().filter(|e| e.is_some()).count()
    }
}
