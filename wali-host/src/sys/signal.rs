//! Signals: dispositions, masks, and delivery to guest handlers (table
//! indices) on the way back from a syscall.

use super::Cx;
use crate::errno::{Errno, SysResult};
use crate::exit::killed_by;
use crate::process::{mem, Thread};
use std::sync::atomic::Ordering;
use wasmtime::{Caller, Val, ValType};

pub const NSIG: usize = 65;
const SIG_DFL: u32 = 0;
const SIG_IGN: u32 = 1;
const SA_SIGINFO: u32 = 4;
const SA_NODEFER: u32 = 0x4000_0000;
const SA_RESETHAND: u32 = 0x8000_0000;
/// The kernel's sigset: 64 signals, 8 bytes.
const KERNEL_SIGSET: i32 = 8;
/// The guest's struct sigaction (ABI): handler @0, mask @8, flags @136, restorer @140.
const SIGACTION_SIZE: usize = 144;
const SS_AUTODISARM: i32 = 1 << 31;

#[derive(Clone, Copy, Default, Debug)]
pub struct GuestSigaction {
    pub handler: u32,
    pub mask: u64,
    pub flags: u32,
    pub restorer: u32,
}

pub struct SignalTable {
    pub actions: [GuestSigaction; NSIG],
}

impl Default for SignalTable {
    fn default() -> Self {
        SignalTable {
            actions: [GuestSigaction::default(); NSIG],
        }
    }
}

#[inline]
pub fn bit(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

fn valid_signal(sig: i32) -> SysResult<()> {
    if (1..NSIG as i32).contains(&sig) {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

/// SIGKILL and SIGSTOP can be neither caught, ignored nor blocked.
const UNBLOCKABLE: u64 = (1 << (libc::SIGKILL - 1)) | (1 << (libc::SIGSTOP - 1));

/// Host signals whose SIG_IGN the host mirrors, so that a guest ignoring
/// SIGINT or SIGTERM is not killed by one arriving from outside.
fn mirrored_on_host(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGHUP
            | libc::SIGINT
            | libc::SIGQUIT
            | libc::SIGTERM
            | libc::SIGUSR1
            | libc::SIGUSR2
            | libc::SIGALRM
            | libc::SIGTSTP
            | libc::SIGTTIN
            | libc::SIGTTOU
            | libc::SIGXCPU
            | libc::SIGXFSZ
            | libc::SIGVTALRM
            | libc::SIGPROF
    )
}

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
            mask: u64::from_le_bytes(raw[8..16].try_into().unwrap()) & !UNBLOCKABLE,
            flags: u32::from_le_bytes(raw[136..140].try_into().unwrap()),
            restorer: u32::from_le_bytes(raw[140..144].try_into().unwrap()),
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
        if mirrored_on_host(signum) {
            let host = if new.handler == SIG_IGN {
                libc::SIG_IGN
            } else {
                libc::SIG_DFL
            };
            unsafe { libc::signal(signum, host) };
        }
        if new.handler == SIG_IGN {
            // Ignoring a pending signal discards it.
            proc.pending.fetch_and(!bit(signum), Ordering::Relaxed);
            cx.data_mut().pending &= !bit(signum);
        }
    }
    drop(table);
    if oldact != 0 {
        let mut raw = [0u8; SIGACTION_SIZE];
        raw[0..4].copy_from_slice(&old.handler.to_le_bytes());
        raw[8..16].copy_from_slice(&old.mask.to_le_bytes());
        raw[136..140].copy_from_slice(&old.flags.to_le_bytes());
        raw[140..144].copy_from_slice(&old.restorer.to_le_bytes());
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
    if let Some(new) = new {
        let mask = match how {
            libc::SIG_BLOCK => old | new,
            libc::SIG_UNBLOCK => old & !new,
            libc::SIG_SETMASK => new,
            _ => return Err(Errno::EINVAL),
        };
        cx.data_mut().sigmask = mask & !UNBLOCKABLE;
    }
    if oldset != 0 {
        m.write(oldset as u32, old)?;
    }
    Ok(0)
}

pub fn rt_sigpending(cx: &mut Cx, set: i32, sigsetsize: i32) -> SysResult {
    if !(0..=KERNEL_SIGSET).contains(&sigsetsize) {
        return Err(Errno::EINVAL);
    }
    let t = cx.data();
    let pending = (t.pending | t.proc.pending.load(Ordering::Relaxed)) & t.sigmask;
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

pub fn kill(cx: &mut Cx, pid: i32, sig: i32) -> SysResult {
    if sig != 0 {
        valid_signal(sig)?;
    }
    if pid != unsafe { libc::getpid() } {
        return Err(Errno::EPERM);
    }
    if sig != 0 {
        cx.data().proc.pending.fetch_or(bit(sig), Ordering::Relaxed);
    }
    Ok(0)
}

pub fn tkill(cx: &mut Cx, tid: i32, sig: i32) -> SysResult {
    if tid <= 0 {
        return Err(Errno::EINVAL);
    }
    if sig != 0 {
        valid_signal(sig)?;
    }
    if tid != cx.data().tid {
        return Err(Errno::ESRCH);
    }
    if sig != 0 {
        cx.data_mut().pending |= bit(sig);
    }
    Ok(0)
}

pub fn tgkill(cx: &mut Cx, tgid: i32, tid: i32, sig: i32) -> SysResult {
    if tgid <= 0 {
        return Err(Errno::EINVAL);
    }
    if tgid != unsafe { libc::getpid() } {
        return Err(Errno::ESRCH);
    }
    tkill(cx, tid, sig)
}

/// Queues `sig` for the calling thread (SIGPIPE after EPIPE, ...).
pub fn raise_on_thread(t: &mut Thread, sig: i32) {
    t.pending |= bit(sig);
}

#[inline]
pub fn has_deliverable(t: &Thread) -> bool {
    (t.pending | t.proc.pending.load(Ordering::Relaxed)) & !t.sigmask != 0
}

/// Signals whose default action is to ignore them.
fn default_ignores(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGCHLD | libc::SIGURG | libc::SIGWINCH | libc::SIGCONT
    )
}

fn default_stops(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
    )
}

