//! The signal syscalls: dispositions (rt_sigaction), masks, sending
//! (kill, tkill, tgkill), waiting (pause, rt_sigsuspend, rt_sigtimedwait),
//! sigaltstack, the timers that signal, and signalfd. Delivery itself is
//! the signal engine's (`crate::signal_engine`).

use super::Cx;
use crate::signal_engine::*;
use std::sync::atomic::Ordering;
use wali_core::errno::{Errno, SysResult};
use wali_core::memory::read_timeout;
use wali_core::process::{mem, Thread};
use wali_core::signal::{bit, GuestSigaction, SIGNALS};

// ---- syscalls ----------------------------------------------------------------

pub fn rt_sigaction(cx: &mut Cx, signum: i32, act: i32, oldact: i32, sigsetsize: i32) -> SysResult {
    if sigsetsize != KERNEL_SIGSET {
        return Err(Errno::EINVAL);
    }
    valid_signal(signum)?;
    let m = mem(cx);
    let new = if act != 0 {
        if signum == libc::SIGKILL || signum == libc::SIGSTOP {
            return Err(Errno::EINVAL);
        }
        let raw: [u8; SIGACTION_SIZE] = m.read(act as u32)?;
        Some(GuestSigaction {
            handler: u32::from_le_bytes(raw[0..4].try_into().unwrap()),
            // Every flag Linux knows fits the low half of the u64 (the
            // guest's `unsigned long` is 32 bits; musl leaves the rest 0).
            flags: u32::from_le_bytes(raw[4..8].try_into().unwrap()),
            restorer: u32::from_le_bytes(raw[12..16].try_into().unwrap()),
            mask: u64::from_le_bytes(raw[16..24].try_into().unwrap()) & !UNBLOCKABLE,
        })
    } else {
        None
    };
    if oldact != 0 {
        m.addr(oldact as u32, SIGACTION_SIZE)?;
    }
    let proc = cx.data().proc.clone();
    let mut table = proc.signals.lock().unwrap();
    let old = table.actions[signum as usize];
    if let Some(new) = new {
        table.actions[signum as usize] = new;
        install_host_disposition(signum, new.handler);
        if new.handler == SIG_IGN {
            // Ignoring a pending signal discards it.
            PROCESS_PENDING.fetch_and(!bit(signum), Ordering::SeqCst);
            cx.data()
                .signals
                .pending
                .fetch_and(!bit(signum), Ordering::SeqCst);
        }
    }
    drop(table);
    if oldact != 0 {
        let mut raw = [0u8; SIGACTION_SIZE];
        raw[0..4].copy_from_slice(&old.handler.to_le_bytes());
        raw[4..12].copy_from_slice(&(old.flags as u64).to_le_bytes());
        raw[12..16].copy_from_slice(&old.restorer.to_le_bytes());
        raw[16..24].copy_from_slice(&old.mask.to_le_bytes());
        m.write(oldact as u32, raw)?;
    }
    Ok(0)
}

