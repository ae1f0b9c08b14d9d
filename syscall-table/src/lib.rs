//! The one source of truth for the syscalls wali knows.
//!
//! Every entry gives the import name (`SYS_<name>` in module `wali`), the x86_64
//! syscall number, the Wasm parameter types (and which arguments C passes as
//! 64-bit values), the capability class that gates it, its support status,
//! whether a signal handler's SA_RESTART restarts it, and a note. The host binds
//! its imports and restarts interrupted calls from [`with_syscalls!`];
//! `docs/syscalls.md`, musl's import header, the import checker's signatures
//! and the conformance runner's view of the table (`syscall-table json`) are
//! generated from [`SYSCALLS`].

mod features;
mod json;
mod musl;
mod table;
mod wali_abi;

pub use features::{Feature, FEATURES};
pub use json::render_json;
pub use musl::render_musl_imports;
pub use wali_abi::WALI_ABI;

/// Wasm value type of a syscall parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WasmType {
    I32,
    I64,
}

/// The capability class a syscall needs. The host's policy engine grants or
/// denies whole classes; finer rules (paths, addresses) live in the handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// Operations on descriptors the guest already holds.
    Fd,
    /// Looking up, reading and opening paths.
    FsRead,
    /// Creating, changing and removing paths.
    FsWrite,
    /// Linear-memory management.
    Mem,
    /// Clocks and sleeping.
    Time,
    /// Process information and identity.
    Info,
    /// Creating and managing processes.
    Proc,
    /// Signals.
    Signal,
    /// Threads and futexes.
    Thread,
    /// Sockets.
    Net,
    /// Readiness and event loops.
    Poll,
}

impl Class {
    pub const ALL: [Class; 11] = [
        Class::Fd,
        Class::FsRead,
        Class::FsWrite,
        Class::Mem,
        Class::Time,
        Class::Info,
        Class::Proc,
        Class::Signal,
        Class::Thread,
        Class::Net,
        Class::Poll,
    ];

    /// The name used in docs and policy files.
    pub fn name(self) -> &'static str {
        match self {
            Class::Fd => "fd",
            Class::FsRead => "fs-read",
            Class::FsWrite => "fs-write",
            Class::Mem => "mem",
            Class::Time => "time",
            Class::Info => "info",
            Class::Proc => "proc",
            Class::Signal => "signal",
            Class::Thread => "thread",
            Class::Net => "net",
            Class::Poll => "poll",
        }
    }
}

/// How completely wali implements a syscall (gVisor's vocabulary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Linux semantics, every flag the kernel accepts.
    Supported,
    /// Works for the common cases; the note says what is missing.
    Partial,
    /// Answers -ENOSYS (or the errno the note gives).
    Unsupported,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Supported => "supported",
            Status::Partial => "partial",
            Status::Unsupported => "unsupported",
        }
    }
}

/// What an interrupted call does after a signal handler returns (signal(7)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// Restarted when every handler that ran asked for SA_RESTART, and
    /// transparently when no guest handler ran; else it fails with EINTR.
    SaRestart,
    /// Fails with EINTR whenever interrupted, SA_RESTART or not (sleeps,
    /// waits for signals, poll/select/epoll waits).
    NeverRestart,
}

impl Restart {
    pub fn name(self) -> &'static str {
        match self {
            Restart::SaRestart => "sa-restart",
            Restart::NeverRestart => "never",
        }
    }
}

/// The C types the table may name for an argument a C caller passes as a
/// 64-bit value (see [`Syscall::c64`]).
pub const C64_TYPES: &[&str] = &["off_t", "dev_t"];

/// One syscall as the guest sees it.
#[derive(Clone, Copy, Debug)]
pub struct Syscall {
    pub name: &'static str,
    pub number: u32,
    pub params: &'static [(&'static str, WasmType)],
    /// Per parameter: its C type when a C caller passes it as a 64-bit value
    /// (one of [`C64_TYPES`]), else `None` (ints, pointers and longs, 4 bytes
    /// in a wasm32 varargs list even where the Wasm type is i64).
    pub c64: &'static [Option<&'static str>],
    pub class: Class,
    pub status: Status,
    pub restart: Restart,
    /// The host module implementing it.
    pub module: &'static str,
    /// Further import names bound to the same handler.
    pub aliases: &'static [&'static str],
    pub note: &'static str,
}

impl Syscall {
    /// The import name of the primary entry, `SYS_<name>`.
    pub fn import_name(&self) -> String {
        format!("SYS_{}", self.name)
    }

    /// Every import name this entry answers to.
    pub fn import_names(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(self.name)
            .chain(self.aliases.iter().copied())
            .map(|n| format!("SYS_{n}"))
    }

    /// The Wasm signature, e.g. `(i32, i64) -> i64`.
    pub fn signature(&self) -> String {
        let params: Vec<&str> = self
            .params
            .iter()
            .map(|(_, t)| match t {
                WasmType::I32 => "i32",
                WasmType::I64 => "i64",
            })
            .collect();
        format!("({}) -> i64", params.join(", "))
    }

