//! Starting guest code on a store: what every guest thread's store needs
//! (resource limiter, epoch deadline for signal delivery) and where a
//! module keeps its function table.

use crate::process::Thread;
use wasmtime::Store;

/// The name under which the load-time rewrite (`wali_runtime::rewrite`)
/// exports table 0 to the host (a name no C symbol can have, so it collides
/// with no export of the module's own).
pub const TABLE0_EXPORT: &str = "wali:table0";

/// Every guest store: signals that arrive while Wasm code runs are delivered
/// at the next epoch check.
pub fn prepare_store(store: &mut Store<Thread>) {
    store.limiter(|t| &mut t.limiter);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(crate::sys::signal::on_epoch);
}

/// Table 0 of an instance, where function pointers (signal handlers,
/// thread entries) are indices: exported to the host by the load-time
/// rewrite, since WALI's toolchain exports no `__indirect_function_table`.
pub fn table0(
    instance: &wasmtime::Instance,
    store: impl wasmtime::AsContextMut,
) -> Option<wasmtime::Table> {
    instance.get_table(store, TABLE0_EXPORT)
}
