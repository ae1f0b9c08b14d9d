//! Sockets: AF_INET, AF_INET6 and AF_UNIX on host sockets.
//!
//! Guest socket addresses have Linux's bytes, so inet addresses pass through
//! after the `--allow-net` check (`policy::net`). AF_UNIX paths resolve in the
//! guest's mounts, once, by the walker: connect and sendto name the socket
//! inode itself (`/proc/self/fd/<O_PATH descriptor of the socket>`, see
//! `socket_node`), bind creates the node in the parent directory the walker
//! opened (`/proc/self/fd/<parent dir>/<name>`), so the kernel resolves
//! nothing the walker did not check; the path the guest used comes back from
//! getsockname, getpeername, accept and recvfrom.
//! msghdr and its iovecs are translated; control messages keep x86_64's
//! layout in the guest (our musl: 16-byte header, 8-byte alignment) and
//! SCM_RIGHTS carries guest descriptor numbers.

use super::fd::{file, iovecs};
use super::Cx;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex, Weak};
use wali_core::errno::{Errno, SysResult};
use wali_core::fdtable::{FileKind, OpenFile};
use wali_core::memory::Mem;
use wali_core::policy::net::{unspecified, NetOp};
use wali_core::process::mem;
use wali_core::vfs::Node;

const SOCKADDR_MAX: usize = std::mem::size_of::<libc::sockaddr_storage>();
/// SOCKADDR_MAX as a socklen_t.
const SOCKADDR_MAX_LEN: libc::socklen_t = 128;
const _: () = assert!(SOCKADDR_MAX_LEN as usize == SOCKADDR_MAX);
const SUN_PATH_MAX: usize = 108;
/// AF_UNIX as a sa_family_t.
const AF_UNIX_FAMILY: libc::sa_family_t = 1;
const _: () = assert!(AF_UNIX_FAMILY as i32 == libc::AF_UNIX);
/// Guest cmsghdr: len u32 @0 (+4 pad), level @8, type @12, data @16.
const CMSG_HDR: usize = 16;

fn cmsg_align(n: usize) -> usize {
    (n + 7) & !7
}

// ---- helpers -----------------------------------------------------------------

/// The host socket behind guest `fd` (ENOTSOCK for a virtual directory).
fn sock(cx: &Cx, fd: i32) -> SysResult<(Arc<OpenFile>, RawFd)> {
    let f = file(cx, fd)?;
    if f.kind != FileKind::Host {
        return Err(Errno::ENOTSOCK);
    }
    let raw = f.raw()?;
    Ok((f, raw))
}

fn install(cx: &Cx, host: OwnedFd, cloexec: bool) -> SysResult<i32> {
    cx.data()
        .proc
        .fds
        .lock()
        .unwrap()
        .insert(OpenFile::host(host), cloexec)
}

fn sockopt_int(raw: RawFd, level: i32, name: i32) -> SysResult<i32> {
    let mut v: i32 = 0;
    let mut len = 4u32;
    // SAFETY: `v` is a live int and `len` holds its size (4).
    Errno::result(unsafe {
        libc::getsockopt(raw, level, name, (&mut v as *mut i32).cast(), &mut len)
    })?;
    Ok(v)
}

/// The first `len` bytes (at most all) of an address the kernel filled in.
fn storage_bytes(ss: &libc::sockaddr_storage, len: u32) -> &[u8] {
    let n = (len as usize).min(SOCKADDR_MAX);
    // SAFETY: `ss` is a live, initialised sockaddr_storage of SOCKADDR_MAX
    // bytes and `n` is at most that; the slice borrows `ss`.
    unsafe { std::slice::from_raw_parts((ss as *const libc::sockaddr_storage).cast::<u8>(), n) }
}

fn domain_of(raw: RawFd) -> SysResult<i32> {
    sockopt_int(raw, libc::SOL_SOCKET, libc::SO_DOMAIN)
}

// ---- AF_UNIX names -------------------------------------------------------------

/// Sockets this process bound to a path: host address string → the guest's
/// path. The entry keeps the parent directory's descriptor open while the
/// socket lives, so its `/proc/self/fd/N/...` string stays unique.
struct UnixName {
    guest: Vec<u8>,
    _dir: OwnedFd,
    owner: Weak<OpenFile>,
}

fn unix_names() -> &'static Mutex<HashMap<Vec<u8>, UnixName>> {
    static NAMES: std::sync::OnceLock<Mutex<HashMap<Vec<u8>, UnixName>>> =
        std::sync::OnceLock::new();
    NAMES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A socket address ready for the host.
struct HostAddr {
    bytes: Vec<u8>,
    /// For an AF_UNIX path: the directory the host string names (kept open
    /// for the call, and for the socket's life after a bind).
    dir: Option<OwnedFd>,
    /// For an AF_UNIX path: the guest's sun_path bytes (without NUL).
    guest_path: Option<Vec<u8>>,
}

impl HostAddr {
    fn raw(bytes: Vec<u8>) -> HostAddr {
        HostAddr {
            bytes,
            dir: None,
            guest_path: None,
        }
    }
    fn ptr(&self) -> *const libc::sockaddr {
        self.bytes.as_ptr().cast()
    }
    fn len(&self) -> u32 {
        wali_core::narrow::len_u32(self.bytes.len())
    }
}

/// Reads a guest sockaddr of `len` bytes (EINVAL past sockaddr_storage).
fn read_addr(m: &Mem, ptr: i32, len: i32) -> SysResult<Vec<u8>> {
    if len < 0 || len as usize > SOCKADDR_MAX {
        return Err(Errno::EINVAL);
    }
    Ok(m.slice(ptr as u32, len as usize)?.to_vec())
}

/// The IP endpoint of an inet sockaddr, if it is one and long enough.
fn inet_endpoint(b: &[u8]) -> Option<(IpAddr, u16)> {
    let family = u16::from_le_bytes([*b.first()?, *b.get(1)?]) as i32;
    endpoint_as(b, family)
}