    /// Bit k set: argument k is 64-bit in C (musl's `syscall()` reads it as
    /// 8 bytes from its variadic list).
    pub fn c64_mask(&self) -> u32 {
        self.c64
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some())
            .map(|(k, _)| 1 << k)
            .sum()
    }
}

impl WasmType {
    pub fn name(self) -> &'static str {
        match self {
            WasmType::I32 => "i32",
            WasmType::I64 => "i64",
        }
    }
}

#[doc(hidden)]
#[macro_export]
macro_rules! __wasm_type {
    (i32) => {
        $crate::WasmType::I32
    };
    (i64) => {
        $crate::WasmType::I64
    };
}

/// `Some("off_t")` for a parameter spelled `offset: i64 off_t`, `None` without
/// a C type.
macro_rules! c64_type {
    () => {
        None
    };
    ($cty:ident) => {
        Some(stringify!($cty))
    };
}

macro_rules! build_table {
    ($({ $name:ident, $nr:literal, ($($arg:ident : $ty:ident $($cty:ident)?),*), $class:ident,
         $status:ident, $restart:ident, $module:ident, [$($alias:ident),*], $note:literal }),* $(,)?) => {
        /// Every syscall wali knows, sorted by number.
        pub static SYSCALLS: &[Syscall] = &[$(Syscall {
            name: strip_raw(stringify!($name)),
            number: $nr,
            params: &[$((strip_raw(stringify!($arg)), __wasm_type!($ty))),*],
            c64: &[$(c64_type!($($cty)?)),*],
            class: Class::$class,
            status: Status::$status,
            restart: Restart::$restart,
            module: stringify!($module),
            aliases: &[$(stringify!($alias)),*],
            note: $note,
        }),*];
    };
}

/// `r#type` is spelled raw in the table because `type` is a Rust keyword.
const fn strip_raw(s: &'static str) -> &'static str {
    match s.as_bytes() {
        [b'r', b'#', rest @ ..] => match std::str::from_utf8(rest) {
            Ok(r) => r,
            Err(_) => s,
        },
        _ => s,
    }
}

with_syscalls!(build_table);

/// The auxiliary (non-syscall) imports of module `wali`, with their Wasm
/// signatures as `(params, results)`.
pub static AUX_IMPORTS: &[(&str, &[WasmType], &[WasmType])] = {
    use WasmType::I32;
    &[
        ("__init", &[], &[I32]),
        ("__deinit", &[], &[I32]),
        ("__proc_exit", &[I32], &[]),
        ("__cl_get_argc", &[], &[I32]),
        ("__cl_get_argv_len", &[I32], &[I32]),
        ("__cl_copy_argv", &[I32, I32], &[I32]),
        ("__get_init_envfile", &[I32, I32], &[I32]),
        ("__wasm_thread_spawn", &[I32, I32], &[I32]),
        ("setjmp", &[I32], &[I32]),
        ("sigsetjmp", &[I32, I32], &[I32]),
        ("longjmp", &[I32, I32], &[]),
    ]
};

/// Looks a syscall up by import name (`SYS_read`, `SYS_getdents`, ...).
pub fn by_import_name(import: &str) -> Option<&'static Syscall> {
    let name = import.strip_prefix("SYS_")?;
    SYSCALLS
        .iter()
        .find(|s| s.name == name || s.aliases.contains(&name))
}

/// Renders `docs/syscalls.md`.
pub fn render_docs() -> String {
    let mut out = String::new();
    out.push_str("# Syscalls\n\n");
    out.push_str(
        "Generated from `syscall-table/src/table.rs` by `cargo run -p syscall-table -- docs`; ",
    );
    out.push_str("do not edit by hand (a test fails when this file is stale).\n\n");
    let count = |st: Status| SYSCALLS.iter().filter(|s| s.status == st).count();
    out.push_str(&format!(
        "{} syscalls: {} supported, {} partial, {} unsupported.\n\n",
        SYSCALLS.len(),
        count(Status::Supported),
        count(Status::Partial),
        count(Status::Unsupported)
    ));
    out.push_str("| nr | import | wasm signature | class | status | note |\n");
    out.push_str("|---:|---|---|---|---|---|\n");
    for s in SYSCALLS {
        let names: Vec<String> = s.import_names().map(|n| format!("`{n}`")).collect();
        out.push_str(&format!(
            "| {} | {} | `{}` | {} | {} | {} |\n",
            s.number,
            names.join(", "),
            s.signature(),
            s.class.name(),
            s.status.name(),
            s.note.replace('|', "\\|")
        ));
    }
    out.push_str("\n## Auxiliary imports\n\n| import | wasm signature |\n|---|---|\n");
    for (name, params, results) in AUX_IMPORTS {
        let ty = |ts: &[WasmType]| {
            ts.iter()
                .map(|t| if *t == WasmType::I32 { "i32" } else { "i64" })
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{name}` | `({}) -> ({})` |\n",
            ty(params),
            ty(results)
        ));
    }
    out
}
