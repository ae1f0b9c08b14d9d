//! Readiness and event loops: poll, ppoll, select, pselect6, epoll, eventfd
//! and timerfd, on the host's objects.
//!
//! Guest descriptors are translated to host descriptors for each call (and
//! their files held open for its duration). select's fd_sets are guest
//! numbers: the host waits with ppoll, so host descriptor numbers never
//! matter. An epoll set holds host descriptors with the guest's 64-bit
//! `data` as the host's, so events come back unchanged (epoll_event has the
//! same packed 12 bytes in guest and host).

use super::fd::file;
use super::Cx;
use crate::signal_engine;
use std::os::fd::{OwnedFd, RawFd};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wali_core::errno::{Errno, SysResult};
use wali_core::fdtable::OpenFile;
use wali_core::memory::{read_timeout, read_timespec, write_timespec, Mem};
use wali_core::process::mem;

/// SIGKILL and SIGSTOP cannot be blocked.
const UNBLOCKABLE: u64 = (1 << (libc::SIGKILL - 1)) | (1 << (libc::SIGSTOP - 1));
const EPOLL_EVENT_SIZE: usize = 12;
const _: () = assert!(std::mem::size_of::<libc::epoll_event>() == EPOLL_EVENT_SIZE);

pub(crate) fn install(cx: &Cx, host: OwnedFd, cloexec: bool) -> SysResult {
    cx.data()
        .proc
        .fds
        .lock()
        .unwrap()
        .insert(OpenFile::host(host), cloexec)
        .map(i64::from)
}

/// The host signal mask a wait installs (null: keep the thread's).
type Sigset = *const libc::sigset_t;

fn neg(r: SysResult) -> i64 {
    match r {
        Ok(v) => v,
        Err(e) => -(e.0 as i64),
    }
}

/// Runs a wait with the guest's signal mask applied atomically, as ppoll,
/// pselect6 and epoll_pwait do in the kernel: `temp` (their sigmask
/// argument) becomes the guest's mask for the call; every host signal is
/// blocked while the wait is prepared, and `inner` waits with the host set
/// it is given (the guest's mask), so a signal arriving at any point
/// interrupts the wait. Handlers for signals that only `temp` unblocks run
/// before the old mask comes back when the wait was interrupted, as on Linux. `guard` false (a wait that
/// cannot block, no mask) skips all of it.
fn masked(
    cx: &mut Cx,
    temp: Option<u64>,
    guard: bool,
    inner: impl FnOnce(&mut Cx, Sigset) -> SysResult,
) -> wasmtime::Result<i64> {
    if !guard && temp.is_none() {
        return Ok(neg(inner(cx, std::ptr::null())));
    }
    let saved = cx.data().sigmask;
    if let Some(m) = temp {
        signal_engine::set_mask(cx.data_mut(), m & !UNBLOCKABLE);
    }
    let mut wait = wali_core::host::zeroed::<libc::sigset_t>();
    let mut block = wali_core::host::zeroed::<libc::sigset_t>();
    // SAFETY: `block` and `wait` are live sigset_t locals; the calls fill or
    // read them and change only this thread's mask.
    unsafe {
        libc::sigfillset(&mut block);
        for sig in [
            libc::SIGSEGV,
            libc::SIGBUS,
            libc::SIGILL,
            libc::SIGFPE,
            libc::SIGTRAP,
        ] {
            libc::sigdelset(&mut block, sig);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut wait);
    }
    let r = inner(cx, &wait);
    // SAFETY: `wait` is the live sigset_t saved above; this only restores this thread's mask.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &wait, std::ptr::null_mut()) };
    // Linux keeps the temporary mask for handlers only when the call was
    // interrupted; otherwise the old mask returns first (the signal stays
    // pending if it blocks it).
    let delivered =
        if temp.is_some() && r == Err(Errno::EINTR) && signal_engine::has_deliverable(cx.data()) {
            signal_engine::deliver_pending(&mut *cx).map(drop)
        } else {
            Ok(())
        };
    if temp.is_some() && !signal_engine::is_longjmp(&delivered) {
        signal_engine::set_mask(cx.data_mut(), saved);
    }
    delivered?;
    Ok(neg(r))
}