/// The endpoint in `b` read as an address of `family` (whatever family
/// its own first bytes say), if long enough.
fn endpoint_as(b: &[u8], family: i32) -> Option<(IpAddr, u16)> {
    match family {
        libc::AF_INET if b.len() >= 16 => {
            let port = u16::from_be_bytes([b[2], b[3]]);
            let ip = Ipv4Addr::new(b[4], b[5], b[6], b[7]);
            Some((IpAddr::V4(ip), port))
        }
        libc::AF_INET6 if b.len() >= 24 => {
            let port = u16::from_be_bytes([b[2], b[3]]);
            let octets: [u8; 16] = b[8..24].try_into().ok()?;
            Some((IpAddr::V6(Ipv6Addr::from(octets)), port))
        }
        _ => None,
    }
}

/// Checks an inet endpoint against `--allow-net`.
fn check_inet(cx: &Cx, ip: IpAddr, port: u16, op: NetOp) -> SysResult<()> {
    let proc = &cx.data().proc;
    match proc.options.net.allows(ip, port, op) {
        Some(rule) => {
            if proc.options.trace {
                tracing::info!(target: "wali::policy", "{} {}: allowed by --allow-net {}", op.name(), fmt_ep(ip, port), rule.spec);
            }
            Ok(())
        }
        None => {
            proc.denied(
                format_args!("{} {}", op.name(), fmt_ep(ip, port)),
                "no net.allow (--allow-net) rule matches",
            );
            Err(Errno::EACCES)
        }
    }
}

fn fmt_ep(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    }
}

fn check_abstract(cx: &Cx, name: &[u8], op: NetOp) -> SysResult<()> {
    let proc = &cx.data().proc;
    match proc.options.net.allows_abstract(name) {
        Some(_) => Ok(()),
        None => {
            proc.denied(
                format_args!(
                    "{} abstract AF_UNIX name '@{}'",
                    op.name(),
                    String::from_utf8_lossy(name)
                ),
                "no net.allow (--allow-net) @NAME rule",
            );
            Err(Errno::EACCES)
        }
    }
}

/// Translates a guest address for `op` on the host socket `raw`: policy for
/// inet endpoints and abstract names, the mounts for AF_UNIX paths.
fn host_addr(cx: &Cx, raw: RawFd, guest: Vec<u8>, op: NetOp) -> SysResult<HostAddr> {
    if guest.len() < 2 {
        return Ok(HostAddr::raw(guest)); // the host answers EINVAL
    }
    let family = u16::from_le_bytes([guest[0], guest[1]]) as i32;
    let domain = domain_of(raw)?;
    if matches!(domain, libc::AF_INET | libc::AF_INET6) && family != libc::AF_UNIX {
        // The endpoint as the kernel will read it, not as the family field
        // names it: an IPv4 socket sends to an AF_UNSPEC address as IPv4.
        if let Some(as_family) = kernel_reads_as(domain, family, &guest, op) {
            if let Some((ip, port)) = endpoint_as(&guest, as_family) {
                for dest in kernel_destinations(ip, op) {
                    check_inet(cx, dest, port, op)?;
                }
            }
        }
        return Ok(HostAddr::raw(guest));
    }
    match family {
        libc::AF_UNIX if domain == libc::AF_UNIX => unix_host_addr(cx, guest, op),
        libc::AF_UNIX => {
            // Wrong family for this socket: the host refuses it; never let
            // it see a guest path.
            let mut g = guest;
            g[2..].fill(0);
            Ok(HostAddr::raw(g))
        }
        _ => Ok(HostAddr::raw(guest)),
    }
}

/// The family whose endpoint Linux takes from an address of `family` given
/// for `op` on an inet socket of `domain`; None when the kernel reaches no
/// endpoint with it (it refuses the address, or connect(AF_UNSPEC)
/// dissolves an association). The cases, from net/ipv4 and net/ipv6:
/// - IPv4 socket: AF_INET is IPv4. AF_UNSPEC is IPv4 for a send
///   (`udp_sendmsg`), nothing for connect (`inet_dgram_connect`/
///   `__inet_stream_connect` disconnect), IPv4 for bind when the address is
///   INADDR_ANY (`inet_bind`'s "compatibility games", else EAFNOSUPPORT).
///   AF_INET6 is refused by the kernel; checked as IPv6 anyway (a denial
///   then answers EACCES before the kernel's EAFNOSUPPORT).
/// - IPv6 socket: AF_INET6 is IPv6 (v4-mapped addresses match as IPv4),
///   AF_INET is an IPv4 send or connect (`udpv6_sendmsg`,
///   `ip6_datagram_connect`), AF_UNSPEC means no destination.
///
/// Every other family is refused by every inet protocol a guest can open
/// (EAFNOSUPPORT or EINVAL).
fn kernel_reads_as(domain: i32, family: i32, guest: &[u8], op: NetOp) -> Option<i32> {
    match (domain, family) {
        (_, libc::AF_INET | libc::AF_INET6) => Some(family),
        (libc::AF_INET, libc::AF_UNSPEC) => match op {
            NetOp::Connect => None,
            NetOp::Bind => (guest.len() >= 8 && guest[4..8] == [0; 4]).then_some(libc::AF_INET),
            NetOp::Send | NetOp::Listen => Some(libc::AF_INET),
        },
        (libc::AF_INET6, libc::AF_UNSPEC) => None,
        _ => None,
    }
}

/// The addresses a connect or send to `ip` reaches: Linux takes the
/// unspecified address as a destination to mean loopback (IPv4 through the
/// routing lookup; IPv6 `::` as `::1`, or 127.0.0.1 from a socket bound to
/// a v4-mapped address), so a rule written for binding the wildcard does not
/// open loopback, and a loopback rule allows what the kernel does.
fn kernel_destinations(ip: IpAddr, op: NetOp) -> Vec<IpAddr> {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    if !matches!(op, NetOp::Connect | NetOp::Send) || !ip.is_unspecified() {
        return vec![ip];
    }
    match ip {
        IpAddr::V4(_) => vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        IpAddr::V6(_) => vec![
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            IpAddr::V4(Ipv4Addr::LOCALHOST),
        ],
    }
}

