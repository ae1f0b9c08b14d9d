//! Start-up costs of a guest: compiling its module (cold), loading the
//! compilation cached by an earlier run, setting up the process (fd table,
//! mounts, environment file) and instantiating it. Measured for the
//! benchmark WAT module and, when the sysroot is built (`make sysroot`), a
//! C hello-world built with `wali-cc -O2` (bench/programs/hello.c). The
//! native counterpart, the start-up of a whole native process, is in
//! `make bench` (bench/run.sh).

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
use std::time::Duration;
use wasmtime::Module;

fn modules() -> Vec<(&'static str, Vec<u8>)> {
    let mut out = vec![("wat", wat::parse_str(common::wat()).expect("bench WAT"))];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cc = root.join("build/bin/wali-cc");
    if cc.exists() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("hello.wasm");
        let ok = std::process::Command::new(&cc)
            .arg("-O2")
            .arg(root.join("bench/programs/hello.c"))
            .arg("-o")
            .arg(&wasm)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            let bytes = std::fs::read(&wasm).unwrap();
            let bytes = wali_runtime::rewrite::prepare(&bytes)
                .unwrap()
                .bytes
                .unwrap_or(bytes);
            out.push(("hello_c", bytes));
        }
    } else {
        eprintln!("build/bin/wali-cc absent (make sysroot): only the WAT module is measured");
    }
    out
}

fn instantiate(c: &mut Criterion) {
    let engine = wali_runtime::engine::engine().expect("engine");
    let cache = tempfile::tempdir().unwrap();
    // SAFETY: set before any other thread of this benchmark reads it.
    unsafe { std::env::set_var("WALI_CACHE_DIR", cache.path()) };
    for (name, bytes) in modules() {
        let mut group = c.benchmark_group(format!("startup_{name}"));
        group
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(2))
            .sample_size(10);
        group.bench_function("compile_cold", |b| {
            b.iter(|| Module::new(&engine, &bytes).unwrap())
        });
        // Prime the cache, then every load is a deserialization.
        wali_runtime::engine::load_module(&engine, &bytes, true).unwrap();
        group.bench_function("compile_cached", |b| {
            b.iter(|| wali_runtime::engine::load_module(&engine, &bytes, true).unwrap())
        });
        let module = Module::new(&engine, &bytes).unwrap();
        let linker = common::linker(&engine);
        let dir = common::bench_dir();
        let (proc, _env_fd) = common::new_process(dir.path());
        let mem_import = module
            .imports()
            .find(|i| matches!(i.ty(), wasmtime::ExternType::Memory(_)))
            .map(|i| (i.module().to_string(), i.name().to_string()))
            .unwrap();
        group.bench_function("instance_only", |b| {
            b.iter(|| {
                let mut store = wali_syscalls::start::new_store(&engine, proc.clone(), 1);
                let memory = common::shared_memory(&engine, &module);
                let mut l = linker.clone();
                l.define(&mut store, &mem_import.0, &mem_import.1, memory)
                    .unwrap();
                l.instantiate(&mut store, &module).unwrap()
            })
        });
        if name == "wat" {
            // The two parts of `process_and_instance` that do not depend on
            // the module.
            group.bench_function("build_process", |b| {
                b.iter(|| common::new_process(dir.path()))
            });
            group.bench_function("linker", |b| b.iter(|| common::linker(&engine)));
        }
        group.bench_function("process_and_instance", |b| {
            b.iter(|| {
                let (proc, _env_fd) = common::new_process(dir.path());
                let mut l = common::linker(&engine);
                let mut store = wali_syscalls::start::new_store(&engine, proc, 1);
                let memory = common::shared_memory(&engine, &module);
                l.define(&mut store, &mem_import.0, &mem_import.1, memory)
                    .unwrap();
                l.instantiate(&mut store, &module).unwrap()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, instantiate);
criterion_main!(benches);