/// A guest signal is already pending: the wait must not block (Linux
/// returns what is ready, else EINTR).
fn interrupted(cx: &Cx, sigmask: Sigset) -> bool {
    !sigmask.is_null() && signal_engine::has_deliverable(cx.data())
}

fn read_sigmask(m: &Mem, ptr: u32, size: u64) -> SysResult<Option<u64>> {
    if ptr == 0 {
        return Ok(None);
    }
    if size != 8 {
        return Err(Errno::EINVAL);
    }
    Ok(Some(m.read(ptr)?))
}

fn to_duration(ts: &libc::timespec) -> Duration {
    wali_core::memory::duration_of(ts)
}

fn to_timespec(d: Duration) -> libc::timespec {
    libc::timespec {
        tv_sec: d.as_secs() as i64,
        tv_nsec: d.subsec_nanos() as i64,
    }
}

/// Time left of `timeout` after waiting since `start`.
fn remaining(timeout: &libc::timespec, start: Instant) -> libc::timespec {
    to_timespec(to_duration(timeout).saturating_sub(start.elapsed()))
}

/// One guest descriptor as a poll target.
enum Target {
    /// Negative fd: ignored.
    None,
    /// Not open: POLLNVAL.
    Invalid,
    /// A directory with no host descriptor: always readable and writable.
    Virtual,
    Host(#[allow(dead_code)] Arc<OpenFile>, RawFd),
}

fn targets(cx: &Cx, fds: impl Iterator<Item = i32>) -> Vec<Target> {
    let table = cx.data().proc.fds.lock().unwrap();
    fds.map(|fd| {
        if fd < 0 {
            return Target::None;
        }
        match table.file(fd) {
            Err(_) => Target::Invalid,
            Ok(f) => match f.raw() {
                Ok(raw) => Target::Host(f, raw),
                Err(_) => Target::Virtual,
            },
        }
    })
    .collect()
}

/// Waits on host pollfds; None means forever. A pending guest signal
/// turns the wait into a check (and EINTR when nothing is ready).
fn host_ppoll(
    cx: &Cx,
    pfds: &mut [libc::pollfd],
    timeout: Option<libc::timespec>,
    sigmask: Sigset,
) -> SysResult {
    let pending = interrupted(cx, sigmask);
    let timeout = if pending {
        Some(to_timespec(Duration::ZERO))
    } else {
        timeout
    };
    let tp = timeout
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `pfds` is a live slice of its length; `tp` is NULL or points at `timeout`, and
    // `sigmask` is NULL or the caller's live sigset_t (see `masked`).
    let n = Errno::result(unsafe {
        libc::ppoll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, tp, sigmask)
    })?;
    if n == 0 && pending {
        return Err(Errno::EINTR);
    }
    Ok(n)
}

// ---- poll, ppoll --------------------------------------------------------------------

