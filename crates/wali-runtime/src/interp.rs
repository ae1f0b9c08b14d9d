//! Interpreter-aware running: a module may carry a `wali.interp` custom
//! section describing what an interpreter needs to start (its standard
//! library next to the `.wasm`, where the guest expects it, environment
//! defaults). `wali run python.wasm script.py` then works with no other flags:
//! the host mounts the library read-only at its guest path, mounts the module
//! itself where `sys.executable` points (so a subprocess can exec it), mounts
//! the script's directory read-only and passes the script's guest path.
//! Everything else stays default-deny, and the user's own flags win: a
//! user mount of the same guest path replaces ours, a user `--env KEY`
//! replaces a default, a script already under a user mount is not remounted.
//!
//! The section holds a small TOML subset (`key = "string"`,
//! `key = ["a", "b"]`, `#` comments), for example:
//!
//! ```toml
//! name = "python3.13"
//! stdlib = "lib/python3.13"              # host path, relative to the .wasm
//! stdlib_mount = "/usr/local/lib/python3.13"
//! exec_mount = "/usr/local/bin/python3.13"
//! env = ["PYTHONHOME=/usr/local"]
//! # Command-line shape, to find the script among the arguments:
//! short_with_value = "WX"                # -W arg, -Warg
//! short_stop = "cm"                      # -c CMD / -m MOD: no script
//! long_with_value = ["--check-hash-based-pycs"]
//! ```

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use wali_core::errno::Errno;
use wali_core::vfs::MountSpec;
use wali_core::RunOptions;

/// Name of the custom section.
pub const SECTION: &str = "wali.interp";

/// The parsed manifest.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub name: String,
    pub stdlib: Option<String>,
    pub stdlib_mount: Option<String>,
    pub exec_mount: Option<String>,
    pub env: Vec<String>,
    pub short_with_value: String,
    pub short_stop: String,
    pub long_with_value: Vec<String>,
}

/// Reads the `wali.interp` section of a module file, if it has one. Only the
/// section headers are walked (the code is skipped by size), so this is cheap
/// even for a large module.
pub fn read_manifest(module: &Path) -> anyhow::Result<Option<Manifest>> {
    // The loader's own reading: a FIFO or directory is refused, not waited on.
    let bytes = crate::loader::read_module(module)?;
    let Some(text) = find_section(&bytes) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(text)
        .map_err(|_| anyhow::anyhow!("{SECTION} section of '{}' is not UTF-8", module.display()))?;
    parse(text)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("{SECTION} section of '{}': {e}", module.display()))
}

fn find_section(bytes: &[u8]) -> Option<&[u8]> {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            wasmparser::Payload::CustomSection(c) if c.name() == SECTION => {
                return Some(c.data());
            }
            // Skip function bodies without parsing them.
            wasmparser::Payload::CodeSectionStart { .. } => {}
            _ => {}
        }
    }
    None
}

/// Parses the TOML subset described in the module docs.
pub fn parse(text: &str) -> Result<Manifest, String> {
    let mut m = Manifest::default();
    for (n, raw) in text.lines().enumerate() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let err = |what: &str| format!("line {}: {what}", n + 1);
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| err("expected key = value"))?;
        let key = key.trim();
        let value = value.trim();
        let string = || parse_string(value).ok_or_else(|| err("expected a \"string\""));
        let list = || parse_list(value).ok_or_else(|| err("expected a [\"list\"]"));
        match key {
            "name" => m.name = string()?,
            "stdlib" => m.stdlib = Some(string()?),
            "stdlib_mount" => m.stdlib_mount = Some(string()?),
            "exec_mount" => m.exec_mount = Some(string()?),
            "env" => m.env = list()?,
            "short_with_value" => m.short_with_value = string()?,
            "short_stop" => m.short_stop = string()?,
            "long_with_value" => m.long_with_value = list()?,
            _ => {} // unknown keys: newer manifests stay readable
        }
    }
    for p in [&m.stdlib_mount, &m.exec_mount].into_iter().flatten() {
        if !p.starts_with('/') {
            return Err(format!("'{p}' must be an absolute guest path"));
        }
    }
    Ok(m)
}

