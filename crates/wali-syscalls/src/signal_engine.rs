//! The signal engine: how signals reach guest code, with Linux semantics.
//! (The signal state is `wali_core::signal`; the signal syscalls are
//! `sys::signal`.)
//!
//! Guest dispositions and masks are mirrored onto the host: a signal the
//! guest handles gets a host handler, an ignored one SIG_IGN, a default one
//! SIG_DFL (so default termination kills `wali` itself, exactly as the guest
//! would have died), and each guest thread's mask is its host thread's mask.
//! The kernel therefore picks the receiving thread and interrupts its blocked
//! syscall with EINTR. The host handler only records the signal and bumps the
//! engine's epoch, which makes a guest spinning in Wasm code stop at its next
//! epoch check; the guest handler then runs at that safe point or on the way
//! back from a syscall.
//!
//! Signals the engine needs for itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE for
//! Wasm traps), SIGPIPE (ignored by the host so writes see EPIPE), musl's
//! internal 32 and 33 (reserved by the host's libc) and 64 (the host's kick,
//! below) never get host handlers: when the guest raises them they travel in
//! software.
//!
//! A blocked host call is interrupted by a host signal only. So when a
//! signal pending for a guest thread cannot reach it through the kernel (a
//! software one, or a host one that arrived just before the thread entered
//! its blocking call), the thread is kicked: host signal 64 with a handler
//! that does nothing but make the call fail with EINTR, after which the
//! dispatch wrapper delivers the guest's signal. The watcher thread repeats
//! kicks, backing off, while such a signal stays pending, which closes the
//! window between the last check and the blocking call.

use std::cell::Cell;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use wali_core::errno::{Errno, SysResult};
use wali_core::exit::killed_by;
use wali_core::process::Thread;
use wali_core::signal::{bit, GuestSigaction, SigQueue, ThreadSignals, SIGNALS};
use wasmtime::{AsContextMut, Engine, SharedMemory, Val, ValType};

// The WALI ABI's sentinels: handlers are table indices, and index 1 is an
// ordinary function in WALI binaries, so SIG_IGN is -2 (SIG_ERR is -1).
const SIG_DFL: u32 = 0;
pub(crate) const SIG_IGN: u32 = -2i32 as u32;
const SA_SIGINFO: u32 = 4;
const SA_RESTART: u32 = 0x1000_0000;
const SA_NODEFER: u32 = 0x4000_0000;
const SA_RESETHAND: u32 = 0x8000_0000;
/// The kernel's sigset: 64 signals, 8 bytes.
pub(crate) const KERNEL_SIGSET: i32 = 8;
/// The guest's kernel struct k_sigaction (ABI): handler @0, flags u64 @4
/// (unaligned), restorer @12, mask (2 x u32) @16.
pub(crate) const SIGACTION_SIZE: usize = 24;
pub(crate) const SS_AUTODISARM: i32 = 1 << 31;

/// SIGKILL and SIGSTOP can be neither caught, ignored nor blocked.
pub(crate) const UNBLOCKABLE: u64 = (1 << (libc::SIGKILL - 1)) | (1 << (libc::SIGSTOP - 1));

/// The host signal that interrupts a guest thread's blocking host call.
const KICK: i32 = 64;

/// Signals that never get a host handler or a host mask bit (see above).
pub(crate) fn software_only(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE | libc::SIGPIPE | 32 | 33 | KICK
    ) || sig == libc::SIGKILL
        || sig == libc::SIGSTOP
}

