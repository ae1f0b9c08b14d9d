//! Threads and futexes.

use super::Cx;
use crate::errno::{Errno, SysResult};
use crate::exit::GuestExit;
use crate::memory::{read_timeout, GuestMemory};
use crate::process::{mem, Thread};
use crate::signal_engine;
use std::sync::atomic::Ordering;
use std::time::Duration;
use wasmtime::WaitResult;

pub fn sched_yield(_cx: &mut Cx) -> SysResult {
    crate::host::sched_yield();
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
    let is_main = cx.data().tid == crate::host::pid();
    if is_main && proc.threads.load(Ordering::SeqCst) > 1 {
        release_thread(cx);
        if proc.threads.fetch_sub(1, Ordering::SeqCst) == 1 {
            let _ = proc.write_stats();
            crate::host::exit_immediately(status & 0xff);
        }
        loop {
            crate::host::pause();
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
        || pid == crate::host::pid()
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
    let policy = Errno::result(unsafe { libc::sched_getscheduler(pid) } as i64)? as i32;
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
    crate::memory::write_timespec(&mem(cx), interval as u32, &ts)?;
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

/// How long a futex wait may last: FUTEX_WAIT takes a relative timeout,
/// FUTEX_WAIT_BITSET an absolute one on CLOCK_MONOTONIC or, with
/// FUTEX_CLOCK_REALTIME, CLOCK_REALTIME.
fn wait_duration(
    m: &crate::memory::Mem,
    op: i32,
    flags: i32,
    timeout: i32,
) -> SysResult<Option<Duration>> {
    if timeout == 0 {
        return Ok(None);
    }
    let ts = read_timeout(m, timeout as u32)?.ok_or(Errno::EFAULT)?;
    let t = Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
    if op == FUTEX_WAIT {
        return Ok(Some(t));
    }
    let clock = if flags & FUTEX_CLOCK_REALTIME != 0 {
        libc::CLOCK_REALTIME
    } else {
        libc::CLOCK_MONOTONIC
    };
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a live, writable timespec.
    unsafe { libc::clock_gettime(clock, &mut now) };
    let now = Duration::new(now.tv_sec as u64, now.tv_nsec as u32);
    Ok(Some(t.saturating_sub(now)))
}

/// Futexes live on the shared memory's own wait queues (wasmtime's
/// `memory.atomic.wait32`/`notify`), so a guest mixing SYS_futex with the
/// Wasm atomics instructions sees one set of waiters. Requeue cannot move
/// waiters between queues there; it wakes them instead, which futex users
/// must already tolerate as a spurious wakeup.
pub fn futex(
    cx: &mut Cx,
    uaddr: i32,
    futex_op: i32,
    val: i32,
    timeout: i32,
    uaddr2: i32,
    val3: i32,
) -> SysResult {
    let m = mem(cx);
    if !(uaddr as u32).is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    m.addr(uaddr as u32, 4)?;
    let op = futex_op & !(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);
    let flags = futex_op & FUTEX_CLOCK_REALTIME;
    if flags != 0 && !matches!(op, FUTEX_WAIT | FUTEX_WAIT_BITSET) {
        return Err(Errno::ENOSYS);
    }
    if let Some(word) = super::mem::shared_futex(cx, uaddr as u32)? {
        return host_futex(cx, word, futex_op, val, timeout, uaddr2, val3);
    }
    let shared = match &cx.data().memory {
        Some(GuestMemory::Shared(s)) => Some(s.clone()),
        _ => None,
    };
    match op {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            if op == FUTEX_WAIT_BITSET && val3 == 0 {
                return Err(Errno::EINVAL);
            }
            let dur = wait_duration(&m, op, flags, timeout)?;
            let Some(shared) = shared else {
                return single_thread_wait(&m, uaddr, val, dur);
            };
            if signal_engine::has_deliverable(cx.data()) {
                return Err(Errno::EINTR);
            }
            // The signal watcher wakes this queue when a signal arrives.
            signal_engine::futex_waiting(cx.data(), Some(uaddr as u32));
            let r = shared.atomic_wait32(uaddr as u64, val as u32, dur);
            signal_engine::futex_waiting(cx.data(), None);
            match r {
                Ok(WaitResult::Ok) if signal_engine::has_deliverable(cx.data()) => {
                    Err(Errno::EINTR)
                }
                Ok(WaitResult::Ok) => Ok(0),
                Ok(WaitResult::Mismatch) => Err(Errno::EAGAIN),
                Ok(WaitResult::TimedOut) => Err(Errno::ETIMEDOUT),
                Err(_) => Err(Errno::EFAULT),
            }
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET => {
            if op == FUTEX_WAKE_BITSET && val3 == 0 {
                return Err(Errno::EINVAL);
            }
            // Linux wakes at least one waiter whatever the count (a count
            // of 0 or below included).
            notify(shared.as_ref(), uaddr, val.max(1))
        }
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            // Linux's order: the counts, then both addresses, then the
            // comparison; nothing is woken unless every check passed.
            // val2 (the requeue count) travels in the timeout argument.
            if val < 0 || timeout < 0 {
                return Err(Errno::EINVAL);
            }
            if !(uaddr2 as u32).is_multiple_of(4) {
                return Err(Errno::EINVAL);
            }
            m.addr(uaddr2 as u32, 4)?;
            if op == FUTEX_CMP_REQUEUE {
                let current: i32 = m.read(uaddr as u32)?;
                if current != val3 {
                    return Err(Errno::EAGAIN);
                }
            }
            let woken = if val > 0 {
                notify(shared.as_ref(), uaddr, val)?
            } else {
                0
            };
            let moved = if timeout > 0 {
                notify(shared.as_ref(), uaddr, timeout)?
            } else {
                0
            };
            Ok(woken + moved)
        }
        _ => Err(Errno::ENOSYS),
    }
}

/// A futex word inside a MAP_SHARED mapping is the host kernel's own futex
/// on the host address: its pages are shared with other processes (forked
/// children, other guests mapping the same file), and only the kernel's
/// queues reach waiters there. FUTEX_PRIVATE_FLAG keeps its Linux meaning
/// (waiters of this process only).
fn host_futex(
    cx: &mut Cx,
    word: *mut u32,
    futex_op: i32,
    val: i32,
    timeout: i32,
    uaddr2: i32,
    val3: i32,
) -> SysResult {
    let private = futex_op & FUTEX_PRIVATE;
    let op = futex_op & !(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);
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
                    host_op |= futex_op & FUTEX_CLOCK_REALTIME;
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
                if signal_engine::has_deliverable(cx.data()) {
                    return Err(Errno::EINTR);
                }
                // SAFETY: `word` is a checked, aligned guest word in a live
                // shared mapping; the kernel only reads it and the timeout.
                let r = unsafe {
                    libc::syscall(
                        libc::SYS_futex,
                        word,
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
                libc::syscall(libc::SYS_futex, word, op | private, val, null, null, val3)
            })
        }
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            if val < 0 || timeout < 0 || !(uaddr2 as u32).is_multiple_of(4) {
                return Err(Errno::EINVAL);
            }
            mem(cx).addr(uaddr2 as u32, 4)?;
            let target = super::mem::shared_futex(cx, uaddr2 as u32)?;
            match target {
                // val2 (the requeue count) travels in the timeout argument.
                // SAFETY: both words are checked guest words in shared mappings.
                Some(word2) => Errno::result(unsafe {
                    libc::syscall(
                        libc::SYS_futex,
                        word,
                        op | private,
                        val,
                        timeout as u32 as usize,
                        word2,
                        val3,
                    )
                }),
                // Requeueing onto private memory: wake them instead, as the
                // private path does (a spurious wakeup).
                None => {
                    if op == FUTEX_CMP_REQUEUE {
                        // SAFETY: a checked, aligned guest word.
                        let current = unsafe { std::ptr::read_volatile(word) } as i32;
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
                            word,
                            FUTEX_WAKE | private,
                            count,
                            null,
                            null,
                            0,
                        )
                    })
                }
            }
        }
        _ => Err(Errno::ENOSYS),
    }
}

