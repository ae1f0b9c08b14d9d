//! Clocks and sleeping.

use super::Cx;
use wali_core::errno::{Errno, SysResult};
use wali_core::memory::{read_timeout, write_timespec};
use wali_core::process::mem;

/// Clock ids the guest may use. Negative ids name other processes' and
/// threads' CPU clocks by host pid, which the sandbox does not expose.
/// Negative clock ids are CPU-time clocks of a process or thread, encoded
/// as (~id << 3) | kind with bit 2 marking a thread (pthread_getcpuclockid,
/// clock_getcpuclockid). Only the guest's own threads and processes.
fn check_clock(cx: &Cx, clockid: i32) -> SysResult<libc::clockid_t> {
    if clockid >= 0 {
        return Ok(clockid);
    }
    let id = !(clockid >> 3);
    let ours = if clockid & 4 != 0 {
        id == cx.data().tid || crate::signal_engine::is_guest_thread(id)
    } else {
        id == wali_core::host::pid() || cx.data().proc.in_sandbox(id)
    };
    if ours && clockid & 3 != 3 {
        Ok(clockid)
    } else {
        Err(Errno::EINVAL)
    }
}

pub fn clock_gettime(cx: &mut Cx, clockid: i32, tp: i32) -> SysResult {
    let clock = check_clock(cx, clockid)?;
    let ts = wali_core::host::clock_gettime(clock)?;
    write_timespec(&mem(cx), tp as u32, &ts)?;
    Ok(0)
}

pub fn clock_getres(cx: &mut Cx, clockid: i32, res: i32) -> SysResult {
    let clock = check_clock(cx, clockid)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a live, writable timespec, the buffer the call fills.
    Errno::result(unsafe { libc::clock_getres(clock, &mut ts) })?;
    if res != 0 {
        write_timespec(&mem(cx), res as u32, &ts)?;
    }
    Ok(0)
}

/// The guest never sets a clock; it gets what an unprivileged Linux process
/// gets. Only CLOCK_REALTIME and the CPU-time clocks (negative ids) have a
/// set operation: any other clock is EINVAL before the time is read. A
/// CPU-time clock is never settable (EPERM); CLOCK_REALTIME checks the time
/// (EINVAL), then needs CAP_SYS_TIME (EPERM).
pub fn clock_settime(cx: &mut Cx, clockid: i32, tp: i32) -> SysResult {
    if clockid >= 0 && clockid != libc::CLOCK_REALTIME {
        return Err(Errno::EINVAL);
    }
    let ts = wali_core::memory::read_timespec(&mem(cx), tp as u32)?;
    if clockid < 0 {
        check_clock(cx, clockid)?;
        return Err(Errno::EPERM);
    }
    if !(0..1_000_000_000).contains(&ts.tv_nsec) || ts.tv_sec < 0 {
        return Err(Errno::EINVAL);
    }
    Err(Errno::EPERM)
}

pub fn nanosleep(cx: &mut Cx, req: i32, rem: i32) -> SysResult {
    clock_nanosleep(cx, libc::CLOCK_MONOTONIC, 0, req, rem)
}

pub fn clock_nanosleep(
    cx: &mut Cx,
    clockid: i32,
    flags: i32,
    request: i32,
    remain: i32,
) -> SysResult {
    let clock = check_clock(cx, clockid)?;
    if clock == libc::CLOCK_THREAD_CPUTIME_ID {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let req = read_timeout(&m, request as u32)?.ok_or(Errno::EFAULT)?;
    let mut left = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // clock_nanosleep returns the error number rather than setting errno.
    // SAFETY: `req` and `left` are live locals; the call reads the first and
    // writes the second only while it runs.
    match unsafe { libc::clock_nanosleep(clock, flags & libc::TIMER_ABSTIME, &req, &mut left) } {
        0 => Ok(0),
        libc::EINTR => {
            if remain != 0 && flags & libc::TIMER_ABSTIME == 0 {
                write_timespec(&m, remain as u32, &left)?;
            }
            Err(Errno::EINTR)
        }
        e => Err(Errno(e)),
    }
}

pub fn gettimeofday(cx: &mut Cx, tv: i32, tz: i32) -> SysResult {
    let m = mem(cx);
    if tv != 0 {
        let mut now = libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        };
        // SAFETY: `now` is a live, writable timeval; a null timezone is allowed.
        unsafe { libc::gettimeofday(&mut now, std::ptr::null_mut()) };
        m.write(tv as u32, now)?;
    }
    if tz != 0 {
        m.write(tz as u32, [0u32; 2])?;
    }
    Ok(0)
}

pub fn times(cx: &mut Cx, buf: i32) -> SysResult {
    let mut t = libc::tms {
        tms_utime: 0,
        tms_stime: 0,
        tms_cutime: 0,
        tms_cstime: 0,
    };
    // SAFETY: `t` is a live, writable tms, the buffer times fills.
    let ticks = unsafe { libc::times(&mut t) };
    if buf != 0 {
        mem(cx).write(buf as u32, t)?;
    }
    Ok(ticks)
}

pub fn time(cx: &mut Cx, tloc: i32) -> SysResult {
    // SAFETY: a null pointer asks time() only for its return value.
    let now = unsafe { libc::time(std::ptr::null_mut()) };
    if tloc != 0 {
        mem(cx).write(tloc as u32, now)?;
    }
    Ok(now)
}
