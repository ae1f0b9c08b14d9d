//! Resource limits of the policy (`[limits]`, `process.max_processes`):
//!
//! - memory: the guest's linear memory is created with its maximum capped
//!   (`cap_memory`), so `memory.grow` fails and mmap answers ENOMEM beyond;
//! - threads: `__wasm_thread_spawn` fails (pthread_create: EAGAIN) beyond;
//! - open files: the descriptor table's limit (RLIMIT_NOFILE, EMFILE);
//! - processes: a table of live pids in a shared memfd for the whole sandbox
//!   (every fork and execve keeps it), fork answers EAGAIN when it holds the
//!   limit (or the guest's own RLIMIT_NPROC); a process frees its entry when
//!   it ends, and a parent reaping a child frees the child's (a process
//!   killed by a signal cannot free its own);
//! - CPU: the guest's RLIMIT_CPU, which the policy sets (hard = soft + 1) and
//!   the guest may lower: a watcher thread reads the process's CPU clock and
//!   sends SIGXCPU at the soft limit and every second after, SIGKILL at the
//!   hard one, as Linux (the host never sets its own RLIMIT_CPU);
//! - wall time: a watchdog thread in every process of the sandbox; the first
//!   process prints `wali: wall-time limit of Ns exceeded` and exits 124, the
//!   others die by SIGKILL.

use crate::options::Runtime;
use crate::process::Process;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, AtomicU64, AtomicUsize, Ordering};

/// The sandbox's process table: `SLOTS_LEN` entries, each 0 (free), -1
/// (taken by a fork in progress) or the pid of a live process.
static SLOTS: AtomicPtr<AtomicI32> = AtomicPtr::new(std::ptr::null_mut());
static SLOTS_LEN: AtomicUsize = AtomicUsize::new(0);
/// Entries of the table when no `max_processes` sizes it.
const DEFAULT_SLOTS: usize = 32768;

pub(crate) fn monotonic_ns() -> u64 {
    // CLOCK_MONOTONIC always exists, and reads as zero if it ever did not.
    let ts = crate::host::clock_gettime(libc::CLOCK_MONOTONIC).unwrap_or(crate::host::zeroed());
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn map_counter(fd: i32) -> anyhow::Result<()> {
    let st = crate::host::fstat(fd).map_err(|e| {
        anyhow::anyhow!("process table: {}", std::io::Error::from_raw_os_error(e.0))
    })?;
    if st.st_size < 4 {
        anyhow::bail!("process table: {}", std::io::Error::last_os_error());
    }
    let bytes = usize::try_from(st.st_size)?;
    // SAFETY: a fresh shared mapping of the whole memfd, never unmapped.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            bytes,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED,
            fd,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        anyhow::bail!(
            "mmap of the process counter: {}",
            std::io::Error::last_os_error()
        );
    }
    SLOTS_LEN.store(bytes / 4, Ordering::SeqCst);
    SLOTS.store(p.cast(), Ordering::SeqCst);
    Ok(())
}

fn slots() -> &'static [AtomicI32] {
    let p = SLOTS.load(Ordering::SeqCst);
    if p.is_null() {
        return &[];
    }
    // SAFETY: a shared mapping of SLOTS_LEN entries that is never unmapped;
    // every process of the sandbox only touches it atomically.
    unsafe { std::slice::from_raw_parts(p, SLOTS_LEN.load(Ordering::SeqCst)) }
}

