//! Defense in depth: before running guest code the host restricts itself
//! with Landlock to the union of what the policy grants (read-only mounts
//! read-only, read-write mounts read-write), plus what the host itself
//! needs from then on: its own executable and shared libraries (read and
//! execute: execve re-executes `/proc/self/exe`), the module cache, the
//! `--syscall-stats` file and a few host files it reads at start (name
//! service, ephemeral port range). Signals may reach only processes of the
//! sandbox (Landlock's signal scope); without `@NAME` network rules abstract
//! AF_UNIX sockets outside the sandbox are unreachable; without any network
//! rule TCP bind and connect are refused by the kernel as well.
//!
//! fork children and execve'd images inherit the domain. Failure or a
//! kernel without Landlock only logs (`tracing::debug!`): the host's own
//! checks are the sandbox, Landlock is a second wall.

use crate::options::RunOptions;
use crate::vfs::Vfs;
use landlock::{
    Access, AccessFs, AccessNet, BitFlags, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, RulesetStatus, Scope, ABI,
};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

const ABI_USED: ABI = ABI::V6;

/// Landlock state of one process: whether the host runs under a Landlock
/// domain (its own, or one inherited over fork or execve), and the guest's
/// view of `PR_GET_NO_NEW_PRIVS` meanwhile (Landlock needs the host's
/// no_new_privs set, which the guest did not ask for).
#[derive(Debug, Default)]
pub struct LandlockState {
    enforced: AtomicBool,
    guest_nnp: AtomicBool,
}

impl LandlockState {
    /// The state an execve'd image was handed (see `options::Runtime`).
    pub fn new(enforced: bool, guest_nnp: bool) -> LandlockState {
        LandlockState {
            enforced: AtomicBool::new(enforced),
            guest_nnp: AtomicBool::new(guest_nnp),
        }
    }

    pub fn enforced(&self) -> bool {
        self.enforced.load(Ordering::SeqCst)
    }

    pub fn guest_no_new_privs(&self) -> bool {
        self.guest_nnp.load(Ordering::SeqCst)
    }

    pub fn set_guest_no_new_privs(&self, on: bool) {
        self.guest_nnp.store(on, Ordering::SeqCst);
    }
}

/// Host files the host may read after the restriction (name service and
/// friends; each image reads them again after an execve).
const HOST_READ: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/resolv.conf",
    "/etc/gai.conf",
    "/etc/host.conf",
    "/etc/services",
    "/etc/protocols",
    "/etc/passwd",
    "/etc/group",
    "/proc/sys/net/ipv4/ip_local_port_range",
];

/// The files mapped into this process (the executable, ld.so, libraries).
fn mapped_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(maps) = std::fs::read_to_string("/proc/self/maps") {
        for line in maps.lines() {
            if let Some(i) = line.find(" /") {
                let p = line[i + 1..].trim_end();
                if !p.ends_with(" (deleted)") && !p.starts_with("/memfd:") {
                    let p = PathBuf::from(p);
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
    }
    if let Ok(exe) = std::env::current_exe() {
        if !out.contains(&exe) {
            out.push(exe);
        }
    }
    out
}

fn is_dir(fd: &impl AsFd) -> bool {
    use std::os::fd::AsRawFd;
    crate::host::fstat(fd.as_fd().as_raw_fd())
        .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR)
}

fn rights(fd: &impl AsFd, want: BitFlags<AccessFs>) -> BitFlags<AccessFs> {
    if is_dir(fd) {
        want
    } else {
        want & AccessFs::from_file(ABI_USED)
    }
}

/// Restricts the host process, leaving `cache` (the module cache's
/// directory) writable, and records the outcome in `state`. Returns whether
/// Landlock is enforced.
pub fn restrict(opts: &RunOptions, vfs: &Vfs, cache: Option<&Path>, state: &LandlockState) -> bool {
    // Before the host sets no_new_privs for Landlock: the guest's own view.
    // SAFETY: PR_GET_NO_NEW_PRIVS takes no pointer; it only returns 0 or 1.
    let guest_nnp = unsafe { libc::prctl(libc::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) } == 1;
    match try_restrict(opts, vfs, cache) {
        Ok(RulesetStatus::FullyEnforced) | Ok(RulesetStatus::PartiallyEnforced) => {
            tracing::debug!(target: "wali::policy", "landlock: enforced");
            state.set_guest_no_new_privs(guest_nnp);
            state.enforced.store(true, Ordering::SeqCst);
            true
        }
        Ok(RulesetStatus::NotEnforced) => {
            tracing::debug!(target: "wali::policy", "landlock: not supported by this kernel; continuing without it");
            false
        }
        Err(e) => {
            tracing::debug!(target: "wali::policy", "landlock: not applied ({e:#}); continuing without it");
            false
        }
    }
}

fn try_restrict(
    opts: &RunOptions,
    vfs: &Vfs,
    cache: Option<&Path>,
) -> anyhow::Result<RulesetStatus> {
    let read = AccessFs::ReadFile | AccessFs::ReadDir;
    let all = AccessFs::from_all(ABI_USED) & !AccessFs::Execute;
    let no_net_rules = opts.net.rules.is_empty();
    let abstract_rules = opts.net.rules.iter().any(|r| r.spec.starts_with('@'));
    let mut ruleset = Ruleset::default().handle_access(AccessFs::from_all(ABI_USED))?;
    if no_net_rules {
        ruleset = ruleset.handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)?;
    }
    ruleset = ruleset.scope(Scope::Signal)?;
    if !abstract_rules {
        ruleset = ruleset.scope(Scope::AbstractUnixSocket)?;
    }
    let mut created = ruleset.create()?;
    // The mounts, through the descriptors the VFS holds (memfd-backed ones,
    // such as the environment file and /etc, live on an internal
    // filesystem Landlock does not restrict).
    for m in &vfs.mounts {
        if m.host.starts_with("/proc/self/fd") {
            continue;
        }
        let want = if m.read_only { read } else { all };
        created = created.add_rule(PathBeneath::new(m.root.as_fd(), rights(&m.root, want)))?;
    }
    let add_path = |created: landlock::RulesetCreated,
                    p: &Path,
                    want: BitFlags<AccessFs>|
     -> anyhow::Result<landlock::RulesetCreated> {
        match PathFd::new(p) {
            Ok(fd) => {
                let r = rights(&fd, want);
                Ok(created.add_rule(PathBeneath::new(fd, r))?)
            }
            Err(_) => Ok(created),
        }
    };
    for p in mapped_files() {
        created = add_path(created, &p, AccessFs::ReadFile | AccessFs::Execute)?;
    }
    for p in HOST_READ {
        created = add_path(created, Path::new(p), AccessFs::ReadFile.into())?;
    }
    if !opts.no_cache {
        if let Some(dir) = cache {
            use std::os::unix::fs::DirBuilderExt;
            let _ = std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir);
            created = add_path(
                created,
                dir,
                read | AccessFs::WriteFile
                    | AccessFs::MakeReg
                    | AccessFs::RemoveFile
                    | AccessFs::Truncate,
            )?;
        }
    }
    if let Some(stats) = &opts.syscall_stats {
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(stats);
        created = add_path(created, stats, AccessFs::ReadFile | AccessFs::WriteFile)?;
    }
    Ok(created.restrict_self()?.ruleset)
}