fn unix_host_addr(cx: &Cx, guest: Vec<u8>, op: NetOp) -> SysResult<HostAddr> {
    let path = &guest[2..];
    if path.is_empty() {
        // Autobind (bind) gets an abstract name.
        if op == NetOp::Bind {
            check_abstract(cx, b"", op)?;
        }
        return Ok(HostAddr::raw(guest));
    }
    if path[0] == 0 {
        check_abstract(cx, &path[1..], op)?;
        return Ok(HostAddr::raw(guest));
    }
    let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
    let gpath = path[..end].to_vec();
    let bind = op == NetOp::Bind;
    let (dir, name) = super::fs::with_lookup(cx, &gpath, !bind, |proc, l, writable| {
        if bind {
            // Sound against races: the kernel resolves `/proc/self/fd/<dir>`
            // to the directory descriptor we hold (a magic link, not a path:
            // renaming the parent, or any ancestor, moves that directory but
            // cannot point the descriptor elsewhere, and guest renames stay
            // inside the mount), then creates `name` in it without following
            // a final symlink (an existing name, symlink or not, answers
            // EADDRINUSE). So the node lands in the directory the walker
            // checked, or nowhere.
            let (dir, name) = writable.map_err(|e| {
                if e == Errno::EEXIST {
                    Errno(libc::EADDRINUSE)
                } else {
                    e
                }
            })?;
            return Ok((dup_dir(dir)?, name.to_bytes().to_vec()));
        }
        match &l.node {
            // The socket's own inode, opened now: the kernel then resolves
            // nothing the walker did not check (see `socket_node`).
            Node::Entry { dir, name, .. } => Ok((socket_node(dir.raw(), name)?, Vec::new())),
            Node::FileMount { mount } => {
                let root = proc.vfs.mounts[*mount].root.as_raw_fd();
                Ok((dup_dir(root)?, Vec::new()))
            }
            Node::MountRoot { .. } | Node::Virtual => Err(Errno::ECONNREFUSED),
            Node::VirtualMissing => Err(Errno::ENOENT),
        }
    })?;
    let host = if name.is_empty() {
        format!("/proc/self/fd/{}", dir.as_raw_fd()).into_bytes()
    } else {
        let mut h = format!("/proc/self/fd/{}/", dir.as_raw_fd()).into_bytes();
        h.extend_from_slice(&name);
        h
    };
    if host.len() >= SUN_PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let mut bytes = (AF_UNIX_FAMILY).to_le_bytes().to_vec();
    bytes.extend_from_slice(&host);
    bytes.push(0);
    Ok(HostAddr {
        bytes,
        dir: Some(dir),
        guest_path: Some(gpath),
    })
}

/// An `O_PATH | O_NOFOLLOW` descriptor of the socket file `name` in `dir`,
/// checked to be a socket. connect and sendto then name it as
/// `/proc/self/fd/N`, a magic link the kernel follows to exactly this inode:
/// a name swapped for a symlink (or anything else) after the walker looked
/// at it cannot redirect the call outside the mounts, as the kernel would
/// resolve `/proc/self/fd/<dir>/<name>` again, following host symlinks.
/// A non-socket answers ECONNREFUSED, as Linux does; so does a symlink that
/// appeared after the walk (the race lost, nothing reached).
fn socket_node(dir: RawFd, name: &std::ffi::CStr) -> SysResult<OwnedFd> {
    let fd = wali_core::host::openat(
        dir,
        name,
        libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        0,
    )?;
    let st = wali_core::host::fstat(fd.as_raw_fd())?;
    if st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
        return Err(Errno::ECONNREFUSED);
    }
    Ok(fd)
}

fn dup_dir(fd: RawFd) -> SysResult<OwnedFd> {
    wali_core::host::dup_cloexec(fd, 0)
}

/// An address the host returned, as the guest must see it: AF_UNIX names
/// this process bound come back as the guest's path; an absolute host path
/// inside a mount (a socket another program bound) as its guest path; a
/// name another wali process bound as its final component.
fn guest_addr(proc: &wali_core::process::Process, host: &[u8]) -> Vec<u8> {
    if host.len() > 2 && u16::from_le_bytes([host[0], host[1]]) as i32 == libc::AF_UNIX {
        let path = &host[2..];
        if path[0] != 0 {
            let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
            let path = &path[..end];
            let mut guest = None;
            if let Some(n) = unix_names().lock().unwrap().get(path) {
                if n.owner.strong_count() > 0 {
                    guest = Some(n.guest.clone());
                }
            }
            if guest.is_none() {
                guest = match path.strip_prefix(b"/proc/self/fd/") {
                    // Bound by another wali process (a forked child, ...):
                    // its directory descriptor means nothing here, so the
                    // name is given relative, as the final component.
                    Some(rest) => rest
                        .iter()
                        .position(|&b| b == b'/')
                        .map(|i| rest[i + 1..].to_vec()),
                    None if path.starts_with(b"/") => guest_path_of_host(proc, path),
                    None => None,
                };
            }
            if let Some(g) = guest {
                let mut out = host[..2].to_vec();
                out.extend_from_slice(&g);
                out.push(0);
                return out;
            }
        }
    }
    host.to_vec()
}

/// The guest path of an absolute host path, through the deepest mount
/// whose host path contains it.
fn guest_path_of_host(proc: &wali_core::process::Process, path: &[u8]) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let host = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    proc.vfs
        .mounts
        .iter()
        // Mounts of descriptors (the default /etc files) have no host path.
        .filter(|m| !m.host.starts_with("/proc/self/fd"))
        .filter_map(|m| {
            let rest = host.strip_prefix(&m.host).ok()?;
            let mut g = m.guest.clone();
            g.extend(wali_core::vfs::parse_canonical(rest.as_os_str().as_bytes()));
            Some((m.host.as_os_str().len(), wali_core::vfs::render(&g)))
        })
        .max_by_key(|(depth, _)| *depth)
        .map(|(_, g)| g)
}