/// Frees the table entry of `pid`, if it has one.
fn free_slot(pid: i32) {
    if let Some(s) = slots().iter().find(|s| s.load(Ordering::SeqCst) == pid) {
        let _ = s.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// Sets up the limits of a starting process image (first start or execve)
/// and fills in `runtime` for later images.
pub fn start(opts: &mut crate::options::RunOptions) -> anyhow::Result<()> {
    let limits = opts.policy.limits.clone();
    let first = opts.inherit.is_none();
    if first {
        opts.runtime.root = true;
        if let Some(s) = limits.wall_seconds {
            opts.runtime.deadline_ns = Some(monotonic_ns() + s.saturating_mul(1_000_000_000));
        }
        // Always: the guest's RLIMIT_NPROC counts the sandbox's processes.
        let len = opts
            .policy
            .process
            .max_processes
            .map_or(DEFAULT_SLOTS, |m| (m as usize).max(1));
        // SAFETY: the name is NUL-terminated. The descriptor stays open for
        // the whole run on purpose (execve hands it on), so no owner that
        // would close it wraps it.
        let fd = unsafe { libc::memfd_create(c"wali-procs".as_ptr(), 0) };
        // SAFETY: ftruncate takes integers only and touches no memory.
        if fd < 0 || unsafe { libc::ftruncate(fd, (len * 4) as i64) } != 0 {
            anyhow::bail!("process table: {}", std::io::Error::last_os_error());
        }
        opts.runtime.counter_fd = Some(fd);
        map_counter(fd)?;
        slots()[0].store(crate::host::pid(), Ordering::SeqCst);
    } else if let Some(fd) = opts.runtime.counter_fd {
        // execve keeps the pid, and with it the entry.
        map_counter(fd)?;
    }
    Ok(())
}

/// Blocks every signal on the calling host thread: the limit threads must
/// never receive a signal meant for the guest (a thread spawned from a guest
/// thread inherits the guest's mask).
fn block_all_signals() {
    let mut all = crate::host::zeroed::<libc::sigset_t>();
    // SAFETY: `all` is a valid sigset_t; the calls only change this thread's mask.
    unsafe {
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, std::ptr::null_mut());
    }
}

static CPU_WATCHER: AtomicBool = AtomicBool::new(false);
/// Process CPU time that is wali's, not the guest's (see `guest_cpu_ns`).
static CPU_OFFSET: AtomicU64 = AtomicU64::new(0);

/// The part of the process's CPU time that was wali's own work.
pub(crate) fn cpu_offset() -> u64 {
    CPU_OFFSET.load(Ordering::SeqCst)
}

/// The guest is about to start: what the process used so far beyond the
/// earlier images' own offset (`entry_cpu_ns`: the CPU clock when this
/// image began loading) was wali compiling and loading the module, which
/// must not count against the guest's RLIMIT_CPU (a guest lowering it after
/// an uncached start would die at once).
pub fn guest_starts(runtime: &Runtime, entry_cpu_ns: u64) {
    let own = process_cpu_ns().saturating_sub(entry_cpu_ns);
    CPU_OFFSET.store(runtime.cpu_offset_ns + own, Ordering::SeqCst);
}

/// CPU time the guest used: the process's, less wali's own work.
fn guest_cpu_ns() -> u64 {
    process_cpu_ns().saturating_sub(CPU_OFFSET.load(Ordering::SeqCst))
}

pub fn process_cpu_ns() -> u64 {
    // The process CPU clock always exists; zero if it ever did not.
    let ts =
        crate::host::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID).unwrap_or(crate::host::zeroed());
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Starts the CPU watcher of this process if the guest's RLIMIT_CPU is
/// finite and none runs yet: SIGXCPU at the soft limit (Linux then raises
/// the soft limit by one second, so it comes again every second), SIGKILL
/// at the hard limit. The signals go to the process as the kernel's would,
/// so the guest's disposition and masks decide what SIGXCPU does.
pub fn start_cpu_watcher(proc: &std::sync::Arc<Process>) {
    let limited = |p: &Process| {
        p.limits.lock().unwrap()[libc::RLIMIT_CPU as usize]
            .is_some_and(|(c, m)| c != libc::RLIM_INFINITY || m != libc::RLIM_INFINITY)
    };
    if !limited(proc) || CPU_WATCHER.swap(true, Ordering::SeqCst) {
        return;
    }
    let weak = std::sync::Arc::downgrade(proc);
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let spawned = std::thread::Builder::new()
        .name("wali-cpu".into())
        .spawn(move || {
            block_all_signals();
            loop {
                let Some(proc) = weak.upgrade() else { return };
                let (soft, hard) = proc.limits.lock().unwrap()[libc::RLIMIT_CPU as usize]
                    .unwrap_or((libc::RLIM_INFINITY, libc::RLIM_INFINITY));
                drop(proc);
                let secs = |s: u64| s.max(1).saturating_mul(1_000_000_000);
                let used = guest_cpu_ns();
                if hard != libc::RLIM_INFINITY && used >= secs(hard) {
                    let _ = crate::host::kill(crate::host::pid(), libc::SIGKILL);
                    return;
                }
                if soft != libc::RLIM_INFINITY && used >= secs(soft) {
                    if soft < hard {
                        if let Some(proc) = weak.upgrade() {
                            let mut l = proc.limits.lock().unwrap();
                            if let Some(entry) = &mut l[libc::RLIMIT_CPU as usize] {
                                entry.0 = soft + 1;
                            }
                        }
                    }
                    let _ = crate::host::kill(crate::host::pid(), libc::SIGXCPU);
                    continue;
                }
                let next = [soft, hard]
                    .into_iter()
                    .filter(|&l| l != libc::RLIM_INFINITY)
                    .map(secs)
                    .min()
                    .unwrap_or(u64::MAX);
                // The process's CPU time grows at most `cpus` times as fast
                // as the wall clock: sleep until it could reach the limit.
                let wait = (next.saturating_sub(used) / cpus).clamp(5_000_000, 1_000_000_000);
                std::thread::sleep(std::time::Duration::from_nanos(wait));
            }
        });
    if spawned.is_err() {
        CPU_WATCHER.store(false, Ordering::SeqCst);
    }
}

/// Starts the wall-time watchdog of this process, if there is a limit.
pub fn start_watchdog(proc: &std::sync::Arc<Process>) {
    let Some(deadline) = proc.options.runtime.deadline_ns else {
        return;
    };
    let seconds = proc.options.policy.limits.wall_seconds.unwrap_or(0);
    // Read now: a fork child clears it before starting its own watchdog.
    let root = proc.root.load(Ordering::SeqCst);
    let weak = std::sync::Arc::downgrade(proc);
    let _ = std::thread::Builder::new()
        .name("wali-watchdog".into())
        .spawn(move || {
            block_all_signals();
            loop {
                let now = monotonic_ns();
                if now >= deadline {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_nanos(
                    (deadline - now).min(1 << 30),
                ));
            }
            if let Some(proc) = weak.upgrade() {
                for pid in proc.children.lock().map(|c| c.clone()).unwrap_or_default() {
                    let _ = crate::host::kill(pid, libc::SIGKILL);
                }
                let _ = proc.write_stats();
            }
            process_ending();
            if root {
                use std::io::Write;
                let _ = std::io::stdout().flush();
                crate::host_eprintln!("wali: wall-time limit of {seconds}s exceeded");
                crate::host::exit_immediately(124);
            }
            let _ = crate::host::kill(crate::host::pid(), libc::SIGKILL);
            crate::host::exit_immediately(137)
        });
}

/// A table entry taken for a fork in progress (see `fork_done`).
#[derive(Clone, Copy, Debug)]
pub struct ForkSlot(Option<usize>);

/// May this process fork? Takes a process slot (EAGAIN when `Err`, with
/// the rule that refused).
pub fn fork_slot(proc: &Process) -> Result<ForkSlot, &'static str> {
    if proc.options.policy.process.fork == Some(false) {
        return Err("process.fork = false");
    }
    let policy = proc.options.policy.process.max_processes;
    let nproc = proc
        .soft_limit(libc::RLIMIT_NPROC)
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let (max, rule) = match (policy, nproc) {
        (Some(p), Some(n)) if n < p => (n, "the guest's RLIMIT_NPROC"),
        (Some(p), _) => (p, "process.max_processes"),
        (None, Some(n)) => (n, "the guest's RLIMIT_NPROC"),
        (None, None) => return Ok(ForkSlot(None)),
    };
    let table = slots();
    let live = table
        .iter()
        .filter(|s| s.load(Ordering::SeqCst) != 0)
        .count();
    if live >= max as usize {
        return Err(rule);
    }
    let free = table.iter().position(|s| {
        s.compare_exchange(0, -1, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    });
    match free {
        Some(i) => Ok(ForkSlot(Some(i))),
        None if table.is_empty() => Ok(ForkSlot(None)),
        None => Err(rule),
    }
}

/// The fork that took `slot` ended: the entry becomes the child's pid (in
/// both processes, whichever comes first), or free again if it failed.
pub fn fork_done(slot: ForkSlot, child: i32) {
    if let Some(s) = slot.0.and_then(|i| slots().get(i)) {
        s.store(child.max(0), Ordering::SeqCst);
    }
}

/// The guest reaped child `pid`: its entry is free, however it ended.
pub fn child_reaped(pid: i32) {
    free_slot(pid);
}

/// In a new child: it is not the first process, it holds a slot, and it
/// keeps the wall-time limit with a watchdog of its own.
pub fn after_fork_child(proc: &std::sync::Arc<Process>, slot: ForkSlot) {
    proc.root.store(false, Ordering::SeqCst);
    fork_done(slot, crate::host::pid());
    start_watchdog(proc);
    // The watcher thread is not copied by fork; the child's CPU clock
    // starts at zero, as on Linux.
    CPU_WATCHER.store(false, Ordering::SeqCst);
    CPU_OFFSET.store(0, Ordering::SeqCst);
    start_cpu_watcher(proc);
}

/// The process ends: give its slot back (one killed by a signal cannot:
/// its parent frees it when reaping it).
pub fn process_ending() {
    free_slot(crate::host::pid());
}

/// May this process start another thread? (`limits.threads`)
pub fn thread_slot(proc: &Process) -> bool {
    match proc.options.policy.limits.threads {
        Some(max) => {
            let ok = proc.threads.load(Ordering::SeqCst) < max as usize;
            if !ok {
                proc.denied(
                    format_args!("thread spawn ({max} live threads)"),
                    "limits.threads",
                );
            }
            ok
        }
        None => true,
    }
}
