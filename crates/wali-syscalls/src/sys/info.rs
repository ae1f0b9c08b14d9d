//! Process information, identity and resource limits.

use super::Cx;
use wali_core::errno::{Errno, SysResult};
use wali_core::process::mem;

pub fn getpid(_cx: &mut Cx) -> SysResult {
    Ok(wali_core::host::pid().into())
}

pub fn getppid(_cx: &mut Cx) -> SysResult {
    Ok(wali_core::host::ppid().into())
}

/// The policy's virtual uid (`identity.uid`), if any.
fn virtual_uid(cx: &Cx) -> Option<u32> {
    cx.data().proc.options.policy.identity.uid
}

fn virtual_gid(cx: &Cx) -> Option<u32> {
    cx.data().proc.options.policy.identity.gid
}

pub fn getuid(cx: &mut Cx) -> SysResult {
    Ok(virtual_uid(cx).unwrap_or_else(wali_core::host::uid) as i64)
}

pub fn geteuid(cx: &mut Cx) -> SysResult {
    Ok(virtual_uid(cx).unwrap_or_else(wali_core::host::euid) as i64)
}

pub fn getgid(cx: &mut Cx) -> SysResult {
    Ok(virtual_gid(cx).unwrap_or_else(wali_core::host::gid) as i64)
}

pub fn getegid(cx: &mut Cx) -> SysResult {
    Ok(virtual_gid(cx).unwrap_or_else(wali_core::host::egid) as i64)
}

/// Identity changes: the sandbox holds no privilege, so only a change to
/// what already holds succeeds (-1 means "unchanged", as for the kernel).
fn same_ids(wanted: &[i32], current: &[u32]) -> SysResult {
    let ok = wanted
        .iter()
        .all(|&w| w == -1 || current.contains(&(w as u32)));
    if ok {
        Ok(0)
    } else {
        Err(Errno::EPERM)
    }
}

fn uids_of(cx: &Cx) -> [u32; 3] {
    virtual_uid(cx).map_or_else(uids, |u| [u; 3])
}

fn gids_of(cx: &Cx) -> [u32; 3] {
    virtual_gid(cx).map_or_else(gids, |g| [g; 3])
}

fn uids() -> [u32; 3] {
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: the three pointers are live, writable u32 locals.
    unsafe { libc::getresuid(&mut r, &mut e, &mut s) };
    [r, e, s]
}

fn gids() -> [u32; 3] {
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: the three pointers are live, writable u32 locals.
    unsafe { libc::getresgid(&mut r, &mut e, &mut s) };
    [r, e, s]
}

pub fn setuid(cx: &mut Cx, uid: i32) -> SysResult {
    same_ids(&[uid], &uids_of(cx))
}

pub fn setgid(cx: &mut Cx, gid: i32) -> SysResult {
    same_ids(&[gid], &gids_of(cx))
}

pub fn setreuid(cx: &mut Cx, ruid: i32, euid: i32) -> SysResult {
    same_ids(&[ruid, euid], &uids_of(cx))
}

pub fn setregid(cx: &mut Cx, rgid: i32, egid: i32) -> SysResult {
    same_ids(&[rgid, egid], &gids_of(cx))
}

pub fn setresuid(cx: &mut Cx, ruid: i32, euid: i32, suid: i32) -> SysResult {
    same_ids(&[ruid, euid, suid], &uids_of(cx))
}

pub fn setresgid(cx: &mut Cx, rgid: i32, egid: i32, sgid: i32) -> SysResult {
    same_ids(&[rgid, egid, sgid], &gids_of(cx))
}

pub fn getresuid(cx: &mut Cx, ruid: i32, euid: i32, suid: i32) -> SysResult {
    let m = mem(cx);
    let ids = uids_of(cx);
    for (ptr, v) in [ruid, euid, suid].into_iter().zip(ids) {
        m.write(ptr as u32, v)?;
    }
    Ok(0)
}

pub fn getresgid(cx: &mut Cx, rgid: i32, egid: i32, sgid: i32) -> SysResult {
    let m = mem(cx);
    let ids = gids_of(cx);
    for (ptr, v) in [rgid, egid, sgid].into_iter().zip(ids) {
        m.write(ptr as u32, v)?;
    }
    Ok(0)
}

