//! execve of a Wasm module: the host re-executes itself (same pid, as
//! execve keeps it) and hands the guest's state over in a memfd: the same
//! mounts and policy, the new argv/envp, the cwd and umask, the descriptors
//! without FD_CLOEXEC, ignored signals and the signal mask. Everything else
//! (threads, memory, handlers) is gone, as after a native execve.

use crate::errno::{Errno, SysResult};
use crate::options::{Inherited, RunOptions, Runtime};
use crate::vfs::MountSpec;
use serde::{Deserialize, Serialize};
use std::ffi::{CString, OsString};
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

/// What one image hands the next, serialised as JSON. Paths, arguments and
/// the environment are bytes (they need not be UTF-8); what derives from the
/// policy (`denied`, `net`) is not sent but derived again from it.
#[derive(Serialize, Deserialize)]
struct Handover {
    module: Vec<u8>,
    argv0: Option<Vec<u8>>,
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    mounts: Vec<HandedMount>,
    trace: bool,
    trace_denials: bool,
    syscall_stats: Option<Vec<u8>>,
    no_cache: bool,
    /// The effective policy, as `wali policy show` prints it.
    policy: String,
    runtime: Runtime,
    inherit: Inherited,
}

#[derive(Serialize, Deserialize)]
struct HandedMount {
    host: Vec<u8>,
    guest: Vec<u8>,
    read_only: bool,
    /// The descriptor the mount was opened as, when there is one: the new
    /// image mounts exactly that, never the host path again (which a guest
    /// with a read-write mount above it may have replaced by a symlink in
    /// the meantime).
    root: Option<RawFd>,
}

fn bytes(p: &std::path::Path) -> Vec<u8> {
    p.as_os_str().as_bytes().to_vec()
}

fn path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(OsString::from_vec(b))
}

/// Serialises what the new process image needs.
fn encode(opts: &RunOptions, inherit: &Inherited) -> Vec<u8> {
    let handover = Handover {
        module: bytes(&opts.module),
        argv0: opts.argv0.as_ref().map(|a| a.as_bytes().to_vec()),
        args: opts.args.iter().map(|a| a.as_bytes().to_vec()).collect(),
        env: opts.env.iter().map(|e| e.as_bytes().to_vec()).collect(),
        mounts: opts
            .mounts
            .iter()
            .map(|m| HandedMount {
                host: bytes(&m.host),
                guest: bytes(&m.guest),
                read_only: m.read_only,
                root: m.root.as_ref().map(|r| r.as_raw_fd()),
            })
            .collect(),
        trace: opts.trace,
        trace_denials: opts.trace_denials,
        syscall_stats: opts.syscall_stats.as_deref().map(bytes),
        no_cache: opts.no_cache,
        policy: opts.policy.to_toml(),
        runtime: opts.runtime.clone(),
        inherit: inherit.clone(),
    };
    serde_json::to_vec(&handover).expect("the hand-over serialises")
}

fn decode(text: &[u8]) -> anyhow::Result<(RunOptions, Inherited)> {
    let h: Handover = serde_json::from_slice(text)
        .map_err(|e| anyhow::anyhow!("the state handed over by execve is unreadable: {e}"))?;
    let policy = crate::policy::Policy::parse(&h.policy, std::path::Path::new("/"))
        .map_err(|e| anyhow::anyhow!("handed-over policy: {e}"))?;
    let net = crate::policy::net::NetPolicy::from_specs(&policy.net.allow)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mounts = h
        .mounts
        .into_iter()
        .map(|m| {
            let root = m.root.map(|fd| {
                set_cloexec(fd, true);
                // SAFETY: the previous image passed this descriptor for this
                // mount (see `reexec`); nothing else owns it.
                std::sync::Arc::new(unsafe { OwnedFd::from_raw_fd(fd) })
            });
            MountSpec {
                host: path(m.host),
                guest: path(m.guest),
                read_only: m.read_only,
                root,
            }
        })
        .collect();
    let opts = RunOptions {
        module: path(h.module),
        argv0: h.argv0.map(OsString::from_vec),
        args: h.args.into_iter().map(OsString::from_vec).collect(),
        env: h.env.into_iter().map(OsString::from_vec).collect(),
        mounts,
        trace: h.trace,
        trace_denials: h.trace_denials,
        syscall_stats: h.syscall_stats.map(path),
        no_cache: h.no_cache,
        denied: policy.class_mask(),
        net,
        policy,
        runtime: h.runtime,
        inherit: None,
    };
    Ok((opts, h.inherit))
}