/// Drops a `#` comment that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '#' if !in_str => return &line[..i],
            _ => {}
        }
    }
    line
}

/// `"..."` with `\"` and `\\` escapes; returns the string and the rest.
fn parse_string_prefix(s: &str) -> Option<(String, &str)> {
    let s = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                c @ ('"' | '\\') => out.push(c),
                _ => return None,
            },
            c => out.push(c),
        }
    }
    None
}

fn parse_string(s: &str) -> Option<String> {
    let (v, rest) = parse_string_prefix(s)?;
    rest.trim().is_empty().then_some(v)
}

fn parse_list(s: &str) -> Option<Vec<String>> {
    let mut rest = s.strip_prefix('[')?.trim_start();
    let mut out = Vec::new();
    loop {
        if let Some(r) = rest.strip_prefix(']') {
            return r.trim().is_empty().then_some(out);
        }
        let (v, r) = parse_string_prefix(rest)?;
        out.push(v);
        rest = r.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.starts_with(']') {
            return None;
        }
    }
}

/// Index in `args` of the script argument: the first non-option argument,
/// unless an option that ends the interpreter's options (`-c`, `-m`, `-`)
/// comes first.
pub fn script_index(m: &Manifest, args: &[OsString]) -> Option<usize> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_bytes();
        if a == b"--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        if a == b"-" {
            return None;
        }
        if a.starts_with(b"--") {
            let name = a.split(|&b| b == b'=').next().unwrap_or(a);
            if !a.contains(&b'=') && m.long_with_value.iter().any(|l| l.as_bytes() == name) {
                i += 1; // its value is the next argument
            }
        } else if a.len() > 1 && a[0] == b'-' {
            // A cluster of short options, e.g. -BuW error or -c CMD.
            for (j, &c) in a.iter().enumerate().skip(1) {
                if m.short_stop.as_bytes().contains(&c) {
                    return None;
                }
                if m.short_with_value.as_bytes().contains(&c) {
                    if j + 1 == a.len() {
                        i += 1; // -W VALUE
                    }
                    break; // -WVALUE
                }
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The script is already visible to the guest at its own host path: the
/// deepest user mount covering that path maps it to the same host path (a
/// mount of another host directory at, say, `/tmp` does not).
fn covered(mounts: &[MountSpec], script: &Path) -> bool {
    mounts
        .iter()
        .filter(|m| script.starts_with(&m.guest))
        .max_by_key(|m| m.guest.components().count())
        .is_some_and(|m| m.host == m.guest)
}

fn env_key(kv: &[u8]) -> &[u8] {
    kv.split(|&b| b == b'=').next().unwrap_or(kv)
}

/// The shorter names of a versioned executable: `python3.13` answers to
/// `python3` and `python` too; a name without a version has none.
pub fn short_names(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = name.to_string();
    loop {
        let next = match cur.rsplit_once('.') {
            Some((head, tail)) if tail.chars().all(|c| c.is_ascii_digit()) && !tail.is_empty() => {
                head.to_string()
            }
            _ => cur
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_string(),
        };
        if next == cur || !next.chars().any(|c| c.is_ascii_alphabetic()) {
            return out;
        }
        out.push(next.clone());
        cur = next;
    }
}

/// The host's current directory, read-only at its own path, unless a user
/// mount already shows it, it is `/` (the whole host), or it holds the
/// module cache (which no guest may see: the run would be refused).
fn cwd_mount(user_mounts: &[MountSpec]) -> Option<MountSpec> {
    let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
    if cwd == Path::new("/") || covered_at_all(user_mounts, &cwd) {
        return None;
    }
    if let Some(cache) = crate::engine::cache_dir() {
        let cache = cache.canonicalize().unwrap_or(cache);
        if cache.starts_with(&cwd) {
            tracing::debug!(
                "current directory {} holds the module cache: not mounted",
                cwd.display()
            );
            return None;
        }
    }
    Some(MountSpec {
        host: cwd.clone(),
        guest: cwd,
        read_only: true,
        root: None,
    })
}

/// Whether some user mount shows guest path `p` (at it or above it).
fn covered_at_all(mounts: &[MountSpec], p: &Path) -> bool {
    mounts.iter().any(|m| p.starts_with(&m.guest))
}

/// Where a manifest comes from, which decides what it may mount.
///
/// Hook for boxed applications (a later issue): a box's metadata will come
/// from the person running it (a file they chose, not bytes inside the
/// module) and may then name host paths outside the module's directory.
/// That is a second variant here, chosen by the caller; nothing read from a
/// module may ever select it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestSource {
    /// The module's own `wali.interp` section: untrusted, as the module is.
    /// It may mount only directories inside the module's own directory.
    Module,
}

/// The standard library directory a module's manifest names, resolved by the
/// kernel beneath the module's own directory: `openat2(RESOLVE_BENEATH |
/// RESOLVE_NO_SYMLINKS)` from a descriptor of that directory, so neither `..`
/// nor an absolute path nor any symlink on the way can leave it. Returns the
/// resolved `O_PATH` descriptor (what gets mounted) and its path, or None
/// when it does not exist (a warning, as a library a build forgot).
fn resolve_beneath(
    module: &Path,
    module_dir: &Path,
    rel: &str,
) -> anyhow::Result<Option<(std::sync::Arc<std::os::fd::OwnedFd>, PathBuf)>> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let refuse = |why: &str| -> anyhow::Error {
        crate::loader::LoadError::Manifest {
            path: module.to_owned(),
            reason: format!(
                "stdlib = \"{rel}\" {why}; a module's manifest may mount only directories inside the module's own directory ({})",
                module_dir.display()
            ),
        }
        .into()
    };
    if rel.starts_with('/') {
        return Err(refuse("is an absolute path"));
    }
    let dir_c = std::ffi::CString::new(module_dir.as_os_str().as_bytes())?;
    // SAFETY: a NUL-terminated path.
    let dir = unsafe {
        libc::open(
            dir_c.as_ptr(),
            libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    };
    if dir < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: a descriptor open just returned.
    let dir = unsafe { OwnedFd::from_raw_fd(dir) };
    let rel_c = std::ffi::CString::new(rel).map_err(|_| refuse("contains a NUL byte"))?;
    let fd = match wali_core::vfs::openat2_beneath_nosymlinks(
        dir.as_raw_fd(),
        &rel_c,
        libc::O_PATH | libc::O_DIRECTORY,
    ) {
        Ok(fd) => fd,
        Err(e) => {
            return match e {
                Errno::ENOENT | Errno::ENOTDIR => Ok(None),
                Errno::EXDEV => Err(refuse("leaves the module's directory")),
                Errno::ELOOP => Err(refuse("goes through a symlink")),
                _ => Err(refuse(&format!(
                    "cannot be resolved ({})",
                    std::io::Error::from_raw_os_error(e.0)
                ))),
            };
        }
    };
    // Its path, for messages, Landlock's listing and execve's hand-over
    // (the mount itself uses the descriptor).
    let host = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))?;
    if !host.starts_with(module_dir) {
        return Err(refuse("leaves the module's directory"));
    }
    Ok(Some((std::sync::Arc::new(fd), host)))
}

