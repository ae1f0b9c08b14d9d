//! Loading a WALI module and running its main thread.

use std::ffi::OsString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use wali_core::exit::{outcome_of, Outcome};
use wali_core::fdtable::{FdTable, OpenFile};
use wali_core::mm::MemoryMap;
use wali_core::options::{Inherited, RunOptions};
use wali_core::process::{FsContext, Process, Thread};
use wali_core::signal::SignalTable;
use wali_core::vfs::{parse_canonical, MountSpec, Vfs};
use wali_syscalls::start::{start_main_thread, GuestThread};
use wasmtime::{Engine, Linker, Module};

/// Problems with the command line's module, each worth one clear line.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read module '{path}'")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("'{path}' is not a regular file ({kind}); give the path of a .wasm file")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("'{0}' is not a WebAssembly module (no \\0asm header)")]
    NotWasm(PathBuf),
    #[error("'{path}' is not a valid WebAssembly module: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("'{path}': its wali.interp manifest is refused: {reason}")]
    Manifest { path: PathBuf, reason: String },
    #[error("'{0}' is not a WALI module: it has no `_start` export")]
    NoStart(PathBuf),
    #[error("'{path}' imports `{module}.{name}`, which wali does not provide{hint}")]
    UnknownImport {
        path: PathBuf,
        module: String,
        name: String,
        hint: &'static str,
    },
    #[error("'{path}' imports `wali.{name}` with the wrong type (wali's is {expected})")]
    ImportType {
        path: PathBuf,
        name: String,
        expected: String,
    },
}

impl LoadError {
    /// Exit status for the `wali` process, following the shell's convention
    /// (127: not found, 126: found but cannot run).
    pub fn exit_code(&self) -> i32 {
        match self {
            LoadError::Unreadable { source, .. }
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                127
            }
            _ => 126,
        }
    }
}

/// Guest path of the file holding the initial environment.
const ENVFILE_GUEST: &str = "/run/wali/environ";

