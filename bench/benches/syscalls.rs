//! Cost of one syscall made by a guest through wali against the same call
//! made natively. Each guest export loops `n` times inside Wasm, so one
//! criterion measurement is one guest call of `n` rounds (`iter_custom`),
//! and criterion reports the time per round. The native side runs the same
//! loop in Rust with `libc`.
//!
//! `nop_import` is a bare wasmtime host call (no wali dispatch): the floor
//! under every guest syscall.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::ffi::CString;
use std::hint::black_box;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static HANDLED: AtomicU32 = AtomicU32::new(0);
static SIGNAL_RAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    HANDLED.fetch_add(1, Ordering::Relaxed);
}

struct Native {
    zero: i32,
    null: i32,
    file: CString,
    deep_file: CString,
    buf: Vec<u8>,
    futex_word: AtomicU32,
    tid: i32,
}

impl Native {
    fn new(dir: &std::path::Path) -> Native {
        let open = |p: &str, flags| {
            let c = CString::new(p).unwrap();
            // Kept open for the whole benchmark: the native loops use the raw
            // descriptor as a native program would.
            let fd =
                wali_core::host::open(&c, flags, 0).unwrap_or_else(|e| panic!("open {p}: {e:?}"));
            std::os::fd::IntoRawFd::into_raw_fd(fd)
        };
        let mut sa = wali_core::host::zeroed::<libc::sigaction>();
        // SAFETY: `on_signal` is async-signal-safe (one atomic add); `sa` is a
        // live sigaction the calls only read or fill while they run.
        unsafe {
            sa.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            // SIGUSR2: the guest's SIGUSR1 has wali's host handler.
            libc::sigaction(libc::SIGUSR2, &sa, std::ptr::null_mut());
        }
        let path = |rel: &str| CString::new(dir.join(rel).into_os_string().into_encoded_bytes());
        Native {
            zero: open("/dev/zero", libc::O_RDONLY),
            null: open("/dev/null", libc::O_WRONLY),
            file: path("file").unwrap(),
            deep_file: path("d1/d2/d3/d4/d5/d6/file").unwrap(),
            buf: vec![0; 65536],
            futex_word: AtomicU32::new(0),
            tid: wali_core::host::tid(),
        }
    }

    /// One round of loop `name`, as the guest's export of the same name.
    #[inline(always)]
    fn round(&mut self, name: &str) -> i64 {
        // SAFETY: every call gets live buffers of at least the length it is
        // given (`buf` is 64 KiB, the locals are the types the calls fill),
        // NUL-terminated paths, and a futex word that lives in `self`; the
        // mapping is unmapped by the same round, and nothing is kept.
        unsafe {
            match name {
                "nop_import" => black_box(0),
                "gettid" => libc::syscall(libc::SYS_gettid),
                "getpid" => libc::syscall(libc::SYS_getpid),
                "clock_gettime" => {
                    // libc's, through the vDSO: what a native program gets.
                    let mut ts = wali_core::host::zeroed::<libc::timespec>();
                    libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) as i64
                }
                "read_1" => libc::read(self.zero, self.buf.as_mut_ptr().cast(), 1) as i64,
                "read_64k" => libc::read(self.zero, self.buf.as_mut_ptr().cast(), 65536) as i64,
                "write_null" => libc::write(self.null, self.buf.as_ptr().cast(), 1) as i64,
                "open_close" => {
                    let fd = libc::open(self.file.as_ptr(), libc::O_RDONLY);
                    libc::close(fd);
                    fd as i64
                }
                "stat" | "stat_deep" => {
                    let mut st = wali_core::host::zeroed::<libc::stat>();
                    let p = if name == "stat" {
                        &self.file
                    } else {
                        &self.deep_file
                    };
                    libc::stat(p.as_ptr(), &mut st) as i64
                }
                "futex_wake" => libc::syscall(
                    libc::SYS_futex,
                    self.futex_word.as_ptr(),
                    libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                    1,
                    0,
                    0,
                    0,
                ),
                "mmap_munmap" => {
                    let p = libc::mmap(
                        std::ptr::null_mut(),
                        65536,
                        libc::PROT_READ | libc::PROT_WRITE,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                        -1,
                        0,
                    );
                    libc::munmap(p, 65536) as i64
                }
                "signal" => {
                    libc::syscall(libc::SYS_tgkill, libc::getpid(), self.tid, libc::SIGUSR2)
                }
                "thread" => {
                    std::thread::spawn(|| black_box(1)).join().unwrap();
                    0
                }
                other => panic!("no native loop {other}"),
            }
        }
    }
}

fn syscalls(c: &mut Criterion) {
    let mut guest = common::guest();
    let dir = common::bench_dir();
    let mut native = Native::new(dir.path());
    for (name, _) in common::LOOPS {
        let f = guest.func(name);
        let mut group = c.benchmark_group(*name);
        group
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
            .sample_size(20);
        if *name == "thread" {
            group
                .measurement_time(Duration::from_secs(2))
                .sample_size(10);
        }
        group.bench_function(BenchmarkId::from_parameter("native"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(native.round(name));
                }
                start.elapsed()
            })
        });
        group.bench_function(BenchmarkId::from_parameter("wali"), |b| {
            b.iter_custom(|iters| {
                if *name == "signal" {
                    SIGNAL_RAN.store(true, Ordering::Relaxed);
                }
                let mut elapsed = Duration::ZERO;
                // The guest loop counts in i32.
                let mut left = iters;
                while left > 0 {
                    let n = i32::try_from(left).unwrap_or(i32::MAX);
                    let start = Instant::now();
                    guest.run(&f, n);
                    elapsed += start.elapsed();
                    left -= n as u64;
                }
                elapsed
            })
        });
        group.finish();
    }
    // The handlers really ran (a sanity check of the setup, not a timing),
    // when the signal benchmark was not filtered out.
    let handled = guest
        .instance
        .get_typed_func::<(), i32>(&mut guest.store, "handled")
        .unwrap()
        .call(&mut guest.store, ())
        .unwrap();
    if SIGNAL_RAN.load(Ordering::Relaxed) {
        assert!(handled > 0 && HANDLED.load(Ordering::Relaxed) > 0);
    }
}

criterion_group!(benches, syscalls);
criterion_main!(benches);
