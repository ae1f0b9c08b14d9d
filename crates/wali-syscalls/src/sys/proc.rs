//! Processes: fork (the whole host process forks and the child continues
//! the guest), wait, process groups and sessions.

use super::Cx;
use std::sync::atomic::Ordering;
use wali_core::errno::{Errno, SysResult};
use wali_core::exit::exit_with;
use wali_core::process::mem;
use wasmtime::Caller;

/// Ends the whole guest process with `status` (exit_group, __proc_exit).
/// With other threads running, the host process ends here and now, as
/// exit_group ends every thread at once.
pub fn end_process(
    caller: &Caller<'_, wali_core::process::Thread>,
    status: i32,
) -> wasmtime::Result<()> {
    let proc = &caller.data().proc;
    // A forked child ends here too, without unwinding: dropping the store
    // and linker takes wasmtime's engine-wide locks, which another thread of
    // the parent may have held when it forked (and so they stay locked in
    // the child).
    let forked = !proc.ancestors.lock().unwrap().is_empty();
    if proc.threads.load(Ordering::SeqCst) > 1 || forked {
        wali_core::policy::limits::process_ending();
        let _ = proc.write_stats();
        use std::io::Write;
        let _ = std::io::stdout().flush();
        wali_core::host::exit_immediately(status & 0xff);
    }
    Err(exit_with(status))
}

pub fn exit_group(cx: &mut Cx, status: i32) -> wasmtime::Result<i64> {
    end_process(cx, status).map(|()| 0)
}

/// Forks the host process. The child continues the guest from this call
/// with a private copy of linear memory; only the calling thread exists in
/// it, as on Linux.
pub fn fork(cx: &mut Cx) -> SysResult {
    let proc = cx.data().proc.clone();
    let slot = match wali_core::policy::limits::fork_slot(&proc) {
        Ok(slot) => slot,
        Err(rule) => {
            proc.denied(format_args!("fork (EAGAIN)"), rule);
            return Err(Errno::EAGAIN);
        }
    };
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // Hold the locks a child could need, so none is copied mid-update (or
    // held by another thread: the child's copy would never be released).
    // Rust's stdout/stderr (trace lines) last: their holders take no other.
    let fds = proc.fds.lock().unwrap();
    let fs = proc.fs.lock().unwrap();
    let mm = proc.mm.lock().unwrap();
    let mut siblings = proc.siblings.lock().unwrap();
    let children = proc.children.lock().unwrap();
    let limits = proc.limits.lock().unwrap();
    let registry = crate::signal_engine::lock_registry();
    let out = std::io::stdout().lock();
    let err = std::io::stderr().lock();
    let parent = wali_core::host::pid();
    // SAFETY: this thread holds every lock the child needs (taken above, released on both sides
    // below), so the child's copy of each is consistent; the child touches no other thread's
    // state, and the host's signal state is reset after the fork.
    let pid = unsafe { libc::fork() };
    drop(err);
    drop(out);
    if pid == 0 {
        // The parent's children are the child's siblings (setpgid may
        // join their groups).
        *siblings = children.iter().copied().collect();
        crate::signal_engine::reset_after_fork(registry);
    } else {
        drop(registry);
    }
    drop(limits);
    drop(children);
    drop(siblings);
    drop(mm);
    drop(fs);
    drop(fds);
    match pid {
        -1 => {
            let e = Errno::last();
            wali_core::policy::limits::fork_done(slot, 0);
            Err(e)
        }
        0 => {
            wali_core::policy::limits::after_fork_child(&proc, slot);
            let me = wali_core::host::pid();
            proc.children.lock().unwrap().clear();
            proc.ancestors.lock().unwrap().push(parent);
            proc.threads.store(1, Ordering::SeqCst);
            proc.own_group.store(false, Ordering::SeqCst);
            let t = cx.data_mut();
            t.tid = me;
            t.signals = wali_core::signal::ThreadSignals::new(me);
            t.signals.mask.store(t.sigmask, Ordering::SeqCst);
            crate::signal_engine::register_current(&cx.data().signals.clone());
            Ok(0)
        }
        child => {
            wali_core::policy::limits::fork_done(slot, child);
            proc.children.lock().unwrap().insert(child);
            Ok(child as i64)
        }
    }
}

pub fn vfork(cx: &mut Cx) -> SysResult {
    // vfork's shared address space is an optimization of fork; a fork gives
    // every correct vfork user the same results.
    fork(cx)
}

const CLONE_VM: i64 = 0x100;
const CLONE_VFORK: i64 = 0x4000;
const CLONE_THREAD: i64 = 0x10000;
const CSIGNAL: i64 = 0xff;