/// Reads the module file. It is opened non-blocking and must be a regular
/// file: a FIFO (or a device) named as the module would otherwise block or
/// never end.
pub fn read_module(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let unreadable = |source| LoadError::Unreadable {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(unreadable)?;
    let ty = file.metadata().map_err(unreadable)?.file_type();
    if !ty.is_file() {
        let kind = if ty.is_dir() {
            "a directory"
        } else if ty.is_fifo() {
            "a FIFO"
        } else if ty.is_socket() {
            "a socket"
        } else if ty.is_char_device() || ty.is_block_device() {
            "a device"
        } else {
            "not a plain file"
        };
        return Err(LoadError::NotRegular {
            path: path.to_owned(),
            kind,
        });
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    if !bytes.starts_with(b"\0asm") {
        return Err(LoadError::NotWasm(path.to_owned()));
    }
    Ok(bytes)
}

/// The guest's working directory at start: the host's, when a mount covers
/// it, else `/`.
fn initial_cwd(vfs: &Vfs) -> Vec<Vec<u8>> {
    let Ok(host_cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    // The deepest mount; among mounts of the same host directory, one at
    // the same guest path (then the later one).
    let mut best: Option<((usize, bool), wali_core::vfs::GuestPath)> = None;
    for m in vfs.mounts.iter().filter(|m| m.is_dir) {
        let Ok(host_root) = std::fs::canonicalize(&m.host) else {
            continue;
        };
        if let Ok(rest) = host_cwd.strip_prefix(&host_root) {
            let same_path = parse_canonical(host_root.as_os_str().as_bytes()) == m.guest;
            let depth = (host_root.components().count(), same_path);
            if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
                let mut guest = m.guest.clone();
                guest.extend(parse_canonical(rest.as_os_str().as_bytes()));
                best = Some((depth, guest));
            }
        }
    }
    best.map(|(_, g)| g).unwrap_or_default()
}

/// A memfd holding the environment, mounted read-only at ENVFILE_GUEST.
fn envfile(env: &[OsString]) -> anyhow::Result<OwnedFd> {
    let file = wali_core::host::memfd_create(c"wali-environ", libc::MFD_CLOEXEC)
        .map_err(|e| anyhow::anyhow!("memfd_create: {}", std::io::Error::from_raw_os_error(e.0)))?;
    let mut content = Vec::new();
    for kv in env {
        content.extend_from_slice(kv.as_bytes());
        content.push(b'\n');
    }
    std::fs::File::from(file.try_clone()?).write_all_at(&content, 0)?;
    Ok(file)
}

trait WriteAllAt {
    fn write_all_at(&self, buf: &[u8], off: u64) -> std::io::Result<()>;
}
impl WriteAllAt for std::fs::File {
    fn write_all_at(&self, buf: &[u8], off: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(self, buf, off)
    }
}

/// The descriptors an execve kept: the same host fds at the same guest numbers.
fn inherited_table(inherit: &Inherited) -> FdTable {
    let mut table = FdTable::new(1024);
    let mut by_host: std::collections::HashMap<i32, Arc<OpenFile>> = Default::default();
    for (guest, host) in &inherit.fds {
        let file = by_host
            .entry(*host)
            .or_insert_with(|| {
                // SAFETY: F_SETFD takes an int flag and touches no memory.
                unsafe { libc::fcntl(*host, libc::F_SETFD, libc::FD_CLOEXEC) };
                // SAFETY: the previous image handed descriptor `host` over to
                // this one (see `exec::reexec`); the `by_host` map makes this
                // its only owner, however many guest numbers share it.
                OpenFile::host(unsafe { OwnedFd::from_raw_fd(*host) })
            })
            .clone();
        table.put(
            *guest as usize,
            wali_core::fdtable::FdEntry {
                file,
                cloexec: false,
            },
        );
    }
    for (guest, path) in &inherit.virtual_dirs {
        table.put(
            *guest as usize,
            wali_core::fdtable::FdEntry {
                file: OpenFile::virtual_dir(path),
                cloexec: false,
            },
        );
    }
    table
}

/// Host descriptors 0-2 become the guest's 0-2 (duplicated, so a guest
/// closing its stderr does not silence the host's messages).
fn stdio_table() -> FdTable {
    let mut table = FdTable::new(1024);
    for fd in 0..3 {
        if let Ok(dup) = wali_core::host::dup_cloexec(fd, 3) {
            let file = OpenFile::host(dup);
            table.put(
                fd as usize,
                wali_core::fdtable::FdEntry {
                    file,
                    cloexec: false,
                },
            );
        }
    }
    table
}

pub fn build_process(opts: &RunOptions) -> anyhow::Result<(Arc<Process>, OwnedFd)> {
    let env_fd = envfile(&opts.env)?;
    let mut mounts = opts.mounts.clone();
    // The special files the policy grants (`[dev]`).
    for dev in opts.policy.dev.granted() {
        if Path::new(dev).exists() && !mounts.iter().any(|m| m.guest == Path::new(dev)) {
            mounts.push(MountSpec {
                host: dev.into(),
                guest: dev.into(),
                read_only: false,
                root: None,
            });
        }
    }
    use std::os::fd::AsRawFd;
    mounts.push(MountSpec {
        host: format!("/proc/self/fd/{}", env_fd.as_raw_fd()).into(),
        guest: ENVFILE_GUEST.into(),
        read_only: true,
        root: None,
    });
    // The default /etc (hosts, passwd, ...); its memfds may close once the
    // mounts hold them.
    let (etc, _etc_fds) = wali_core::etc::default_etc(&opts.mounts)?;
    mounts.extend(etc);
    // The CA bundle (`tls.ca_bundle`), beside it.
    mounts.extend(wali_core::policy::tls::mounts(&opts.policy, &opts.mounts)?);
    let mut vfs = Vfs::new(&mounts)?;
    for dev in opts.policy.dev.granted() {
        let guest = parse_canonical(dev.as_bytes());
        if let Some(i) = vfs.mount_at(&guest) {
            if vfs.mounts[i].host == Path::new(dev) {
                vfs.mounts[i].device = true;
            }
        }
    }
    for m in &opts.policy.mounts {
        let guest = parse_canonical(m.guest_path().as_os_str().as_bytes());
        if let Some(i) = vfs.mount_at(&guest) {
            vfs.mounts[i].noexec = m.noexec;
            vfs.mounts[i].nodev = m.nodev;
        }
    }
    let cwd = match &opts.inherit {
        Some(i) => parse_canonical(&i.cwd),
        None => initial_cwd(&vfs),
    };
    let cwd_dir = match vfs.place(cwd.clone()) {
        Ok(wali_core::vfs::Place {
            at: wali_core::vfs::At::Host { mount, fd },
            ..
        }) => Some((mount, Arc::new(fd.into_owned()?))),
        _ => None,
    };
    let argv0 = opts.argv0.as_deref().unwrap_or(opts.module.as_os_str());
    let mut argv = vec![argv0.as_bytes().to_vec()];
    argv.extend(opts.args.iter().map(|a| a.clone().into_vec()));
    // Reading the umask means setting it: put the old one straight back.
    let umask = wali_core::host::umask(0o022);
    wali_core::host::umask(umask);
    let proc = Process {
        argv,
        env: opts.env.iter().map(|e| e.as_bytes().to_vec()).collect(),
        envfile: ENVFILE_GUEST.as_bytes().to_vec(),
        vfs,
        fds: Mutex::new(match &opts.inherit {
            Some(i) => inherited_table(i),
            None => stdio_table(),
        }),
        fs: Mutex::new(FsContext {
            cwd,
            cwd_dir,
            umask,
        }),
        mm: Mutex::new(MemoryMap::default()),
        signals: Mutex::new(SignalTable::default()),
        children: Mutex::new(
            opts.inherit
                .as_ref()
                .map(|i| i.children.iter().copied().collect())
                .unwrap_or_default(),
        ),
        ancestors: Mutex::new(
            opts.inherit
                .as_ref()
                .map(|i| i.ancestors.clone())
                .unwrap_or_default(),
        ),
        siblings: Mutex::new(Vec::new()),
        own_group: Default::default(),
        stats: opts
            .syscall_stats
            .as_ref()
            .map(|_| (0..512).map(|_| AtomicU64::new(0)).collect()),
        limits: Mutex::new([None; 16]),
        image: std::sync::OnceLock::new(),
        threads: std::sync::atomic::AtomicUsize::new(1),
        options: opts.clone(),
        root: std::sync::atomic::AtomicBool::new(opts.runtime.root),
        landlock: wali_core::policy::landlock::LandlockState::new(
            opts.runtime.landlocked,
            opts.runtime.guest_nnp,
        ),
    };
    if let Some(n) = opts.policy.limits.open_files {
        proc.fds.lock().unwrap().limit = n as usize;
        proc.limits.lock().unwrap()[libc::RLIMIT_NOFILE as usize] = Some((n as u64, n as u64));
    }
    if let Some(m) = opts.policy.limits.memory {
        for r in [libc::RLIMIT_AS, libc::RLIMIT_DATA] {
            proc.limits.lock().unwrap()[r as usize] = Some((m, m));
        }
    }
    if let Some(cpu) = opts.policy.limits.cpu_seconds {
        proc.limits.lock().unwrap()[libc::RLIMIT_CPU as usize] = Some((cpu, cpu + 1));
    }
    if let Some(i) = &opts.inherit {
        let mut limits = proc.limits.lock().unwrap();
        for &(r, cur, max) in &i.rlimits {
            if let Some(slot) = limits.get_mut(r as usize) {
                *slot = Some((cur, max));
            }
            if r == libc::RLIMIT_NOFILE {
                proc.fds.lock().unwrap().limit = cur.min(1 << 20) as usize;
            }
        }
    }
    Ok((Arc::new(proc), env_fd))
}

pub fn linker(engine: &Engine) -> anyhow::Result<Linker<Thread>> {
    let mut linker = Linker::new(engine);
    wali_syscalls::add_to_linker(&mut linker)?;
    Ok(linker)
}

/// Runs the module to completion.
pub fn run(opts: &RunOptions) -> anyhow::Result<Outcome> {
    wali_syscalls::block_all_host_signals();
    let entry_cpu = wali_core::policy::limits::process_cpu_ns();
    let bytes = read_module(&opts.module)?;
    let bytes = match crate::rewrite::prepare(&bytes) {
        Ok(prepared) => {
            for why in &prepared.sjlj_skipped {
                wali_core::host_eprintln!(
                    "wali: warning: '{}': {why}; its setjmp returns 0 and a longjmp to it ends \
                     the guest (see docs/compat.md)",
                    opts.module.display()
                );
            }
            prepared.bytes.unwrap_or(bytes)
        }
        Err(e) => {
            return Err(LoadError::Invalid {
                path: opts.module.clone(),
                reason: format!("{e:#}"),
            }
            .into())
        }
    };
    let engine = crate::engine::engine()?;
    let module = crate::engine::load_module(&engine, &bytes, !opts.no_cache).map_err(|e| {
        LoadError::Invalid {
            path: opts.module.clone(),
            reason: format!("{e:#}"),
        }
    })?;
    let strict = opts.policy.strict_imports == Some(true);
    let bindings = crate::imports::resolve(&opts.module, &module, strict)?;
    let mut opts = opts.clone();
    wali_core::policy::limits::start(&mut opts)?;
    let (proc, _env_fd) = build_process(&opts)?;
    crate::engine::check_cache_not_exposed(&proc.vfs)?;
    // An execve'd image runs under the previous one's domain already
    // (`proc.landlock` holds what it was handed).
    if !opts.runtime.landlocked && opts.policy.landlock != Some(false) {
        let cache = crate::engine::cache_dir();
        wali_core::policy::landlock::restrict(&opts, &proc.vfs, cache.as_deref(), &proc.landlock);
    }
    wali_core::policy::limits::start_watchdog(&proc);
    wali_core::policy::limits::guest_starts(&opts.runtime, entry_cpu);
    wali_core::policy::limits::start_cpu_watcher(&proc);
    let outcome = run_main_thread(&engine, &module, &bindings, proc.clone());
    proc.write_stats()?;
    outcome
}

fn run_main_thread(
    engine: &Engine,
    module: &Module,
    bindings: &[crate::imports::Binding],
    proc: Arc<Process>,
) -> anyhow::Result<Outcome> {
    let mut linker = linker(engine)?;
    crate::imports::define(&mut linker, bindings)?;
    let GuestThread {
        mut store,
        instance,
    } = start_main_thread(engine, &mut linker, module, proc)?;
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .map_err(anyhow::Error::from)?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(Outcome::Exited(0)),
        Err(e) => Ok(outcome_of(wali_syscalls::sjlj::uncaught(&mut store, e))?),
    }
}
