//! The one source of truth for the syscalls wali knows.
//!
//! Every entry gives the import name (`SYS_<name>` in module `wali`), the x86_64
//! syscall number, the Wasm parameter types, the capability class that gates it,
//! its support status and a note. The host binds its imports from
//! [`with_syscalls!`]; `docs/syscalls.md` and the conformance coverage are
//! generated from [`SYSCALLS`].

mod table;
mod wali_abi;

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

/// One syscall as the guest sees it.
#[derive(Clone, Copy, Debug)]
pub struct Syscall {
    pub name: &'static str,
    pub number: u32,
    pub params: &'static [(&'static str, WasmType)],
    pub class: Class,
    pub status: Status,
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

macro_rules! build_table {
    ($({ $name:ident, $nr:literal, ($($arg:ident : $ty:ident),*), $class:ident, $status:ident,
         $module:ident, [$($alias:ident),*], $note:literal }),* $(,)?) => {
        /// Every syscall wali knows, sorted by number.
        pub static SYSCALLS: &[Syscall] = &[$(Syscall {
            name: strip_raw(stringify!($name)),
            number: $nr,
            params: &[$((strip_raw(stringify!($arg)), __wasm_type!($ty))),*],
            class: Class::$class,
            status: Status::$status,
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
