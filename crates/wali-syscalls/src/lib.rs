//! wali's syscalls: one handler per Linux syscall, grouped by family in
//! `sys`, bound as `wali.SYS_<name>` imports from the syscall table by
//! `dispatch` (the one wrapper: count, policy gate, trace, signal delivery,
//! restart). Also the signal engine (`signal_engine`), guest threads
//! (`sys::thread`, `start`), the `wali` aux imports (`aux`) and the host
//! setjmp/longjmp (`sjlj`).

mod aux;
mod dispatch;
mod signal_engine;
pub mod sjlj;
pub mod start;
mod sys;
mod trace;

pub use dispatch::{bind_variant, VARIANTS};
pub use signal_engine::block_all_host_signals;

/// Adds every import wali provides (the syscalls and the aux functions).
pub fn add_to_linker(
    linker: &mut wasmtime::Linker<wali_core::process::Thread>,
) -> anyhow::Result<()> {
    dispatch::add_syscalls(linker)?;
    aux::add_aux(linker)?;
    sjlj::add(linker)?;
    Ok(())
}
