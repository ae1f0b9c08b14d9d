//! What a guest runs with: the options `wali run` (or an embedder) starts it
//! with, and what an execve carries over from the previous image.

use crate::vfs::MountSpec;
use std::ffi::OsString;
use std::path::PathBuf;

/// Everything `wali run` needs to start a guest.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub module: PathBuf,
    /// Arguments after the module (argv[1..]).
    pub args: Vec<OsString>,
    pub mounts: Vec<MountSpec>,
    /// `KEY=VALUE` entries of the guest's initial environment.
    pub env: Vec<OsString>,
    pub trace: bool,
    pub syscall_stats: Option<PathBuf>,
    pub no_cache: bool,
    /// Capability classes denied outright.
    pub denied: crate::policy::ClassMask,
    /// argv[0] for the guest, if not the module's path (see `interp`).
    pub argv0: Option<OsString>,
    /// Network endpoints the guest may use (`--allow-net`).
    pub net: crate::policy::net::NetPolicy,
    /// State carried over an execve from the previous image.
    pub inherit: Option<Inherited>,
    /// Log every policy denial (`--trace-denials`; `--trace` implies it).
    pub trace_denials: bool,
    /// The effective policy (see `policy::config`); `mounts`, `env`,
    /// `denied` and `net` above are derived from it (plus interpreter mounts).
    pub policy: crate::policy::Policy,
    /// Limit state kept across execve (deadline, process counter, Landlock).
    pub runtime: Runtime,
}

/// What a guest keeps across execve (see `exec`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Inherited {
    /// Canonical guest path of the working directory.
    pub cwd: Vec<u8>,
    pub umask: u32,
    /// Guest fd -> host fd, for descriptors without FD_CLOEXEC.
    pub fds: Vec<(i32, i32)>,
    /// Guest fd -> guest path, for open virtual directories.
    pub virtual_dirs: Vec<(i32, Vec<u8>)>,
    /// Signals the guest ignores (they stay ignored).
    pub ignored: u64,
    /// The signal mask of the thread that called execve.
    pub mask: u64,
    /// Child processes (still the caller's children after execve).
    pub children: Vec<i32>,
    /// The guest processes the caller was forked from.
    pub ancestors: Vec<i32>,
    /// The guest's resource limits (resource, soft, hard): virtual, and
    /// kept across execve as Linux keeps them (see `sys::rlimit`).
    pub rlimits: Vec<(u32, u64, u64)>,
}

/// State that outlives one process image (handed over on execve).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Runtime {
    /// CLOCK_MONOTONIC nanoseconds at which the wall-time limit ends.
    pub deadline_ns: Option<u64>,
    /// This process is the one `wali` started (not a fork).
    pub root: bool,
    /// Host descriptor of the shared process counter.
    pub counter_fd: Option<i32>,
    /// The host already restricted itself with Landlock.
    pub landlocked: bool,
    /// The guest's view of no_new_privs under Landlock.
    pub guest_nnp: bool,
    /// CPU time of this process that wali spent on itself (compiling and
    /// loading the modules of earlier images) rather than on the guest.
    pub cpu_offset_ns: u64,
}
