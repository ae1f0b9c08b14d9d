//! The wasmtime engine configuration and the on-disk cache of compiled
//! modules, whose entries are authenticated (see below).

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::ffi::CString;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use wali_core::vfs::Vfs;
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
    // Authenticated entries get new names, so the unauthenticated ones older
    // versions left are not even looked at (no warning storm on upgrade).
    h.update(MAGIC);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

// ---- authentication of cache entries ------------------------------------------
//
// A cache entry becomes native code, so no entry is deserialized unless it
// carries a MAC made with a key only this user's wali holds: an entry is
// `MAGIC || HMAC-SHA256(key, DOMAIN || name || 0 || code) || code`. The key
// (32 random bytes) lives in `<cache dir>/key`, mode 0600, in the 0700 cache
// directory, created atomically on first use. No guest ever sees that
// directory: a run whose mounts would expose it is refused
// ([`check_cache_not_exposed`]), so neither the key nor the entries can be
// read or written from inside a sandbox.

const MAGIC: &[u8; 8] = b"WALIMAC1";
const TAG_LEN: usize = 32;
const HEADER: usize = MAGIC.len() + TAG_LEN;
const DOMAIN: &[u8] = b"wali module cache v1\0";
const KEY_FILE: &str = "key";

/// HMAC-SHA256 (RFC 2104) of the concatenated `parts`.
fn hmac_sha256(key: &[u8; 32], parts: &[&[u8]]) -> [u8; TAG_LEN] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let mut inner = Sha256::new();
    inner.update(pad(0x36));
    for p in parts {
        inner.update(p);
    }
    let mut outer = Sha256::new();
    outer.update(pad(0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn tag(key: &[u8; 32], name: &str, code: &[u8]) -> [u8; TAG_LEN] {
    hmac_sha256(key, &[DOMAIN, name.as_bytes(), b"\0", code])
}

/// Equality that takes the same time wherever the first difference is.
fn same_tag(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The code of an entry whose tag verifies, else None.
fn verified<'a>(key: &[u8; 32], name: &str, entry: &'a [u8]) -> Option<&'a [u8]> {
    if entry.len() < HEADER || &entry[..MAGIC.len()] != MAGIC {
        return None;
    }
    let code = &entry[HEADER..];
    same_tag(&entry[MAGIC.len()..HEADER], &tag(key, name, code)).then_some(code)
}

fn open_dir_nofollow(dir: &Path) -> std::io::Result<OwnedFd> {
    let c = CString::new(dir.as_os_str().as_bytes())?;
    // SAFETY: `c` is a NUL-terminated path.
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a descriptor open just returned, owned by nothing else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The cache directory, created 0700 (and made 0700 when it is ours).
fn private_dir(dir: &Path) -> std::io::Result<OwnedFd> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let fd = open_dir_nofollow(dir)?;
    // SAFETY: `fd` is an open descriptor; fchmod changes only its mode.
    unsafe { libc::fchmod(fd.as_raw_fd(), 0o700) };
    Ok(fd)
}

/// The cache's key: read from `<dir>/key`, or created there atomically (a
/// private temporary file linked into place; a concurrent first run that
/// links first wins and both use its key).
fn cache_secret(dir: &Path) -> anyhow::Result<[u8; 32]> {
    let dirfd = private_dir(dir).context("creating the cache directory")?;
    let name = CString::new(KEY_FILE).unwrap();
    for _ in 0..8 {
        // SAFETY: `dirfd` is open, `name` NUL-terminated.
        let fd = unsafe {
            libc::openat(
                dirfd.as_raw_fd(),
                name.as_ptr(),
                libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            )
        };
        if fd >= 0 {
            // SAFETY: a descriptor openat just returned.
            let mut file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
            let meta = file.metadata()?;
            // SAFETY: geteuid has no preconditions.
            let euid = unsafe { libc::geteuid() };
            if !meta.is_file() || meta.uid() != euid || meta.mode() & 0o077 != 0 || meta.len() != 32
            {
                anyhow::bail!(
                    "module cache key {} is not a private 32-byte file of yours (mode 0600); remove it to start a new cache",
                    dir.join(KEY_FILE).display()
                );
            }
            let mut key = [0u8; 32];
            file.read_exact(&mut key)?;
            return Ok(key);
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::NotFound {
            return Err(err).context("reading the module cache key");
        }
        let mut key = [0u8; 32];
        getrandom_fill(&mut key)?;
        let tmp = CString::new(format!(".key-{}-{}", std::process::id(), unique())).unwrap();
        // SAFETY: `dirfd` is open, `tmp` NUL-terminated; O_EXCL never
        // opens an existing file or follows a symlink.
        let fd = unsafe {
            libc::openat(
                dirfd.as_raw_fd(),
                tmp.as_ptr(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                0o600,
            )
        };
        if fd < 0 {
            return Err(std::io::Error::last_os_error()).context("creating the module cache key");
        }
        // SAFETY: a descriptor openat just returned.
        let mut file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
        let written = file.write_all(&key).and_then(|_| file.sync_all());
        // SAFETY: both names are NUL-terminated, relative to the open `dirfd`.
        let linked = written.is_ok()
            && unsafe {
                libc::linkat(
                    dirfd.as_raw_fd(),
                    tmp.as_ptr(),
                    dirfd.as_raw_fd(),
                    name.as_ptr(),
                    0,
                )
            } == 0;
        let link_err = std::io::Error::last_os_error();
        // SAFETY: as above.
        unsafe { libc::unlinkat(dirfd.as_raw_fd(), tmp.as_ptr(), 0) };
        written.context("writing the module cache key")?;
        if linked {
            return Ok(key);
        }
        if link_err.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(link_err).context("creating the module cache key");
        }
        // Another run created it first: read theirs.
    }
    anyhow::bail!(
        "the module cache key keeps changing under {}",
        dir.display()
    )
}

fn getrandom_fill(buf: &mut [u8]) -> std::io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: the pointer and length describe the unfilled part of `buf`.
        let n = unsafe { libc::getrandom(buf[done..].as_mut_ptr().cast(), buf.len() - done, 0) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        done += n as usize;
    }
    Ok(())
}

fn unique() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Refuses a run whose mounts would show the guest the module cache (its
/// compiled code and its key): a mount of the cache directory, of anything
/// above it, or of anything inside it. Compared by inode on the descriptors
/// the VFS will serve, never by path: a symlink, a bind mount or `..` in a
/// mount's host path names the same directory under another spelling, and
/// the descriptors are what the guest reaches. Landlock cannot carve the
/// cache out of a granted tree, so refusing is the only safe answer.
/// `--no-cache` does not lift this: a guest that wrote the key and entries
/// now could make a later run execute its code.
pub fn check_cache_not_exposed(vfs: &Vfs) -> anyhow::Result<()> {
    let Some(dir) = cache_dir() else {
        return Ok(());
    };
    // Created now (0700) so that it exists to compare; where it cannot be,
    // its deepest existing ancestor stands for it (a guest that could write
    // there could create the cache).
    let (cache, exists) = match private_dir(&dir) {
        Ok(fd) => (fd, true),
        Err(_) => (deepest_existing_ancestor(&dir)?, false),
    };
    let shown = std::fs::canonicalize(&dir).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(&dir))
            .unwrap_or_else(|_| dir.clone())
    });
    let cache_id = inode_of(&cache)?;
    let above: Vec<(u64, u64)> = ancestors(&cache)?;
    let inside: Vec<(u64, u64)> = if exists { files_in(&dir) } else { Vec::new() };
    for m in &vfs.mounts {
        let id = inode_of(&m.root)?;
        let exposed = if m.is_dir {
            id == cache_id
                || above.contains(&id)
                || (exists && ancestors(&m.root)?.contains(&cache_id))
        } else {
            inside.contains(&id)
        };
        if exposed {
            anyhow::bail!(
                "mount {} would show the guest the module cache {} (compiled code and its key); mount a directory that does not contain it, or set WALI_CACHE_DIR to a directory outside every mount",
                m.host.display(),
                shown.display()
            );
        }
    }
    Ok(())
}

