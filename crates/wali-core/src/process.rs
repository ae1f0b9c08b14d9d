//! Per-process and per-thread state of a guest.

use crate::fdtable::FdTable;
use crate::memory::{GuestMemory, Mem};
use crate::mm::MemoryMap;
use crate::signal::SignalTable;
use crate::vfs::{GuestPath, Vfs};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use wasmtime::{AsContext, InstancePre, Table};

/// State shared by every thread of one guest process.
pub struct Process {
    /// Command line as the guest sees it (argv[0] included).
    pub argv: Vec<Vec<u8>>,
    /// Initial environment, `KEY=VALUE` each.
    pub env: Vec<Vec<u8>>,
    /// Guest path of the file holding the initial environment.
    pub envfile: Vec<u8>,
    pub vfs: Vfs,
    pub fds: Mutex<FdTable>,
    pub fs: Mutex<FsContext>,
    pub mm: Mutex<MemoryMap>,
    pub signals: Mutex<SignalTable>,
    /// Live child processes (forked guests), which the guest may signal.
    pub children: Mutex<std::collections::HashSet<i32>>,
    /// The guest processes this one was forked from, nearest last: a child
    /// may signal its parent, as on Linux, and they are in the sandbox.
    pub ancestors: Mutex<Vec<i32>>,
    /// The parent's children when this process was forked: their process
    /// groups are the sandbox's (setpgid may join them).
    pub siblings: Mutex<Vec<i32>>,
    /// The guest made its own process group (setsid/setpgid), so signalling
    /// that group cannot reach host processes.
    pub own_group: std::sync::atomic::AtomicBool,
    /// Per-syscall call counts, when `--syscall-stats` asked for them.
    pub stats: Option<Vec<AtomicU64>>,
    /// Resource limits the host keeps for the guest (see `sys::info`).
    pub limits: Mutex<[Option<(u64, u64)>; 16]>,
    /// The module, linked and ready to instantiate for a new thread.
    pub image: OnceLock<InstancePre<Thread>>,
    /// Live guest threads.
    pub threads: AtomicUsize,
    /// The options the guest was started with (execve reuses them): trace
    /// flags, the policy and what derives from it (denied classes, network
    /// rules), where `--syscall-stats` writes.
    pub options: crate::options::RunOptions,
    /// This is the process `wali` started (a fork child is not; an execve'd
    /// image keeps what the previous one was): it alone reports the
    /// wall-time limit.
    pub root: std::sync::atomic::AtomicBool,
    /// Whether the host runs under Landlock, and the guest's view of
    /// no_new_privs meanwhile.
    pub landlock: crate::policy::landlock::LandlockState,
}

pub struct FsContext {
    /// Canonical guest path of the working directory.
    pub cwd: GuestPath,
    /// The working directory itself (mount, O_PATH descriptor), or None when
    /// it is a virtual directory. Relative lookups start here, so they keep
    /// working when the directory is renamed or removed, as on Linux.
    pub cwd_dir: Option<(usize, Arc<std::os::fd::OwnedFd>)>,
    /// The guest's file-creation mask.
    pub umask: u32,
}

impl Process {
    /// `pid` is another process of this sandbox: a child or an ancestor.
    pub fn in_sandbox(&self, pid: i32) -> bool {
        self.children.lock().unwrap().contains(&pid)
            || self.ancestors.lock().unwrap().contains(&pid)
    }

    /// Appends the per-syscall counts to the `--syscall-stats` file.
    pub fn write_stats(&self) -> std::io::Result<()> {
        use std::io::Write;
        let (Some(stats), Some(path)) = (&self.stats, &self.options.syscall_stats) else {
            return Ok(());
        };
        let mut out = String::new();
        for s in syscall_table::SYSCALLS {
            let n = stats[s.number as usize].load(Ordering::Relaxed);
            if n > 0 {
                out.push_str(&format!("{}\t{}\n", s.name, n));
            }
        }
        // Append: a guest that forks or execs contributes from every process.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(out.as_bytes())
    }

