//! What a Linux user expects around a program, policy table `[userland]`
//! (see docs/policy.md): the shell and tools at `/bin` and `/usr/bin`, a
//! private writable `/tmp`, a private writable `HOME`, a `PATH` that finds
//! them. Each key unset means on for interpreter modules (those with a
//! `wali.interp` manifest) and off for other modules; a set key applies to
//! every module.
//!
//! The user's own choices win: nothing is mounted at or below a guest path
//! a user mount (a `--dir`/`--ro-dir` flag or a policy file's `[[mount]]`)
//! covers, and `PATH`/`HOME` stay as the user's environment sets them.
//!
//! The private `/tmp` and `HOME` live in one fresh host directory per run
//! (mode 0700, in the host's temporary directory), removed when the last
//! process of the run ends by the same remover as the private `/dev/shm`
//! (`shm::start_reaper`).

use crate::options::RunOptions;
use crate::policy::config::Userland;
use crate::vfs::MountSpec;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where the tools appear.
pub const TOOL_DIRS: [&str; 2] = ["/bin", "/usr/bin"];
/// The guest's `/tmp`.
pub const TMP: &str = "/tmp";
/// The guest path of a private or given `HOME`.
pub const HOME: &str = "/home/user";
/// `PATH` for interpreter runs: the interpreter's own directory
/// (`/usr/local/bin`, where the ports mount themselves), then the tools.
pub const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// A directory key's meaning (`tools`, `tmp`, `home`).
#[derive(Debug, PartialEq, Eq)]
pub enum Setting {
    /// Nothing mounted.
    None,
    /// The default thing: the built-in tools, or a per-run directory.
    Default,
    /// This host directory.
    Dir(PathBuf),
}

/// Reads a directory key: `default` is the word that means the default
/// (`"builtin"` for tools, `"private"` for tmp and home); unset means it
/// for an interpreter, none otherwise.
fn setting(
    key: &str,
    value: Option<&str>,
    default: &str,
    interpreter: bool,
) -> Result<Setting, String> {
    match value {
        None if interpreter => Ok(Setting::Default),
        None | Some("none") => Ok(Setting::None),
        Some(v) if v == default => Ok(Setting::Default),
        Some(p) if p.starts_with('/') => Ok(Setting::Dir(PathBuf::from(p))),
        Some(p) => Err(format!(
            "userland.{key} = \"{p}\": expected \"{default}\", \"none\" or an absolute host directory"
        )),
    }
}

/// The values a policy file may hold (checked when it is read).
pub fn check(u: &Userland) -> Result<(), String> {
    setting("tools", u.tools.as_deref(), "builtin", false)?;
    setting("tmp", u.tmp.as_deref(), "private", false)?;
    setting("home", u.home.as_deref(), "private", false)?;
    if let Some(p) = &u.path {
        if p.contains('\0') {
            return Err("userland.path contains a NUL byte".into());
        }
    }
    Ok(())
}

/// The busybox tools built with wali: `build/ports/busybox/bin` of the
/// source tree the running `wali` was built in (`target/release/wali`).
pub fn builtin_tools() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.parent()?;
    let tools = dir.join("build/ports/busybox/bin");
    tools.join("busybox").is_file().then_some(tools)
}

/// Whether a user mount shows guest path `guest` (at it or above it).
fn user_covers(opts: &RunOptions, guest: &Path) -> bool {
    opts.policy
        .mounts
        .iter()
        .any(|m| guest.starts_with(m.guest_path()))
}

fn env_has(env: &[OsString], key: &str) -> bool {
    env.iter().any(|kv| {
        kv.as_encoded_bytes()
            .split(|&b| b == b'=')
            .next()
            .is_some_and(|k| k == key.as_bytes())
    })
}

/// Reports a mount this module adds (under --trace-denials / --trace).
fn report(opts: &RunOptions, what: &str, m: &MountSpec) {
    if opts.trace_denials || opts.trace {
        tracing::warn!(
            target: "wali::policy",
            "userland: mounts {what} {} at {} {}",
            m.host.display(),
            m.guest.display(),
            if m.read_only { "read-only" } else { "read-write" }
        );
    }
}

