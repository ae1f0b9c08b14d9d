//! The guest side of the per-syscall benchmarks: a WAT module whose exports
//! each make one syscall `n` times in a loop, and a process set up in this
//! host process the way `wali run` sets one up (`wali_runtime::loader`).
#![allow(dead_code)]

use std::sync::Arc;
use wali_core::process::{Process, Thread};
use wali_core::vfs::MountSpec;
use wasmtime::{Engine, Instance, MemoryType, Module, SharedMemory, Store, TypedFunc};

/// Guest paths (NUL-terminated in the module's data).
pub const DEV_ZERO: u32 = 1024;
pub const DEV_NULL: u32 = 1040;
pub const FILE: u32 = 1056;
pub const DEEP_FILE: u32 = 1088;
/// Scratch: the join word, a timespec, a sigaction, a stat buffer, 64 KiB.
const JOIN: u32 = 64;
const TIMESPEC: u32 = 128;
const SIGACTION: u32 = 256;
const HANDLED: u32 = 512;
const STATBUF: u32 = 2048;
const BUF: u32 = 4096;

/// The benchmarked loops: export name and the body run `n` times (it sets
/// `$r`, the result returned after the last round).
pub const LOOPS: &[(&str, &str)] = &[
    ("nop_import", "(local.set $r (call $nop))"),
    ("gettid", "(local.set $r (call $gettid))"),
    ("getpid", "(local.set $r (call $getpid))"),
    (
        "clock_gettime",
        "(local.set $r (call $clock_gettime (i32.const 1) (i32.const 128)))",
    ),
    (
        "read_1",
        "(local.set $r (call $read (global.get $zero) (i32.const 4096) (i32.const 1)))",
    ),
    (
        "read_64k",
        "(local.set $r (call $read (global.get $zero) (i32.const 4096) (i32.const 65536)))",
    ),
    (
        "write_null",
        "(local.set $r (call $write (global.get $null) (i32.const 4096) (i32.const 1)))",
    ),
    (
        "open_close",
        "(local.set $r (call $open (i32.const 1056) (i32.const 0) (i32.const 0)))
         (drop (call $close (i32.wrap_i64 (local.get $r))))",
    ),
    (
        "stat",
        "(local.set $r (call $stat (i32.const 1056) (i32.const 2048)))",
    ),
    (
        "stat_deep",
        "(local.set $r (call $stat (i32.const 1088) (i32.const 2048)))",
    ),
    (
        "futex_wake",
        // FUTEX_WAKE | FUTEX_PRIVATE_FLAG, nobody waiting.
        "(local.set $r (call $futex (i32.const 64) (i32.const 129) (i32.const 1)
                                    (i32.const 0) (i32.const 0) (i32.const 0)))",
    ),
    (
        "mmap_munmap",
        // PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS
        "(local.set $r (call $mmap (i32.const 0) (i32.const 65536) (i32.const 3)
                                   (i32.const 0x22) (i32.const -1) (i64.const 0)))
         (local.set $r (call $munmap (i32.wrap_i64 (local.get $r)) (i32.const 65536)))",
    ),
    (
        "signal",
        // tkill(self, SIGUSR1): the host catches it and runs $on_signal.
        "(local.set $r (call $tkill (global.get $tid) (i32.const 10)))",
    ),
    (
        "thread",
        // pthread_join's protocol: the new thread's set_tid_address word is
        // cleared and woken when it ends.
        "(i32.atomic.store (i32.const 64) (i32.const 1))
         (local.set $r (i64.extend_i32_s (call $spawn (i32.const 3) (i32.const 0))))
         (block $joined (loop $wait
           (br_if $joined (i32.eqz (i32.atomic.load (i32.const 64))))
           (drop (memory.atomic.wait32 (i32.const 64) (i32.const 1) (i64.const -1)))
           (br $wait)))",
    ),
];

