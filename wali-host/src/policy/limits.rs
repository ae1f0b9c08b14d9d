//! Resource limits of the policy (`[limits]`, `process.max_processes`):
//!
//! - memory: the guest's linear memory is created with its maximum capped
//!   (`cap_memory`), so `memory.grow` fails and mmap answers ENOMEM beyond;
//! - threads: `__wasm_thread_spawn` fails (pthread_create: EAGAIN) beyond;
//! - open files: the descriptor table's limit (RLIMIT_NOFILE, EMFILE);
//! - processes: one counter in a shared memfd for the whole sandbox (every
//!   fork and execve keeps it), fork answers EAGAIN at the limit;
//! - CPU: the host's RLIMIT_CPU (SIGXCPU at the limit, SIGKILL a second later);
//! - wall time: a watchdog thread in every process of the sandbox; the first
//!   process prints `wali: wall-time limit of Ns exceeded` and exits 124, the
//!   others die by SIGKILL.

use crate::process::Process;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};

/// State that outlives one process image (handed over on execve).
#[derive(Clone, Debug, Default, PartialEq)]
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
}

static ROOT: AtomicBool = AtomicBool::new(true);
static COUNTER: AtomicPtr<AtomicU32> = AtomicPtr::new(std::ptr::null_mut());
static HOLDS_SLOT: AtomicBool = AtomicBool::new(false);

pub fn monotonic_ns() -> u64 {
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn map_counter(fd: i32) -> anyhow::Result<()> {
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            4096,
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
    COUNTER.store(p.cast(), Ordering::SeqCst);
    Ok(())
}

fn counter() -> Option<&'static AtomicU32> {
    let p = COUNTER.load(Ordering::SeqCst);
    // SAFETY: a shared mapping of 4096 bytes that is never unmapped.
    (!p.is_null()).then(|| unsafe { &*p })
}

/// Sets up the limits of a starting process image (first start or execve)
/// and fills in `runtime` for later images.
pub fn start(opts: &mut crate::loader::RunOptions) -> anyhow::Result<()> {
    let limits = opts.policy.limits.clone();
    let first = opts.inherit.is_none();
    if first {
        opts.runtime.root = true;
        if let Some(s) = limits.wall_seconds {
            opts.runtime.deadline_ns = Some(monotonic_ns() + s.saturating_mul(1_000_000_000));
        }
        if let Some(cpu) = limits.cpu_seconds {
            let r = libc::rlimit {
                rlim_cur: cpu,
                rlim_max: cpu + 1,
            };
            if unsafe { libc::setrlimit(libc::RLIMIT_CPU, &r) } != 0 {
                anyhow::bail!(
                    "cannot set the CPU-time limit: {}",
                    std::io::Error::last_os_error()
                );
            }
        }
        if opts.policy.process.max_processes.is_some() {
            let fd = unsafe { libc::memfd_create(c"wali-procs".as_ptr(), 0) };
            if fd < 0 || unsafe { libc::ftruncate(fd, 4096) } != 0 {
                anyhow::bail!("process counter: {}", std::io::Error::last_os_error());
            }
            opts.runtime.counter_fd = Some(fd);
            map_counter(fd)?;
            counter().unwrap().store(1, Ordering::SeqCst);
            HOLDS_SLOT.store(true, Ordering::SeqCst);
        }
    } else if let Some(fd) = opts.runtime.counter_fd {
        map_counter(fd)?;
        HOLDS_SLOT.store(true, Ordering::SeqCst);
    }
    ROOT.store(opts.runtime.root, Ordering::SeqCst);
    Ok(())
}

/// Starts the wall-time watchdog of this process, if there is a limit.
pub fn start_watchdog(proc: &std::sync::Arc<Process>) {
    let Some(deadline) = proc.options.runtime.deadline_ns else {
        return;
    };
    let seconds = proc.options.policy.limits.wall_seconds.unwrap_or(0);
    let weak = std::sync::Arc::downgrade(proc);
    let _ = std::thread::Builder::new()
        .name("wali-watchdog".into())
        .spawn(move || {
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
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
                let _ = proc.write_stats();
            }
            process_ending();
            if ROOT.load(Ordering::SeqCst) {
                use std::io::Write;
                let _ = std::io::stdout().flush();
                crate::host_eprintln!("wali: wall-time limit of {seconds}s exceeded");
                unsafe { libc::_exit(124) };
            }
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
                libc::_exit(137)
            }
        });
}

/// May this process fork? Takes a process slot (EAGAIN when `false`).
pub fn fork_slot(proc: &Process) -> Result<(), &'static str> {
    if proc.options.policy.process.fork == Some(false) {
        return Err("process.fork = false");
    }
    let Some(max) = proc.options.policy.process.max_processes else {
        return Ok(());
    };
    let Some(c) = counter() else {
        return Ok(());
    };
    c.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
        (n < max).then_some(n + 1)
    })
    .map(|_| ())
    .map_err(|_| "process.max_processes")
}

/// The fork that took a slot failed: give it back.
pub fn fork_failed() {
    if let Some(c) = counter() {
        c.fetch_sub(1, Ordering::SeqCst);
    }
}

/// In a new child: it is not the first process, it holds a slot, and it
/// keeps the wall-time limit with a watchdog of its own.
pub fn after_fork_child(proc: &std::sync::Arc<Process>) {
    ROOT.store(false, Ordering::SeqCst);
    HOLDS_SLOT.store(counter().is_some(), Ordering::SeqCst);
    start_watchdog(proc);
}

/// Whether this is the process `wali` started.
pub fn is_root() -> bool {
    ROOT.load(Ordering::SeqCst)
}

/// The process ends: give its slot back (a process killed by SIGKILL keeps
/// its slot until the sandbox ends).
pub fn process_ending() {
    if HOLDS_SLOT.swap(false, Ordering::SeqCst) {
        if let Some(c) = counter() {
            c.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// May this process start another thread? (`limits.threads`)
pub fn thread_slot(proc: &Process) -> bool {
    match proc.options.policy.limits.threads {
        Some(max) => {
            let ok = proc.threads.load(Ordering::SeqCst) < max as usize;
            if !ok {
                crate::policy::denied(
                    proc,
                    format_args!("thread spawn ({max} live threads)"),
                    "limits.threads",
                );
            }
            ok
        }
        None => true,
    }
}

/// The linear memory type with its maximum capped to `limits.memory`.
pub fn cap_memory(
    ty: wasmtime::MemoryType,
    limit: Option<u64>,
) -> anyhow::Result<wasmtime::MemoryType> {
    let Some(limit) = limit else {
        return Ok(ty);
    };
    let page = 1u64 << ty.page_size_log2();
    let pages = limit / page;
    if ty.minimum() > pages {
        anyhow::bail!(
            "the module needs {} bytes of memory at start, more than limits.memory ({limit})",
            ty.minimum() * page
        );
    }
    let max = ty.maximum().map_or(pages, |m| m.min(pages));
    if ty.is_shared() {
        Ok(wasmtime::MemoryType::shared(
            ty.minimum() as u32,
            max as u32,
        ))
    } else {
        Ok(wasmtime::MemoryType::new(
            ty.minimum() as u32,
            Some(max as u32),
        ))
    }
}