/// Validates the guest's (addr, addrlen) output pair before a call, and
/// returns the buffer size it offers (None when addr is NULL).
fn out_addr_cap(m: &Mem, addr: i32, addrlen: i32) -> SysResult<Option<u32>> {
    if addr == 0 {
        return Ok(None);
    }
    let cap: i32 = m.read(addrlen as u32)?;
    if cap < 0 {
        return Err(Errno::EINVAL);
    }
    m.addr(addr as u32, (cap as usize).min(SOCKADDR_MAX))?;
    Ok(Some(cap as u32))
}

/// Copies an address to the guest (truncated to its buffer) and stores the
/// full length, as the kernel does.
fn write_addr(
    cx: &Cx,
    m: &Mem,
    addr: i32,
    addrlen: i32,
    cap: Option<u32>,
    host: &[u8],
) -> SysResult<()> {
    let Some(cap) = cap else { return Ok(()) };
    let g = guest_addr(&cx.data().proc, host);
    let n = g.len().min(cap as usize);
    m.write_bytes(addr as u32, &g[..n])?;
    m.write(addrlen as u32, wali_core::narrow::len_u32(g.len()))
}

// ---- socket, socketpair ----------------------------------------------------------

const TYPE_FLAGS: i32 = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;

fn check_socket_args(domain: i32, ty: i32) -> SysResult<()> {
    if !matches!(domain, libc::AF_INET | libc::AF_INET6 | libc::AF_UNIX) {
        return Err(Errno(libc::EAFNOSUPPORT));
    }
    if ty & !(TYPE_FLAGS | 0xf) != 0 {
        return Err(Errno::EINVAL);
    }
    match ty & 0xf {
        libc::SOCK_STREAM | libc::SOCK_DGRAM | libc::SOCK_SEQPACKET => Ok(()),
        // Raw and packet sockets reach the network below IP: never.
        libc::SOCK_RAW | 10 => Err(Errno::EPERM),
        _ => Err(Errno::EINVAL),
    }
}

pub fn socket(cx: &mut Cx, domain: i32, ty: i32, protocol: i32) -> SysResult {
    check_socket_args(domain, ty)?;
    let host_ty = (ty & !libc::SOCK_CLOEXEC) | libc::SOCK_CLOEXEC;
    let host = wali_core::host::socket(domain, host_ty, protocol)?;
    install(cx, host, ty & libc::SOCK_CLOEXEC != 0).map(i64::from)
}

pub fn socketpair(cx: &mut Cx, domain: i32, ty: i32, protocol: i32, sv: i32) -> SysResult {
    check_socket_args(domain, ty)?;
    let m = mem(cx);
    m.addr(sv as u32, 8)?;
    let host_ty = (ty & !libc::SOCK_CLOEXEC) | libc::SOCK_CLOEXEC;
    let (a, b) = wali_core::host::socketpair(domain, host_ty, protocol)?;
    let cloexec = ty & libc::SOCK_CLOEXEC != 0;
    let mut table = cx.data().proc.fds.lock().unwrap();
    let ga = table.insert(OpenFile::host(a), cloexec)?;
    let gb = match table.insert(OpenFile::host(b), cloexec) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = table.remove(ga);
            return Err(e);
        }
    };
    drop(table);
    m.write(sv as u32, [ga as u32, gb as u32])?;
    Ok(0)
}

// ---- bind, listen, connect, accept -------------------------------------------------

pub fn bind(cx: &mut Cx, sockfd: i32, addr: i32, addrlen: i32) -> SysResult {
    let (f, raw) = sock(cx, sockfd)?;
    let guest = read_addr(&mem(cx), addr, addrlen)?;
    let a = host_addr(cx, raw, guest, NetOp::Bind)?;
    // SAFETY: `a.ptr()` points at `a.len()` bytes of the address `a` owns, alive across the call.
    Errno::result(unsafe { libc::bind(raw, a.ptr(), a.len()) })?;
    if let (Some(dir), Some(gpath)) = (a.dir, a.guest_path) {
        let key = a.bytes[2..a.bytes.len() - 1].to_vec();
        let mut names = unix_names().lock().unwrap();
        names.retain(|_, n| n.owner.strong_count() > 0);
        names.insert(
            key,
            UnixName {
                guest: gpath,
                _dir: dir,
                owner: Arc::downgrade(&f),
            },
        );
    }
    Ok(0)
}

fn local_addr(raw: RawFd) -> SysResult<Vec<u8>> {
    let mut ss = wali_core::host::zeroed::<libc::sockaddr_storage>();
    let mut len = SOCKADDR_MAX_LEN;
    // SAFETY: `ss` is a live sockaddr_storage and `len` holds its size, so the kernel writes
    // inside it.
    Errno::result(unsafe {
        libc::getsockname(
            raw,
            (&mut ss as *mut libc::sockaddr_storage).cast(),
            &mut len,
        )
    })?;
    let bytes = storage_bytes(&ss, len);
    Ok(bytes.to_vec())
}

pub fn listen(cx: &mut Cx, sockfd: i32, backlog: i32) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    let domain = domain_of(raw)?;
    if matches!(domain, libc::AF_INET | libc::AF_INET6) {
        let local = local_addr(raw)?;
        let (ip, port) =
            inet_endpoint(&local).unwrap_or((unspecified(domain == libc::AF_INET6), 0));
        check_inet(cx, ip, port, NetOp::Listen)?;
    }
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::listen(raw, backlog) })
}

pub fn connect(cx: &mut Cx, sockfd: i32, addr: i32, addrlen: i32) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    let guest = read_addr(&mem(cx), addr, addrlen)?;
    let a = host_addr(cx, raw, guest, NetOp::Connect)?;
    // SAFETY: `a.ptr()` points at `a.len()` bytes of the address `a` owns, alive across the call.
    Errno::result(unsafe { libc::connect(raw, a.ptr(), a.len()) })
}

pub fn accept(cx: &mut Cx, sockfd: i32, addr: i32, addrlen: i32) -> SysResult {
    accept4(cx, sockfd, addr, addrlen, 0)
}

