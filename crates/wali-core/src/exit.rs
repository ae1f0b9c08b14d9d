//! How a guest ends: an exit status, or death by a signal that the host then
//! reproduces on itself so a parent sees exactly what it would natively.

use std::io::Write;
use wasmtime::Trap;

/// Unwinds the guest's stack out of a host call. Carried as a wasmtime error.
#[derive(Debug, thiserror::Error)]
pub enum GuestExit {
    #[error("guest exited with status {0}")]
    Status(i32),
    #[error("guest killed by signal {0}")]
    Signal(i32),
    /// One thread ended (SYS_exit); the others go on.
    #[error("guest thread exited with status {0}")]
    Thread(i32),
}

/// Writes one of wali's own messages to stderr, ignoring failures: stderr
/// may be closed, a full disk or a broken pipe, and none of that may turn a
/// guest's death into a host panic (`eprintln!` panics when the write fails).
pub fn host_message(args: std::fmt::Arguments<'_>) {
    let mut line = args.to_string();
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `eprintln!` for wali's own messages, never panicking (see `host_message`).
#[macro_export]
macro_rules! host_eprintln {
    ($($arg:tt)*) => { $crate::exit::host_message(format_args!($($arg)*)) };
}

pub fn exit_with(status: i32) -> wasmtime::Error {
    wasmtime::Error::new(GuestExit::Status(status))
}

pub fn killed_by(signal: i32) -> wasmtime::Error {
    wasmtime::Error::new(GuestExit::Signal(signal))
}

/// The signal a native process would have died of for this Wasm trap.
/// The name of a signal, for messages (`SIGSEGV`, `signal 40`).
pub fn signal_name(signal: i32) -> String {
    // Our own table: strsignal is not thread-safe and its texts vary.
    const NAMES: [&str; 32] = [
        "",
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    match NAMES.get(signal as usize) {
        Some(n) if signal > 0 => n.to_string(),
        _ => format!("signal {signal}"),
    }
}

pub(crate) fn signal_for_trap(trap: &Trap) -> i32 {
    match trap {
        Trap::IntegerDivisionByZero | Trap::IntegerOverflow | Trap::BadConversionToInteger => {
            libc::SIGFPE
        }
        Trap::UnreachableCodeReached => libc::SIGILL,
        _ => libc::SIGSEGV,
    }
}

/// Ends the host process by `signal` with its default action, so that the
/// parent's wait status says WIFSIGNALED with this signal. No core file is
/// written: it would be the host's, not the guest's.
pub fn die_by_signal(signal: i32) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    let mut set = crate::host::zeroed::<libc::sigset_t>();
    // SAFETY: the calls read or fill only the locals above, which outlive
    // them; SIG_DFL installs no code of ours as a handler; and raise/_exit end
    // the process, so no Rust state is observed after them.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(signal, libc::SIG_DFL);
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, signal);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(signal);
        // A signal whose default is to ignore (or stop) got us here.
        libc::_exit(128 + signal);
    }
}

/// How the guest ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Exited(i32),
    Signaled(i32),
}

/// Turns the error that ended a guest call into how the guest ended.
pub fn outcome_of(e: wasmtime::Error) -> anyhow::Result<Outcome> {
    if let Some(exit) = e.downcast_ref::<GuestExit>() {
        return Ok(match exit {
            GuestExit::Status(s) => Outcome::Exited(*s & 0xff),
            GuestExit::Signal(sig) => Outcome::Signaled(*sig),
            GuestExit::Thread(s) => Outcome::Exited(*s & 0xff),
        });
    }
    if let Some(trap) = e.downcast_ref::<Trap>() {
        let sig = signal_for_trap(trap);
        crate::host_eprintln!("wali: guest trapped: {e:#}");
        return Ok(Outcome::Signaled(sig));
    }
    Err(anyhow::Error::from(e).context("guest failed"))
}
