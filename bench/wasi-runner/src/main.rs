//! `wasi-run [--dir HOST::GUEST]... MODULE.wasm [ARGS...]`: runs a WASI
//! preview-1 command under wasmtime's own WASI implementation, compiled with
//! the same engine settings as wali (`crates/wali-runtime/src/engine.rs`), so that the
//! two runtimes differ only in their system interface.
use anyhow::Context;
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

fn engine() -> anyhow::Result<Engine> {
    let mut config = Config::new();
    config
        .wasm_threads(true)
        .shared_memory(true)
        .wasm_exceptions(true)
        .wasm_bulk_memory(true)
        .wasm_multi_value(true)
        .wasm_reference_types(true)
        .epoch_interruption(true)
        .max_wasm_stack(6 << 20)
        .async_stack_size(8 << 20)
        .cranelift_opt_level(wasmtime::OptLevel::Speed);
    Ok(Engine::new(&config)?)
}

/// Compiles the module, or loads the compilation cached in `$WASI_RUN_CACHE`
/// (as wali caches its own), so that start-up figures compare like with like.
fn load(engine: &Engine, path: &str) -> anyhow::Result<Module> {
    use std::hash::{Hash, Hasher};
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let Some(dir) = std::env::var_os("WASI_RUN_CACHE") else {
        return Ok(Module::new(engine, &bytes)?);
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    engine.precompile_compatibility_hash().hash(&mut h);
    let file = std::path::Path::new(&dir).join(format!("{:016x}.cwasm", h.finish()));
    if file.exists() {
        // SAFETY: written below by this engine configuration (hashed in the name).
        if let Ok(m) = unsafe { Module::deserialize_file(engine, &file) } {
            return Ok(m);
        }
    }
    let module = Module::new(engine, &bytes)?;
    std::fs::create_dir_all(&dir)?;
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, module.serialize()?)?;
    std::fs::rename(&tmp, &file)?;
    Ok(module)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).peekable();
    let mut dirs = Vec::new();
    while args.peek().is_some_and(|a| a == "--dir") {
        args.next();
        let spec = args.next().context("--dir needs HOST[::GUEST]")?;
        let (host, guest) = match spec.split_once("::") {
            Some((h, g)) => (h.to_string(), g.to_string()),
            None => (spec.clone(), spec.clone()),
        };
        dirs.push((host, guest));
    }
    let module_path = args
        .next()
        .context("usage: wasi-run [--dir H::G]... MODULE [ARGS...]")?;
    let engine = engine()?;
    let module = load(&engine, &module_path)?;
    let mut builder = WasiCtxBuilder::new();
    builder.inherit_stdio().arg(&module_path);
    for a in args {
        builder.arg(&a);
    }
    for (host, guest) in &dirs {
        builder.preopened_dir(host, guest, FsPerms::ReadWrite)?;
    }
    let ctx: WasiP1Ctx = builder.build_p1();
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |t| t)?;
    let mut store = Store::new(&engine, ctx);
    // Same epoch checks in the code as wali; the deadline is never reached.
    store.set_epoch_deadline(u64::MAX);
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(()),
        Err(e) => match e.downcast_ref::<wasmtime_wasi::I32Exit>() {
            Some(exit) => std::process::exit(exit.0),
            None => Err(e.into()),
        },
    }
}