/// clone as posix_spawn and fork use it: without CLONE_THREAD it is a fork
/// (CLONE_VM|CLONE_VFORK included). Threads come from __wasm_thread_spawn.
pub fn clone(
    cx: &mut Cx,
    flags: i64,
    stack: i32,
    _parent_tid: i32,
    _child_tid: i32,
    _tls: i64,
) -> SysResult {
    if flags & CLONE_THREAD != 0 || (flags & CLONE_VM != 0 && flags & CLONE_VFORK == 0) {
        return Err(Errno::EINVAL);
    }
    if flags & !(CSIGNAL | CLONE_VM | CLONE_VFORK) != 0 || stack != 0 && flags & CLONE_VM == 0 {
        return Err(Errno::EINVAL);
    }
    fork(cx)
}

/// `pid`, a wait result: a child's pid (an int) when positive.
fn forget_child(cx: &Cx, pid: i64) {
    let Ok(pid) = i32::try_from(pid) else { return };
    if pid > 0 {
        wali_core::policy::limits::child_reaped(pid);
        cx.data().proc.children.lock().unwrap().remove(&pid);
    }
}

pub fn wait4(cx: &mut Cx, pid: i32, wstatus: i32, options: i32, rusage: i32) -> SysResult {
    let m = mem(cx);
    if wstatus != 0 {
        m.addr(wstatus as u32, 4)?;
    }
    if rusage != 0 {
        m.addr(rusage as u32, std::mem::size_of::<libc::rusage>())?;
    }
    let mut status = 0i32;
    let mut ru = wali_core::host::zeroed::<libc::rusage>();
    // The host waits only for its own children: nothing outside the sandbox.
    // SAFETY: `status` and `ru` are live, writable locals of the types wait4 fills.
    let r = Errno::result(unsafe { libc::wait4(pid, &mut status, options, &mut ru) })?;
    if r > 0 {
        if wstatus != 0 {
            m.write(wstatus as u32, status)?;
        }
        if rusage != 0 {
            m.write(rusage as u32, ru)?;
        }
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            forget_child(cx, r);
        }
    }
    Ok(r)
}

pub fn waitid(
    cx: &mut Cx,
    idtype: i32,
    id: i32,
    infop: i32,
    options: i32,
    rusage: i32,
) -> SysResult {
    let m = mem(cx);
    if infop != 0 {
        m.addr(infop as u32, 128)?;
    }
    let mut si = wali_core::host::zeroed::<libc::siginfo_t>();
    let mut ru = wali_core::host::zeroed::<libc::rusage>();
    // SAFETY: `si` is a live, writable siginfo_t and the rusage pointer is NULL or the live local
    // `ru`.
    let r = unsafe {
        libc::syscall(
            libc::SYS_waitid,
            idtype,
            id,
            &mut si as *mut libc::siginfo_t,
            options,
            if rusage != 0 {
                &mut ru as *mut libc::rusage
            } else {
                std::ptr::null_mut()
            },
        )
    };
    Errno::result(r)?;
    if infop != 0 {
        m.write_bytes(infop as u32, &crate::signal_engine::siginfo_to_guest(&si))?;
    }
    if rusage != 0 {
        m.write(rusage as u32, ru)?;
    }
    // SAFETY: `si` was zeroed and then filled by waitid, whose SIGCHLD siginfo carries si_pid; a
    // zeroed one reads as pid 0.
    let pid = unsafe { si.si_pid() };
    if options & libc::WNOWAIT == 0
        && matches!(
            si.si_code,
            libc::CLD_EXITED | libc::CLD_KILLED | libc::CLD_DUMPED
        )
    {
        forget_child(cx, pid as i64);
    }
    Ok(0)
}

/// pids the guest may ask about: its own, 0 (itself), its children and the
/// guest processes it was forked from.
fn own_or_child(cx: &Cx, pid: i32) -> SysResult<()> {
    let me = wali_core::host::pid();
    if pid == 0 || pid == me || cx.data().proc.in_sandbox(pid) {
        Ok(())
    } else {
        Err(Errno::ESRCH)
    }
}

pub fn getpgid(cx: &mut Cx, pid: i32) -> SysResult {
    own_or_child(cx, pid)?;
    wali_core::host::getpgid(pid)
}

pub fn getpgrp(_cx: &mut Cx) -> SysResult {
    Ok(wali_core::host::pgrp().into())
}