    /// The rule that denies syscall class `class` to this process, if any
    /// (the capability gate every syscall passes, see `wali_syscalls::dispatch`).
    #[inline]
    pub fn denies(&self, class: syscall_table::Class) -> Option<&'static str> {
        if self.options.denied.contains(class) {
            Some("the policy's `deny` list (capability classes)")
        } else {
            None
        }
    }

    /// Whether denials are logged (`--trace-denials`, implied by `--trace`).
    #[inline]
    pub fn tracing_denials(&self) -> bool {
        self.options.trace || self.options.trace_denials
    }

    /// Reports a denial: `what` was refused by `rule`. Logged on stderr under
    /// `--trace-denials` (or `--trace`), target `wali::policy`.
    pub fn denied(&self, what: std::fmt::Arguments<'_>, rule: &str) {
        if self.tracing_denials() {
            tracing::warn!(target: "wali::policy", "{what}: denied (rule: {rule})");
        }
    }

    /// The guest's soft limit for `resource`, if it has a finite one.
    pub fn soft_limit(&self, resource: u32) -> Option<u64> {
        self.limits.lock().unwrap()[resource as usize]
            .map(|(cur, _)| cur)
            .filter(|&cur| cur != libc::RLIM_INFINITY)
    }

    /// What the next image keeps of this one's run state (see `exec`).
    pub fn runtime_for_execve(&self) -> crate::options::Runtime {
        crate::options::Runtime {
            root: self.root.load(Ordering::SeqCst),
            cpu_offset_ns: crate::policy::limits::cpu_offset(),
            landlocked: self.landlock.enforced(),
            guest_nnp: self.landlock.guest_no_new_privs(),
            ..self.options.runtime.clone()
        }
    }

    pub fn count_syscall(&self, nr: u32) {
        if let Some(stats) = &self.stats {
            if let Some(c) = stats.get(nr as usize) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// The data of one wasmtime store: one guest thread.
pub struct Thread {
    pub proc: Arc<Process>,
    pub tid: i32,
    pub memory: Option<GuestMemory>,
    /// The module's function table, where signal handlers live.
    pub table: Option<Table>,
    /// Blocked signals (bit n-1 for signal n).
    pub sigmask: u64,
    /// Signal state shared with other threads and the host handler.
    pub signals: Arc<crate::signal::ThreadSignals>,
    /// `set_tid_address`: cleared and woken when the thread exits.
    pub clear_child_tid: u32,
    pub robust_list: (u32, u32),
    /// `sigaltstack`: sp, flags, size.
    pub altstack: (u32, i32, u32),
    /// Running a signal handler (for nested-delivery bookkeeping).
    pub in_handler: u32,
    /// Handlers are running from the epoch-deadline callback, which wasmtime
    /// has taken out of the store meanwhile (see `signal::on_epoch`).
    pub in_epoch_callback: bool,
    /// Guest address of this thread's siginfo_t for SA_SIGINFO handlers.
    pub siginfo: Option<u32>,
    /// Caps every memory and table of this thread's instance.
    pub limiter: crate::policy::limiter::GuestLimiter,
    /// The host setjmp/longjmp imports' handles and records.
    pub sjlj: crate::sjlj::SjljState,
}

impl Thread {
    pub fn new(proc: Arc<Process>, tid: i32) -> Thread {
        Thread {
            tid,
            memory: None,
            table: None,
            sigmask: 0,
            signals: crate::signal::ThreadSignals::new(tid),
            clear_child_tid: 0,
            robust_list: (0, 0),
            altstack: (0, libc::SS_DISABLE, 0),
            in_handler: 0,
            in_epoch_callback: false,
            limiter: crate::policy::limiter::GuestLimiter {
                memory: proc.options.policy.limits.memory,
                instantiated: false,
            },
            proc,
            siginfo: None,
            sjlj: Default::default(),
        }
    }
}

/// Guest memory of the calling thread.
#[inline]
pub fn mem(caller: &wasmtime::Caller<'_, Thread>) -> Mem {
    match &caller.data().memory {
        Some(m) => m.view(caller.as_context()),
        // Before instantiation finished there is no memory: every pointer faults.
        None => Mem::empty(),
    }
}