/// (st_dev, st_ino) of an open descriptor.
fn inode_of(fd: &impl AsRawFd) -> anyhow::Result<(u64, u64)> {
    // SAFETY: an all-zero `stat` is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open and `st` is a writable `stat`.
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error()).context("fstat of a mount");
    }
    Ok((st.st_dev, st.st_ino))
}

/// The inodes of every directory above `dir` (not `dir` itself), found by
/// opening `..` from the descriptor, so no path is re-resolved.
fn ancestors(dir: &impl AsRawFd) -> anyhow::Result<Vec<(u64, u64)>> {
    let mut out = Vec::new();
    let mut here = inode_of(dir)?;
    // SAFETY: `dir` is open; dup gives an independent descriptor we own.
    let first = unsafe { libc::fcntl(dir.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) };
    if first < 0 {
        return Err(std::io::Error::last_os_error()).context("dup of a mount");
    }
    // SAFETY: a descriptor fcntl just returned, owned by nothing else.
    let mut cur = unsafe { OwnedFd::from_raw_fd(first) };
    for _ in 0..4096 {
        // SAFETY: `cur` is an open directory (or O_PATH) descriptor and the
        // name is NUL-terminated.
        let fd = unsafe {
            libc::openat(
                cur.as_raw_fd(),
                c"..".as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            // A file mount (or an unreadable ancestor) has no way up.
            break;
        }
        // SAFETY: a descriptor openat just returned, owned by nothing else.
        let parent = unsafe { OwnedFd::from_raw_fd(fd) };
        let id = inode_of(&parent)?;
        if id == here {
            break; // `/` is its own parent
        }
        out.push(id);
        here = id;
        cur = parent;
    }
    Ok(out)
}

/// The inodes of the files in the cache directory (its key and entries), so
/// that a file mount of one of them is caught.
fn files_in(dir: &Path) -> Vec<(u64, u64)> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| (m.dev(), m.ino()))
        .collect()
}