/// The whole content of descriptor `fd`, read from offset 0 without moving
/// its file offset.
fn read_all_at(fd: RawFd) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        // SAFETY: `buf` is writable for the `buf.len()` bytes pread may fill.
        let n = unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), out.len() as i64) };
        match n {
            0 => return Ok(out),
            n if n < 0 => return Err(std::io::Error::last_os_error()),
            n => out.extend_from_slice(&buf[..n as usize]),
        }
    }
}

/// Whether the handed-over state asks for `--trace` (read before the state
/// itself, to set up logging).
pub fn peek_trace(fd: RawFd) -> bool {
    #[derive(Deserialize)]
    struct Trace {
        trace: bool,
    }
    read_all_at(fd)
        .ok()
        .and_then(|text| serde_json::from_slice::<Trace>(&text).ok())
        .is_some_and(|t| t.trace)
}

/// Reads the state the previous image left in descriptor `fd`.
pub fn read_state(fd: RawFd) -> anyhow::Result<(RunOptions, Inherited)> {
    // SAFETY: `fd` is the state memfd the previous image passed on its
    // command line (see `reexec`) for this image alone; nothing else owns it,
    // and dropping it closes it once read.
    let file = unsafe { OwnedFd::from_raw_fd(fd) };
    let text = read_all_at(file.as_raw_fd())?;
    decode(&text)
}

fn set_cloexec(fd: RawFd, on: bool) {
    // SAFETY: F_SETFD takes an int flag and touches no memory.
    unsafe { libc::fcntl(fd, libc::F_SETFD, if on { libc::FD_CLOEXEC } else { 0 }) };
}

/// Replaces the host process image with a fresh `wali` running `opts`
/// (whose `runtime` is this process's, see `Process::runtime_for_execve`).
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
    std::fs::File::from(memfd.try_clone()?).write_all(&state)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    /// What the next image reads is what this one had: bytes that are not
    /// UTF-8 included, the derived fields derived again from the policy.
    #[test]
    fn hand_over_round_trips() {
        let policy = crate::policy::Policy::parse(
            "deny = [\"net\"]\n[net]\nallow = [\"127.0.0.1:80\"]\n",
            std::path::Path::new("/"),
        )
        .unwrap();
        let opts = RunOptions {
            module: PathBuf::from(OsString::from_vec(b"/m/\xffmod.wasm".to_vec())),
            argv0: Some(OsString::from_vec(b"prog\xfe".to_vec())),
            args: vec!["a b".into(), OsString::from_vec(vec![b'\n', 0xc3])],
            env: vec!["K=V\nW".into()],
            mounts: vec![MountSpec {
                host: "/tmp".into(),
                guest: "/g".into(),
                read_only: true,
                root: None,
            }],
            trace: true,
            syscall_stats: Some("/tmp/stats".into()),
            denied: policy.class_mask(),
            net: crate::policy::net::NetPolicy::from_specs(&policy.net.allow).unwrap(),
            policy,
            ..Default::default()
        };
        let inherit = Inherited {
            cwd: b"/g/\x80".to_vec(),
            umask: 0o027,
            fds: vec![(0, 5), (7, 9)],
            virtual_dirs: vec![(4, b"/".to_vec())],
            ignored: 1 << 12,
            mask: 1 << 9,
            children: vec![42],
            ancestors: vec![1, 2],
            rlimits: vec![(7, 10, 20)],
        };
        let (got, got_inherit) = decode(&encode(&opts, &inherit)).unwrap();
        assert_eq!(got.module, opts.module);
        assert_eq!(got.argv0, opts.argv0);
        assert_eq!(got.args, opts.args);
        assert_eq!(got.env, opts.env);
        assert_eq!(got.mounts.len(), 1);
        assert_eq!(got.mounts[0].guest.as_os_str().as_bytes(), b"/g");
        assert!(got.mounts[0].read_only && got.mounts[0].root.is_none());
        assert!(got.trace && !got.trace_denials && !got.no_cache);
        assert_eq!(got.syscall_stats, opts.syscall_stats);
        assert_eq!(got.denied.bits(), opts.denied.bits());
        assert_ne!(got.denied.bits(), 0);
        assert_eq!(got.net.rules.len(), 1);
        assert_eq!(got.policy.to_toml(), opts.policy.to_toml());
        assert_eq!(format!("{got_inherit:?}"), format!("{inherit:?}"));
    }
}
