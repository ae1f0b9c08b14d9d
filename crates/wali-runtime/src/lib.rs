//! wali's runtime: runs a WALI module as a library (the `wali` command and
//! embedders use it). Reads and rewrites the module, compiles it (with the
//! module cache), checks its imports against the syscalls, sets up the
//! process from [`RunOptions`] and runs the main thread.

pub mod engine;
mod imports;
pub mod interp;
pub mod loader;
pub mod rewrite;

pub use loader::{run, LoadError};
pub use wali_core::{Inherited, Outcome, RunOptions};
