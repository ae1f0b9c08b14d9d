//! wali's core: the state a WALI guest runs on, below the syscalls.
//!
//! - `errno`, `exit`: results of a syscall, how a guest ends;
//! - `memory`, `mm`, `alloc`: guest memory access, the host's map of it,
//!   allocating pages in it;
//! - `fdtable`, `vfs`, `etc`: descriptors, the mounts and paths, the default `/etc`;
//! - `options`: what a guest runs with (and keeps across execve), `exec` the hand-over;
//! - `policy`: the policy's data, resource limits and Landlock;
//! - `process`, `signal`: per-process and per-thread state, signal state;
//! - `shm`: the run's private `/dev/shm`;
//! - `narrow`: the integer narrowings that cannot lose a value, with the reason;
//! - `sjlj`: per-thread state of the host setjmp/longjmp imports.
//!
//! Nothing here calls a syscall handler or the loader: those crates
//! (`wali-syscalls`, `wali-runtime`) are built on this one.

pub mod alloc;
pub mod errno;
pub mod etc;
pub mod exec;
pub mod exit;
pub mod fdtable;
pub mod host;
pub mod memory;
pub mod mm;
pub mod narrow;
pub mod options;
pub mod policy;
pub mod process;
pub mod shm;
pub mod signal;
pub mod sjlj;
pub mod userland;
pub mod vfs;

pub use exit::Outcome;
pub use options::{Inherited, RunOptions};
