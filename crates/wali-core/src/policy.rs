//! The policy: what a guest may do. The capability gate every syscall
//! passes is in one place (`wali_syscalls::dispatch`, through
//! `Process::denies`); finer rules (paths, mounts, endpoints, pids) are
//! enforced where the object is resolved; every denial is reported through
//! `Process::denied`.
//!
//! - `config`: policy files (TOML), merging, `wali policy show`;
//! - `net`: `--allow-net` / `net.allow` endpoint rules;
//! - `limits`: resource limits (memory, threads, processes, CPU, wall time),
//!   `limiter`: the part each guest store enforces (memory and table sizes);
//! - `landlock`: the host restricting itself to what the policy grants;
//! - `tls`: the CA bundle the guest trusts (`tls.ca_bundle`).

pub mod config;
pub mod landlock;
pub mod limiter;
pub mod limits;
pub mod net;
pub mod tls;

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