fn notify(shared: Option<&wasmtime::SharedMemory>, uaddr: i32, count: i32) -> SysResult {
    if count < 0 {
        return Err(Errno::EINVAL);
    }
    match shared {
        Some(s) => s
            .atomic_notify(uaddr as u64, count as u32)
            .map(i64::from)
            .map_err(|_| Errno::EFAULT),
        None => Ok(0),
    }
}

/// A process whose memory is not shared has one thread: nobody can wake a
/// waiter, so the wait fails the comparison, times out, or never ends.
fn single_thread_wait(
    m: &crate::memory::Mem,
    uaddr: i32,
    val: i32,
    dur: Option<Duration>,
) -> SysResult {
    let current: i32 = m.read(uaddr as u32)?;
    if current != val {
        return Err(Errno::EAGAIN);
    }
    match dur {
        Some(d) => {
            std::thread::sleep(d);
            Err(Errno::ETIMEDOUT)
        }
        None => loop {
            crate::host::pause();
        },
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
                // SAFETY: `cell` is 4 bytes of the live shared memory at a 4-aligned offset
                // (checked above), and every access to shared guest memory is atomic (wasm
                // threads), so viewing it as an AtomicU32 is sound for this borrow.
                let atom = unsafe { &*(cell.as_ptr() as *const std::sync::atomic::AtomicU32) };
                atom.store(0, Ordering::SeqCst);
                let _ = shared.atomic_notify(addr as u64, 1);
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