pub fn getsid(cx: &mut Cx, pid: i32) -> SysResult {
    own_or_child(cx, pid)?;
    // SAFETY: integer argument only; no memory is read or written.
    Errno::result(unsafe { libc::getsid(pid) })
}

pub fn setsid(cx: &mut Cx) -> SysResult {
    // SAFETY: setsid takes no arguments.
    let r = Errno::result(unsafe { libc::setsid() })?;
    cx.data().proc.own_group.store(true, Ordering::SeqCst);
    Ok(r)
}

pub fn setpgid(cx: &mut Cx, pid: i32, pgid: i32) -> SysResult {
    own_or_child(cx, pid)?;
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    let me = wali_core::host::pid();
    // Only a group the sandbox's processes are in or lead: never one of the
    // host's alone. (Staying in the current group is always allowed.)
    let target_pid = if pid == 0 { me } else { pid };
    let group = if pgid == 0 { target_pid } else { pgid };
    let proc = &cx.data().proc;
    let known: Vec<i32> = std::iter::once(me)
        .chain(proc.children.lock().unwrap().iter().copied())
        .chain(proc.ancestors.lock().unwrap().iter().copied())
        .chain(proc.siblings.lock().unwrap().iter().copied())
        .collect();
    let ours = wali_core::host::getpgid(target_pid) == Ok(group.into())
        || known
            .iter()
            .any(|&p| p == group || wali_core::host::getpgid(p) == Ok(group.into()));
    if !ours {
        proc.denied(
            format_args!("setpgid({pid}, {pgid}): not a group of this sandbox"),
            "process groups of the sandbox's own processes only",
        );
        return Err(Errno::EPERM);
    }
    // SAFETY: integer arguments only; no memory is read or written.
    let r = Errno::result(unsafe { libc::setpgid(pid, pgid) })?;
    if target_pid == me && group == me {
        cx.data().proc.own_group.store(true, Ordering::SeqCst);
    }
    Ok(r)
}

/// Most bytes of arguments plus environment execve takes (as Linux's
/// default ARG_MAX with an 8 MiB stack).
const ARG_MAX: usize = 2 << 20;

/// A NULL-terminated array of guest string pointers.
fn string_array(
    m: &wali_core::memory::Mem,
    ptr: i32,
    total: &mut usize,
) -> SysResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    if ptr == 0 {
        return Ok(out);
    }
    for i in 0.. {
        let slot = (ptr as u32).checked_add(i * 4).ok_or(Errno::EFAULT)?;
        let s: u32 = m.read(slot)?;
        if s == 0 {
            break;
        }
        let bytes = m.cstr(s, ARG_MAX).map_err(|e| {
            if e == Errno::ENAMETOOLONG {
                Errno::E2BIG
            } else {
                e
            }
        })?;
        *total += bytes.len() + 1 + 4;
        if *total > ARG_MAX {
            return Err(Errno::E2BIG);
        }
        out.push(bytes.to_vec());
    }
    Ok(out)
}

/// The interpreter line of a `#!` script: (interpreter, optional argument).
fn shebang(head: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let line = head.strip_prefix(b"#!")?;
    let end = line.iter().position(|&b| b == b'\n')?;
    let line = line[..end].trim_ascii();
    let mut split = line.splitn(2, |b| *b == b' ' || *b == b'\t');
    let interp = split.next().filter(|i| !i.is_empty())?.to_vec();
    let arg = split
        .next()
        .map(|a| a.trim_ascii().to_vec())
        .filter(|a| !a.is_empty());
    Some((interp, arg))
}

/// execve of a Wasm module (or a `#!` script whose interpreter is one): the
/// host re-executes itself with the guest's state (see `exec`). Anything else
/// is refused with EACCES: the sandbox runs no native code.
pub fn execve(cx: &mut Cx, path: i32, argv: i32, envp: i32) -> SysResult {
    execveat(cx, libc::AT_FDCWD, path, argv, envp, 0)
}

