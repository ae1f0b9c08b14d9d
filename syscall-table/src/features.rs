//! Host features a conformance test can declare with `needs=` (see
//! linux-tests/README.md). A feature is available when the table says the host
//! implements every syscall it lists (supported or partial) and has every
//! auxiliary import it lists, so a test needing it runs, and counts for
//! coverage, as soon as the table marks the feature implemented.

use crate::{by_import_name, Status, AUX_IMPORTS};

/// One feature and what it takes.
#[derive(Clone, Copy, Debug)]
pub struct Feature {
    pub name: &'static str,
    pub syscalls: &'static [&'static str],
    pub aux_imports: &'static [&'static str],
}

/// Every feature a test may need.
pub static FEATURES: &[Feature] = &[
    Feature {
        name: "signals",
        syscalls: &["rt_sigaction", "kill"],
        aux_imports: &[],
    },
    Feature {
        // Threads start through __wasm_thread_spawn, not clone.
        name: "threads",
        syscalls: &["futex", "set_tid_address", "exit"],
        aux_imports: &["__wasm_thread_spawn"],
    },
    Feature {
        name: "fork",
        syscalls: &["fork", "wait4"],
        aux_imports: &[],
    },
    Feature {
        name: "exec",
        syscalls: &["execve"],
        aux_imports: &[],
    },
    Feature {
        name: "net",
        syscalls: &["socket", "bind", "connect"],
        aux_imports: &[],
    },
    Feature {
        name: "poll",
        syscalls: &["poll", "epoll_create1"],
        aux_imports: &[],
    },
];

impl Feature {
    /// Whether the host implements everything the feature lists.
    pub fn available(&self) -> bool {
        let implemented = |name: &str| {
            by_import_name(&format!("SYS_{name}"))
                .is_some_and(|s| s.name == name && s.status != Status::Unsupported)
        };
        self.syscalls.iter().all(|s| implemented(s))
            && self
                .aux_imports
                .iter()
                .all(|a| AUX_IMPORTS.iter().any(|(n, _, _)| n == a))
    }
}