pub fn getgroups(cx: &mut Cx, size: i32, list: i32) -> SysResult {
    if size < 0 {
        return Err(Errno::EINVAL);
    }
    let groups = wali_core::host::groups()?;
    let n = groups.len();
    if size == 0 {
        return Ok(n as i64);
    }
    if (size as usize) < n {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let bytes: Vec<u8> = groups[..n].iter().flat_map(|g| g.to_le_bytes()).collect();
    m.write_bytes(list as u32, &bytes)?;
    Ok(n as i64)
}

pub fn setgroups(_cx: &mut Cx, _size: i32, _list: i32) -> SysResult {
    Err(Errno::EPERM)
}

pub fn uname(cx: &mut Cx, buf: i32) -> SysResult {
    let mut u = wali_core::host::zeroed::<libc::utsname>();
    // SAFETY: `u` is a live, writable utsname, the buffer uname fills.
    Errno::result(unsafe { libc::uname(&mut u) })?;
    if let Some(name) = &cx.data().proc.options.policy.identity.hostname {
        // identity.hostname: the nodename the guest sees.
        u.nodename = [0; 65];
        for (d, s) in u.nodename.iter_mut().zip(name.bytes().take(64)) {
            *d = s as libc::c_char;
        }
    }
    // The machine is the guest's architecture, not the host's: what a
    // program asks uname -m for (pip's wheel tags, `platform.machine()`,
    // configure scripts) is the code it can run, and that is wasm32.
    u.machine = [0; 65];
    for (d, s) in u.machine.iter_mut().zip(GUEST_MACHINE.bytes()) {
        *d = s as libc::c_char;
    }
    mem(cx).write(buf as u32, u)?;
    Ok(0)
}

/// uname's `machine` field for every guest.
pub const GUEST_MACHINE: &str = "wasm32";

pub fn sysinfo(cx: &mut Cx, info: i32) -> SysResult {
    let mut s = wali_core::host::zeroed::<libc::sysinfo>();
    // SAFETY: `s` is a live, writable sysinfo, the buffer the call fills.
    Errno::result(unsafe { libc::sysinfo(&mut s) })?;
    mem(cx).write(info as u32, s)?;
    Ok(0)
}

pub fn getrandom(cx: &mut Cx, buf: i32, buflen: i32, flags: i32) -> SysResult {
    if flags & !(libc::GRND_NONBLOCK | libc::GRND_RANDOM | libc::GRND_INSECURE) as i32 != 0 {
        return Err(Errno::EINVAL);
    }
    let len = buflen as u32 as usize;
    let p = mem(cx).addr(buf as u32, len)?;
    // SAFETY: `p` spans the `len` guest bytes `addr` checked, which stay mapped across the call
    // (see `Mem`); getrandom writes at most `len` of them.
    Errno::result(unsafe { libc::getrandom(p.cast(), len, flags as u32) } as i64)
}

/// Number of resource kinds (RLIMIT_RTTIME + 1).
const RLIM_NLIMITS: i32 = 16;

/// Largest linear memory a wasm32 module can have.
const MEMORY_LIMIT: u64 = 4 << 30;

/// The guest's view of `resource` (its virtual limits, else the defaults).
pub fn guest_limit(cx: &Cx, resource: i32) -> SysResult<libc::rlimit> {
    get_limit(cx, resource)
}

fn get_limit(cx: &Cx, resource: i32) -> SysResult<libc::rlimit> {
    if !(0..RLIM_NLIMITS).contains(&resource) {
        return Err(Errno::EINVAL);
    }
    let proc = &cx.data().proc;
    if let Some((cur, max)) = proc.limits.lock().unwrap()[resource as usize] {
        return Ok(libc::rlimit {
            rlim_cur: cur,
            rlim_max: max,
        });
    }
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    match resource as u32 {
        libc::RLIMIT_AS | libc::RLIMIT_DATA => {
            r.rlim_cur = MEMORY_LIMIT;
            r.rlim_max = MEMORY_LIMIT;
        }
        libc::RLIMIT_STACK => {
            r.rlim_cur = 8 << 20;
            r.rlim_max = libc::RLIM_INFINITY;
        }
        libc::RLIMIT_NOFILE => {
            let limit = proc.fds.lock().unwrap().limit as u64;
            r.rlim_cur = limit;
            r.rlim_max = limit.max(4096);
        }
        _ => {
            // SAFETY: `r` is a live, writable rlimit.
            Errno::result(unsafe { libc::getrlimit(resource as u32, &mut r) })?;
        }
    }
    Ok(r)
}

fn set_limit(cx: &Cx, resource: i32, new: libc::rlimit) -> SysResult<()> {
    if !(0..RLIM_NLIMITS).contains(&resource) || new.rlim_cur > new.rlim_max {
        return Err(Errno::EINVAL);
    }
    let current = get_limit(cx, resource)?;
    if new.rlim_max > current.rlim_max {
        return Err(Errno::EPERM);
    }
    // Virtual, never applied to the host (see sys::rlimit).
    let proc = &cx.data().proc;
    if resource as u32 == libc::RLIMIT_NOFILE {
        proc.fds.lock().unwrap().limit = new.rlim_cur.min(1 << 20) as usize;
    }
    proc.limits.lock().unwrap()[resource as usize] = Some((new.rlim_cur, new.rlim_max));
    if resource as u32 == libc::RLIMIT_CPU {
        wali_core::policy::limits::start_cpu_watcher(proc);
    }
    Ok(())
}

pub fn getrlimit(cx: &mut Cx, resource: i32, rlim: i32) -> SysResult {
    let r = get_limit(cx, resource)?;
    mem(cx).write(rlim as u32, r)?;
    Ok(0)
}

pub fn setrlimit(cx: &mut Cx, resource: i32, rlim: i32) -> SysResult {
    let new: libc::rlimit = mem(cx).read(rlim as u32)?;
    set_limit(cx, resource, new)?;
    Ok(0)
}

pub fn prlimit64(
    cx: &mut Cx,
    pid: i32,
    resource: i32,
    new_limit: i32,
    old_limit: i32,
) -> SysResult {
    if pid != 0 && pid != wali_core::host::pid() {
        return Err(Errno::EPERM);
    }
    let m = mem(cx);
    let new = if new_limit != 0 {
        Some(m.read::<libc::rlimit>(new_limit as u32)?)
    } else {
        None
    };
    let old = get_limit(cx, resource)?;
    if let Some(new) = new {
        set_limit(cx, resource, new)?;
    }
    if old_limit != 0 {
        m.write(old_limit as u32, old)?;
    }
    Ok(0)
}

pub fn getrusage(cx: &mut Cx, who: i32, usage: i32) -> SysResult {
    let mut r = wali_core::host::zeroed::<libc::rusage>();
    // SAFETY: `r` is a live, writable rusage.
    Errno::result(unsafe { libc::getrusage(who, &mut r) })?;
    mem(cx).write(usage as u32, r)?;
    Ok(0)
}

fn own_process(which: i32, who: i32) -> SysResult<()> {
    if which != libc::PRIO_PROCESS as i32 {
        return Err(Errno::EINVAL);
    }
    if who != 0 && who != wali_core::host::pid() {
        return Err(Errno::ESRCH);
    }
    Ok(())
}

pub fn getpriority(_cx: &mut Cx, which: i32, who: i32) -> SysResult {
    own_process(which, who)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::syscall(libc::SYS_getpriority, which, 0) })
}