pub(crate) fn valid_signal(sig: i32) -> SysResult<()> {
    if SIGNALS.contains(&sig) {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

pub(crate) const SI_USER: i32 = 0;
pub(crate) const SI_TKILL: i32 = -6;

/// Process-directed signals raised in software (kill of a software-only
/// signal to ourselves), or caught on a host thread that runs no guest code.
pub(crate) static PROCESS_PENDING: AtomicU64 = AtomicU64::new(0);
pub(crate) static PROCESS_QUEUE: SigQueue = SigQueue::new();
static ENGINE: OnceLock<Engine> = OnceLock::new();
static SHARED_MEMORY: OnceLock<SharedMemory> = OnceLock::new();
static REGISTRY: Mutex<Vec<Arc<ThreadSignals>>> = Mutex::new(Vec::new());
/// Write end of the pipe the host handler uses to wake the watcher thread.
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

thread_local! {
    /// The guest thread running on this host thread (null on other threads).
    static CURRENT: Cell<*const ThreadSignals> = const { Cell::new(std::ptr::null()) };
}

/// Records the engine (to interrupt spinning code) and, for threaded
/// modules, the shared memory (to wake futex waiters). Starts the watcher.
pub fn init_process(engine: &Engine, shared: Option<&SharedMemory>) {
    let _ = ENGINE.set(engine.clone());
    if let Some(m) = shared {
        let _ = SHARED_MEMORY.set(m.clone());
    }
    install_kick_handler();
    start_watcher();
}

/// Starts the thread that wakes futex-blocked guest threads for which a
/// signal arrived. Called again in a forked child, where it does not exist.
pub fn start_watcher() {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is the writable array of two ints pipe2 fills. Both ends stay raw on purpose:
    // the write end lives in WAKE_FD for the signal handler, the read end in the watcher thread,
    // for the whole run.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
        return;
    }
    let old = WAKE_FD.swap(fds[1], Ordering::SeqCst);
    if old >= 0 {
        // SAFETY: `old` was the write end this function stored in WAKE_FD (never owned elsewhere),
        // and the swap above took it out, so it is closed once.
        unsafe { libc::close(old) };
    }
    let read_fd = fds[0];
    let _ = std::thread::Builder::new()
        .name("wali-signals".into())
        .spawn(move || {
            block_all_host_signals();
            let mut buf = [0u8; 64];
            // Milliseconds until the next round of kicks, while a signal
            // stays pending (-1: none is, wait for the next one).
            let mut retry_ms: i32 = -1;
            loop {
                let mut pfd = libc::pollfd {
                    fd: read_fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: `pfd` is one live pollfd, the count passed.
                let n = unsafe { libc::poll(&mut pfd, 1, retry_ms) };
                if n < 0 && Errno::last() != Errno::EINTR {
                    return;
                }
                if n > 0 {
                    // SAFETY: `buf` is writable for the `buf.len()` bytes read may fill.
                    let r = unsafe { libc::read(read_fd, buf.as_mut_ptr().cast(), buf.len()) };
                    if r == 0 {
                        return;
                    }
                }
                retry_ms = if nudge_threads() {
                    if retry_ms < 0 {
                        1
                    } else {
                        (retry_ms * 2).min(64)
                    }
                } else {
                    -1
                };
            }
        });
}

/// Wakes every guest thread that has a deliverable signal pending: futex
/// waiters through the shared memory, everyone else with a kick. Returns
/// whether any thread had one.
fn nudge_threads() -> bool {
    let process = PROCESS_PENDING.load(Ordering::SeqCst);
    let mut any = false;
    for t in REGISTRY.lock().unwrap().iter() {
        let ready = (t.pending.load(Ordering::SeqCst) | process) & !t.mask.load(Ordering::SeqCst);
        if ready == 0 {
            continue;
        }
        any = true;
        let addr = t.futex_wait.load(Ordering::SeqCst);
        match SHARED_MEMORY.get() {
            Some(shared) if addr != 0 => {
                let _ = shared.atomic_notify(addr - 1, u32::MAX);
            }
            _ => kick(t.tid),
        }
    }
    any
}

/// Interrupts guest thread `tid`'s blocking host call, if it is in one.
pub(crate) fn kick(tid: i32) {
    // SAFETY: integer arguments only; no memory is read or written.
    unsafe { libc::syscall(libc::SYS_tgkill, wali_core::host::pid(), tid, KICK) };
}

/// The kick's handler: a kick from this process only interrupts (EINTR);
/// host signal 64 from anywhere else is the guest's signal 64.
extern "C" fn kick_handler(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    if !info.is_null() {
        // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler; `info` is not NULL
        // (checked).
        let (code, pid) = unsafe { ((*info).si_code, (*info).si_pid()) };
        if code == SI_TKILL && pid == wali_core::host::pid() {
            return;
        }
    }
    host_handler(sig, info, ctx);
}

fn install_kick_handler() {
    let mut sa = wali_core::host::zeroed::<libc::sigaction>();
    // SAFETY: `kick_handler` is an extern "C" SA_SIGINFO handler that is
    // async-signal-safe (see `host_handler`); `sa` is a live sigaction the
    // calls only fill or read.
    unsafe {
        sa.sa_sigaction = kick_handler as *const () as usize;
        // No SA_RESTART: interrupting the call is the point.
        sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigfillset(&mut sa.sa_mask);
        libc::sigaction(KICK, &sa, std::ptr::null_mut());
    }
}

/// Makes the calling host thread the home of guest thread `t`.
pub fn register_thread(t: &Arc<ThreadSignals>) {
    CURRENT.with(|c| c.set(Arc::as_ptr(t)));
    REGISTRY.lock().unwrap().push(t.clone());
}

pub fn unregister_thread(tid: i32) {
    CURRENT.with(|c| c.set(std::ptr::null()));
    REGISTRY.lock().unwrap().retain(|t| t.tid != tid);
}

/// The thread registry's lock, which fork holds across `fork()`: another
/// host thread holding it at that moment would leave the child's copy
/// locked for ever.
pub type RegistryGuard = std::sync::MutexGuard<'static, Vec<Arc<ThreadSignals>>>;

pub fn lock_registry() -> RegistryGuard {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// In a forked child only the calling thread exists: `reg` is the guard
/// taken before the fork.
pub fn reset_after_fork(mut reg: RegistryGuard) {
    // The parent's threads that were blocked in a futex wait are still in
    // wasmtime's wait queue of the (copied) shared memory, as waiters that
    // will never run here: a wake-up could go to one of them instead of a
    // waiter of the child's. Wake them all now, while nobody else waits.
    let stale: Vec<u64> = reg
        .iter()
        .map(|t| t.futex_wait.load(Ordering::SeqCst))
        .filter(|&a| a != 0)
        .collect();
    reg.clear();
    drop(reg);
    if let Some(shared) = SHARED_MEMORY.get() {
        for addr in stale {
            let _ = shared.atomic_notify(addr - 1, u32::MAX);
        }
    }
    start_watcher();
}

/// Re-registers the calling thread (after fork gave it a new identity).
pub fn register_current(t: &Arc<ThreadSignals>) {
    register_thread(t);
}

/// `tid` is a thread of the guest process.
pub fn is_guest_thread(tid: i32) -> bool {
    find_thread(tid).is_some()
}

pub(crate) fn find_thread(tid: i32) -> Option<Arc<ThreadSignals>> {
    REGISTRY
        .lock()
        .unwrap()
        .iter()
        .find(|t| t.tid == tid)
        .cloned()
}

pub(crate) fn interrupt_guest() {
    if let Some(e) = ENGINE.get() {
        e.increment_epoch();
    }
    let fd = WAKE_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = 1u8;
        // SAFETY: `b` is one live byte; write is async-signal-safe, and a full pipe only makes it
        // fail.
        unsafe { libc::write(fd, (&b as *const u8).cast(), 1) };
    }
}

/// The host handler for signals the guest handles: async-signal-safe, it
/// touches only atomics and write(2).
extern "C" fn host_handler(sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: __errno_location returns this thread's errno slot, valid for the thread's life; the
    // handler saves it to restore it.
    let saved = unsafe { *libc::__errno_location() };
    let (code, pid) = if info.is_null() {
        (SI_USER, 0)
    } else {
        // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler; `info` is not NULL
        // (checked).
        unsafe { ((*info).si_code, (*info).si_pid()) }
    };
    let current = CURRENT.with(|c| c.get());
    if current.is_null() {
        PROCESS_QUEUE.post(&PROCESS_PENDING, sig, code, pid);
    } else {
        // SAFETY: registered threads outlive their host thread's guest code.
        let t = unsafe { &*current };
        t.queue.post(&t.pending, sig, code, pid);
    }
    interrupt_guest();
    // SAFETY: this thread's errno slot (see above), restored as the interrupted code left it.
    unsafe { *libc::__errno_location() = saved };
}

pub(crate) fn install_host_disposition(sig: i32, handler: u32) {
    if software_only(sig) {
        return;
    }
    let mut sa = wali_core::host::zeroed::<libc::sigaction>();
    // SAFETY: the handler is SIG_DFL, SIG_IGN or `host_handler`, an extern
    // "C" SA_SIGINFO handler that is async-signal-safe; `sa` is a live
    // sigaction the calls only fill or read.
    unsafe {
        sa.sa_sigaction = match handler {
            SIG_DFL => libc::SIG_DFL,
            SIG_IGN => libc::SIG_IGN,
            _ => host_handler as *const () as usize,
        };
        sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigfillset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

/// The host sigset for a guest mask (software-only signals left out).
pub(crate) fn host_set(mask: u64) -> libc::sigset_t {
    let mut set = wali_core::host::zeroed::<libc::sigset_t>();
    // SAFETY: `set` is a live sigset_t; the calls only write into it, for
    // signal numbers in 1..NSIG.
    unsafe {
        libc::sigemptyset(&mut set);
        for sig in SIGNALS {
            if mask & bit(sig) != 0 && !software_only(sig) {
                libc::sigaddset(&mut set, sig);
            }
        }
    }
    set
}

/// Blocks every signal a guest could receive on the calling host thread
/// (engine threads must never take a guest's signal).
pub fn block_all_host_signals() {
    let set = host_set(!0);
    // SAFETY: `set` is a live sigset_t; only this thread's mask changes.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &set, std::ptr::null_mut()) };
}

/// Sets the calling thread's guest mask, mirrored onto its host thread.
pub fn set_mask(t: &mut Thread, mask: u64) {
    let mask = mask & !UNBLOCKABLE;
    t.sigmask = mask;
    t.signals.mask.store(mask, Ordering::SeqCst);
    let set = host_set(mask);
    // SAFETY: `set` is a live sigset_t; only this thread's mask changes.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &set, std::ptr::null_mut()) };
}

/// After execve: signals the previous image ignored stay ignored.
pub fn inherit_ignored(proc: &wali_core::process::Process, ignored: u64) {
    let mut table = proc.signals.lock().unwrap();
    for sig in SIGNALS {
        if ignored & bit(sig) != 0 && sig != libc::SIGKILL && sig != libc::SIGSTOP {
            table.actions[sig as usize].handler = SIG_IGN;
            install_host_disposition(sig, SIG_IGN);
        }
    }
}

/// Signals the guest currently ignores.
pub fn ignored_set(proc: &wali_core::process::Process) -> u64 {
    let table = proc.signals.lock().unwrap();
    SIGNALS
        .filter(|&s| table.actions[s as usize].handler == SIG_IGN)
        .fold(0, |m, s| m | bit(s))
}

// ---- delivery -------------------------------------------------------------------

/// Queues `sig` for the calling thread (SIGPIPE after EPIPE, ...).
pub fn raise_on_thread(t: &mut Thread, sig: i32) {
    // As the kernel sends SIGPIPE: from the process itself.
    t.signals
        .queue
        .post(&t.signals.pending, sig, SI_USER, wali_core::host::pid());
}

#[inline]
pub fn has_deliverable(t: &Thread) -> bool {
    (t.signals.pending.load(Ordering::Relaxed) | PROCESS_PENDING.load(Ordering::Relaxed))
        & !t.sigmask
        != 0
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
/// handler called on this thread. Returns whether every handler that ran
/// asked for SA_RESTART (false when none ran).
pub fn deliver_pending(mut cx: impl AsContextMut<Data = Thread>) -> wasmtime::Result<bool> {
    let mut cx = cx.as_context_mut();
    let mut restart = None;
    loop {
        let t = cx.data();
        let ready = (t.signals.pending.load(Ordering::SeqCst)
            | PROCESS_PENDING.load(Ordering::SeqCst))
            & !t.sigmask;
        if ready == 0 {
            return Ok(restart.unwrap_or(false));
        }
        let sig = ready.trailing_zeros() as i32 + 1;
        // Take one instance from whichever set holds it (the thread's first).
        let signals = t.signals.clone();
        let sender = if signals.queue.take(&signals.pending, sig) {
            signals.queue.sender(sig)
        } else {
            PROCESS_QUEUE.take(&PROCESS_PENDING, sig);
            PROCESS_QUEUE.sender(sig)
        };
        let proc = cx.data().proc.clone();
        let action = {
            let mut table = proc.signals.lock().unwrap();
            let a = table.actions[sig as usize];
            if a.handler != SIG_DFL && a.handler != SIG_IGN && a.flags & SA_RESETHAND != 0 {
                table.actions[sig as usize] = GuestSigaction::default();
                install_host_disposition(sig, SIG_DFL);
            }
            a
        };
        match action.handler {
            SIG_IGN => {}
            SIG_DFL if default_ignores(sig) => {}
            SIG_DFL if default_stops(sig) => {
                // SAFETY: raise takes a signal number only; SIGSTOP runs no
                // handler of ours.
                unsafe { libc::raise(libc::SIGSTOP) };
            }
            SIG_DFL => return Err(killed_by(sig)),
            handler => {
                run_handler(&mut cx, sig, handler, action, sender)?;
                let r = action.flags & SA_RESTART != 0;
                restart = Some(restart.unwrap_or(true) && r);
            }
        }
    }
}

fn run_handler(
    cx: &mut wasmtime::StoreContextMut<'_, Thread>,
    sig: i32,
    handler: u32,
    action: GuestSigaction,
    sender: (i32, i32),
) -> wasmtime::Result<()> {
    let Some(table) = cx.data().table else {
        return Err(killed_by(sig));
    };
    let size = table.size(&*cx);
    let func = table
        .get(&mut *cx, handler as u64)
        .and_then(|r| r.as_func().flatten().copied());
    // A C signal handler is `void (int)` or `void (int, siginfo_t *, void *)`.
    let params: Option<Vec<ValType>> = func.map(|f| f.ty(&*cx).params().collect());
    let usable = func.zip(params.as_ref()).filter(|(f, p)| {
        matches!(p.len(), 1 | 3)
            && p.iter().all(|t| matches!(t, ValType::I32))
            && f.ty(&*cx).results().len() == 0
    });
    let Some((func, params)) = usable else {
        // Natively the process would jump to a garbage address and die by
        // SIGSEGV (the kernel forces the default action when the fault
        // happens while delivering it); say why, as the kernel does not.
        let what = match func {
            None if handler as u64 >= size => "outside the function table",
            None => "not a function",
            Some(_) => {
                "a function of the wrong type (not void (int) or void (int, siginfo_t *, void *))"
            }
        };
        wali_core::host_eprintln!(
            "wali: the guest's handler for {} is table index {handler}, {what} (table size {size}): the guest dies by SIGSEGV",
            wali_core::exit::signal_name(sig)
        );
        return Err(killed_by(libc::SIGSEGV));
    };
    let saved_mask = cx.data().sigmask;
    let mut mask = saved_mask | action.mask;
    if action.flags & SA_NODEFER == 0 {
        mask |= bit(sig);
    }
    set_mask(cx.data_mut(), mask);
    cx.data_mut().in_handler += 1;
    // A nested call must not trip over the epoch deadline that got us here.
    // From the epoch callback it must not reach any: wasmtime has taken the
    // callback out of the store while it runs, so a deadline would trap the
    // handler ("interrupt"); signals arriving meanwhile wait for the
    // handler's next syscall or its return.
    let outer = cx.data().in_epoch_callback;
    cx.set_epoch_deadline(if outer { u64::MAX / 2 } else { 1 });
    let result = if params.len() == 3 {
        let info = siginfo_area(cx, sig, sender)?;
        func.call(
            &mut *cx,
            &[Val::I32(sig), Val::I32(info as i32), Val::I32(0)],
            &mut [],
        )
    } else {
        func.call(&mut *cx, &[Val::I32(sig)], &mut [])
    };
    cx.data_mut().in_handler -= 1;
    // A handler that longjmps out keeps its mask, as on Linux (no
    // sigreturn), unless `siglongjmp` restored the one `sigsetjmp` saved.
    if !is_longjmp(&result) {
        set_mask(cx.data_mut(), saved_mask);
    }
    let _ = SA_SIGINFO;
    result
}

/// `result` is a guest exception on its way to the Wasm code that catches
/// it (a `longjmp`, see `sjlj`): no mask is restored on the way.
pub fn is_longjmp<T>(result: &wasmtime::Result<T>) -> bool {
    matches!(result, Err(e) if e.is::<wasmtime::ThrownException>())
}

/// A host siginfo_t as the guest sees it: the ABI keeps the x86_64 kernel
/// layout (the union at offset 16), so it is copied through.
pub fn siginfo_to_guest(si: &libc::siginfo_t) -> [u8; 128] {
    // SAFETY: siginfo_t is 128 bytes of integers with no padding (three ints
    // and an int array; the size is checked by transmute), so every byte is
    // initialised and any byte array is a valid copy.
    unsafe { std::mem::transmute(*si) }
}

/// A siginfo_t (x86_64 layout) for a signal sent by `sender` (code, pid).
pub(crate) fn siginfo_bytes(sig: i32, sender: (i32, i32)) -> [u8; 128] {
    let mut raw = [0u8; 128];
    raw[0..4].copy_from_slice(&sig.to_le_bytes());
    raw[8..12].copy_from_slice(&sender.0.to_le_bytes());
    raw[16..20].copy_from_slice(&sender.1.to_le_bytes());
    raw[20..24].copy_from_slice(&wali_core::host::uid().to_le_bytes());
    raw
}

/// A 128-byte siginfo_t in guest memory for SA_SIGINFO handlers.
fn siginfo_area(
    cx: &mut wasmtime::StoreContextMut<'_, Thread>,
    sig: i32,
    sender: (i32, i32),
) -> wasmtime::Result<u32> {
    let addr = match cx.data().siginfo {
        Some(a) => a,
        None => match wali_core::alloc::allocate_in(&mut *cx, 4096)
            .and_then(|a| u32::try_from(a).map_err(|_| Errno::ENOMEM))
        {
            Ok(a) => {
                cx.data_mut().siginfo = Some(a);
                a
            }
            Err(_) => return Err(killed_by(sig)),
        },
    };
    let memory = cx.data().memory.clone();
    if let Some(m) = memory {
        let _ = m.view(&*cx).write_bytes(addr, &siginfo_bytes(sig, sender));
    }
    Ok(addr)
}

/// The epoch-deadline callback of every guest store: runs handlers for
/// signals that arrived while the guest was running Wasm code.
pub fn on_epoch(
    mut cx: wasmtime::StoreContextMut<'_, Thread>,
) -> wasmtime::Result<wasmtime::UpdateDeadline> {
    if has_deliverable(cx.data()) {
        cx.data_mut().in_epoch_callback = true;
        let delivered = deliver_pending(&mut cx);
        cx.data_mut().in_epoch_callback = false;
        cx.set_epoch_deadline(1);
        // A longjmp from here unwinds the interrupted frame without looking
        // for a handler in it (the interruption is no call site): fine when
        // the setjmp frame is further out, which `sjlj::uncaught` tells.
        cx.data_mut().sjlj.longjmp_between_calls = is_longjmp(&delivered);
        delivered?;
    }
    Ok(wasmtime::UpdateDeadline::Continue(1))
}
