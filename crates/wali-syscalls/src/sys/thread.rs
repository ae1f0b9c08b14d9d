//! Threads and futexes.

use super::Cx;
use crate::signal_engine;
use std::sync::atomic::Ordering;
use wali_core::errno::{Errno, SysResult};
use wali_core::exit::GuestExit;
use wali_core::memory::{read_timeout, GuestMemory};
use wali_core::process::{mem, Thread};

pub fn sched_yield(_cx: &mut Cx) -> SysResult {
    wali_core::host::sched_yield();
    Ok(0)
}

pub fn gettid(cx: &mut Cx) -> SysResult {
    Ok(cx.data().tid as i64)
}

pub fn set_tid_address(cx: &mut Cx, tidptr: i32) -> SysResult {
    cx.data_mut().clear_child_tid = tidptr as u32;
    Ok(cx.data().tid as i64)
}

pub fn set_robust_list(cx: &mut Cx, head: i32, len: i32) -> SysResult {
    // struct robust_list_head: three pointers (12 bytes on wasm32).
    if len != 12 && len != 24 {
        return Err(Errno::EINVAL);
    }
    cx.data_mut().robust_list = (head as u32, len as u32);
    Ok(0)
}

/// Ends the calling thread. The last thread to end ends the process with
/// its status; the main thread ending first waits, as on Linux, for the
/// others (the process lives while any thread does).
pub fn exit(cx: &mut Cx, status: i32) -> wasmtime::Result<i64> {
    let proc = cx.data().proc.clone();
    let is_main = cx.data().tid == wali_core::host::pid();
    if is_main && proc.threads.load(Ordering::SeqCst) > 1 {
        release_thread(cx);
        if proc.threads.fetch_sub(1, Ordering::SeqCst) == 1 {
            let _ = proc.write_stats();
            wali_core::host::exit_immediately(status & 0xff);
        }
        loop {
            wali_core::host::pause();
        }
    }
    if is_main {
        return super::proc::end_process(cx, status).map(|()| 0);
    }
    Err(wasmtime::Error::new(GuestExit::Thread(status)))
}

pub fn sched_getaffinity(cx: &mut Cx, pid: i32, cpusetsize: i32, mask: i32) -> SysResult {
    own_pid(cx, pid)?;
    let len = cpusetsize as u32 as usize;
    let p = mem(cx).addr(mask as u32, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel touches at most `len` of them.
    Errno::result(unsafe { libc::syscall(libc::SYS_sched_getaffinity, pid, len, p) })
}

/// pid 0, the guest process or one of its threads: the scheduling calls
/// see nothing else of the host.
fn own_pid(cx: &Cx, pid: i32) -> SysResult<()> {
    if pid == 0
        || pid == wali_core::host::pid()
        || pid == cx.data().tid
        || crate::signal_engine::is_guest_thread(pid)
    {
        Ok(())
    } else {
        Err(Errno::ESRCH)
    }
}

const SCHED_OTHER: i32 = 0;
const SCHED_FIFO: i32 = 1;
const SCHED_RR: i32 = 2;
const SCHED_BATCH: i32 = 3;
const SCHED_IDLE: i32 = 5;
const SCHED_DEADLINE: i32 = 6;
const SCHED_RESET_ON_FORK: i32 = 0x4000_0000;

/// Linux's order: a negative pid or a NULL param is EINVAL, a bad param
/// EFAULT, then the pid.
fn sched_target(cx: &Cx, pid: i32, param: i32) -> SysResult<()> {
    if pid < 0 || param == 0 {
        return Err(Errno::EINVAL);
    }
    mem(cx).addr(param as u32, 4)?;
    own_pid(cx, pid)
}

/// `struct sched_param` is one int, the priority.
fn read_priority(cx: &Cx, param: i32) -> SysResult<i32> {
    mem(cx).read::<i32>(param as u32)
}

/// Sets `policy` with `priority` on a guest thread, as the kernel allows an
/// unprivileged process to: the normal policies with priority 0 reach the
/// host thread; the real-time ones need a privilege the guest never has.
fn set_policy(pid: i32, policy: i32, priority: i32) -> SysResult {
    match policy & !SCHED_RESET_ON_FORK {
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => {
            if priority != 0 {
                return Err(Errno::EINVAL);
            }
            let p = libc::sched_param { sched_priority: 0 };
            // SAFETY: `p` is a live sched_param local the call only reads.
            Errno::result(unsafe { libc::sched_setscheduler(pid, policy, &p) } as i64)
        }
        SCHED_FIFO | SCHED_RR => {
            if !(1..=99).contains(&priority) {
                return Err(Errno::EINVAL);
            }
            Err(Errno::EPERM)
        }
        SCHED_DEADLINE => Err(Errno::EINVAL),
        _ => Err(Errno::EINVAL),
    }
}

pub fn sched_setscheduler(cx: &mut Cx, pid: i32, policy: i32, param: i32) -> SysResult {
    if policy < 0 {
        return Err(Errno::EINVAL);
    }
    sched_target(cx, pid, param)?;
    set_policy(pid, policy, read_priority(cx, param)?)
}

pub fn sched_getscheduler(cx: &mut Cx, pid: i32) -> SysResult {
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    own_pid(cx, pid)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::sched_getscheduler(pid) } as i64)
}

