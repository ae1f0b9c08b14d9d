//! strace-style tracing of syscalls (`--trace`).

use syscall_table::Syscall;
use wali_core::process::{mem, Thread};
use wasmtime::Caller;

/// Parameters that hold a guest path and print as strings.
fn is_path_param(name: &str) -> bool {
    matches!(
        name,
        "path" | "oldpath" | "newpath" | "linkpath" | "target" | "name"
    )
}

pub fn syscall(
    caller: &Caller<'_, Thread>,
    entry: &Syscall,
    args: &[i64],
    result: &wasmtime::Result<i64>,
) {
    let memory = mem(caller);
    let mut rendered = Vec::with_capacity(args.len());
    for ((pname, _), value) in entry.params.iter().zip(args) {
        if is_path_param(pname) && *value != 0 {
            if let Ok(s) = memory.cstr(wali_core::narrow::guest_u32(*value), 4096) {
                rendered.push(format!("{:?}", String::from_utf8_lossy(s)));
                continue;
            }
        }
        rendered.push(value.to_string());
    }
    let tid = caller.data().tid;
    match result {
        Ok(v) if *v < 0 && *v >= -4095 => {
            let errno = wali_core::errno::Errno(wali_core::narrow::c_int(-*v));
            tracing::info!(target: "wali::syscall", "[{tid}] {}({}) = -1 {}", entry.name, rendered.join(", "), errno.name());
        }
        Ok(v) => {
            tracing::info!(target: "wali::syscall", "[{tid}] {}({}) = {v}", entry.name, rendered.join(", "))
        }
        Err(e) => {
            tracing::info!(target: "wali::syscall", "[{tid}] {}({}) = ? ({e})", entry.name, rendered.join(", "))
        }
    }
}