pub fn accept4(cx: &mut Cx, sockfd: i32, addr: i32, addrlen: i32, flags: i32) -> SysResult {
    if flags & !TYPE_FLAGS != 0 {
        return Err(Errno::EINVAL);
    }
    let (_f, raw) = sock(cx, sockfd)?;
    let m = mem(cx);
    let cap = out_addr_cap(&m, addr, addrlen)?;
    let mut ss = wali_core::host::zeroed::<libc::sockaddr_storage>();
    let mut len = SOCKADDR_MAX_LEN;
    let host_flags = (flags & libc::SOCK_NONBLOCK) | libc::SOCK_CLOEXEC;
    // SAFETY: `ss` and `len` are live locals and `len` holds the size of
    // `ss`, so the kernel writes inside it; the result is a new descriptor
    // that nothing else owns.
    let host = unsafe {
        wali_core::host::own_new_fd(libc::accept4(
            raw,
            (&mut ss as *mut libc::sockaddr_storage).cast(),
            &mut len,
            host_flags,
        ))
    }?;
    let gfd = install(cx, host, flags & libc::SOCK_CLOEXEC != 0)?;
    let bytes = storage_bytes(&ss, len);
    let m = mem(cx);
    if let Err(e) = write_addr(cx, &m, addr, addrlen, cap, bytes) {
        let _ = cx.data().proc.fds.lock().unwrap().remove(gfd);
        return Err(e);
    }
    Ok(gfd as i64)
}

pub fn shutdown(cx: &mut Cx, sockfd: i32, how: i32) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    // SAFETY: integer arguments only; no memory is read or written.
    Errno::result(unsafe { libc::shutdown(raw, how) })
}

fn name_call(
    cx: &mut Cx,
    sockfd: i32,
    addr: i32,
    addrlen: i32,
    call: unsafe extern "C" fn(RawFd, *mut libc::sockaddr, *mut u32) -> i32,
) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    let m = mem(cx);
    let cap: i32 = m.read(addrlen as u32)?;
    if cap < 0 {
        return Err(Errno::EINVAL);
    }
    let mut ss = wali_core::host::zeroed::<libc::sockaddr_storage>();
    let mut len = SOCKADDR_MAX_LEN;
    // SAFETY: `call` is getsockname or getpeername; `ss` is a live sockaddr_storage and `len`
    // holds its size, so the kernel writes inside it.
    Errno::result(unsafe {
        call(
            raw,
            (&mut ss as *mut libc::sockaddr_storage).cast(),
            &mut len,
        )
    })?;
    let bytes = storage_bytes(&ss, len);
    write_addr(cx, &m, addr, addrlen, Some(cap as u32), bytes)?;
    Ok(0)
}

pub fn getsockname(cx: &mut Cx, sockfd: i32, addr: i32, addrlen: i32) -> SysResult {
    name_call(cx, sockfd, addr, addrlen, libc::getsockname)
}

pub fn getpeername(cx: &mut Cx, sockfd: i32, addr: i32, addrlen: i32) -> SysResult {
    name_call(cx, sockfd, addr, addrlen, libc::getpeername)
}

// ---- data ----------------------------------------------------------------------------

/// A send that found the peer gone raises SIGPIPE, unless MSG_NOSIGNAL.
fn send_result(cx: &mut Cx, flags: i32, r: SysResult) -> SysResult {
    if r == Err(Errno::EPIPE) && flags & libc::MSG_NOSIGNAL == 0 {
        crate::signal_engine::raise_on_thread(cx.data_mut(), libc::SIGPIPE);
    }
    r
}

pub fn sendto(
    cx: &mut Cx,
    sockfd: i32,
    buf: i32,
    len: i32,
    flags: i32,
    dest_addr: i32,
    addrlen: i32,
) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    let m = mem(cx);
    let n = len as u32 as usize;
    let p = m.addr(buf as u32, n)?;
    let dest = if dest_addr != 0 {
        let guest = read_addr(&m, dest_addr, addrlen)?;
        Some(host_addr(cx, raw, guest, NetOp::Send)?)
    } else {
        None
    };
    let (dp, dl) = dest
        .as_ref()
        .map_or((std::ptr::null(), 0), |a| (a.ptr(), a.len()));
    let r = Errno::result(
        // SAFETY: `p` spans the `n` guest bytes `addr` checked, which stay mapped across the
        // call; `dp` is NULL (with `dl` 0) or the `dl`-byte address `dest` owns.
        unsafe { libc::sendto(raw, p.cast(), n, flags | libc::MSG_NOSIGNAL, dp, dl) } as i64,
    );
    send_result(cx, flags, r)
}

pub fn recvfrom(
    cx: &mut Cx,
    sockfd: i32,
    buf: i32,
    len: i32,
    flags: i32,
    src_addr: i32,
    addrlen: i32,
) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    let m = mem(cx);
    let n = len as u32 as usize;
    let p = m.addr(buf as u32, n)?;
    let cap = out_addr_cap(&m, src_addr, addrlen)?;
    let mut ss = wali_core::host::zeroed::<libc::sockaddr_storage>();
    let mut sl = SOCKADDR_MAX_LEN;
    // SAFETY: `p` spans the `n` guest bytes `addr` checked, which stay mapped across the call, and
    // the kernel writes at most `n` there; `ss` is a live sockaddr_storage whose size `sl` holds.
    let got = Errno::result(unsafe {
        libc::recvfrom(
            raw,
            p.cast(),
            n,
            flags & !libc::MSG_CMSG_CLOEXEC,
            (&mut ss as *mut libc::sockaddr_storage).cast(),
            &mut sl,
        )
    } as i64)?;
    if cap.is_some() {
        let bytes = storage_bytes(&ss, sl);
        write_addr(cx, &mem(cx), src_addr, addrlen, cap, bytes)?;
    }
    Ok(got)
}

/// The guest's struct msghdr (36 bytes).
struct GuestMsg {
    name: u32,
    namelen: u32,
    iov: u32,
    iovlen: i32,
    control: u32,
    controllen: u32,
}

