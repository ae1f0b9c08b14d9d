//! Threads and futexes.

use super::Cx;
use crate::errno::{Errno, SysResult};
use crate::memory::read_timespec;
use crate::process::mem;

pub fn sched_yield(_cx: &mut Cx) -> SysResult {
    unsafe { libc::sched_yield() };
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

pub fn exit(cx: &mut Cx, status: i32) -> wasmtime::Result<i64> {
    // With one thread, ending it ends the process.
    super::proc::end_process(cx, status).map(|()| 0)
}

pub fn sched_getaffinity(cx: &mut Cx, pid: i32, cpusetsize: i32, mask: i32) -> SysResult {
    if pid != 0 && pid != cx.data().tid && pid != unsafe { libc::getpid() } {
        return Err(Errno::ESRCH);
    }
    let len = cpusetsize as u32 as usize;
    let p = mem(cx).addr(mask as u32, len)?;
    Errno::result(unsafe { libc::syscall(libc::SYS_sched_getaffinity, 0, len, p) })
}

const FUTEX_WAIT: i32 = 0;
const FUTEX_WAKE: i32 = 1;
const FUTEX_REQUEUE: i32 = 3;
const FUTEX_CMP_REQUEUE: i32 = 4;
const FUTEX_WAIT_BITSET: i32 = 9;
const FUTEX_WAKE_BITSET: i32 = 10;
const FUTEX_PRIVATE: i32 = 128;
const FUTEX_CLOCK_REALTIME: i32 = 256;

/// Futexes for a process with one thread: nobody else can wake a waiter,
/// so a wait either fails the comparison or times out.
pub fn futex(
    cx: &mut Cx,
    uaddr: i32,
    futex_op: i32,
    val: i32,
    timeout: i32,
    _uaddr2: i32,
    _val3: i32,
) -> SysResult {
    let m = mem(cx);
    if !(uaddr as u32).is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    match futex_op & !(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME) {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            let current: i32 = m.read(uaddr as u32)?;
            if current != val {
                return Err(Errno::EAGAIN);
            }
            if timeout == 0 {
                // Blocks forever, as on Linux with no other thread.
                loop {
                    unsafe { libc::pause() };
                }
            }
            let ts = read_timespec(&m, timeout as u32)?;
            let abs = futex_op & !(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME) == FUTEX_WAIT_BITSET;
            let clock = if futex_op & FUTEX_CLOCK_REALTIME != 0 {
                libc::CLOCK_REALTIME
            } else {
                libc::CLOCK_MONOTONIC
            };
            let flags = if abs { libc::TIMER_ABSTIME } else { 0 };
            unsafe { libc::clock_nanosleep(clock, flags, &ts, std::ptr::null_mut()) };
            Err(Errno::ETIMEDOUT)
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET | FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => Ok(0),
        _ => Err(Errno::ENOSYS),
    }
}

/// `__wasm_thread_spawn`: not available yet; pthread_create sees EAGAIN.
pub fn spawn(_cx: &mut Cx, _func: i32, _arg: i32) -> wasmtime::Result<i32> {
    Ok(-libc::EAGAIN)
}
