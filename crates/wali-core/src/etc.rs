//! The guest's default `/etc`: small read-only files synthesised at start.

use crate::vfs::MountSpec;
use std::os::fd::{AsRawFd, OwnedFd};

/// Read-only files of the guest's default `/etc` (hosts, resolv.conf,
/// services, protocols, passwd, group, nsswitch.conf), as memfds mounted at
/// `/etc/<name>`. Nothing when a user mount has guest path `/etc`; a user
/// mount of one of the files wins over it. The returned descriptors may be
/// closed once the mounts are open.
pub fn default_etc(user: &[MountSpec]) -> anyhow::Result<(Vec<MountSpec>, Vec<OwnedFd>)> {
    use std::path::Path;
    let mut specs = Vec::new();
    let mut fds = Vec::new();
    if user.iter().any(|m| m.guest == Path::new("/etc")) {
        return Ok((specs, fds));
    }
    let (uid, gid) = (crate::host::uid(), crate::host::gid());
    let user_name = host_name_of(uid, true).unwrap_or_else(|| {
        if uid == 0 {
            "root".into()
        } else {
            "user".into()
        }
    });
    let group_name = host_name_of(gid, false).unwrap_or_else(|| user_name.clone());
    let host_or =
        |p: &str, fallback: &str| std::fs::read(p).unwrap_or_else(|_| fallback.as_bytes().to_vec());
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        (
            "hosts",
            b"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n".to_vec(),
        ),
        ("services", host_or("/etc/services", MIN_SERVICES)),
        ("protocols", host_or("/etc/protocols", MIN_PROTOCOLS)),
        (
            "passwd",
            format!("{user_name}:x:{uid}:{gid}:{user_name}:/:/bin/sh\n").into_bytes(),
        ),
        ("group", format!("{group_name}:x:{gid}:\n").into_bytes()),
        (
            "nsswitch.conf",
            b"passwd: files\ngroup: files\nhosts: files dns\n".to_vec(),
        ),
    ];
    if let Ok(r) = std::fs::read("/etc/resolv.conf") {
        files.push(("resolv.conf", r));
    }
    for (name, content) in files {
        let guest = format!("/etc/{name}");
        if user.iter().any(|m| m.guest == Path::new(&guest)) {
            continue;
        }
        let cname = std::ffi::CString::new(format!("wali-etc-{name}"))?;
        let file = crate::host::memfd_create(&cname, libc::MFD_CLOEXEC).map_err(|e| {
            anyhow::anyhow!("memfd_create: {}", std::io::Error::from_raw_os_error(e.0))
        })?;
        std::os::unix::fs::FileExt::write_all_at(
            &std::fs::File::from(file.try_clone()?),
            &content,
            0,
        )?;
        specs.push(MountSpec {
            host: format!("/proc/self/fd/{}", file.as_raw_fd()).into(),
            guest: guest.into(),
            read_only: true,
            root: None,
        });
        fds.push(file);
    }
    Ok((specs, fds))
}

/// The host's name for a uid (user) or gid (group).
fn host_name_of(id: u32, user: bool) -> Option<String> {
    let name = if user {
        entry_name(id, libc::getpwuid_r, |pw: &libc::passwd| pw.pw_name)
    } else {
        entry_name(id, libc::getgrgid_r, |gr: &libc::group| gr.gr_name)
    };
    name.filter(|n| !n.is_empty() && !n.contains(':') && !n.contains('\n'))
}

/// The name field of the passwd or group entry for `id`, through the
/// reentrant lookup `get` (getpwuid_r, getgrgid_r).
fn entry_name<T: crate::host::Zeroable>(
    id: u32,
    get: unsafe extern "C" fn(u32, *mut T, *mut libc::c_char, usize, *mut *mut T) -> libc::c_int,
    name: impl FnOnce(&T) -> *const libc::c_char,
) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut entry = crate::host::zeroed::<T>();
    let mut res: *mut T = std::ptr::null_mut();
    // SAFETY: `get` is getpwuid_r or getgrgid_r with its entry type `T`; `entry`, `buf` (with its
    // true length) and `res` are live locals it may fill, and the strings it stores point into
    // `buf`.
    if unsafe { get(id, &mut entry, buf.as_mut_ptr(), buf.len(), &mut res) } != 0 || res.is_null() {
        return None;
    }
    // SAFETY: on success the entry's name points at a NUL-terminated string inside `buf`, which is
    // still alive here.
    let name = unsafe { std::ffi::CStr::from_ptr(name(&entry)) };
    Some(name.to_string_lossy().into_owned())
}

const MIN_SERVICES: &str = "ftp\t\t21/tcp\nssh\t\t22/tcp\nsmtp\t\t25/tcp\ndomain\t\t53/tcp\ndomain\t\t53/udp\nhttp\t\t80/tcp\t\twww\nntp\t\t123/udp\nhttps\t\t443/tcp\n";
const MIN_PROTOCOLS: &str = "ip\t0\tIP\nicmp\t1\tICMP\ntcp\t6\tTCP\nudp\t17\tUDP\nipv6\t41\tIPv6\nipv6-icmp\t58\tIPv6-ICMP\n";
