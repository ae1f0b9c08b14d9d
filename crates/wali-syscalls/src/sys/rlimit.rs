//! The guest's resource limits (getrlimit/setrlimit/prlimit64) are virtual:
//! they live in `Process::limits`, pass to fork children (a copy of the
//! process) and across execve (`Inherited::rlimits`), and the host never
//! applies them to itself: a guest lowering RLIMIT_FSIZE or RLIMIT_CPU would
//! otherwise make wali's own writes fail or the kernel kill wali. The host
//! enforces the ones it can as Linux does:
//!
//! - RLIMIT_NOFILE: the descriptor table's size (EMFILE);
//! - RLIMIT_FSIZE: a write, truncate or fallocate of a regular file past the
//!   soft limit raises SIGXFSZ on the calling thread and fails with EFBIG; a
//!   write crossing it is shortened to end at the limit;
//! - RLIMIT_CPU: the CPU watcher (`policy::limits`) sends SIGXCPU at the soft
//!   limit and every second after it, SIGKILL at the hard limit;
//! - RLIMIT_NPROC: fork answers EAGAIN when the sandbox's live processes
//!   reach the soft limit (the process counter of `policy::limits`);
//!
//! the others (CORE, STACK, AS, DATA, ...) are only reported back.

use super::Cx;
use std::os::fd::RawFd;
use wali_core::errno::{Errno, SysResult};

/// The file size limit applies to regular files only (pipes, sockets and
/// terminals have no size).
fn regular_size(raw: RawFd) -> Option<u64> {
    let st = wali_core::host::fstat(raw).ok()?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return None;
    }
    Some(st.st_size as u64)
}

/// What Linux does past RLIMIT_FSIZE: SIGXFSZ to the calling thread, EFBIG.
fn too_big(cx: &mut Cx) -> Errno {
    crate::signal_engine::raise_on_thread(cx.data_mut(), libc::SIGXFSZ);
    Errno::EFBIG
}

/// How many of `len` bytes a write to host descriptor `raw` at `offset`
/// (`None`: the file position, or the end under O_APPEND) may write under
/// the guest's RLIMIT_FSIZE. Past the limit: SIGXFSZ and EFBIG.
pub fn write_len(cx: &mut Cx, raw: RawFd, offset: Option<i64>, len: usize) -> SysResult<usize> {
    let Some(limit) = cx.data().proc.soft_limit(libc::RLIMIT_FSIZE) else {
        return Ok(len);
    };
    let Some(size) = regular_size(raw) else {
        return Ok(len);
    };
    // SAFETY: fcntl(F_GETFL) and lseek(SEEK_CUR) only read descriptor state.
    let append = unsafe { libc::fcntl(raw, libc::F_GETFL) } & libc::O_APPEND != 0;
    let pos = match offset {
        _ if append => size,
        Some(o) if o >= 0 => o as u64,
        // SAFETY: lseek takes integers only and touches no memory.
        _ => match unsafe { libc::lseek(raw, 0, libc::SEEK_CUR) } {
            p if p >= 0 => p as u64,
            _ => return Ok(len),
        },
    };
    if len == 0 {
        return Ok(0);
    }
    if pos >= limit {
        return Err(too_big(cx));
    }
    Ok(len.min(wali_core::narrow::usize_from(limit - pos)))
}

/// Shortens host iovecs to `len` bytes in total.
pub fn clamp_iovecs(v: &mut Vec<libc::iovec>, mut len: usize) {
    let mut keep = 0;
    for iov in v.iter_mut() {
        if len == 0 {
            break;
        }
        iov.iov_len = iov.iov_len.min(len);
        len -= iov.iov_len;
        keep += 1;
    }
    v.truncate(keep);
}

/// Total length of host iovecs.
pub fn iovecs_len(v: &[libc::iovec]) -> usize {
    v.iter().map(|i| i.iov_len).sum()
}

/// A truncate or fallocate that makes a regular file grow to `new_size`:
/// past the guest's RLIMIT_FSIZE, SIGXFSZ and EFBIG.
pub fn grow_to(cx: &mut Cx, raw: RawFd, new_size: i64) -> SysResult<()> {
    let Some(limit) = cx.data().proc.soft_limit(libc::RLIMIT_FSIZE) else {
        return Ok(());
    };
    match regular_size(raw) {
        Some(size) if new_size > 0 && (new_size as u64) > size && (new_size as u64) > limit => {
            Err(too_big(cx))
        }
        _ => Ok(()),
    }
}