pub fn rt_sigprocmask(cx: &mut Cx, how: i32, set: i32, oldset: i32, sigsetsize: i32) -> SysResult {
    if sigsetsize != KERNEL_SIGSET {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let new: Option<u64> = if set != 0 {
        Some(m.read(set as u32)?)
    } else {
        None
    };
    let old = cx.data().sigmask;
    if oldset != 0 {
        m.addr(oldset as u32, 8)?;
    }
    if let Some(new) = new {
        let mask = match how {
            libc::SIG_BLOCK => old | new,
            libc::SIG_UNBLOCK => old & !new,
            libc::SIG_SETMASK => new,
            _ => return Err(Errno::EINVAL),
        };
        set_mask(cx.data_mut(), mask);
    }
    if oldset != 0 {
        m.write(oldset as u32, old)?;
    }
    Ok(0)
}

/// Pending signals of the calling thread: software ones and those the host
/// kernel holds because they are blocked.
fn pending_set(t: &Thread) -> u64 {
    let mut host = wali_core::host::zeroed::<libc::sigset_t>();
    // SAFETY: `host` is a live, writable sigset_t.
    unsafe { libc::sigpending(&mut host) };
    let mut set = t.signals.pending.load(Ordering::SeqCst) | PROCESS_PENDING.load(Ordering::SeqCst);
    for sig in SIGNALS {
        // SAFETY: `host` is a live sigset_t filled by sigpending.
        if unsafe { libc::sigismember(&host, sig) } == 1 {
            set |= bit(sig);
        }
    }
    set
}

pub fn rt_sigpending(cx: &mut Cx, set: i32, sigsetsize: i32) -> SysResult {
    if !(0..=KERNEL_SIGSET).contains(&sigsetsize) {
        return Err(Errno::EINVAL);
    }
    let pending = pending_set(cx.data()) & cx.data().sigmask;
    let bytes = pending.to_le_bytes();
    mem(cx).write_bytes(set as u32, &bytes[..sigsetsize as usize])?;
    Ok(0)
}

pub fn sigaltstack(cx: &mut Cx, ss: i32, old_ss: i32) -> SysResult {
    const MINSIGSTKSZ: u32 = 2048;
    let m = mem(cx);
    let new = if ss != 0 {
        let raw: [u8; 12] = m.read(ss as u32)?;
        let sp = u32::from_le_bytes(raw[0..4].try_into().unwrap());
        let flags = i32::from_le_bytes(raw[4..8].try_into().unwrap());
        let size = u32::from_le_bytes(raw[8..12].try_into().unwrap());
        // SS_ONSTACK is accepted and means nothing here, as on Linux.
        let flags = flags & !libc::SS_ONSTACK;
        if flags & !(libc::SS_DISABLE | SS_AUTODISARM) != 0 {
            return Err(Errno::EINVAL);
        }
        if flags & libc::SS_DISABLE == 0 && size < MINSIGSTKSZ {
            return Err(Errno::ENOMEM);
        }
        Some((sp, flags, size))
    } else {
        None
    };
    let old = cx.data().altstack;
    if old_ss != 0 {
        let mut raw = [0u8; 12];
        raw[0..4].copy_from_slice(&old.0.to_le_bytes());
        raw[4..8].copy_from_slice(&old.1.to_le_bytes());
        raw[8..12].copy_from_slice(&old.2.to_le_bytes());
        m.write(old_ss as u32, raw)?;
    }
    if let Some(new) = new {
        if cx.data().in_handler > 0 && old.1 & libc::SS_ONSTACK != 0 {
            return Err(Errno::EPERM);
        }
        cx.data_mut().altstack = if new.1 & libc::SS_DISABLE != 0 {
            (0, libc::SS_DISABLE, 0)
        } else {
            new
        };
    }
    Ok(0)
}

/// Sends `sig` to the guest's own process.
fn signal_self(sig: i32) -> SysResult {
    if sig == 0 {
        return Ok(0);
    }
    if software_only(sig) {
        PROCESS_QUEUE.post(&PROCESS_PENDING, sig, SI_USER, wali_core::host::pid());
        interrupt_guest();
        return Ok(0);
    }
    wali_core::host::kill(wali_core::host::pid(), sig)
}

pub fn kill(cx: &mut Cx, pid: i32, sig: i32) -> SysResult {
    if sig != 0 {
        valid_signal(sig)?;
    }
    let me = wali_core::host::pid();
    let proc = cx.data().proc.clone();
    match pid {
        p if p == me => signal_self(sig),
        p if p > 0 => {
            if !proc.in_sandbox(p) {
                // A pid that exists nowhere is ESRCH, as on Linux.
                if wali_core::host::kill(p, 0) == Err(Errno::ESRCH) {
                    return Err(Errno::ESRCH);
                }
                // Only the guest's own processes: never a host process.
                proc.denied(
                    format_args!("kill({p}, {sig}): not a process of this sandbox"),
                    "signals reach the guest's own processes only",
                );
                return Err(Errno::EPERM);
            }
            wali_core::host::kill(p, sig)
        }
        0 | -1 => {
            // Our process group or "everything we may signal": the guest's
            // own process (for 0), its children and, for -1 or when they share
            // our group, the guest processes it was forked from; never the
            // host's processes.
            let mut children: Vec<i32> = proc.children.lock().unwrap().iter().copied().collect();
            let group = wali_core::host::pgrp();
            children.extend(
                proc.ancestors
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|&&a| pid == -1 || wali_core::host::getpgid(a) == Ok(group.into())),
            );
            for c in &children {
                let _ = wali_core::host::kill(*c, sig);
            }
            if pid == 0 {
                signal_self(sig)?;
            } else if children.is_empty() {
                return Err(Errno::ESRCH);
            }
            Ok(0)
        }
        p => {
            let group = -p;
            let own_group =
                wali_core::host::pgrp() == group && proc.own_group.load(Ordering::SeqCst);
            let child_group = proc.children.lock().unwrap().contains(&group);
            if !own_group && !child_group {
                return Err(Errno::EPERM);
            }
            // SAFETY: integer arguments only; no memory is read or written.
            Errno::result(unsafe { libc::killpg(group, sig) })
        }
    }
}

