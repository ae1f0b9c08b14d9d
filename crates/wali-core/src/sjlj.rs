//! Per-thread state of the host `setjmp`/`sigsetjmp`/`longjmp` imports
//! (implemented in `wali_syscalls::sjlj`, on top of the load-time rewrite
//! in `wali_runtime::rewrite::sjlj`): the instance's handles, and what each
//! `setjmp` recorded for its `jmp_buf`.

use std::collections::HashMap;
use wasmtime::{ExnRefPre, Global, Tag};

/// The exports the rewrite adds, found once per instance.
pub struct Handles {
    /// The tag `longjmp` throws: (frame, site, val).
    pub tag: Tag,
    /// Set by the rewritten code just before it calls `setjmp`.
    pub frame: Global,
    pub site: Global,
    /// The C stack pointer (`__stack_pointer`), when the module has one.
    pub sp: Option<Global>,
    /// Allocator for the tag's exceptions, made at the first `longjmp`.
    pub exn: Option<ExnRefPre>,
}

/// What a `setjmp` recorded for a `jmp_buf`.
#[derive(Clone, Copy, Debug)]
pub struct Record {
    /// The invocation of the function that called `setjmp` (its frame id).
    pub frame: u32,
    /// Which call site in that function.
    pub site: u32,
    /// The C stack pointer at the call, restored by `longjmp`.
    pub sp: Option<u32>,
    /// The signal mask, for `sigsetjmp` with a non-zero `savesigs`.
    pub mask: Option<u64>,
}

/// Records beyond this many trigger a sweep of the dead ones (see `record`).
const SWEEP_AT: usize = 4096;

#[derive(Default)]
pub struct SjljState {
    pub handles: Option<Handles>,
    records: HashMap<u32, Record>,
    /// The last longjmp came from a signal handler that interrupted Wasm
    /// code between two calls (the epoch callback).
    pub longjmp_between_calls: bool,
}

impl SjljState {
    /// Records `env`. When many `jmp_buf`s have been seen, the records of
    /// frames that cannot be live are dropped: on one stack (not in a signal
    /// handler, which may run on an alternate stack), a frame whose stack
    /// pointer was below the current one has returned.
    pub fn record(&mut self, env: u32, record: Record, in_handler: bool) {
        if self.records.len() >= SWEEP_AT && !in_handler {
            if let Some(now) = record.sp {
                self.records.retain(|_, r| r.sp.is_none_or(|sp| sp >= now));
            }
        }
        self.records.insert(env, record);
    }

    /// A `setjmp` on `env` that could not be recorded: a later `longjmp`
    /// must not go to an older one.
    pub fn forget(&mut self, env: u32) {
        self.records.remove(&env);
    }

    pub fn get(&self, env: u32) -> Option<Record> {
        self.records.get(&env).copied()
    }
}