/// Delivers every pending, unblocked signal: default actions, or the guest
/// handler called on this thread.
pub fn deliver_pending(caller: &mut Caller<'_, Thread>) -> wasmtime::Result<()> {
    loop {
        let t = caller.data();
        let proc_pending = t.proc.pending.load(Ordering::Relaxed);
        let ready = (t.pending | proc_pending) & !t.sigmask;
        if ready == 0 {
            return Ok(());
        }
        let sig = ready.trailing_zeros() as i32 + 1;
        if t.pending & bit(sig) != 0 {
            caller.data_mut().pending &= !bit(sig);
        } else {
            caller
                .data()
                .proc
                .pending
                .fetch_and(!bit(sig), Ordering::Relaxed);
        }
        let proc = caller.data().proc.clone();
        let action = {
            let mut table = proc.signals.lock().unwrap();
            let a = table.actions[sig as usize];
            if a.handler > SIG_IGN && a.flags & SA_RESETHAND != 0 {
                table.actions[sig as usize] = GuestSigaction::default();
            }
            a
        };
        match action.handler {
            SIG_IGN => {}
            SIG_DFL if default_ignores(sig) => {}
            SIG_DFL if default_stops(sig) => unsafe {
                libc::raise(libc::SIGSTOP);
            },
            SIG_DFL => return Err(killed_by(sig)),
            handler => run_handler(caller, sig, handler, action)?,
        }
    }
}

fn run_handler(
    caller: &mut Caller<'_, Thread>,
    sig: i32,
    handler: u32,
    action: GuestSigaction,
) -> wasmtime::Result<()> {
    let Some(table) = caller.data().table else {
        return Err(killed_by(sig));
    };
    let func = match table.get(&mut *caller, handler as u64) {
        Some(r) => r.as_func().flatten().copied(),
        None => None,
    };
    let Some(func) = func else {
        // A handler index outside the table: the guest would crash natively.
        return Err(killed_by(libc::SIGSEGV));
    };
    let saved_mask = caller.data().sigmask;
    let mut mask = saved_mask | action.mask;
    if action.flags & SA_NODEFER == 0 {
        mask |= bit(sig);
    }
    caller.data_mut().sigmask = mask & !UNBLOCKABLE;
    caller.data_mut().in_handler += 1;
    let ty = func.ty(&*caller);
    let params: Vec<ValType> = ty.params().collect();
    let result = match params.len() {
        1 => func.call(&mut *caller, &[Val::I32(sig)], &mut []),
        3 if action.flags & SA_SIGINFO != 0 || params.len() == 3 => {
            let info = siginfo_area(caller, sig)?;
            func.call(
                &mut *caller,
                &[Val::I32(sig), Val::I32(info as i32), Val::I32(0)],
                &mut [],
            )
        }
        _ => func.call(&mut *caller, &[Val::I32(sig)], &mut []),
    };
    caller.data_mut().in_handler -= 1;
    caller.data_mut().sigmask = saved_mask;
    result
}

/// A 128-byte siginfo_t in guest memory for SA_SIGINFO handlers, filled for
/// a signal sent by this process (SI_USER from our own pid and uid).
fn siginfo_area(caller: &mut Caller<'_, Thread>, sig: i32) -> wasmtime::Result<u32> {
    let addr = match caller.data().siginfo {
        Some(a) => a,
        None => {
            let a = super::mem::mmap(caller, 0, 4096, 3, 0x22, -1, 0);
            let a = match a {
                Ok(a) => a as u32,
                Err(_) => return Err(killed_by(sig)),
            };
            caller.data_mut().siginfo = Some(a);
            a
        }
    };
    let mut raw = [0u8; 128];
    raw[0..4].copy_from_slice(&sig.to_le_bytes());
    raw[8..12].copy_from_slice(&0i32.to_le_bytes()); // SI_USER
    raw[16..20].copy_from_slice(&unsafe { libc::getpid() }.to_le_bytes());
    raw[20..24].copy_from_slice(&unsafe { libc::getuid() }.to_le_bytes());
    let _ = mem(caller).write(addr, raw);
    Ok(addr)
}
