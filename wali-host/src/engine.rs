//! The wasmtime engine configuration and the on-disk cache of compiled modules.

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use wasmtime::{Config, Engine, Module};

pub fn engine() -> anyhow::Result<Engine> {
    let mut config = Config::new();
    config
        .wasm_threads(true)
        .shared_memory(true)
        .wasm_exceptions(true)
        .wasm_bulk_memory(true)
        .wasm_multi_value(true)
        .wasm_reference_types(true)
        // Signals interrupt guest code spinning in Wasm (see sys::signal).
        .epoch_interruption(true)
        // Guests may recurse deeply in C (CPython allows 10000 levels of C
        // recursion; json/re/repr of nested data get there): wasmtime's
        // 512 KiB default traps them at about 2000 levels. Wasm frames run on
        // the host stack: 8 MiB for guest threads (sys::thread::HOST_STACK),
        // the process's main stack (8 MiB by default) for the main thread;
        // 6 MiB leaves room for the host's own frames.
        .max_wasm_stack(6 << 20)
        // (wasmtime requires this no smaller; wali runs no async fibers.)
        .async_stack_size(8 << 20)
        .cranelift_opt_level(wasmtime::OptLevel::Speed);
    Engine::new(&config).map_err(anyhow::Error::from)
}

/// Where compiled modules are cached: `$WALI_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/wali/modules`, else `~/.cache/wali/modules`.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("WALI_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("wali").join("modules"))
}

/// The cache key: the module's bytes and everything about the engine that
/// changes the compiled code (wasmtime version, target, settings).
fn cache_key(engine: &Engine, bytes: &[u8]) -> String {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(engine_hash.finish().to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Compiles `bytes`, or loads the compiled code cached by an earlier run.
/// The cache is best effort: any failure falls back to compiling.
pub fn load_module(engine: &Engine, bytes: &[u8], use_cache: bool) -> anyhow::Result<Module> {
    let cached = if use_cache { cache_dir() } else { None };
    let Some(dir) = cached else {
        return Module::new(engine, bytes).map_err(anyhow::Error::from);
    };
    let path = dir.join(format!("{}.cwasm", cache_key(engine, bytes)));
    if path.exists() {
        // SAFETY: the file was written by `Module::serialize` of this same
        // engine configuration (the key hashes it) into a user-private
        // directory.
        match unsafe { Module::deserialize_file(engine, &path) } {
            Ok(m) => return Ok(m),
            Err(e) => tracing::debug!("stale module cache entry {}: {e}", path.display()),
        }
    }
    let module = Module::new(engine, bytes).map_err(anyhow::Error::from)?;
    if let Err(e) = store(&dir, &path, &module) {
        tracing::debug!("could not cache compiled module: {e:#}");
    }
    Ok(module)
}

fn store(dir: &std::path::Path, path: &std::path::Path, module: &Module) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .context("creating the cache directory")?;
    let bytes = module.serialize().map_err(anyhow::Error::from)?;
    // Write then rename, so a concurrent run never reads half a file.
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
