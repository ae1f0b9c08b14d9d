//! Starting guest code, in one place for every guest thread: the main
//! thread (`start_main_thread`, used by the loader and the benchmarks) and
//! the threads `__wasm_thread_spawn` makes (`spawn_thread`). Each gets a
//! store with the resource limiter and the epoch callback that delivers
//! signals ([`new_store`]), an instance of the module with its memory and
//! function table ([`instantiate`]), and is registered for signals with
//! its mask ([`enter`]).

use crate::signal_engine;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use wali_core::exit::GuestExit;
use wali_core::memory::GuestMemory;
use wali_core::process::{Process, Thread};
use wasmtime::{
    AsContextMut, Engine, ExternType, Instance, InstancePre, Linker, Memory, Module, SharedMemory,
    Store,
};

/// The name under which the load-time rewrite (`wali_runtime::rewrite`)
/// exports table 0 to the host (a name no C symbol can have, so it collides
/// with no export of the module's own).
pub const TABLE0_EXPORT: &str = "wali:table0";

/// Size of the host stack of a guest thread (Wasm frames run on it; the
/// guest's C stack lives in linear memory).
const HOST_STACK: usize = 8 << 20;

/// The store of guest thread `tid` of `proc`: signals that arrive while
/// Wasm code runs are delivered at the next epoch check, and the limiter
/// caps its memories and tables.
pub fn new_store(engine: &Engine, proc: Arc<Process>, tid: i32) -> Store<Thread> {
    let mut store = Store::new(engine, Thread::new(proc, tid));
    store.limiter(|t| &mut t.limiter);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(crate::signal_engine::on_epoch);
    store
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

/// Instantiates the module in a guest thread's store, against `memory` (the
/// process's shared memory, or None: the instance's own exported memory),
/// and records the memory and the function table in the thread's state.
pub fn instantiate(
    store: &mut Store<Thread>,
    pre: &InstancePre<Thread>,
    memory: Option<GuestMemory>,
) -> wasmtime::Result<Instance> {
    if memory.is_some() {
        store.data_mut().memory = memory;
    }
    let instance = pre.instantiate(&mut *store)?;
    store.data_mut().limiter.instantiated = true;
    if store.data().memory.is_none() {
        store.data_mut().memory = match instance.get_export(&mut *store, "memory") {
            Some(wasmtime::Extern::SharedMemory(m)) => Some(GuestMemory::Shared(m)),
            Some(wasmtime::Extern::Memory(m)) => Some(GuestMemory::Plain(m)),
            _ => None,
        };
    }
    store.data_mut().table = table0(&instance, &mut *store);
    store.data_mut().sjlj.handles = crate::sjlj::handles(&instance, &mut *store);
    Ok(instance)
}

/// The calling host thread now runs guest thread `thread`: signals find it,
/// and its guest mask (mirrored on the host thread) is `mask`.
pub fn enter(thread: &mut Thread, mask: u64) {
    signal_engine::register_thread(&thread.signals.clone());
    signal_engine::set_mask(thread, mask);
}

/// A guest thread, instantiated and ready to run.
pub struct GuestThread {
    pub store: Store<Thread>,
    pub instance: Instance,
}

/// Instantiates `module` as the main thread of `proc` on the calling host
/// thread, with `linker`'s imports plus the memories the module imports
/// (made with the type they declare, capped by `limits.memory`), and sets
/// up the process's signal engine. The caller then calls `_start`.
pub fn start_main_thread(
    engine: &Engine,
    linker: &mut Linker<Thread>,
    module: &Module,
    proc: Arc<Process>,
) -> anyhow::Result<GuestThread> {
    let tid = wali_core::host::pid();
    let mut store = new_store(engine, proc.clone(), tid);

    // Provide imported memories (shared or not) with the type they declare.
    let mut imported: Option<GuestMemory> = None;
    for import in module.imports() {
        if let ExternType::Memory(ty) = import.ty() {
            let ty = wali_core::policy::limiter::cap_memory(ty, proc.options.policy.limits.memory)?;
            let memory = if ty.is_shared() {
                let m = SharedMemory::new(engine, ty).map_err(anyhow::Error::from)?;
                linker
                    .define(&mut store, import.module(), import.name(), m.clone())
                    .map_err(anyhow::Error::from)?;
                GuestMemory::Shared(m)
            } else {
                let m = Memory::new(&mut store, ty).map_err(anyhow::Error::from)?;
                linker
                    .define(&mut store, import.module(), import.name(), m)
                    .map_err(anyhow::Error::from)?;
                GuestMemory::Plain(m)
            };
            imported = Some(memory);
        }
    }

    let pre = linker
        .instantiate_pre(module)
        .map_err(anyhow::Error::from)?;
    let instance = instantiate(&mut store, &pre, imported.clone()).map_err(anyhow::Error::from)?;
    if matches!(imported, Some(GuestMemory::Shared(_))) {
        // Threads instantiate the same pre-linked module against the same memory.
        let _ = proc.image.set(pre);
    }
    let shared = match &store.data().memory {
        Some(m) => {
            let size = m.view(&store).size();
            proc.mm.lock().unwrap().init(size as u64);
            match m {
                GuestMemory::Shared(m) => Some(m.clone()),
                GuestMemory::Plain(_) => None,
            }
        }
        None => None,
    };
    signal_engine::init_process(engine, shared.as_ref());
    // After execve: the ignored signals and the mask of the thread that called it.
    let (mask, ignored) = proc
        .options
        .inherit
        .as_ref()
        .map_or((0, 0), |i| (i.mask, i.ignored));
    signal_engine::inherit_ignored(&proc, ignored);
    enter(store.data_mut(), mask);
    Ok(GuestThread { store, instance })
}

/// `__wasm_thread_spawn(fn, arg)`: a new instance of the module on a new
/// host thread, sharing the memory, calling table function `fn(tid, arg)`.
/// Returns the new thread's id, or a negative errno.
pub fn spawn_thread(
    cx: &mut wasmtime::Caller<'_, Thread>,
    func: i32,
    arg: i32,
) -> wasmtime::Result<i32> {
    let proc = cx.data().proc.clone();
    let (Some(pre), Some(GuestMemory::Shared(shared))) =
        (proc.image.get().cloned(), cx.data().memory.clone())
    else {
        // No shared memory: the module was not built for threads.
        return Ok(-libc::EAGAIN);
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<i32>(1);
    proc.threads.fetch_add(1, Ordering::SeqCst);
    let proc2 = proc.clone();
    let spawned = std::thread::Builder::new()
        .name("wali-guest".into())
        .stack_size(HOST_STACK)
        .spawn(move || thread_main(pre, proc2, shared, func, arg, tx));
    if spawned.is_err() {
        proc.threads.fetch_sub(1, Ordering::SeqCst);
        return Ok(-libc::EAGAIN);
    }
    Ok(rx.recv().unwrap_or(-libc::EAGAIN))
}

/// The host thread of a spawned guest thread: instantiates, tells the
/// spawner the new tid (or -EAGAIN), runs `fn(tid, arg)`, and ends the
/// process when it was the last thread.
fn thread_main(
    pre: InstancePre<Thread>,
    proc: Arc<Process>,
    shared: SharedMemory,
    func: i32,
    arg: i32,
    ready: std::sync::mpsc::SyncSender<i32>,
) {
    let tid = wali_core::host::tid();
    let engine = pre.module().engine().clone();
    let mut store = new_store(&engine, proc.clone(), tid);
    let started = instantiate(&mut store, &pre, Some(GuestMemory::Shared(shared))).and_then(|_| {
        let table = store
            .data()
            .table
            .ok_or_else(|| wasmtime::Error::msg("module has no function table"))?;
        let entry = table
            .get(&mut store, func as u32 as u64)
            .and_then(|r| r.as_func().flatten().copied())
            .ok_or_else(|| {
                wasmtime::Error::msg(format!("thread entry {func} is not a function"))
            })?;
        entry.typed::<(i32, i32), ()>(&store)
    });
    let entry = match started {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!("cannot start guest thread: {e:#}");
            proc.threads.fetch_sub(1, Ordering::SeqCst);
            let _ = ready.send(-libc::EAGAIN);
            return;
        }
    };
    // A new thread starts with its creator's mask, as on Linux.
    enter(store.data_mut(), current_host_mask());
    let _ = ready.send(tid);
    let result = entry
        .call(&mut store, (tid, arg))
        .map_err(|e| crate::sjlj::uncaught(&mut store, e));
    let status = match result {
        Ok(()) => 0,
        Err(e) => match e.downcast_ref::<GuestExit>() {
            Some(GuestExit::Thread(s)) | Some(GuestExit::Status(s)) => *s,
            Some(GuestExit::Signal(sig)) => {
                let _ = proc.write_stats();
                wali_core::exit::die_by_signal(*sig)
            }
            None => match wali_core::exit::outcome_of(e) {
                Ok(wali_core::exit::Outcome::Signaled(sig)) => {
                    let _ = proc.write_stats();
                    wali_core::exit::die_by_signal(sig)
                }
                Ok(wali_core::exit::Outcome::Exited(s)) => s,
                Err(e) => {
                    wali_core::host_eprintln!("wali: {e:#}");
                    let _ = proc.write_stats();
                    wali_core::host::exit_immediately(125)
                }
            },
        },
    };
    crate::sys::thread::release_thread(&mut store.as_context_mut());
    signal_engine::unregister_thread(tid);
    if proc.threads.fetch_sub(1, Ordering::SeqCst) == 1 {
        // The last thread of the process: the process ends with it.
        let _ = proc.write_stats();
        wali_core::host::exit_immediately(status & 0xff);
    }
}

/// The guest mask of the calling host thread (a new thread inherits the
/// host mask its creator had, which mirrors the creator's guest mask).
fn current_host_mask() -> u64 {
    let mut set = wali_core::host::zeroed::<libc::sigset_t>();
    // SAFETY: a NULL new set only reads this thread's mask into `set`, a live sigset_t.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, std::ptr::null(), &mut set) };
    wali_core::signal::SIGNALS
        // SAFETY: `set` is a live, initialised sigset_t; sigismember only reads it.
        .filter(|&s| unsafe { libc::sigismember(&set, s) } == 1)
        .fold(0u64, |m, s| m | wali_core::signal::bit(s))
}