fn read_msghdr(m: &Mem, msg: u32) -> SysResult<GuestMsg> {
    let raw: [u8; 36] = m.read(msg)?;
    let u = |o: usize| u32::from_le_bytes(raw[o..o + 4].try_into().unwrap());
    Ok(GuestMsg {
        name: u(0),
        namelen: u(4),
        iov: u(8),
        iovlen: u(12) as i32,
        control: u(20),
        controllen: u(24),
    })
}

/// Translates guest control messages for the host; SCM_RIGHTS names guest
/// descriptors, which must be the caller's own. `keep` holds their files
/// open for the call.
fn host_control(cx: &Cx, guest: &[u8], keep: &mut Vec<Arc<OpenFile>>) -> SysResult<Vec<u8>> {
    let mut out = Vec::with_capacity(guest.len());
    let mut off = 0;
    while off + CMSG_HDR <= guest.len() {
        let len = u32::from_le_bytes(guest[off..off + 4].try_into().unwrap()) as usize;
        if len < CMSG_HDR || off + len > guest.len() {
            return Err(Errno::EINVAL);
        }
        let level = i32::from_le_bytes(guest[off + 8..off + 12].try_into().unwrap());
        let ty = i32::from_le_bytes(guest[off + 12..off + 16].try_into().unwrap());
        let data = &guest[off + CMSG_HDR..off + len];
        let start = out.len();
        out.extend_from_slice(&(len as u64).to_le_bytes());
        out.extend_from_slice(&level.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        if level == libc::SOL_SOCKET && ty == libc::SCM_RIGHTS {
            for c in data.chunks(4) {
                if c.len() < 4 {
                    return Err(Errno::EINVAL);
                }
                let gfd = i32::from_le_bytes(c.try_into().unwrap());
                let f = file(cx, gfd)?;
                let raw = f.raw()?;
                keep.push(f);
                out.extend_from_slice(&raw.to_le_bytes());
            }
        } else {
            out.extend_from_slice(data);
        }
        out.resize(start + cmsg_align(len), 0);
        off += cmsg_align(len);
    }
    Ok(out)
}

/// Translates host control messages for the guest, installing received
/// descriptors. Returns the bytes for the guest buffer.
fn guest_control(cx: &Cx, host: &[u8], cloexec: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(host.len());
    let mut off = 0;
    while off + CMSG_HDR <= host.len() {
        let len = wali_core::narrow::usize_from(u64::from_le_bytes(
            host[off..off + 8].try_into().unwrap(),
        ));
        if len < CMSG_HDR {
            break;
        }
        let end = (off + len).min(host.len());
        let level = i32::from_le_bytes(host[off + 8..off + 12].try_into().unwrap());
        let ty = i32::from_le_bytes(host[off + 12..off + 16].try_into().unwrap());
        let data = &host[off + CMSG_HDR..end];
        let start = out.len();
        out.extend_from_slice(&wali_core::narrow::len_u32(len).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&level.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        if level == libc::SOL_SOCKET && ty == libc::SCM_RIGHTS {
            for c in data.chunks_exact(4) {
                let hfd = i32::from_le_bytes(c.try_into().unwrap());
                // SAFETY: SCM_RIGHTS descriptors were just received by recvmsg into this process:
                // each is new and owned by nothing else, and each number is read once from the
                // control buffer.
                let owned = unsafe { OwnedFd::from_raw_fd(hfd) };
                let gfd = install(cx, owned, cloexec).unwrap_or(-1);
                out.extend_from_slice(&gfd.to_le_bytes());
            }
        } else {
            out.extend_from_slice(data);
        }
        let next = off + cmsg_align(len);
        if next <= host.len() {
            out.resize(start + cmsg_align(len), 0);
        }
        off = next;
    }
    out.truncate(host.len());
    out
}

fn msg_iovecs(m: &Mem, g: &GuestMsg) -> SysResult<Vec<libc::iovec>> {
    if g.iovlen < 0 || g.iovlen > 1024 {
        return Err(Errno(libc::EMSGSIZE));
    }
    iovecs(m, g.iov as i32, g.iovlen)
}

pub fn sendmsg(cx: &mut Cx, sockfd: i32, msg: i32, flags: i32) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    send_one(cx, raw, msg as u32, flags).map(|(n, _)| n)
}

/// Sends the guest msghdr at `msg` on the host socket `raw` (sendmsg, and
/// each message of sendmmsg). Returns the bytes sent and whether that was
/// all of the message's data.
fn send_one(cx: &mut Cx, raw: RawFd, msg: u32, flags: i32) -> SysResult<(i64, bool)> {
    let m = mem(cx);
    let g = read_msghdr(&m, msg)?;
    let mut iov = msg_iovecs(&m, &g)?;
    let total: usize = iov.iter().map(|v| v.iov_len).sum();
    let dest = if g.name != 0 {
        let guest = read_addr(&m, g.name as i32, g.namelen as i32)?;
        Some(host_addr(cx, raw, guest, NetOp::Send)?)
    } else {
        None
    };
    let mut keep = Vec::new();
    let mut control = if g.control != 0 && g.controllen > 0 {
        if g.controllen as usize > i32::MAX as usize {
            return Err(Errno(libc::ENOBUFS));
        }
        let guest = m.slice(g.control, g.controllen as usize)?.to_vec();
        host_control(cx, &guest, &mut keep)?
    } else {
        Vec::new()
    };
    let mut h = wali_core::host::zeroed::<libc::msghdr>();
    if let Some(d) = &dest {
        h.msg_name = d.ptr() as *mut libc::c_void;
        h.msg_namelen = d.len();
    }
    h.msg_iov = iov.as_mut_ptr();
    h.msg_iovlen = iov.len();
    if !control.is_empty() {
        h.msg_control = control.as_mut_ptr().cast();
        h.msg_controllen = control.len();
    }
    // SAFETY: every pointer in `h` is live across the call: the name `dest` owns, `iov` (guest
    // buffers checked by `msg_iovecs`) and `control`, each with its true length; descriptors
    // passed by SCM_RIGHTS are kept open by `keep`.
    let r = Errno::result(unsafe { libc::sendmsg(raw, &h, flags | libc::MSG_NOSIGNAL) } as i64);
    drop(keep);
    let n = send_result(cx, flags, r)?;
    Ok((n, usize::try_from(n).is_ok_and(|n| n >= total)))
}

pub fn recvmsg(cx: &mut Cx, sockfd: i32, msg: i32, flags: i32) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    recv_one(cx, raw, msg as u32, flags).map(|(n, _)| n)
}