/// execve with the path resolved against `dirfd`; with AT_EMPTY_PATH and an
/// empty path, the file open on `dirfd` runs (fexecve).
pub fn execveat(cx: &mut Cx, dirfd: i32, path: i32, argv: i32, envp: i32, flags: i32) -> SysResult {
    let m = mem(cx);
    let path = m.path(path as u32)?.to_vec();
    if flags & !(libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW) != 0 {
        return Err(Errno::EINVAL);
    }
    let mut total = 0;
    let mut args = string_array(&m, argv, &mut total)?;
    let env = string_array(&m, envp, &mut total)?;
    let proc = cx.data().proc.clone();
    if proc.options.policy.process.exec == Some(false) {
        proc.denied(
            format_args!("execve {:?}", String::from_utf8_lossy(&path)),
            "process.exec = false",
        );
        return Err(Errno::EACCES);
    }
    let (mut fd, guest) = if path.is_empty() && flags & libc::AT_EMPTY_PATH != 0 {
        super::fs::open_exec_fd(cx, dirfd)?
    } else {
        let follow = flags & libc::AT_SYMLINK_NOFOLLOW == 0;
        super::fs::open_exec(cx, dirfd, &path, follow)?
    };
    // The name a `#!` interpreter gets for the script: the path as given
    // when it resolves from the cwd, else the file's guest path (Linux
    // passes /dev/fd/N/PATH, which does not exist in the guest's view).
    let mut path = if dirfd == libc::AT_FDCWD || path.starts_with(b"/") {
        path
    } else {
        guest
    };
    let mut interpreters = 0;
    let module = loop {
        let mut head = [0u8; 256];
        // SAFETY: `head` is a live, writable 256-byte array and pread writes at most `head.len()`
        // bytes.
        let n = unsafe {
            libc::pread(
                std::os::fd::AsRawFd::as_raw_fd(&fd),
                head.as_mut_ptr().cast(),
                head.len(),
                0,
            )
        };
        let head = &head[..n.max(0) as usize];
        if head.starts_with(b"\0asm") {
            break fd;
        }
        if let Some((interp, arg)) = shebang(head) {
            interpreters += 1;
            if interpreters == 4 {
                return Err(Errno::ELOOP);
            }
            // argv becomes: interpreter [arg] script args[1..]
            let mut new_args = vec![interp.clone()];
            new_args.extend(arg);
            new_args.push(path.clone());
            new_args.extend(args.iter().skip(1).cloned());
            args = new_args;
            path = interp;
            // The interpreter resolves from the cwd, as on Linux.
            fd = super::fs::open_exec(cx, libc::AT_FDCWD, &path, true)?.0;
            continue;
        }
        proc.denied(
            format_args!(
                "execve {:?}: not a Wasm module",
                String::from_utf8_lossy(&path)
            ),
            "native programs never run",
        );
        return Err(if head.starts_with(b"\x7fELF") {
            Errno::EACCES
        } else {
            Errno::ENOEXEC
        });
    };

    use std::os::unix::ffi::OsStringExt;
    let mut opts = proc.options.clone();
    opts.runtime = proc.runtime_for_execve();
    // Each mount goes over as the descriptor this image holds (see
    // exec::encode), not as a host path to open again.
    for spec in &mut opts.mounts {
        use std::os::unix::ffi::OsStrExt;
        let guest = wali_core::vfs::parse_canonical(spec.guest.as_os_str().as_bytes());
        if let Some(i) = proc.vfs.mount_at(&guest) {
            spec.root = Some(std::sync::Arc::new(proc.vfs.mounts[i].root.try_clone()?));
        }
    }
    let mut args = args.into_iter().map(std::ffi::OsString::from_vec);
    opts.argv0 = Some(args.next().unwrap_or_default());
    opts.args = args.collect();
    opts.env = env.into_iter().map(std::ffi::OsString::from_vec).collect();
    let (cwd, umask) = {
        let fs = proc.fs.lock().unwrap();
        (wali_core::vfs::render(&fs.cwd), fs.umask)
    };
    let mut inherit = wali_core::options::Inherited {
        cwd,
        umask,
        children: proc.children.lock().unwrap().iter().copied().collect(),
        ancestors: proc.ancestors.lock().unwrap().clone(),
        ignored: crate::signal_engine::ignored_set(&proc),
        mask: cx.data().sigmask,
        rlimits: proc
            .limits
            .lock()
            .unwrap()
            .iter()
            .zip(0u32..)
            .filter_map(|(l, r)| l.map(|(cur, max)| (r, cur, max)))
            .collect(),
        ..Default::default()
    };
    {
        let table = proc.fds.lock().unwrap();
        for fd in table.numbers() {
            let Ok(entry) = table.get(fd) else { continue };
            if entry.cloexec {
                continue;
            }
            match entry.file.raw() {
                Ok(raw) => inherit.fds.push((fd, raw)),
                Err(_) => {
                    if let Some(p) = &entry.file.guest_path {
                        inherit.virtual_dirs.push((fd, p.to_vec()));
                    }
                }
            }
        }
    }
    let _ = proc.write_stats();
    match wali_core::exec::reexec(&opts, &inherit, module) {
        Err(e) => Err(e),
        Ok(never) => match never {},
    }
}
