//! Binds every syscall of the table as a `wali.SYS_<name>` import. The one
//! wrapper every call goes through counts it, applies the capability gate,
//! traces it, and delivers pending signals on the way back to the guest.

use std::sync::atomic::{AtomicBool, Ordering};
use syscall_table::{Restart, Syscall};
use wali_core::errno::{Errno, SysResult};
use wali_core::process::Thread;
use wasmtime::{Caller, Linker};

/// What a handler may return: a plain result, or a wasmtime result when it
/// must unwind the guest (exit, exec, death by signal).
pub trait SysReturn {
    fn into_wasm(self) -> wasmtime::Result<i64>;
}

impl SysReturn for SysResult<i64> {
    #[inline]
    fn into_wasm(self) -> wasmtime::Result<i64> {
        Ok(match self {
            Ok(v) => v,
            Err(e) => -(e.0 as i64),
        })
    }
}

impl SysReturn for wasmtime::Result<i64> {
    #[inline]
    fn into_wasm(self) -> wasmtime::Result<i64> {
        self
    }
}

const EINTR: i64 = -(libc::EINTR as i64);

#[inline(always)]
fn call<R: SysReturn>(
    caller: &mut Caller<'_, Thread>,
    entry: &'static Syscall,
    args: &[i64],
    handler: impl Fn(&mut Caller<'_, Thread>) -> R,
) -> wasmtime::Result<i64> {
    let proc = &caller.data().proc;
    proc.count_syscall(entry.number);
    let trace = proc.options.trace;
    if let Some(rule) = proc.denies(entry.class) {
        proc.denied(
            format_args!("{} (class {})", entry.name, entry.class.name()),
            rule,
        );
        return Ok(-(Errno::EACCES.0 as i64));
    }
    loop {
        let result = handler(caller).into_wasm();
        if trace {
            crate::trace::syscall(caller, entry, args, &result);
        }
        let value = result?;
        if crate::signal_engine::has_deliverable(caller.data()) {
            // Handlers run on the way back to the guest; an interrupted call
            // restarts when every handler asked for SA_RESTART and the table
            // says SA_RESTART restarts it.
            let restart = crate::signal_engine::deliver_pending(&mut *caller)?;
            if value == EINTR && restart && entry.restart == Restart::SaRestart {
                continue;
            }
            return Ok(value);
        }
        if value == EINTR && entry.restart == Restart::SaRestart {
            // Interrupted by nothing the guest sees: restart transparently.
            continue;
        }
        return Ok(value);
    }
}

/// Unsupported syscalls answer ENOSYS, logged once each under `--trace`.
fn unsupported(caller: &Caller<'_, Thread>, entry: &'static Syscall) -> SysResult {
    static WARNED: [AtomicBool; 512] = [const { AtomicBool::new(false) }; 512];
    if caller.data().proc.options.trace {
        let seen = WARNED
            .get(entry.number as usize)
            .map(|w| w.swap(true, Ordering::Relaxed))
            .unwrap_or(false);
        if !seen {
            tracing::warn!(target: "wali::syscall", "{} is not implemented: {}", entry.name, entry.note);
        }
    }
    Err(Errno::ENOSYS)
}

fn entry(nr: u32) -> &'static Syscall {
    syscall_table::SYSCALLS
        .iter()
        .find(|s| s.number == nr)
        .expect("table entry for a number taken from the table")
}