/// The deepest directory of `dir`'s path that exists, opened.
fn deepest_existing_ancestor(dir: &Path) -> anyhow::Result<OwnedFd> {
    let abs = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()?.join(dir)
    };
    let mut p = abs.as_path();
    loop {
        if let Ok(fd) = open_dir_nofollow(p) {
            return Ok(fd);
        }
        p = p
            .parent()
            .with_context(|| format!("no part of the cache path {} exists", dir.display()))?;
    }
}

/// Compiles `bytes`, or loads the compiled code cached by an earlier run.
/// The cache is best effort: any failure falls back to compiling.
pub fn load_module(engine: &Engine, bytes: &[u8], use_cache: bool) -> anyhow::Result<Module> {
    let cached = if use_cache { cache_dir() } else { None };
    let Some(dir) = cached else {
        return Module::new(engine, bytes).map_err(anyhow::Error::from);
    };
    let secret = match cache_secret(&dir) {
        Ok(k) => k,
        Err(e) => {
            // An unusable directory stays quiet (as before keys); a bad key
            // file is worth a line.
            if e.chain()
                .any(|c| c.to_string().contains("module cache key"))
            {
                tracing::warn!("wali: {e:#}; compiling without the cache");
            } else {
                tracing::debug!("module cache unavailable: {e:#}");
            }
            return Module::new(engine, bytes).map_err(anyhow::Error::from);
        }
    };
    let name = cache_key(engine, bytes);
    let path = dir.join(format!("{name}.cwasm"));
    // Read once, verify, deserialize those same bytes: nothing is reopened
    // between the check and the use.
    if let Ok(entry) = std::fs::read(&path) {
        match verified(&secret, &name, &entry) {
            Some(code) => {
                // SAFETY: `code` carries a valid MAC under this user's
                // private key, so this wali wrote it with `Module::serialize`
                // of an engine with this configuration (the name hashes it).
                match unsafe { Module::deserialize(engine, code) } {
                    Ok(m) => return Ok(m),
                    Err(e) => tracing::debug!("stale module cache entry {}: {e}", path.display()),
                }
            }
            None => tracing::warn!(
                "wali: module cache entry {} is not authenticated by this cache's key (not written by this wali); recompiling",
                path.display()
            ),
        }
    }
    let module = Module::new(engine, bytes).map_err(anyhow::Error::from)?;
    if let Err(e) = store(&dir, &path, &secret, &name, &module) {
        tracing::debug!("could not cache compiled module: {e:#}");
    }
    Ok(module)
}

fn store(
    dir: &Path,
    path: &Path,
    key: &[u8; 32],
    name: &str,
    module: &Module,
) -> anyhow::Result<()> {
    let code = module.serialize().map_err(anyhow::Error::from)?;
    let mut entry = Vec::with_capacity(HEADER + code.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&tag(key, name, &code));
    entry.extend_from_slice(&code);
    // Write then rename, so a concurrent run never reads half a file.
    let tmp = dir.join(format!(".tmp-{}-{}", std::process::id(), unique()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all(&entry)?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // Test case 1: a 20-byte key (zero padding to the block is HMAC's own).
        let mut key = [0u8; 32];
        key[..20].fill(0x0b);
        let hex: String = hmac_sha256(&key, &[b"Hi ", b"There"])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    #[test]
    fn entries_verify_only_under_their_key_and_name() {
        let key = [7u8; 32];
        let mut entry = MAGIC.to_vec();
        entry.extend_from_slice(&tag(&key, "a", b"code"));
        entry.extend_from_slice(b"code");
        assert_eq!(verified(&key, "a", &entry), Some(&b"code"[..]));
        assert_eq!(verified(&key, "b", &entry), None);
        assert_eq!(verified(&[8u8; 32], "a", &entry), None);
        let mut flipped = entry.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(verified(&key, "a", &flipped), None);
        assert_eq!(verified(&key, "a", b"code"), None);
        assert_eq!(verified(&key, "a", &entry[..HEADER - 1]), None);
    }
}