pub fn setpriority(_cx: &mut Cx, which: i32, who: i32, prio: i32) -> SysResult {
    own_process(which, who)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::setpriority(which as u32, 0, prio) })
}

pub fn prctl(cx: &mut Cx, option: i32, arg2: i64, arg3: i64, arg4: i64, arg5: i64) -> SysResult {
    let proc = cx.data().proc.clone();
    let m = mem(cx);
    match option {
        libc::PR_SET_NAME => {
            let name = m.slice(wali_core::narrow::guest_u32(arg2), 16)?;
            let mut buf = [0u8; 16];
            let n = name.iter().position(|&b| b == 0).unwrap_or(15).min(15);
            buf[..n].copy_from_slice(&name[..n]);
            // SAFETY: PR_SET_NAME reads up to 16 bytes from `buf`, a live 16-byte array ending in
            // NUL.
            Errno::result(unsafe { libc::prctl(libc::PR_SET_NAME, buf.as_ptr()) })
        }
        libc::PR_GET_NAME => {
            let mut buf = [0u8; 16];
            // SAFETY: PR_GET_NAME writes 16 bytes into `buf`, a live 16-byte array.
            Errno::result(unsafe { libc::prctl(libc::PR_GET_NAME, buf.as_mut_ptr()) })?;
            m.write(wali_core::narrow::guest_u32(arg2), buf)?;
            Ok(0)
        }
        libc::PR_GET_PDEATHSIG => {
            let mut sig: i32 = 0;
            // SAFETY: PR_GET_PDEATHSIG writes one int into `sig`, a live local.
            Errno::result(unsafe { libc::prctl(option, &mut sig) })?;
            m.write(wali_core::narrow::guest_u32(arg2), sig)?;
            Ok(0)
        }
        // Under Landlock the host set no_new_privs itself: the guest sees
        // its own setting.
        libc::PR_GET_NO_NEW_PRIVS if proc.landlock.enforced() => {
            if arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0 {
                return Err(Errno::EINVAL);
            }
            Ok(i64::from(proc.landlock.guest_no_new_privs()))
        }
        libc::PR_SET_NO_NEW_PRIVS if proc.landlock.enforced() => {
            // SAFETY: PR_SET_NO_NEW_PRIVS takes integers only; nothing is used as a pointer.
            let r = Errno::result(unsafe {
                libc::prctl(option, arg2 as u64, arg3 as u64, arg4 as u64, arg5 as u64)
            })?;
            proc.landlock.set_guest_no_new_privs(true);
            Ok(r)
        }
        libc::PR_SET_PDEATHSIG
        | libc::PR_SET_DUMPABLE
        | libc::PR_GET_DUMPABLE
        | libc::PR_SET_NO_NEW_PRIVS
        | libc::PR_GET_NO_NEW_PRIVS => {
            // SAFETY: each option of this arm takes integers only (the
            // guest's values are never used as pointers).
            Errno::result(unsafe {
                libc::prctl(option, arg2 as u64, arg3 as u64, arg4 as u64, arg5 as u64)
            })
        }
        _ => Err(Errno::EINVAL),
    }
}

pub fn getcpu(cx: &mut Cx, cpu: i32, node: i32, _tcache: i32) -> SysResult {
    let (mut c, mut n) = (0u32, 0u32);
    // SAFETY: `c` and `n` are live, writable u32 locals; the cache argument is NULL.
    Errno::result(unsafe { libc::syscall(libc::SYS_getcpu, &mut c, &mut n, 0) })?;
    let m = mem(cx);
    if cpu != 0 {
        m.write(cpu as u32, c)?;
    }
    if node != 0 {
        m.write(node as u32, n)?;
    }
    Ok(0)
}
