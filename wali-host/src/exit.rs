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

pub fn exit_with(status: i32) -> wasmtime::Error {
    wasmtime::Error::new(GuestExit::Status(status))
}

pub fn killed_by(signal: i32) -> wasmtime::Error {
    wasmtime::Error::new(GuestExit::Signal(signal))
}

/// The signal a native process would have died of for this Wasm trap.
pub fn signal_for_trap(trap: &Trap) -> i32 {
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
    unsafe {
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(signal, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, signal);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(signal);
        // A signal whose default is to ignore (or stop) got us here.
        libc::_exit(128 + signal);
    }
}
