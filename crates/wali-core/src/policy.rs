//! The capability gate every syscall passes, in one place (see dispatch).
//! Finer rules (paths, mounts, endpoints, pids) are enforced where the
//! object is resolved; every denial is reported through [`denied`].
//!
//! - `config`: policy files (TOML), merging, `wali policy show`;
//! - `net`: `--allow-net` / `net.allow` endpoint rules;
//! - `limits`: resource limits (memory, threads, processes, CPU, wall time);
//! - `landlock`: the host restricting itself to what the policy grants;
//! - `tls`: the CA bundle the guest trusts (`tls.ca_bundle`).

pub mod config;
pub mod landlock;
pub mod limits;
pub mod net;
pub mod tls;

use crate::process::Process;
use syscall_table::Class;

pub use config::Policy;

/// Classes of syscalls the process may not use at all.
#[derive(Clone, Copy, Default, Debug)]
pub struct ClassMask(u32);

impl ClassMask {
    pub fn bit(class: Class) -> u32 {
        1 << (class as u32)
    }
    pub fn deny(&mut self, class: Class) {
        self.0 |= Self::bit(class);
    }
    pub fn bits(self) -> u32 {
        self.0
    }
    #[inline]
    pub fn contains(self, class: Class) -> bool {
        self.0 & Self::bit(class) != 0
    }
}

/// The rule that denies `class` to `proc`, if any.
#[inline]
pub fn denies(proc: &Process, class: Class) -> Option<&'static str> {
    if proc.options.denied.contains(class) {
        Some("the policy's `deny` list (capability classes)")
    } else {
        None
    }
}

/// Whether denials are logged (`--trace-denials`, implied by `--trace`).
#[inline]
pub fn tracing_denials(proc: &Process) -> bool {
    proc.options.trace || proc.options.trace_denials
}

/// Reports a denial: `what` was refused by `rule`. Logged on stderr under
/// `--trace-denials` (or `--trace`), target `wali::policy`.
pub fn denied(proc: &Process, what: std::fmt::Arguments<'_>, rule: &str) {
    if tracing_denials(proc) {
        tracing::warn!(target: "wali::policy", "{what}: denied (rule: {rule})");
    }
}