pub fn sched_setparam(cx: &mut Cx, pid: i32, param: i32) -> SysResult {
    sched_target(cx, pid, param)?;
    let priority = read_priority(cx, param)?;
    // SAFETY: integer arguments only; no memory is read or written.
    let policy = unsafe { libc::sched_getscheduler(pid) };
    Errno::result(policy)?;
    set_policy(pid, policy, priority)
}

pub fn sched_getparam(cx: &mut Cx, pid: i32, param: i32) -> SysResult {
    sched_target(cx, pid, param)?;
    let mut p = libc::sched_param { sched_priority: 0 };
    // SAFETY: `p` is a live, writable sched_param.
    Errno::result(unsafe { libc::sched_getparam(pid, &mut p) } as i64)?;
    mem(cx).write(param as u32, p.sched_priority)?;
    Ok(0)
}

pub fn sched_get_priority_max(_cx: &mut Cx, policy: i32) -> SysResult {
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::sched_get_priority_max(policy) } as i64)
}

pub fn sched_get_priority_min(_cx: &mut Cx, policy: i32) -> SysResult {
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::sched_get_priority_min(policy) } as i64)
}

pub fn sched_rr_get_interval(cx: &mut Cx, pid: i32, interval: i32) -> SysResult {
    // Linux checks the sign first here (the affinity calls answer ESRCH).
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    own_pid(cx, pid)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a live, writable timespec.
    Errno::result(unsafe { libc::sched_rr_get_interval(pid, &mut ts) } as i64)?;
    wali_core::memory::write_timespec(&mem(cx), interval as u32, &ts)?;
    Ok(0)
}

const FUTEX_WAIT: i32 = 0;
const FUTEX_WAKE: i32 = 1;
const FUTEX_REQUEUE: i32 = 3;
const FUTEX_CMP_REQUEUE: i32 = 4;
const FUTEX_WAIT_BITSET: i32 = 9;
const FUTEX_WAKE_BITSET: i32 = 10;
const FUTEX_PRIVATE: i32 = 128;
const FUTEX_CLOCK_REALTIME: i32 = 256;

/// A guest futex word as the host kernel sees it.
struct FutexWord {
    /// The word's host address (inside linear memory, or inside a shared
    /// mapping placed there).
    ptr: *mut u32,
    /// The word lies in a MAP_SHARED mapping, where waiters of other
    /// processes may sleep on it too.
    shared_mapping: bool,
}

impl FutexWord {
    /// Checks the guest address as Linux does (alignment, then the pointer).
    fn at(cx: &Cx, addr: i32) -> SysResult<FutexWord> {
        if !(addr as u32).is_multiple_of(4) {
            return Err(Errno::EINVAL);
        }
        let ptr = mem(cx).addr(addr as u32, 4)?.cast();
        let shared_mapping = super::mem::in_shared_mapping(&cx.data().proc, addr as u32);
        Ok(FutexWord {
            ptr,
            shared_mapping,
        })
    }