/// Reports a mount a manifest adds (under --trace-denials / --trace).
fn report(opts: &RunOptions, name: &str, what: &str, m: &MountSpec) {
    if opts.trace_denials || opts.trace {
        tracing::warn!(
            target: "wali::policy",
            "wali.interp manifest ({name}): mounts {what} {} at {} read-only",
            m.host.display(),
            m.guest.display()
        );
    }
}

/// Applies the module's manifest (if any) to the options. Returns whether
/// the module had one.
pub fn apply(opts: &mut RunOptions) -> anyhow::Result<bool> {
    let Some(m) = read_manifest(&opts.module)? else {
        return Ok(false);
    };
    apply_manifest(opts, &m, ManifestSource::Module)?;
    Ok(true)
}

/// Applies manifest `m` from `source` (see [`ManifestSource`]).
pub fn apply_manifest(
    opts: &mut RunOptions,
    m: &Manifest,
    source: ManifestSource,
) -> anyhow::Result<()> {
    let ManifestSource::Module = source;
    let user_mounts = opts.mounts.clone();
    let mut ours: Vec<MountSpec> = Vec::new();
    let module_dir = std::fs::canonicalize(&opts.module)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));

    // The standard library, read-only at its guest path: only a directory
    // beneath the module's own, mounted as resolved.
    if let (Some(rel), Some(guest), Some(dir)) = (&m.stdlib, &m.stdlib_mount, &module_dir) {
        match resolve_beneath(&opts.module, dir, rel)? {
            Some((root, host)) => {
                let spec = MountSpec {
                    host,
                    guest: PathBuf::from(guest),
                    read_only: true,
                    root: Some(root),
                };
                report(opts, &m.name, "its library", &spec);
                ours.push(spec);
            }
            None => tracing::warn!(
                "{}: standard library {} not found; not mounted",
                m.name,
                dir.join(rel).display()
            ),
        }
    }
    // The module itself, so that sys.executable can be exec'd.
    if let Some(guest) = &m.exec_mount {
        if let Ok(host) = std::fs::canonicalize(&opts.module) {
            let spec = MountSpec {
                host,
                guest: PathBuf::from(guest),
                read_only: true,
                root: None,
            };
            report(opts, &m.name, "the module", &spec);
            // Its shorter names beside it (python3.13: python3, python),
            // so that a command line or `#!/usr/bin/env python3` finds it.
            let guest = Path::new(guest);
            if let (Some(dir), Some(name)) = (guest.parent(), guest.file_name()) {
                for short in short_names(&name.to_string_lossy()) {
                    ours.push(MountSpec {
                        guest: dir.join(short),
                        ..spec.clone()
                    });
                }
            }
            ours.push(spec);
            if opts.argv0.is_none() {
                opts.argv0 = Some(OsString::from(guest));
            }
        }
    }
    // The script: its directory read-only, its guest path as the argument.
    if let Some(i) = script_index(m, &opts.args) {
        let path = Path::new(&opts.args[i]);
        if path.is_file() {
            let host = std::fs::canonicalize(path)?;
            if !covered(&user_mounts, &host) {
                if let Some(dir) = host.parent() {
                    // The user's own argument names it; the manifest only
                    // says which argument is the script.
                    let spec = MountSpec {
                        host: dir.to_path_buf(),
                        guest: dir.to_path_buf(),
                        read_only: true,
                        root: None,
                    };
                    report(opts, &m.name, "the script's directory", &spec);
                    ours.push(spec);
                }
            }
            opts.args[i] = host.into_os_string();
        }
    }
    // No script (-c, -m, a prompt): the current directory, read-only, as
    // the script's would be (policy key userland.cwd; see cwd_mount).
    if script_index(m, &opts.args).is_none() && opts.policy.userland.cwd != Some(false) {
        if let Some(spec) = cwd_mount(&user_mounts) {
            report(opts, &m.name, "the current directory", &spec);
            ours.push(spec);
        }
    }
    // Ours first: a user mount of the same guest path, later, replaces ours.
    ours.extend(user_mounts);
    opts.mounts = ours;

    for kv in &m.env {
        let key = env_key(kv.as_bytes());
        if !opts.env.iter().any(|e| env_key(e.as_bytes()) == key) {
            opts.env.push(OsString::from_vec(kv.as_bytes().to_vec()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        parse(
            r#"
# comment
name = "python3.13"
stdlib = "lib/python3.13"   # trailing comment
stdlib_mount = "/usr/local/lib/python3.13"
exec_mount = "/usr/local/bin/python3.13"
env = ["PYTHONHOME=/usr/local", "A=#x"]
short_with_value = "WX"
short_stop = "cm"
long_with_value = ["--check-hash-based-pycs"]
future = "ignored"
"#,
        )
        .unwrap()
    }

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_the_subset() {
        let m = manifest();
        assert_eq!(m.name, "python3.13");
        assert_eq!(m.stdlib.as_deref(), Some("lib/python3.13"));
        assert_eq!(m.env, vec!["PYTHONHOME=/usr/local", "A=#x"]);
        assert_eq!(m.long_with_value, vec!["--check-hash-based-pycs"]);
        assert!(parse("name = ").is_err());
        assert!(parse("no equals sign").is_err());
        assert!(parse("stdlib_mount = \"relative\"").is_err());
        assert_eq!(parse_list("[]"), Some(vec![]));
        assert_eq!(parse_string(r#""a\"b\\c""#).as_deref(), Some("a\"b\\c"));
    }

    #[test]
    fn finds_the_script() {
        let m = manifest();
        assert_eq!(script_index(&m, &args(&["s.py", "-c"])), Some(0));
        assert_eq!(
            script_index(&m, &args(&["-u", "-W", "error", "s.py"])),
            Some(3)
        );
        assert_eq!(script_index(&m, &args(&["-Werror", "s.py"])), Some(1));
        assert_eq!(script_index(&m, &args(&["-BX", "dev", "s.py"])), Some(2));
        assert_eq!(script_index(&m, &args(&["-c", "s.py"])), None);
        assert_eq!(script_index(&m, &args(&["-Bc", "pass"])), None);
        assert_eq!(script_index(&m, &args(&["-m", "test"])), None);
        assert_eq!(script_index(&m, &args(&["-"])), None);
        assert_eq!(
            script_index(&m, &args(&["--check-hash-based-pycs", "always", "s.py"])),
            Some(2)
        );
        assert_eq!(script_index(&m, &args(&["--", "s.py"])), Some(1));
        assert_eq!(script_index(&m, &args(&[])), None);
    }

    #[test]
    fn versioned_names_have_short_forms() {
        assert_eq!(short_names("python3.13"), vec!["python3", "python"]);
        assert_eq!(short_names("ruby3.3"), vec!["ruby3", "ruby"]);
        assert!(short_names("ruby").is_empty());
        assert!(short_names("3.13").is_empty());
        assert!(short_names("tool.d").is_empty());
    }

    #[test]
    fn reads_the_custom_section() {
        let mut module = wasm_encoder::Module::new();
        module.section(&wasm_encoder::CustomSection {
            name: SECTION.into(),
            data: b"name = \"x\"\n".as_slice().into(),
        });
        let bytes = module.finish();
        assert_eq!(find_section(&bytes), Some(b"name = \"x\"\n".as_slice()));
        let empty = wasm_encoder::Module::new().finish();
        assert_eq!(find_section(&empty), None);
    }

    #[test]
    fn a_script_is_covered_only_by_a_mount_of_its_own_host_path() {
        let mount = |host: &str, guest: &str| MountSpec {
            host: PathBuf::from(host),
            guest: PathBuf::from(guest),
            read_only: false,
            root: None,
        };
        let script = Path::new("/tmp/job/s.py");
        assert!(covered(&[mount("/tmp", "/tmp")], script));
        assert!(!covered(&[mount("/scratch", "/tmp")], script));
        assert!(!covered(
            &[mount("/tmp", "/tmp"), mount("/x", "/tmp/job")],
            script
        ));
        assert!(!covered(&[], script));
    }
}