pub fn tkill(cx: &mut Cx, tid: i32, sig: i32) -> SysResult {
    if tid <= 0 {
        return Err(Errno::EINVAL);
    }
    if sig != 0 {
        valid_signal(sig)?;
    }
    let target = if tid == cx.data().tid {
        cx.data().signals.clone()
    } else {
        find_thread(tid).ok_or(Errno::ESRCH)?
    };
    if sig == 0 {
        return Ok(0);
    }
    if software_only(sig) {
        target
            .queue
            .post(&target.pending, sig, SI_TKILL, wali_core::host::pid());
        interrupt_guest();
        if target.tid != cx.data().tid {
            kick(target.tid);
        }
        return Ok(0);
    }
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::syscall(libc::SYS_tgkill, wali_core::host::pid(), tid, sig) })
}

pub fn tgkill(cx: &mut Cx, tgid: i32, tid: i32, sig: i32) -> SysResult {
    if tgid <= 0 {
        return Err(Errno::EINVAL);
    }
    if tgid != wali_core::host::pid() {
        return Err(Errno::ESRCH);
    }
    tkill(cx, tid, sig)
}

pub fn pause(cx: &mut Cx) -> SysResult {
    while !has_deliverable(cx.data()) {
        wali_core::host::pause();
    }
    Err(Errno::EINTR)
}

pub fn rt_sigsuspend(cx: &mut Cx, mask: i32, sigsetsize: i32) -> wasmtime::Result<i64> {
    if sigsetsize != KERNEL_SIGSET {
        return Ok(-(libc::EINVAL as i64));
    }
    let temp: u64 = match mem(cx).read(mask as u32) {
        Ok(v) => v,
        Err(e) => return Ok(-(e.0 as i64)),
    };
    let saved = cx.data().sigmask;
    // Block everything on the host while switching, then wait atomically
    // with the temporary mask, as sigsuspend(2) does.
    let all = host_set(!0);
    // SAFETY: `all` is a live sigset_t; only this thread's mask changes.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &all, std::ptr::null_mut()) };
    cx.data_mut().sigmask = temp & !UNBLOCKABLE;
    cx.data()
        .signals
        .mask
        .store(cx.data().sigmask, Ordering::SeqCst);
    let wait = host_set(cx.data().sigmask);
    while !has_deliverable(cx.data()) {
        // SAFETY: `wait` is a live sigset_t; sigsuspend only reads it.
        unsafe { libc::sigsuspend(&wait) };
    }
    // Handlers run with the temporary mask; then the old one comes back.
    set_mask(cx.data_mut(), temp);
    let result = deliver_pending(&mut *cx);
    if !crate::signal_engine::is_longjmp(&result) {
        set_mask(cx.data_mut(), saved);
    }
    result?;
    Ok(-(libc::EINTR as i64))
}