/// Adds the mounts and variables `[userland]` asks for (see the module
/// docs). `interpreter`: the module has a `wali.interp` manifest.
pub fn setup(opts: &mut RunOptions, interpreter: bool) -> anyhow::Result<()> {
    let u = opts.policy.userland.clone();
    let err = |e: String| anyhow::anyhow!("{e}");
    let tools = setting("tools", u.tools.as_deref(), "builtin", interpreter).map_err(err)?;
    let tmp = setting("tmp", u.tmp.as_deref(), "private", interpreter).map_err(err)?;
    let home = setting("home", u.home.as_deref(), "private", interpreter).map_err(err)?;

    // The tools, read-only.
    let tools_dir = match tools {
        Setting::None => None,
        Setting::Dir(d) => {
            Some(std::fs::canonicalize(&d).map_err(|e| {
                anyhow::anyhow!("userland.tools: cannot use '{}': {e}", d.display())
            })?)
        }
        Setting::Default => {
            let found = builtin_tools();
            if found.is_none() && (u.tools.is_some() || opts.trace_denials || opts.trace) {
                tracing::warn!(
                    target: "wali::policy",
                    "userland: no built-in tools (build/ports/busybox/bin next to this wali's source tree): /bin/sh will not exist; run `make busybox`, or set userland.tools to a directory or \"none\""
                );
            }
            found
        }
    };
    if let Some(dir) = tools_dir {
        for guest in TOOL_DIRS {
            if user_covers(opts, Path::new(guest)) {
                continue;
            }
            let spec = MountSpec {
                host: dir.clone(),
                guest: PathBuf::from(guest),
                read_only: true,
                root: None,
            };
            report(opts, "the tools", &spec);
            opts.mounts.push(spec);
        }
    }

    // /tmp and HOME: given directories as they are, private ones in one
    // per-run directory.
    let want_tmp = tmp != Setting::None && !user_covers(opts, Path::new(TMP));
    let want_home = home != Setting::None && !user_covers(opts, Path::new(HOME));
    let run_dir =
        if (want_tmp && tmp == Setting::Default) || (want_home && home == Setting::Default) {
            Some(run_dir()?)
        } else {
            None
        };
    let host_of = |s: &Setting, key: &str, sub: &str| -> anyhow::Result<PathBuf> {
        match s {
            Setting::Dir(d) => std::fs::canonicalize(d)
                .map_err(|e| anyhow::anyhow!("userland.{key}: cannot use '{}': {e}", d.display())),
            _ => {
                use std::os::unix::fs::DirBuilderExt;
                let dir = run_dir.as_ref().expect("created above").join(sub);
                std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
                Ok(dir)
            }
        }
    };
    if want_tmp {
        let host = host_of(&tmp, "tmp", "tmp")?;
        if tmp == Setting::Default {
            let below: Vec<(PathBuf, bool)> = opts
                .mounts
                .iter()
                .map(|m| (m.guest.clone(), m.host.is_dir()))
                .chain(
                    opts.policy
                        .mounts
                        .iter()
                        .map(|m| (m.guest_path(), m.host.is_dir())),
                )
                .collect();
            make_mount_parents(&host, &below)?;
        }
        let spec = MountSpec {
            host,
            guest: PathBuf::from(TMP),
            read_only: false,
            root: None,
        };
        report(opts, "/tmp", &spec);
        opts.mounts.push(spec);
    }
    if want_home {
        let spec = MountSpec {
            host: host_of(&home, "home", "home")?,
            guest: PathBuf::from(HOME),
            read_only: false,
            root: None,
        };
        report(opts, "HOME", &spec);
        opts.mounts.push(spec);
        if !env_has(&opts.env, "HOME") {
            opts.env.push(format!("HOME={HOME}").into());
        }
    }

    let path = match &u.path {
        Some(p) => Some(p.as_str()),
        None if interpreter => Some(DEFAULT_PATH),
        None => None,
    };
    if let Some(p) = path.filter(|p| !p.is_empty()) {
        if !env_has(&opts.env, "PATH") {
            opts.env.push(format!("PATH={p}").into());
        }
    }
    Ok(())
}