pub fn wat() -> String {
    let mut funcs = String::new();
    for (name, body) in LOOPS {
        funcs.push_str(&format!(
            r#"
  (func (export "{name}") (param $n i32) (result i64) (local $r i64)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      {body}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $r))"#
        ));
    }
    format!(
        r#"(module
  (import "bench" "nop" (func $nop (result i64)))
  (import "wali" "SYS_getpid" (func $getpid (result i64)))
  (import "wali" "SYS_gettid" (func $gettid (result i64)))
  (import "wali" "SYS_clock_gettime" (func $clock_gettime (param i32 i32) (result i64)))
  (import "wali" "SYS_read" (func $read (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_open" (func $open (param i32 i32 i32) (result i64)))
  (import "wali" "SYS_close" (func $close (param i32) (result i64)))
  (import "wali" "SYS_stat" (func $stat (param i32 i32) (result i64)))
  (import "wali" "SYS_futex" (func $futex (param i32 i32 i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_mmap" (func $mmap (param i32 i32 i32 i32 i32 i64) (result i64)))
  (import "wali" "SYS_munmap" (func $munmap (param i32 i32) (result i64)))
  (import "wali" "SYS_rt_sigaction" (func $sigaction (param i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_tkill" (func $tkill (param i32 i32) (result i64)))
  (import "wali" "SYS_set_tid_address" (func $set_tid_address (param i32) (result i64)))
  (import "wali" "__wasm_thread_spawn" (func $spawn (param i32 i32) (result i32)))
  (import "env" "memory" (memory 2 16384 shared))
  (table (export "__indirect_function_table") 4 funcref)
  ;; Index 0 means SIG_DFL (SIG_IGN is -2): the handler is at 2.
  (elem (i32.const 0) func $unused $unused $on_signal $thread_main)
  (data (i32.const {DEV_ZERO}) "/dev/zero\00")
  (data (i32.const {DEV_NULL}) "/dev/null\00")
  (data (i32.const {FILE}) "/bench/file\00")
  (data (i32.const {DEEP_FILE}) "/bench/d1/d2/d3/d4/d5/d6/file\00")
  (global $zero (mut i32) (i32.const -1))
  (global $null (mut i32) (i32.const -1))
  (global $tid (mut i32) (i32.const 0))
  (func $unused (param i32))
  (func $on_signal (param i32)
    (i32.store (i32.const {HANDLED}) (i32.add (i32.load (i32.const {HANDLED})) (i32.const 1))))
  (func $thread_main (param i32 i32)
    (drop (call $set_tid_address (i32.const {JOIN}))))
  (func (export "_start"))
  ;; Opens the descriptors and installs the SIGUSR1 handler; returns the
  ;; first failure (negative errno) or 0.
  (func (export "setup") (result i64) (local $r i64)
    (local.set $r (call $open (i32.const {DEV_ZERO}) (i32.const 0) (i32.const 0)))
    (if (i64.lt_s (local.get $r) (i64.const 0)) (then (return (local.get $r))))
    (global.set $zero (i32.wrap_i64 (local.get $r)))
    (local.set $r (call $open (i32.const {DEV_NULL}) (i32.const 1) (i32.const 0)))
    (if (i64.lt_s (local.get $r) (i64.const 0)) (then (return (local.get $r))))
    (global.set $null (i32.wrap_i64 (local.get $r)))
    (global.set $tid (i32.wrap_i64 (call $gettid)))
    (i32.store (i32.const {SIGACTION}) (i32.const 2))
    (call $sigaction (i32.const 10) (i32.const {SIGACTION}) (i32.const 0) (i32.const 8)))
  (func (export "handled") (result i32) (i32.load (i32.const {HANDLED})))
  {funcs}
)"#
    )
}

/// One guest process with its main thread, instantiated in this process.
pub struct Guest {
    pub store: Store<Thread>,
    pub instance: Instance,
    pub proc: Arc<Process>,
    _dir: tempfile::TempDir,
    _env_fd: std::os::fd::OwnedFd,
}

impl Guest {
    pub fn func(&mut self, name: &str) -> TypedFunc<i32, i64> {
        self.instance
            .get_typed_func::<i32, i64>(&mut self.store, name)
            .unwrap_or_else(|e| panic!("export {name}: {e}"))
    }

    /// Runs loop `name` `n` times; panics if the last call failed.
    pub fn run(&mut self, f: &TypedFunc<i32, i64>, n: i32) -> i64 {
        let r = f.call(&mut self.store, n).expect("guest loop trapped");
        assert!(r >= 0, "guest syscall failed: {r}");
        r
    }
}

/// A linker with wali's imports plus `bench.nop` (a bare wasmtime host call,
/// the floor under every syscall).
pub fn linker(engine: &Engine) -> wasmtime::Linker<Thread> {
    let mut linker = wali_runtime::loader::linker(engine).expect("wali linker");
    linker
        .func_wrap("bench", "nop", || -> i64 { 0 })
        .expect("bench.nop");
    linker
}

/// A fresh process for `module`, its files in a temporary directory mounted
/// at /bench (`file`, and `d1/.../d6/file` for path walking).
pub fn new_process(dir: &std::path::Path) -> (Arc<Process>, std::os::fd::OwnedFd) {
    let opts = wali_core::RunOptions {
        module: "bench.wasm".into(),
        // /dev/zero and /dev/null explicitly, whatever the default policy grants.
        mounts: vec![
            MountSpec {
                host: dir.into(),
                guest: "/bench".into(),
                read_only: false,
                root: None,
            },
            MountSpec {
                host: "/dev/zero".into(),
                guest: "/dev/zero".into(),
                read_only: false,
                root: None,
            },
            MountSpec {
                host: "/dev/null".into(),
                guest: "/dev/null".into(),
                read_only: false,
                root: None,
            },
        ],
        ..Default::default()
    };
    wali_runtime::loader::build_process(&opts).expect("build_process")
}

pub fn bench_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("file"), b"wali").unwrap();
    let deep = dir.path().join("d1/d2/d3/d4/d5/d6");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("file"), b"wali").unwrap();
    dir
}

pub fn shared_memory(engine: &Engine, module: &Module) -> SharedMemory {
    let ty = module
        .imports()
        .find_map(|i| match i.ty() {
            wasmtime::ExternType::Memory(m) => Some(m),
            _ => None,
        })
        .unwrap_or_else(|| MemoryType::shared(2, 16384));
    SharedMemory::new(engine, ty).expect("shared memory")
}

/// Instantiates `module` as a process's main thread, as
/// `wali_runtime::loader::run` does (minus running `_start`).
pub fn instantiate(engine: &Engine, module: &Module) -> Guest {
    let dir = bench_dir();
    let (proc, env_fd) = new_process(dir.path());
    let mut linker = linker(engine);
    let wali_syscalls::start::GuestThread { store, instance } =
        wali_syscalls::start::start_main_thread(engine, &mut linker, module, proc.clone())
            .expect("start the main thread");
    Guest {
        store,
        instance,
        proc,
        _dir: dir,
        _env_fd: env_fd,
    }
}

/// The benchmark module, compiled and set up.
pub fn guest() -> Guest {
    wali_syscalls::block_all_host_signals();
    let engine = wali_runtime::engine::engine().expect("engine");
    let bytes = wat::parse_str(wat()).expect("bench WAT");
    // As `wali run` loads it (table 0 exported to the host).
    let bytes = wali_runtime::rewrite::prepare(&bytes)
        .expect("rewrite")
        .bytes
        .unwrap_or(bytes);
    let module = Module::new(&engine, bytes).expect("compile");
    let mut g = instantiate(&engine, &module);
    let setup = g
        .instance
        .get_typed_func::<(), i64>(&mut g.store, "setup")
        .unwrap();
    let r = setup.call(&mut g.store, ()).expect("setup");
    assert_eq!(r, 0, "guest setup failed");
    g
}