fn do_poll(
    cx: &mut Cx,
    fds: i32,
    nfds: i64,
    timeout: Option<libc::timespec>,
    sigmask: Sigset,
) -> SysResult {
    let limit = cx.data().proc.fds.lock().unwrap().limit;
    let n = usize::try_from(nfds).map_err(|_| Errno::EINVAL)?;
    if n > limit {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let guest: Vec<[u8; 8]> = m.read_array(fds as u32, n)?;
    let events: Vec<i16> = guest
        .iter()
        .map(|g| i16::from_le_bytes([g[4], g[5]]))
        .collect();
    let ts = targets(
        cx,
        guest
            .iter()
            .map(|g| i32::from_le_bytes([g[0], g[1], g[2], g[3]])),
    );
    let mut pre = vec![0i16; n];
    let mut pfds = Vec::with_capacity(n);
    for (i, t) in ts.iter().enumerate() {
        let fd = match t {
            Target::Host(_, raw) => *raw,
            Target::Invalid => {
                pre[i] = libc::POLLNVAL;
                -1
            }
            Target::Virtual => {
                pre[i] = events[i]
                    & (libc::POLLIN | libc::POLLRDNORM | libc::POLLOUT | libc::POLLWRNORM);
                -1
            }
            Target::None => -1,
        };
        pfds.push(libc::pollfd {
            fd,
            events: events[i],
            revents: 0,
        });
    }
    let ready_now = pre.iter().any(|&r| r != 0);
    let timeout = if ready_now {
        Some(to_timespec(Duration::ZERO))
    } else {
        timeout
    };
    host_ppoll(cx, &mut pfds, timeout, sigmask)?;
    drop(ts);
    let m = mem(cx);
    let mut count = 0;
    // Each guest pollfd is 8 bytes, revents at offset 6.
    let revents_at = (0u32..).map(|i| (fds as u32).wrapping_add(i.wrapping_mul(8)).wrapping_add(6));
    for ((p, &pre), at) in pfds.iter().zip(&pre).zip(revents_at) {
        let revents = if pre != 0 { pre } else { p.revents };
        if revents != 0 {
            count += 1;
        }
        m.write(at, revents)?;
    }
    Ok(count)
}

pub fn poll(cx: &mut Cx, fds: i32, nfds: i64, timeout: i32) -> wasmtime::Result<i64> {
    let t = (timeout >= 0).then(|| to_timespec(Duration::from_millis(timeout as u64)));
    masked(cx, None, timeout != 0, |cx, s| do_poll(cx, fds, nfds, t, s))
}

pub fn ppoll(
    cx: &mut Cx,
    fds: i32,
    nfds: i64,
    tmo_p: i32,
    sigmask: i32,
    sigsetsize: i32,
) -> wasmtime::Result<i64> {
    let m = mem(cx);
    let args = || -> SysResult<_> {
        let timeout = read_timeout(&m, tmo_p as u32)?;
        let mask = read_sigmask(&m, sigmask as u32, sigsetsize as u32 as u64)?;
        Ok((timeout, mask))
    };
    let (timeout, mask) = match args() {
        Ok(a) => a,
        Err(e) => return Ok(neg(Err(e))),
    };
    let start = Instant::now();
    let blocking = timeout.is_none_or(|t| t.tv_sec != 0 || t.tv_nsec != 0);
    masked(cx, mask, blocking, |cx, s| {
        let r = do_poll(cx, fds, nfds, timeout, s);
        if let Some(t) = timeout {
            if matches!(r, Ok(_) | Err(Errno::EINTR)) {
                write_timespec(&mem(cx), tmo_p as u32, &remaining(&t, start))?;
            }
        }
        r
    })
}

// ---- select, pselect6 ------------------------------------------------------------------

const POLLIN_SET: i16 =
    libc::POLLIN | libc::POLLRDNORM | libc::POLLRDBAND | libc::POLLHUP | libc::POLLERR;
const POLLOUT_SET: i16 = libc::POLLOUT | libc::POLLWRNORM | libc::POLLWRBAND | libc::POLLERR;
const POLLEX_SET: i16 = libc::POLLPRI;

fn do_select(
    cx: &mut Cx,
    nfds: i32,
    sets: [i32; 3],
    timeout: Option<libc::timespec>,
    sigmask: Sigset,
) -> SysResult {
    if nfds < 0 {
        return Err(Errno::EINVAL);
    }
    let limit = cx.data().proc.fds.lock().unwrap().limit;
    let n = (nfds as usize).min(limit);
    let bytes = n.div_ceil(64) * 8;
    let m = mem(cx);
    let mut input: [Vec<u8>; 3] = Default::default();
    for (k, &ptr) in sets.iter().enumerate() {
        input[k] = if ptr != 0 {
            m.slice(ptr as u32, bytes)?.to_vec()
        } else {
            vec![0; bytes]
        };
    }
    let bit = |set: &[u8], fd: usize| set[fd / 8] & (1 << (fd % 8)) != 0;
    let wanted: Vec<i32> = (0..n)
        .filter(|&fd| (0..3).any(|k| bit(&input[k], fd)))
        .map_while(|fd| i32::try_from(fd).ok())
        .collect();
    let ts = targets(cx, wanted.iter().copied());
    let mut pfds = Vec::with_capacity(wanted.len());
    let mut pre = vec![0i16; wanted.len()];
    for (i, (&fd, t)) in wanted.iter().zip(&ts).enumerate() {
        let fdu = fd as usize;
        let mut ev = 0;
        if bit(&input[0], fdu) {
            ev |= libc::POLLIN;
        }
        if bit(&input[1], fdu) {
            ev |= libc::POLLOUT;
        }
        if bit(&input[2], fdu) {
            ev |= libc::POLLPRI;
        }
        let raw = match t {
            Target::Host(_, raw) => *raw,
            Target::Virtual => {
                pre[i] = libc::POLLIN | libc::POLLOUT;
                -1
            }
            Target::Invalid | Target::None => return Err(Errno::EBADF),
        };
        pfds.push(libc::pollfd {
            fd: raw,
            events: ev,
            revents: 0,
        });
    }
    let timeout = if pre.iter().any(|&p| p != 0) {
        Some(to_timespec(Duration::ZERO))
    } else {
        timeout
    };
    host_ppoll(cx, &mut pfds, timeout, sigmask)?;
    drop(ts);
    let mut out: [Vec<u8>; 3] = [vec![0; bytes], vec![0; bytes], vec![0; bytes]];
    let mut count = 0;
    for (i, &fd) in wanted.iter().enumerate() {
        let fdu = fd as usize;
        let rev = pfds[i].revents | pre[i];
        for (k, set) in [POLLIN_SET, POLLOUT_SET, POLLEX_SET].iter().enumerate() {
            if bit(&input[k], fdu) && rev & set != 0 {
                out[k][fdu / 8] |= 1 << (fdu % 8);
                count += 1;
            }
        }
    }
    let m = mem(cx);
    for (k, &ptr) in sets.iter().enumerate() {
        if ptr != 0 {
            m.write_bytes(ptr as u32, &out[k])?;
        }
    }
    Ok(count)
}

pub fn select(
    cx: &mut Cx,
    nfds: i32,
    readfds: i32,
    writefds: i32,
    exceptfds: i32,
    timeout: i32,
) -> wasmtime::Result<i64> {
    let m = mem(cx);
    let arg = || -> SysResult<_> {
        if timeout == 0 {
            return Ok(None);
        }
        let tv: [i64; 2] = m.read(timeout as u32)?;
        if tv[0] < 0 || tv[1] < 0 {
            return Err(Errno::EINVAL);
        }
        let sec = tv[0].saturating_add(tv[1] / 1_000_000);
        Ok(Some(libc::timespec {
            tv_sec: sec,
            tv_nsec: (tv[1] % 1_000_000) * 1000,
        }))
    };
    let t = match arg() {
        Ok(t) => t,
        Err(e) => return Ok(neg(Err(e))),
    };
    let start = Instant::now();
    let blocking = t.is_none_or(|t| t.tv_sec != 0 || t.tv_nsec != 0);
    masked(cx, None, blocking, |cx, s| {
        let r = do_select(cx, nfds, [readfds, writefds, exceptfds], t, s);
        if let Some(t) = t {
            if matches!(r, Ok(_) | Err(Errno::EINTR)) {
                let left = remaining(&t, start);
                mem(cx).write(timeout as u32, [left.tv_sec, left.tv_nsec / 1000])?;
            }
        }
        r
    })
}

/// pselect6's sixth argument points at { sigset pointer, size }. Our musl
/// passes two 8-byte words (its syscall_arg_t); a foreign toolchain may pass
/// two 4-byte words. A pointer below 4 GiB has a zero high word, and the
/// size is never 0, which tells them apart.
fn pselect_sigmask(m: &Mem, data: i32) -> SysResult<Option<u64>> {
    if data == 0 {
        return Ok(None);
    }
    let head: [u32; 2] = m.read(data as u32)?;
    let (ptr, size) = if head[1] == 0 {
        let w: [i64; 2] = m.read(data as u32)?;
        (wali_core::narrow::guest_u32(w[0]), w[1] as u64)
    } else {
        (head[0], head[1] as u64)
    };
    read_sigmask(m, ptr, size)
}

pub fn pselect6(
    cx: &mut Cx,
    nfds: i32,
    readfds: i32,
    writefds: i32,
    exceptfds: i32,
    timeout: i32,
    sigmask: i32,
) -> wasmtime::Result<i64> {
    let m = mem(cx);
    let args = || -> SysResult<_> {
        let t = read_timeout(&m, timeout as u32)?;
        Ok((t, pselect_sigmask(&m, sigmask)?))
    };
    let (t, mask) = match args() {
        Ok(a) => a,
        Err(e) => return Ok(neg(Err(e))),
    };
    let start = Instant::now();
    let blocking = t.is_none_or(|t| t.tv_sec != 0 || t.tv_nsec != 0);
    masked(cx, mask, blocking, |cx, s| {
        let r = do_select(cx, nfds, [readfds, writefds, exceptfds], t, s);
        if let Some(t) = t {
            if matches!(r, Ok(_) | Err(Errno::EINTR)) {
                write_timespec(&mem(cx), timeout as u32, &remaining(&t, start))?;
            }
        }
        r
    })
}

// ---- epoll ----------------------------------------------------------------------------------

pub fn epoll_create(cx: &mut Cx, size: i32) -> SysResult {
    if size <= 0 {
        return Err(Errno::EINVAL);
    }
    epoll_create1(cx, 0)
}

pub fn epoll_create1(cx: &mut Cx, flags: i32) -> SysResult {
    if flags & !libc::EPOLL_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    // SAFETY: an int flag in, a new descriptor nothing else owns out.
    let fd = unsafe { wali_core::host::own_new_fd(libc::epoll_create1(libc::EPOLL_CLOEXEC)) }?;
    install(cx, fd, flags & libc::EPOLL_CLOEXEC != 0)
}

pub fn epoll_ctl(cx: &mut Cx, epfd: i32, op: i32, fd: i32, event: i32) -> SysResult {
    let ep = file(cx, epfd)?;
    let target = file(cx, fd)?;
    let hep = ep.raw().map_err(|_| Errno::EINVAL)?;
    // A directory without a host descriptor cannot be watched, like a
    // regular file or directory on Linux.
    let hfd = target.raw().map_err(|_| Errno::EPERM)?;
    if epfd == fd {
        return Err(Errno::EINVAL);
    }
    let mut ev = libc::epoll_event { events: 0, u64: 0 };
    if op != libc::EPOLL_CTL_DEL || event != 0 {
        match mem(cx).read::<[u8; 12]>(event as u32) {
            Ok(raw) => {
                ev.events = u32::from_le_bytes(raw[0..4].try_into().unwrap());
                ev.u64 = u64::from_le_bytes(raw[4..12].try_into().unwrap());
            }
            Err(e) if op != libc::EPOLL_CTL_DEL => return Err(e),
            Err(_) => {}
        }
    }
    // SAFETY: `ev` is a live epoll_event local.
    Errno::result(unsafe { libc::epoll_ctl(hep, op, hfd, &mut ev) })
}

fn do_epoll_wait(
    cx: &mut Cx,
    epfd: i32,
    events: i32,
    maxevents: i32,
    timeout: i32,
    sigmask: Sigset,
) -> SysResult {
    let ep = file(cx, epfd)?;
    let hep = ep.raw().map_err(|_| Errno::EINVAL)?;
    if maxevents <= 0 || maxevents as usize > i32::MAX as usize / EPOLL_EVENT_SIZE {
        return Err(Errno::EINVAL);
    }
    let p = mem(cx).addr(events as u32, maxevents as usize * EPOLL_EVENT_SIZE)?;
    let pending = interrupted(cx, sigmask);
    let timeout = if pending { 0 } else { timeout };
    // Same packed layout: the host writes straight into guest memory.
    let n =
        // SAFETY: `p` spans `maxevents` packed 12-byte events of guest memory checked by `addr`
        // (host and guest layouts are the same, asserted above), so the kernel writes inside it;
        // `sigmask` is NULL or the caller's live sigset_t.
        Errno::result(unsafe { libc::epoll_pwait(hep, p.cast(), maxevents, timeout, sigmask) })?;
    if n == 0 && pending {
        return Err(Errno::EINTR);
    }
    Ok(n)
}

pub fn epoll_wait(
    cx: &mut Cx,
    epfd: i32,
    events: i32,
    maxevents: i32,
    timeout: i32,
) -> wasmtime::Result<i64> {
    masked(cx, None, timeout != 0, |cx, s| {
        do_epoll_wait(cx, epfd, events, maxevents, timeout, s)
    })
}

pub fn epoll_pwait(
    cx: &mut Cx,
    epfd: i32,
    events: i32,
    maxevents: i32,
    timeout: i32,
    sigmask: i32,
    sigsetsize: i32,
) -> wasmtime::Result<i64> {
    let mask = match read_sigmask(&mem(cx), sigmask as u32, sigsetsize as u32 as u64) {
        Ok(m) => m,
        Err(e) => return Ok(neg(Err(e))),
    };
    masked(cx, mask, timeout != 0, |cx, s| {
        do_epoll_wait(cx, epfd, events, maxevents, timeout, s)
    })
}

// ---- eventfd, timerfd ---------------------------------------------------------------------------

pub fn eventfd(cx: &mut Cx, initval: i32) -> SysResult {
    eventfd2(cx, initval, 0)
}

pub fn eventfd2(cx: &mut Cx, initval: i32, flags: i32) -> SysResult {
    if flags & !(libc::EFD_CLOEXEC | libc::EFD_NONBLOCK | libc::EFD_SEMAPHORE) != 0 {
        return Err(Errno::EINVAL);
    }
    let host_flags = flags | libc::EFD_CLOEXEC;
    // SAFETY: integers in, a new descriptor nothing else owns out.
    let fd = unsafe { wali_core::host::own_new_fd(libc::eventfd(initval as u32, host_flags)) }?;
    install(cx, fd, flags & libc::EFD_CLOEXEC != 0)
}

pub fn timerfd_create(cx: &mut Cx, clockid: i32, flags: i32) -> SysResult {
    if flags & !(libc::TFD_CLOEXEC | libc::TFD_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let host_flags = flags | libc::TFD_CLOEXEC;
    // SAFETY: integers in, a new descriptor nothing else owns out.
    let fd = unsafe { wali_core::host::own_new_fd(libc::timerfd_create(clockid, host_flags)) }?;
    install(cx, fd, flags & libc::TFD_CLOEXEC != 0)
}

fn read_itimerspec(m: &Mem, ptr: u32) -> SysResult<libc::itimerspec> {
    Ok(libc::itimerspec {
        it_interval: read_timespec(m, ptr)?,
        it_value: read_timespec(m, ptr.checked_add(16).ok_or(Errno::EFAULT)?)?,
    })
}

fn write_itimerspec(m: &Mem, ptr: u32, v: &libc::itimerspec) -> SysResult<()> {
    m.addr(ptr, 32)?;
    write_timespec(m, ptr, &v.it_interval)?;
    write_timespec(m, ptr + 16, &v.it_value)
}

pub fn timerfd_settime(
    cx: &mut Cx,
    fd: i32,
    flags: i32,
    new_value: i32,
    old_value: i32,
) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw().map_err(|_| Errno::EINVAL)?;
    let m = mem(cx);
    let new = read_itimerspec(&m, new_value as u32)?;
    if old_value != 0 {
        m.addr(old_value as u32, 32)?;
    }
    let mut old = wali_core::host::zeroed::<libc::itimerspec>();
    // SAFETY: `new` and `old` are live itimerspec locals.
    Errno::result(unsafe { libc::timerfd_settime(raw, flags, &new, &mut old) })?;
    if old_value != 0 {
        write_itimerspec(&m, old_value as u32, &old)?;
    }
    Ok(0)
}

pub fn timerfd_gettime(cx: &mut Cx, fd: i32, curr_value: i32) -> SysResult {
    let f = file(cx, fd)?;
    let raw = f.raw().map_err(|_| Errno::EINVAL)?;
    let mut cur = wali_core::host::zeroed::<libc::itimerspec>();
    // SAFETY: `cur` is a live, writable itimerspec.
    Errno::result(unsafe { libc::timerfd_gettime(raw, &mut cur) })?;
    write_itimerspec(&mem(cx), curr_value as u32, &cur)?;
    Ok(0)
}