/// Creates, inside the private `/tmp` (host directory `tmp`), the
/// directories leading to every mount below `/tmp` (a script in
/// `/tmp/app/x.rb` has its directory mounted there), and the mount point of
/// a directory mount, so that walking the path component by component
/// (Ruby's `realpath`, `ls /tmp`) finds them as it would on the host
/// instead of `ENOENT`.
fn make_mount_parents(tmp: &Path, guests: &[(PathBuf, bool)]) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    use std::path::Component;
    for (guest, is_dir) in guests {
        let Ok(rel) = guest.strip_prefix(TMP) else {
            continue;
        };
        // Only plain names: nothing may lead outside the private directory.
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            continue;
        }
        let Some(parent) =
            (if *is_dir { Some(rel) } else { rel.parent() }).filter(|p| !p.as_os_str().is_empty())
        else {
            continue;
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(tmp.join(parent))?;
    }
    Ok(())
}

/// Creates this run's private directory (for /tmp and HOME) and starts its
/// remover.
fn run_dir() -> anyhow::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let bases = [
        Some(std::env::temp_dir()),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
    ];
    let mut last = None;
    for base in bases.into_iter().flatten() {
        let mut rand = [0u8; 8];
        // SAFETY: getrandom writes at most rand.len() bytes into rand.
        unsafe { libc::getrandom(rand.as_mut_ptr().cast(), rand.len(), 0) };
        let name = format!(
            "wali-run-{}-{}",
            std::process::id(),
            rand.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let dir = base.join(name);
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {
                crate::shm::start_reaper(&dir)?;
                return Ok(dir);
            }
            Err(e) => last = Some((base, e)),
        }
    }
    let (base, e) = last.expect("at least one base");
    anyhow::bail!(
        "cannot create the private /tmp and HOME directory (last tried in '{}': {e}); set userland.tmp and userland.home to directories or \"none\"",
        base.display()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_private_tmp_holds_the_directories_leading_to_mounts_below_it() {
        let dir = std::env::temp_dir().join(format!("wali-ut-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let guests = [
            (PathBuf::from("/tmp/ci/ports/ruby/smoke"), true),
            (PathBuf::from("/tmp/f/file.txt"), false),
            (PathBuf::from("/tmp/top"), false),
            (PathBuf::from("/tmp/../etc/x"), true),
            (PathBuf::from("/home/user"), true),
        ];
        make_mount_parents(&dir, &guests).unwrap();
        assert!(dir.join("ci/ports/ruby/smoke").is_dir());
        assert!(dir.join("f").is_dir() && !dir.join("f/file.txt").exists());
        assert!(!dir.join("top").exists());
        assert!(!dir.join("etc").exists() && !dir.parent().unwrap().join("etc/x").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    use super::*;

    #[test]
    fn settings() {
        assert_eq!(setting("tmp", None, "private", true), Ok(Setting::Default));
        assert_eq!(setting("tmp", None, "private", false), Ok(Setting::None));
        assert_eq!(
            setting("tmp", Some("none"), "private", true),
            Ok(Setting::None)
        );
        assert_eq!(
            setting("tmp", Some("private"), "private", false),
            Ok(Setting::Default)
        );
        assert_eq!(
            setting("tools", Some("/opt/tools"), "builtin", false),
            Ok(Setting::Dir(PathBuf::from("/opt/tools")))
        );
        assert!(setting("tools", Some("private"), "builtin", false).is_err());
        assert!(setting("tmp", Some("tmp"), "private", false).is_err());
    }

    #[test]
    fn env_lookup_matches_whole_keys() {
        let env = vec![OsString::from("PATHX=1"), OsString::from("HOME=/h")];
        assert!(!env_has(&env, "PATH"));
        assert!(env_has(&env, "HOME"));
    }
}
