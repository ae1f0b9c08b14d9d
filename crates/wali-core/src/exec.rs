//! execve of a Wasm module: the host re-executes itself (same pid, as
//! execve keeps it) and hands the guest's state over in a memfd: the same
//! mounts and policy, the new argv/envp, the cwd and umask, the descriptors
//! without FD_CLOEXEC, ignored signals and the signal mask. Everything else
//! (threads, memory, handlers) is gone, as after a native execve.

use crate::errno::{Errno, SysResult};
use crate::options::{Inherited, RunOptions};
use crate::vfs::MountSpec;
use std::ffi::{CString, OsString};
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> anyhow::Result<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        anyhow::bail!("odd hex string");
    }
    (0..s.len())
        .step_by(2)
        .map(|i| Ok(u8::from_str_radix(&s[i..i + 2], 16)?))
        .collect()
}

/// Serializes what the new process image needs, one `key value...` per line.
pub fn encode(opts: &RunOptions, inherit: &Inherited) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: String| {
        out.push_str(k);
        out.push(' ');
        out.push_str(&v);
        out.push('\n');
    };
    line("module", hex(opts.module.as_os_str().as_bytes()));
    if let Some(a0) = &opts.argv0 {
        line("argv0", hex(a0.as_bytes()));
    }
    for a in &opts.args {
        line("arg", hex(a.as_bytes()));
    }
    for e in &opts.env {
        line("env", hex(e.as_bytes()));
    }
    for m in &opts.mounts {
        // The descriptor the mount was opened as, when there is one: the new
        // image mounts exactly that, never the host path again (which a
        // guest with a read-write mount above it may have replaced by a
        // symlink in the meantime).
        let root = m
            .root
            .as_ref()
            .map(|r| format!(" {}", r.as_raw_fd()))
            .unwrap_or_default();
        line(
            "mount",
            format!(
                "{} {} {}{root}",
                m.read_only as u8,
                hex(m.host.as_os_str().as_bytes()),
                hex(m.guest.as_os_str().as_bytes())
            ),
        );
    }
    line("trace", (opts.trace as u8).to_string());
    if let Some(p) = &opts.syscall_stats {
        line("stats", hex(p.as_os_str().as_bytes()));
    }
    line("nocache", (opts.no_cache as u8).to_string());
    line("denied", opts.denied.bits().to_string());
    for r in &opts.net.rules {
        line("allow-net", hex(r.spec.as_bytes()));
    }
    line("trace-denials", (opts.trace_denials as u8).to_string());
    line("policy", hex(opts.policy.to_toml().as_bytes()));
    if let Some(d) = opts.runtime.deadline_ns {
        line("deadline", d.to_string());
    }
    line("root", (crate::policy::limits::is_root() as u8).to_string());
    line(
        "cpu-offset",
        crate::policy::limits::cpu_offset().to_string(),
    );
    if let Some(fd) = opts.runtime.counter_fd {
        line("counter", fd.to_string());
    }
    line(
        "landlocked",
        (crate::policy::landlock::enforced() as u8).to_string(),
    );
    line(
        "guest-nnp",
        (crate::policy::landlock::guest_no_new_privs() as u8).to_string(),
    );
    line("cwd", hex(&inherit.cwd));
    line("umask", inherit.umask.to_string());
    for (guest, host) in &inherit.fds {
        line("fd", format!("{guest} {host}"));
    }
    for (guest, path) in &inherit.virtual_dirs {
        line("vdir", format!("{guest} {}", hex(path)));
    }
    line("ignored", inherit.ignored.to_string());
    line("mask", inherit.mask.to_string());
    for c in &inherit.children {
        line("child", c.to_string());
    }
    for a in &inherit.ancestors {
        line("ancestor", a.to_string());
    }
    for (r, cur, max) in &inherit.rlimits {
        line("rlimit", format!("{r} {cur} {max}"));
    }
    out
}

