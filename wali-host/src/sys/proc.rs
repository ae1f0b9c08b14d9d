//! Processes.

use super::Cx;
use crate::exit::exit_with;
use std::sync::atomic::Ordering;
use wasmtime::Caller;

/// Ends the whole guest process with `status` (exit_group, __proc_exit).
/// With other threads running, the host process ends here and now, as
/// exit_group ends every thread at once.
pub fn end_process(
    caller: &Caller<'_, crate::process::Thread>,
    status: i32,
) -> wasmtime::Result<()> {
    let proc = &caller.data().proc;
    if proc.threads.load(Ordering::SeqCst) > 1 {
        let _ = proc.write_stats();
        use std::io::Write;
        let _ = std::io::stdout().flush();
        unsafe { libc::_exit(status & 0xff) };
    }
    Err(exit_with(status))
}

pub fn exit_group(cx: &mut Cx, status: i32) -> wasmtime::Result<i64> {
    end_process(cx, status).map(|()| 0)
}