macro_rules! bind_syscalls {
    ($({ $name:ident, $nr:literal, ($($arg:ident : $ty:ident $($cty:ident)?),*), $class:ident,
         $status:ident, $restart:ident, $module:ident, [$($alias:ident),*], $note:literal }),* $(,)?) => {
        /// Defines every `wali.SYS_*` import of the table in `linker`.
        pub fn add_syscalls(linker: &mut Linker<Thread>) -> anyhow::Result<()> {
            $( bind_syscalls!(@one linker, $name, $nr, ($($arg : $ty),*), $status, $module, [$($alias),*]); )*
            Ok(())
        }
    };
    (@one $linker:ident, $name:ident, $nr:literal, ($($arg:ident : $ty:ident),*), Unsupported,
     $module:ident, [$($alias:ident),*]) => {{
        let entry = entry($nr);
        for import in [concat!("SYS_", stringify!($name)) $(, concat!("SYS_", stringify!($alias)))*] {
            $linker.func_wrap("wali", import,
                move |mut caller: Caller<'_, Thread>, $($arg: $ty),*| -> wasmtime::Result<i64> {
                    call(&mut caller, entry, &[$($arg as i64),*], |c| unsupported(c, entry))
                })?;
        }
    }};
    (@one $linker:ident, $name:ident, $nr:literal, ($($arg:ident : $ty:ident),*), $status:ident,
     $module:ident, [$($alias:ident),*]) => {{
        let entry = entry($nr);
        for import in [concat!("SYS_", stringify!($name)) $(, concat!("SYS_", stringify!($alias)))*] {
            $linker.func_wrap("wali", import,
                move |mut caller: Caller<'_, Thread>, $($arg: $ty),*| -> wasmtime::Result<i64> {
                    call(&mut caller, entry, &[$($arg as i64),*],
                         |c| crate::sys::$module::$name(c, $($arg),*))
                })?;
        }
    }};
}

syscall_table::with_syscalls!(bind_syscalls);

/// Variants of a syscall import's Wasm type that binaries in the wild
/// declare (the WALI ABI document lists them), as `(import, params,
/// results)`. Each is bound to the same handler as the table's type.
pub const VARIANTS: &[(&str, &[syscall_table::WasmType], &[syscall_table::WasmType])] = {
    use syscall_table::WasmType::{I32, I64};
    &[
        // WALI's musl declares exit as `_Noreturn`-ish: no result.
        ("SYS_exit", &[I32], &[]),
        // Linux's raw vector I/O ABI: the offset as (pos_l, pos_h).
        ("SYS_preadv", &[I32, I32, I32, I64, I64], &[I64]),
        ("SYS_pwritev", &[I32, I32, I32, I64, I64], &[I64]),
    ]
};

/// The offset of Linux's split (pos_l, pos_h) arguments: each half is a
/// 32-bit `long` of the wasm32 caller.
fn offset_from_halves(pos_l: i64, pos_h: i64) -> i64 {
    let low = wali_core::narrow::guest_u32(pos_l);
    ((pos_h as u64) << 32 | u64::from(low)) as i64
}

/// Binds the variant `import` of [`VARIANTS`] in `linker` (shadowing the
/// table's binding of the same name).
pub fn bind_variant(linker: &mut Linker<Thread>, import: &str) -> anyhow::Result<()> {
    match import {
        "SYS_exit" => {
            let e = entry(60);
            linker.func_wrap(
                "wali",
                import,
                move |mut caller: Caller<'_, Thread>, status: i32| -> wasmtime::Result<()> {
                    call(&mut caller, e, &[status as i64], |c| {
                        crate::sys::thread::exit(c, status)
                    })
                    .map(drop)
                },
            )?;
        }
        "SYS_preadv" | "SYS_pwritev" => {
            let write = import == "SYS_pwritev";
            let e = entry(if write { 296 } else { 295 });
            linker.func_wrap(
                "wali",
                import,
                move |mut caller: Caller<'_, Thread>,
                      fd: i32,
                      iov: i32,
                      iovcnt: i32,
                      pos_l: i64,
                      pos_h: i64|
                      -> wasmtime::Result<i64> {
                    let offset = offset_from_halves(pos_l, pos_h);
                    let args = [fd as i64, iov as i64, iovcnt as i64, offset];
                    call(&mut caller, e, &args, |c| {
                        if write {
                            crate::sys::fd::pwritev(c, fd, iov, iovcnt, offset)
                        } else {
                            crate::sys::fd::preadv(c, fd, iov, iovcnt, offset)
                        }
                    })
                },
            )?;
        }
        _ => anyhow::bail!("no variant binding for wali.{import}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn split_offsets_join_as_on_32_bit_linux() {
        assert_eq!(super::offset_from_halves(5, 0), 5);
        // a low half sign-extended by the caller still means its 32 bits
        assert_eq!(super::offset_from_halves(-1, 0), 0xffff_ffff);
        assert_eq!(super::offset_from_halves(0x10, 1), 0x1_0000_0010);
    }
}