pub fn decode(text: &str) -> anyhow::Result<(RunOptions, Inherited)> {
    let mut opts = RunOptions::default();
    let mut inherit = Inherited::default();
    let mut net_specs = Vec::new();
    for line in text.lines() {
        let mut parts = line.split(' ');
        let key = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        let one = || rest.first().copied().unwrap_or_default();
        let os = |s: &str| -> anyhow::Result<OsString> { Ok(OsString::from_vec(unhex(s)?)) };
        match key {
            "module" => opts.module = PathBuf::from(os(one())?),
            "argv0" => opts.argv0 = Some(os(one())?),
            "arg" => opts.args.push(os(one())?),
            "env" => opts.env.push(os(one())?),
            "mount" if rest.len() == 3 || rest.len() == 4 => {
                let root = match rest.get(3) {
                    Some(fd) => {
                        let fd: RawFd = fd.parse()?;
                        set_cloexec(fd, true);
                        // SAFETY: the previous image passed this descriptor
                        // for this mount (see `reexec`); nothing else owns it.
                        Some(std::sync::Arc::new(unsafe { OwnedFd::from_raw_fd(fd) }))
                    }
                    None => None,
                };
                opts.mounts.push(MountSpec {
                    read_only: rest[0] == "1",
                    host: PathBuf::from(os(rest[1])?),
                    guest: PathBuf::from(os(rest[2])?),
                    root,
                })
            }
            "trace" => opts.trace = one() == "1",
            "stats" => opts.syscall_stats = Some(PathBuf::from(os(one())?)),
            "nocache" => opts.no_cache = one() == "1",
            "denied" => opts.denied = crate::policy::ClassMask::from_bits(one().parse()?),
            "allow-net" => net_specs.push(String::from_utf8(unhex(one())?)?),
            "trace-denials" => opts.trace_denials = one() == "1",
            "policy" => {
                let text = String::from_utf8(unhex(one())?)?;
                opts.policy = crate::policy::Policy::parse(&text, std::path::Path::new("/"))
                    .map_err(|e| anyhow::anyhow!("handed-over policy: {e}"))?;
            }
            "deadline" => opts.runtime.deadline_ns = Some(one().parse()?),
            "root" => opts.runtime.root = one() == "1",
            "counter" => opts.runtime.counter_fd = Some(one().parse()?),
            "cpu-offset" => opts.runtime.cpu_offset_ns = one().parse()?,
            "landlocked" => opts.runtime.landlocked = one() == "1",
            "guest-nnp" => opts.runtime.guest_nnp = one() == "1",
            "cwd" => inherit.cwd = unhex(one())?,
            "umask" => inherit.umask = one().parse()?,
            "fd" if rest.len() == 2 => inherit.fds.push((rest[0].parse()?, rest[1].parse()?)),
            "vdir" if rest.len() == 2 => inherit
                .virtual_dirs
                .push((rest[0].parse()?, unhex(rest[1])?)),
            "ignored" => inherit.ignored = one().parse()?,
            "mask" => inherit.mask = one().parse()?,
            "child" => inherit.children.push(one().parse()?),
            "ancestor" => inherit.ancestors.push(one().parse()?),
            "rlimit" if rest.len() == 3 => {
                inherit
                    .rlimits
                    .push((rest[0].parse()?, rest[1].parse()?, rest[2].parse()?))
            }
            _ => anyhow::bail!("unknown exec state line: {line}"),
        }
    }
    opts.net = crate::policy::net::NetPolicy::from_specs(&net_specs)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((opts, inherit))
}

/// Whether the handed-over state asks for `--trace` (read before the state
/// itself, to set up logging).
pub fn peek_trace(fd: RawFd) -> bool {
    let mut buf = vec![0u8; 1 << 16];
    // SAFETY: `buf` is writable for the `buf.len()` bytes pread may fill.
    let n = unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
    n > 0
        && buf[..n as usize]
            .split(|&b| b == b'\n')
            .any(|l| l == b"trace 1")
}

/// Reads the state the previous image left in descriptor `fd`.
pub fn read_state(fd: RawFd) -> anyhow::Result<(RunOptions, Inherited)> {
    use std::io::Read;
    // SAFETY: `fd` is the state memfd the previous image passed on its
    // command line (see `reexec`) for this image alone; nothing else owns it,
    // and the `File` closes it once read.
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    decode(&text)
}

fn set_cloexec(fd: RawFd, on: bool) {
    // SAFETY: F_SETFD takes an int flag and touches no memory.
    unsafe { libc::fcntl(fd, libc::F_SETFD, if on { libc::FD_CLOEXEC } else { 0 }) };
}

/// Replaces the host process image with a fresh `wali` running `opts`.
/// Returns only on failure.
pub fn reexec(
    opts: &RunOptions,
    inherit: &Inherited,
    module: OwnedFd,
) -> SysResult<std::convert::Infallible> {
    let mut opts = opts.clone();
    opts.module = PathBuf::from(format!("/proc/self/fd/{}", module.as_raw_fd()));
    let state = encode(&opts, inherit);
    // Not close-on-exec: the next image reads its state from it.
    let memfd = crate::host::memfd_create(c"wali-exec", 0)?;
    std::fs::File::from(memfd.try_clone()?).write_all(state.as_bytes())?;
    // SAFETY: lseek takes integers only and touches no memory.
    unsafe { libc::lseek(memfd.as_raw_fd(), 0, libc::SEEK_SET) };
    set_cloexec(module.as_raw_fd(), false);
    for (_, host) in &inherit.fds {
        set_cloexec(*host, false);
    }
    for root in opts.mounts.iter().filter_map(|m| m.root.as_ref()) {
        set_cloexec(root.as_raw_fd(), false);
    }
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let argv: Vec<CString> = ["wali", "__exec", &memfd.as_raw_fd().to_string()]
        .iter()
        .map(|s| CString::new(*s).unwrap())
        .collect();
    let mut argv_ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_ptrs.push(std::ptr::null());
    let env: Vec<CString> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let mut kv = k.into_vec();
            kv.push(b'=');
            kv.extend(v.into_vec());
            CString::new(kv).ok()
        })
        .collect();
    let mut env_ptrs: Vec<*const libc::c_char> = env.iter().map(|e| e.as_ptr()).collect();
    env_ptrs.push(std::ptr::null());
    // SAFETY: both pointer arrays end in NULL and point at the NUL-terminated
    // `argv` and `env` strings, which outlive the call; on success the image
    // is replaced, on failure nothing was kept.
    unsafe {
        libc::execve(
            c"/proc/self/exe".as_ptr(),
            argv_ptrs.as_ptr(),
            env_ptrs.as_ptr(),
        )
    };
    let err = Errno::last();
    for (_, host) in &inherit.fds {
        set_cloexec(*host, true);
    }
    Err(err)
}