    /// The private flag for the host's futex call. Linear memory outside
    /// shared mappings belongs to this process alone (a forked child has its
    /// own copy), so its futexes are always the kernel's private ones,
    /// whatever the guest asked: every waiter and waker of the word is then
    /// in this process's private hash, and the kernel skips the page lookup
    /// a shared futex costs. In a shared mapping FUTEX_PRIVATE_FLAG keeps
    /// its Linux meaning (waiters of this process only).
    fn private_flag(&self, guest_op: i32) -> i32 {
        if self.shared_mapping {
            guest_op & FUTEX_PRIVATE
        } else {
            FUTEX_PRIVATE
        }
    }
}

/// Futexes are the host kernel's own, on the word's host address: the
/// kernel's hashed wait queues (one lock per bucket, a waiter woken
/// directly), the queues a native program gets. Before, waits went through
/// wasmtime's `memory.atomic.wait32`/`notify`, whose one process-wide lock
/// every waiter re-takes on waking: with 100 threads on one lock each
/// wake-up became a convoy of context switches (issue 18: CPython's GIL and
/// a `threading.Lock` shared by 100 threads ran 4-8x slower than native,
/// `perf` showed the time in that lock). The Wasm `memory.atomic.wait32`/
/// `notify` instructions keep wasmtime's queues, which these do not reach:
/// our libc and WALI's use SYS_futex (the instructions appear only in the
/// linker's `__wasm_init_memory`, on a word no futex call uses).
pub fn futex(
    cx: &mut Cx,
    uaddr: i32,
    futex_op: i32,
    val: i32,
    timeout: i32,
    uaddr2: i32,
    val3: i32,
) -> SysResult {
    let word = FutexWord::at(cx, uaddr)?;
    let op = futex_op & !(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);
    let flags = futex_op & FUTEX_CLOCK_REALTIME;
    if flags != 0 && !matches!(op, FUTEX_WAIT | FUTEX_WAIT_BITSET) {
        return Err(Errno::ENOSYS);
    }
    let private = word.private_flag(futex_op);
    let null = std::ptr::null::<u32>();
    match op {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            if op == FUTEX_WAIT_BITSET && val3 == 0 {
                return Err(Errno::EINVAL);
            }
            // An absolute deadline, so that a kick (the host's EINTR with no
            // guest signal behind it) resumes the same wait.
            let m = mem(cx);
            let mut host_op = libc::FUTEX_WAIT_BITSET | private;
            let deadline = match read_timeout(&m, timeout as u32)? {
                None => None,
                Some(t) if op == FUTEX_WAIT_BITSET => {
                    host_op |= flags;
                    Some(t)
                }
                Some(t) => {
                    let mut now = libc::timespec {
                        tv_sec: 0,
                        tv_nsec: 0,
                    };
                    // SAFETY: writes the current time into `now`.
                    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
                    let nsec = now.tv_nsec + t.tv_nsec;
                    Some(libc::timespec {
                        tv_sec: now.tv_sec + t.tv_sec + nsec / 1_000_000_000,
                        tv_nsec: nsec % 1_000_000_000,
                    })
                }
            };
            let bitset = if op == FUTEX_WAIT {
                u32::MAX
            } else {
                val3 as u32
            };
            let deadline_ptr = deadline
                .as_ref()
                .map_or(std::ptr::null(), |t| t as *const libc::timespec);
            loop {
                // A signal that arrives after this check interrupts the
                // call below (the host's own, or the watcher's kick).
                if signal_engine::has_deliverable(cx.data()) {
                    return Err(Errno::EINTR);
                }
                // SAFETY: `word.ptr` is a checked, aligned guest word in
                // mapped memory that outlives the call (linear memory is
                // never unmapped while the guest runs; a shared mapping
                // unmapped meanwhile leaves private pages in its place); the
                // kernel only reads it and the timeout.
                let r = unsafe {
                    libc::syscall(
                        libc::SYS_futex,
                        word.ptr,
                        host_op,
                        val,
                        deadline_ptr,
                        null,
                        bitset,
                    )
                };
                if r == 0 {
                    return Ok(0);
                }
                match Errno::last() {
                    Errno::EINTR => continue,
                    e => return Err(e),
                }
            }
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET => {
            // SAFETY: as above; a wake does not touch the word.
            Errno::result(unsafe {
                libc::syscall(
                    libc::SYS_futex,
                    word.ptr,
                    op | private,
                    val,
                    null,
                    null,
                    val3,
                )
            })
        }
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            // Linux's order: the counts, then both addresses, then the
            // comparison; nothing is woken unless every check passed.
            // val2 (the requeue count) travels in the timeout argument.
            if val < 0 || timeout < 0 {
                return Err(Errno::EINVAL);
            }
            let target = FutexWord::at(cx, uaddr2)?;
            if target.private_flag(futex_op) == private {
                // SAFETY: both words are checked, aligned guest words.
                return Errno::result(unsafe {
                    libc::syscall(
                        libc::SYS_futex,
                        word.ptr,
                        op | private,
                        val,
                        timeout as u32 as usize,
                        target.ptr,
                        val3,
                    )
                });
            }
            // One word private to this process, the other a shared futex
            // of a shared mapping: the kernel cannot move waiters between
            // the two kinds, so they are woken instead (a spurious wakeup,
            // which futex users tolerate).
            if op == FUTEX_CMP_REQUEUE {
                // SAFETY: a checked, aligned guest word.
                let current = unsafe { std::ptr::read_volatile(word.ptr) } as i32;
                if current != val3 {
                    return Err(Errno::EAGAIN);
                }
            }
            let count = (val as u32)
                .saturating_add(timeout as u32)
                .min(i32::MAX as u32);
            // SAFETY: as for FUTEX_WAKE.
            Errno::result(unsafe {
                libc::syscall(
                    libc::SYS_futex,
                    word.ptr,
                    FUTEX_WAKE | private,
                    count,
                    null,
                    null,
                    0,
                )
            })
        }
        _ => Err(Errno::ENOSYS),
    }
}

