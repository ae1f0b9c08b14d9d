//! wali: runs WALI (WebAssembly Linux Interface) modules on wasmtime, each
//! syscall implemented by the host with Linux semantics and gated by policy.

pub mod aux;
pub mod dispatch;
pub mod engine;
pub mod errno;
pub mod exec;
pub mod exit;
pub mod fdtable;
pub mod host;
pub mod imports;
pub mod interp;
pub mod loader;
pub mod memory;
pub mod policy;
pub mod process;
pub mod rewrite;
pub mod shm;
pub mod sys;
pub mod trace;
pub mod vfs;

pub use loader::{run, LoadError, Outcome, RunOptions};
