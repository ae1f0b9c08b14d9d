//! The guest's `/dev/shm`, where POSIX shared memory (`shm_open`) and named
//! semaphores (`sem_open`) live: policy key `dev.shm` (see docs/policy.md).
//!
//! - `"private"` (the default for interpreter modules): a fresh host
//!   directory (mode 0700, under the host's `/dev/shm`, else
//!   `$XDG_RUNTIME_DIR`, else the temporary directory) mounted read-write at
//!   `/dev/shm`, seen by every process of this run (forks and execs inherit
//!   the mount) and removed when the last of them has ended. The removal is
//!   a small detached process started before Landlock applies (the host may
//!   not delete outside its mounts afterwards): it waits for the end of a
//!   pipe every process of the run holds open, then deletes the directory.
//! - `"none"`: no `/dev/shm` (the default for other modules).
//! - a host directory: mounted read-write at `/dev/shm` and kept, so runs
//!   given the same directory share their shared memory and semaphores.
//!
//! A user mount at `/dev/shm` wins over all of these.

use crate::options::RunOptions;
use crate::policy::config::{shm_setting as setting, ShmSetting};
use crate::vfs::MountSpec;
use std::io::Read;
use std::os::fd::IntoRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

pub const GUEST: &str = "/dev/shm";

/// The hidden subcommand that runs the remover (`wali __shm-reaper DIR`).
pub(crate) const REAPER_COMMAND: &str = "__shm-reaper";

/// Adds the `/dev/shm` mount `dev.shm` asks for (unless the user mounted
/// one), creating the private directory and its remover.
pub fn setup(opts: &mut RunOptions, interpreter: bool) -> anyhow::Result<()> {
    let value = opts.policy.dev.shm.clone();
    let setting = setting(value.as_deref(), interpreter).map_err(|e| anyhow::anyhow!("{e}"))?;
    if opts.mounts.iter().any(|m| m.guest == Path::new(GUEST)) {
        return Ok(());
    }
    let host = match setting {
        ShmSetting::None => return Ok(()),
        ShmSetting::Dir(dir) => std::fs::canonicalize(&dir)
            .map_err(|e| anyhow::anyhow!("dev.shm: cannot use '{}': {e}", dir.display()))?,
        ShmSetting::Private => private_dir()?,
    };
    opts.mounts.push(MountSpec {
        host,
        guest: PathBuf::from(GUEST),
        read_only: false,
        root: None,
    });
    Ok(())
}

/// Creates this run's directory and starts its remover.
fn private_dir() -> anyhow::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let bases = [
        Some(PathBuf::from("/dev/shm")),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
        Some(std::env::temp_dir()),
    ];
    let mut last = None;
    for base in bases.into_iter().flatten() {
        let mut rand = [0u8; 8];
        // SAFETY: getrandom writes at most rand.len() bytes into rand.
        unsafe { libc::getrandom(rand.as_mut_ptr().cast(), rand.len(), 0) };
        let name = format!(
            "wali-shm-{}-{}",
            std::process::id(),
            rand.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let dir = base.join(name);
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {
                start_reaper(&dir)?;
                return Ok(dir);
            }
            Err(e) => last = Some((base, e)),
        }
    }
    let (base, e) = last.expect("at least one base");
    anyhow::bail!(
        "cannot create the private /dev/shm directory (last tried in '{}': {e}); set dev.shm to a directory or \"none\"",
        base.display()
    )
}

/// Starts the detached remover of `dir`. It reads a pipe whose write end
/// this process keeps (not close-on-exec, so a guest's execve keeps it, and
/// forked children inherit it); at end of file every process of the run has
/// ended, and it deletes the directory.
pub(crate) fn start_reaper(dir: &Path) -> anyhow::Result<()> {
    let mut child = std::process::Command::new("/proc/self/exe")
        .arg(REAPER_COMMAND)
        .arg(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        // Its own process group: a Ctrl-C for the guest must not end it first.
        .process_group(0)
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start the /dev/shm remover: {e}"))?;
    let keep = child.stdin.take().expect("piped").into_raw_fd();
    // The remover daemonizes: this waits for its first half only, so no
    // child of ours is left for the guest's wait4 to see.
    let _ = child.wait();
    // SAFETY: clears FD_CLOEXEC on a descriptor this function owns (leaked
    // on purpose: it must stay open for the life of the run).
    unsafe { libc::fcntl(keep, libc::F_SETFD, 0) };
    Ok(())
}

/// `wali __shm-reaper DIR`: forks a detached child that waits for end of
/// file on stdin and then deletes DIR; the parent returns at once.
pub fn reaper_main(dir: &Path) -> ! {
    // SAFETY: this process is single-threaded (fresh exec), so fork is safe.
    match unsafe { libc::fork() } {
        0 => {}
        _ => std::process::exit(0),
    }
    // SAFETY: setsid and signal only change this process's own state.
    unsafe {
        libc::setsid();
        for sig in [libc::SIGINT, libc::SIGHUP, libc::SIGTERM, libc::SIGQUIT] {
            libc::signal(sig, libc::SIG_IGN);
        }
    }
    let mut stdin = std::io::stdin().lock();
    let mut buf = [0u8; 64];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    std::process::exit(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings() {
        assert_eq!(setting(None, true), Ok(ShmSetting::Private));
        assert_eq!(setting(None, false), Ok(ShmSetting::None));
        assert_eq!(setting(Some("none"), true), Ok(ShmSetting::None));
        assert_eq!(setting(Some("private"), false), Ok(ShmSetting::Private));
        assert_eq!(
            setting(Some("/srv/shm"), false),
            Ok(ShmSetting::Dir(PathBuf::from("/srv/shm")))
        );
        assert!(setting(Some("shm"), false).is_err());
    }
}