/// Receives into the guest msghdr at `msg` from the host socket `raw`
/// (recvmsg, and each message of recvmmsg), writing back the name, control
/// and flags fields. Returns the bytes received and the message's flags.
fn recv_one(cx: &mut Cx, raw: RawFd, msg: u32, flags: i32) -> SysResult<(i64, i32)> {
    let m = mem(cx);
    let g = read_msghdr(&m, msg)?;
    let mut iov = msg_iovecs(&m, &g)?;
    if g.control != 0 {
        m.addr(g.control, g.controllen as usize)?;
    }
    if g.name != 0 {
        m.addr(g.name, (g.namelen as usize).min(SOCKADDR_MAX))?;
    }
    let mut ss = wali_core::host::zeroed::<libc::sockaddr_storage>();
    let mut control = vec![
        0u8;
        if g.control != 0 {
            g.controllen as usize
        } else {
            0
        }
    ];
    let mut h = wali_core::host::zeroed::<libc::msghdr>();
    if g.name != 0 {
        h.msg_name = (&mut ss as *mut libc::sockaddr_storage).cast();
        h.msg_namelen = SOCKADDR_MAX_LEN;
    }
    h.msg_iov = iov.as_mut_ptr();
    h.msg_iovlen = iov.len();
    if !control.is_empty() {
        h.msg_control = control.as_mut_ptr().cast();
        h.msg_controllen = control.len();
    }
    let n = Errno::result(
        // SAFETY: every pointer in `h` is live and writable for the length given beside it: `ss`
        // (SOCKADDR_MAX), `iov` (guest buffers checked by `msg_iovecs`) and `control`.
        unsafe { libc::recvmsg(raw, &mut h, flags | libc::MSG_CMSG_CLOEXEC) } as i64,
    )?;
    let m = mem(cx);
    let mut raw_out: [u8; 36] = m.read(msg)?;
    if g.name != 0 {
        let host = storage_bytes(&ss, h.msg_namelen);
        let ga = guest_addr(&cx.data().proc, host);
        let k = ga.len().min(g.namelen as usize);
        m.write_bytes(g.name, &ga[..k])?;
        raw_out[4..8].copy_from_slice(&wali_core::narrow::len_u32(ga.len()).to_le_bytes());
    }
    let used = (h.msg_controllen).min(control.len());
    let gc = guest_control(cx, &control[..used], flags & libc::MSG_CMSG_CLOEXEC != 0);
    if g.control != 0 {
        m.write_bytes(g.control, &gc)?;
    }
    raw_out[24..28].copy_from_slice(&wali_core::narrow::len_u32(gc.len()).to_le_bytes());
    // The kernel echoes MSG_CMSG_CLOEXEC into msg_flags: only the guest's.
    let out_flags = (h.msg_flags & !libc::MSG_CMSG_CLOEXEC) | (flags & libc::MSG_CMSG_CLOEXEC);
    raw_out[32..36].copy_from_slice(&out_flags.to_le_bytes());
    m.write(msg, raw_out)?;
    Ok((n, out_flags))
}

/// The guest's struct mmsghdr: its msghdr (36 bytes), then unsigned msg_len.
const MMSGHDR: u32 = 40;
const MSG_LEN_AT: u32 = 36;
/// Most messages one sendmmsg takes (UIO_MAXIOV; Linux caps vlen to it).
const MMSG_MAX: u32 = 1024;

/// The address of message `i` of a guest mmsghdr array.
fn mmsg_entry(msgvec: i32, i: u32) -> SysResult<u32> {
    i.checked_mul(MMSGHDR)
        .and_then(|o| (msgvec as u32).checked_add(o))
        .ok_or(Errno::EFAULT)
}

/// Runs `one` on each message of the guest mmsghdr array at `msgvec` and
/// stores the byte count it returns in the message's msg_len, until `vlen`
/// messages or `one` answers that the batch ends there. An error ends the
/// batch too; it is the result only when no message went through, as on
/// Linux. Returns the count.
fn each_mmsg(
    cx: &mut Cx,
    msgvec: i32,
    vlen: u32,
    mut one: impl FnMut(&mut Cx, u32) -> SysResult<(i64, bool)>,
) -> SysResult {
    let mut done = 0;
    while done < vlen {
        let r = mmsg_entry(msgvec, done).and_then(|entry| {
            let (n, more) = one(cx, entry)?;
            // msg_len is an unsigned int; one message never holds 4 GiB.
            mem(cx).write(
                entry.wrapping_add(MSG_LEN_AT),
                u32::try_from(n).unwrap_or(u32::MAX),
            )?;
            Ok(more)
        });
        let more = match r {
            Ok(more) => more,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += 1;
        if !more {
            break;
        }
    }
    Ok(done as i64)
}

pub fn sendmmsg(cx: &mut Cx, sockfd: i32, msgvec: i32, vlen: i32, flags: i32) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    // A partial send ends the batch.
    each_mmsg(cx, msgvec, (vlen as u32).min(MMSG_MAX), |cx, entry| {
        send_one(cx, raw, entry, flags)
    })
}