pub fn rt_sigtimedwait(
    cx: &mut Cx,
    set: i32,
    info: i32,
    timeout: i32,
    sigsetsize: i32,
) -> SysResult {
    if sigsetsize != KERNEL_SIGSET {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let wanted: u64 = m.read(set as u32)?;
    let wanted = wanted & !UNBLOCKABLE;
    if info != 0 {
        m.addr(info as u32, 128)?;
    }
    let ts = read_timeout(&m, timeout as u32)?;
    // A software signal already pending?
    let t = cx.data().signals.clone();
    for (queue, source) in [(&t.queue, &t.pending), (&PROCESS_QUEUE, &PROCESS_PENDING)] {
        let ready = source.load(Ordering::SeqCst) & wanted;
        if ready != 0 {
            let sig = ready.trailing_zeros() as i32 + 1;
            queue.take(source, sig);
            if info != 0 {
                m.write_bytes(info as u32, &siginfo_bytes(sig, queue.sender(sig)))?;
            }
            return Ok(sig as i64);
        }
    }
    let host = host_set(wanted);
    let mut si = wali_core::host::zeroed::<libc::siginfo_t>();
    // SAFETY: `host` and `si` are live locals (the set read, the siginfo written), and the timeout
    // is NULL or points at `ts`, alive across the call.
    let r = unsafe {
        libc::sigtimedwait(
            &host,
            &mut si,
            ts.as_ref()
                .map_or(std::ptr::null(), |t| t as *const libc::timespec),
        )
    };
    let sig = Errno::result(r)?;
    if info != 0 {
        m.write_bytes(info as u32, &siginfo_to_guest(&si))?;
    }
    Ok(sig)
}

// ---- timers that signal -----------------------------------------------------

fn check_which(which: i32) -> SysResult<()> {
    match which {
        libc::ITIMER_REAL | libc::ITIMER_VIRTUAL | libc::ITIMER_PROF => Ok(()),
        _ => Err(Errno::EINVAL),
    }
}

/// The guest's struct itimerval is the x86_64 one (four 8-byte fields).
pub fn setitimer(cx: &mut Cx, which: i32, new_value: i32, old_value: i32) -> SysResult {
    check_which(which)?;
    let m = mem(cx);
    let new: libc::itimerval = if new_value != 0 {
        m.read(new_value as u32)?
    } else {
        wali_core::host::zeroed()
    };
    let mut old = wali_core::host::zeroed::<libc::itimerval>();
    // SAFETY: `new` and `old` are live itimerval locals.
    Errno::result(unsafe { libc::setitimer(which, &new, &mut old) })?;
    if old_value != 0 {
        m.write(old_value as u32, old)?;
    }
    Ok(0)
}

pub fn getitimer(cx: &mut Cx, which: i32, curr_value: i32) -> SysResult {
    check_which(which)?;
    let mut cur = wali_core::host::zeroed::<libc::itimerval>();
    // SAFETY: `cur` is a live, writable itimerval.
    Errno::result(unsafe { libc::getitimer(which, &mut cur) })?;
    mem(cx).write(curr_value as u32, cur)?;
    Ok(0)
}

pub fn alarm(_cx: &mut Cx, seconds: i32) -> SysResult {
    // SAFETY: integer argument only; no memory is read or written.
    Ok(unsafe { libc::alarm(seconds as u32) } as i64)
}

// ---- signalfd -----------------------------------------------------------------

/// A guest signalfd is a host signalfd over the same signals: guest masks
/// are the host threads' masks, so a signal the guest blocked stays pending
/// in the host kernel, per thread or for the process, exactly where the
/// host signalfd looks. Readiness (poll, select, epoll) and reads (128-byte
/// `signalfd_siginfo` records, the same bytes for the guest) are the
/// kernel's. Software-only signals (see `software_only`) never reach the
/// host kernel and are not reported.
pub fn signalfd4(cx: &mut Cx, fd: i32, mask: i32, sizemask: i32, flags: i32) -> SysResult {
    if sizemask != KERNEL_SIGSET {
        return Err(Errno::EINVAL);
    }
    if flags & !(libc::SFD_CLOEXEC | libc::SFD_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let wanted: u64 = mem(cx).read(mask as u32)?;
    let set = host_set(wanted & !UNBLOCKABLE);
    if fd != -1 {
        // Changes the mask of an existing signalfd (EINVAL for another file).
        let file = crate::sys::fd::file(cx, fd)?;
        let raw = file.raw().map_err(|_| Errno::EINVAL)?;
        // SAFETY: `set` is a live sigset_t; an existing descriptor is updated.
        Errno::result(unsafe { libc::signalfd(raw, &set, 0) })?;
        return Ok(fd as i64);
    }
    // SAFETY: `set` is a live sigset_t; with fd -1 signalfd returns a new
    // descriptor nothing else owns.
    let host = unsafe {
        wali_core::host::own_new_fd(libc::signalfd(-1, &set, flags | libc::SFD_CLOEXEC))
    }?;
    crate::sys::poll::install(cx, host, flags & libc::SFD_CLOEXEC != 0)
}

pub fn signalfd(cx: &mut Cx, fd: i32, mask: i32, sizemask: i32) -> SysResult {
    signalfd4(cx, fd, mask, sizemask, 0)
}
