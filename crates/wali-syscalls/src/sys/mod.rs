//! Syscall handlers, one module per family. Each handler is named after its
//! syscall and bound by `dispatch` from the syscall table.

pub mod fd;
pub mod fs;
pub mod info;
pub mod mem;
pub mod net;
pub mod poll;
pub mod proc;
pub mod rlimit;
pub mod signal;
pub mod thread;
pub mod time;

/// The calling thread's caller, as every handler receives it.
pub type Cx<'a> = wasmtime::Caller<'a, wali_core::process::Thread>;