pub fn recvmmsg(
    cx: &mut Cx,
    sockfd: i32,
    msgvec: i32,
    vlen: i32,
    flags: i32,
    timeout: i32,
) -> SysResult {
    // As on Linux, the timeout is checked only after each message: it never
    // cuts a blocking receive short. The time left is written back.
    let limit = wali_core::memory::read_timeout(&mem(cx), timeout as u32)?
        .map(|t| wali_core::memory::duration_of(&t));
    let (_f, raw) = sock(cx, sockfd)?;
    let start = std::time::Instant::now();
    let mut left = limit;
    let mut flags = flags;
    let done = each_mmsg(cx, msgvec, vlen as u32, |cx, entry| {
        let (n, msg_flags) = recv_one(cx, raw, entry, flags & !libc::MSG_WAITFORONE)?;
        if flags & libc::MSG_WAITFORONE != 0 {
            flags |= libc::MSG_DONTWAIT;
        }
        left = limit.map(|l| l.saturating_sub(start.elapsed()));
        let expired = left.is_some_and(|l| l.is_zero());
        // Out-of-band data returns at once.
        Ok((n, !expired && msg_flags & libc::MSG_OOB == 0))
    })?;
    if let (Some(l), true) = (left, done > 0) {
        let ts = libc::timespec {
            tv_sec: l.as_secs() as i64,
            tv_nsec: l.subsec_nanos() as i64,
        };
        wali_core::memory::write_timespec(&mem(cx), timeout as u32, &ts)?;
    }
    Ok(done)
}

// ---- options ----------------------------------------------------------------------------

/// Options passed through (same bytes in guest and host); everything else
/// answers ENOPROTOOPT.
fn option_allowed(level: i32, name: i32) -> bool {
    use libc::*;
    match level {
        SOL_SOCKET => matches!(
            name,
            SO_REUSEADDR
                | SO_REUSEPORT
                | SO_KEEPALIVE
                | SO_RCVBUF
                | SO_SNDBUF
                | SO_RCVTIMEO
                | SO_SNDTIMEO
                | SO_LINGER
                | SO_ERROR
                | SO_TYPE
                | SO_DOMAIN
                | SO_PROTOCOL
                | SO_ACCEPTCONN
                | SO_BROADCAST
                | SO_PASSCRED
                | SO_PEERCRED
                | SO_RCVLOWAT
                | SO_SNDLOWAT
                | SO_OOBINLINE
                | SO_PRIORITY
                | SO_TIMESTAMP
                | SO_TIMESTAMPNS
        ),
        IPPROTO_TCP => matches!(
            name,
            TCP_NODELAY
                | TCP_KEEPIDLE
                | TCP_KEEPINTVL
                | TCP_KEEPCNT
                | TCP_CORK
                | TCP_MAXSEG
                | TCP_DEFER_ACCEPT
                | TCP_USER_TIMEOUT
                | TCP_QUICKACK
                | TCP_INFO
                | TCP_NOTSENT_LOWAT
                | TCP_CONGESTION
        ),
        IPPROTO_IP => matches!(
            name,
            IP_TTL
                | IP_TOS
                | IP_MULTICAST_TTL
                | IP_MULTICAST_LOOP
                | IP_MULTICAST_IF
                | IP_ADD_MEMBERSHIP
                | IP_DROP_MEMBERSHIP
                | IP_PKTINFO
                | IP_RECVTOS
                | IP_RECVERR
                | IP_MTU_DISCOVER
                | IP_RECVTTL
        ),
        IPPROTO_IPV6 => matches!(
            name,
            IPV6_V6ONLY
                | IPV6_UNICAST_HOPS
                | IPV6_MULTICAST_HOPS
                | IPV6_MULTICAST_LOOP
                | IPV6_MULTICAST_IF
                | IPV6_ADD_MEMBERSHIP
                | IPV6_DROP_MEMBERSHIP
                | IPV6_RECVPKTINFO
                | IPV6_TCLASS
                | IPV6_RECVERR
                | IPV6_MTU_DISCOVER
                | IPV6_RECVHOPLIMIT
                | IPV6_HOPLIMIT
                | IPV6_RECVTCLASS
                | IPV6_PKTINFO
                | IPV6_DONTFRAG
                | IPV6_CHECKSUM
                | IPV6_RECVHOPOPTS
                | IPV6_HOPOPTS
                | IPV6_RTHDRDSTOPTS
                | IPV6_RECVRTHDR
                | IPV6_RTHDR
                | IPV6_RECVDSTOPTS
                | IPV6_DSTOPTS
                | IPV6_RECVPATHMTU
                | IPV6_PATHMTU
        ),
        _ => false,
    }
}

pub fn setsockopt(
    cx: &mut Cx,
    sockfd: i32,
    level: i32,
    optname: i32,
    optval: i32,
    optlen: i32,
) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    if !option_allowed(level, optname) {
        return Err(Errno(libc::ENOPROTOOPT));
    }
    if optlen < 0 {
        return Err(Errno::EINVAL);
    }
    let m = mem(cx);
    let len = (optlen as usize).min(256);
    let val = if optval != 0 {
        m.slice(optval as u32, len)?.to_vec()
    } else {
        Vec::new()
    };
    let p = if optval != 0 {
        val.as_ptr().cast()
    } else {
        std::ptr::null()
    };
    // SAFETY: `p` is NULL or points at `val`, which holds `len` bytes and outlives the call.
    Errno::result(unsafe {
        libc::setsockopt(raw, level, optname, p, wali_core::narrow::len_u32(len))
    })
}

pub fn getsockopt(
    cx: &mut Cx,
    sockfd: i32,
    level: i32,
    optname: i32,
    optval: i32,
    optlen: i32,
) -> SysResult {
    let (_f, raw) = sock(cx, sockfd)?;
    if !option_allowed(level, optname) {
        return Err(Errno(libc::ENOPROTOOPT));
    }
    let m = mem(cx);
    let cap: i32 = m.read(optlen as u32)?;
    if cap < 0 {
        return Err(Errno::EINVAL);
    }
    let cap = (cap as usize).min(256);
    let mut buf = vec![0u8; cap];
    let mut len = wali_core::narrow::len_u32(cap);
    // SAFETY: `buf` is a live buffer of `cap` bytes and `len` holds `cap`, so the kernel writes
    // inside it.
    Errno::result(unsafe {
        libc::getsockopt(raw, level, optname, buf.as_mut_ptr().cast(), &mut len)
    })?;
    let n = (len as usize).min(cap);
    if n > 0 {
        m.write_bytes(optval as u32, &buf[..n])?;
    }
    m.write(optlen as u32, len)?;
    Ok(0)
}