/// What the kernel does when a thread ends: clear `*clear_child_tid` and wake
/// one waiter on it (so pthread_join returns).
pub(crate) fn release_thread(cx: &mut impl wasmtime::AsContextMut<Data = Thread>) {
    let cx = cx.as_context_mut();
    let addr = cx.data().clear_child_tid;
    if addr == 0 {
        return;
    }
    if let Some(GuestMemory::Shared(shared)) = &cx.data().memory {
        let data = shared.data();
        if let Some(cell) = data.get(addr as usize..addr as usize + 4) {
            if (addr as usize).is_multiple_of(4) {
                let word = cell.as_ptr() as *mut u32;
                // SAFETY: an aligned word inside the shared linear memory,
                // which outlives every thread; other threads access it
                // atomically too.
                let atom = unsafe { std::sync::atomic::AtomicU32::from_ptr(word) };
                atom.store(0, Ordering::SeqCst);
                // The wake of a futex word, as `futex` does it (the host
                // kernel's futex, private outside shared mappings).
                let private = if super::mem::in_shared_mapping(&cx.data().proc, addr) {
                    0
                } else {
                    FUTEX_PRIVATE
                };
                // SAFETY: as above; a wake does not touch the word.
                unsafe { libc::syscall(libc::SYS_futex, word, FUTEX_WAKE | private, 1, 0, 0, 0) };
            }
        }
    }
}

/// Pins the guest process or one of its threads; other pids are not the
/// sandbox's to change (ESRCH, as for a pid that does not exist).
pub fn sched_setaffinity(cx: &mut Cx, pid: i32, cpusetsize: i32, mask: i32) -> SysResult {
    own_pid(cx, pid)?;
    let len = cpusetsize as u32 as usize;
    let p = mem(cx).addr(mask as u32, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); the kernel touches at most `len` of them.
    Errno::result(unsafe { libc::syscall(libc::SYS_sched_setaffinity, pid, len, p) })
}
