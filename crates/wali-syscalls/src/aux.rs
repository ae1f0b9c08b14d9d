//! The auxiliary imports of module `wali`: startup, arguments, environment,
//! process exit and thread spawn (the setjmp family is in `sjlj`).

use wali_core::process::{mem, Thread};
use wasmtime::{Caller, Linker};

pub fn add_aux(linker: &mut Linker<Thread>) -> anyhow::Result<()> {
    linker.func_wrap("wali", "__init", |_: Caller<'_, Thread>| -> i32 { 0 })?;
    linker.func_wrap("wali", "__deinit", |_: Caller<'_, Thread>| -> i32 { 0 })?;
    linker.func_wrap(
        "wali",
        "__proc_exit",
        |caller: Caller<'_, Thread>, status: i32| -> wasmtime::Result<()> {
            crate::sys::proc::end_process(&caller, status)
        },
    )?;
    linker.func_wrap(
        "wali",
        "__cl_get_argc",
        |caller: Caller<'_, Thread>| -> i32 {
            i32::try_from(caller.data().proc.argv.len()).unwrap_or(i32::MAX)
        },
    )?;
    linker.func_wrap(
        "wali",
        "__cl_get_argv_len",
        |caller: Caller<'_, Thread>, index: i32| -> i32 {
            let argv = &caller.data().proc.argv;
            usize::try_from(index)
                .ok()
                .and_then(|i| argv.get(i))
                .map_or(-1, |a| i32::try_from(a.len()).unwrap_or(-1))
        },
    )?;
    linker.func_wrap(
        "wali",
        "__cl_copy_argv",
        |caller: Caller<'_, Thread>, buf: i32, index: i32| -> i32 {
            let argv = &caller.data().proc.argv;
            let Some(arg) = usize::try_from(index).ok().and_then(|i| argv.get(i)) else {
                return -libc::EINVAL;
            };
            let mut bytes = arg.clone();
            bytes.push(0);
            match mem(&caller).write_bytes(buf as u32, &bytes) {
                Ok(()) => 0,
                Err(e) => -e.0,
            }
        },
    )?;
    // Non-zero when a path was written (the WALI ABI: the reference engine
    // answers 1 and 0, and WALI's libc reads the file only on non-zero).
    // No path fits, or a bad buffer: 0, so no libc opens a half-written path.
    linker.func_wrap(
        "wali",
        "__get_init_envfile",
        |caller: Caller<'_, Thread>, buf: i32, size: i32| -> i32 {
            let mut path = caller.data().proc.envfile.clone();
            if path.is_empty() {
                return 0;
            }
            path.push(0);
            if path.len() > size.max(0) as usize {
                return 0;
            }
            match mem(&caller).write_bytes(buf as u32, &path) {
                Ok(()) => 1,
                Err(_) => 0,
            }
        },
    )?;
    linker.func_wrap(
        "wali",
        "__wasm_thread_spawn",
        |mut caller: Caller<'_, Thread>, func: i32, arg: i32| -> wasmtime::Result<i32> {
            if !wali_core::policy::limits::thread_slot(&caller.data().proc) {
                return Ok(-libc::EAGAIN);
            }
            crate::start::spawn_thread(&mut caller, func, arg)
        },
    )?;
    Ok(())
}
