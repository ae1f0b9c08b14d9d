//! Memory management inside linear memory. The host owns every page it grew
//! the memory by; `mmap` hands those out first-fit, `munmap` returns them
//! (zeroed, so the next anonymous mapping reads zeros as on Linux), and the
//! memory grows when nothing free fits. Pages the guest grew itself
//! (`memory.grow` in its own code) are never touched.
//!
//! Shared mappings are real: linear memory is an ordinary host mapping, so a
//! guest `MAP_SHARED` mapping is a host `MAP_SHARED | MAP_FIXED` mapping of
//! the same file (or, for `MAP_ANONYMOUS`, of a host memfd) placed over the
//! chosen pages of linear memory. Every process mapping the file sees the
//! same bytes at once, a forked child keeps sharing them (host fork copies
//! the private rest of linear memory), and unmapping puts private anonymous
//! zero pages back so linear memory stays valid. Guest and host pages are
//! both 4 KiB, and linear memory starts host-page aligned, so guest page
//! boundaries are host page boundaries.

use super::Cx;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::Ordering;
use wali_core::errno::{Errno, SysResult};
use wali_core::memory::Mem;
use wali_core::process::mem;

/// The page size mmap works in (Linux's, not Wasm's 64 KiB).
use wali_core::alloc::allocate_in;
use wali_core::mm::{
    align_up, covers, insert_range, overlaps, remove_range, SharedMap, ANY_SHARED,
};
use wali_core::mm::{MemoryMap, PAGE};

const MAP_SHARED: i32 = 0x01;
const MAP_PRIVATE: i32 = 0x02;
const MAP_SHARED_VALIDATE: i32 = 0x03;
const MAP_TYPE: i32 = 0x0f;
const MAP_FIXED: i32 = 0x10;
const MAP_ANONYMOUS: i32 = 0x20;
const MAP_FIXED_NOREPLACE: i32 = 0x100000;
const MREMAP_MAYMOVE: i32 = 1;
const MREMAP_FIXED: i32 = 2;
const MREMAP_DONTUNMAP: i32 = 4;

/// The host address of guest bytes [start, start + len), and `len` as a
/// host length. Guest addresses lie below 4 GiB: anything else is EFAULT.
fn host_range(m: &Mem, start: u64, len: u64) -> SysResult<(*mut u8, usize)> {
    let ptr = u32::try_from(start).map_err(|_| Errno::EFAULT)?;
    let len = wali_core::narrow::usize_from(len);
    Ok((m.addr(ptr, len)?, len))
}

/// Zeroes guest pages [start, end) of private memory: the kernel drops them
/// (they read as zeros again) when the memory is private anonymous, as
/// wasmtime's is. Shared pages must have been unmapped first.
fn zero(cx: &Cx, start: u64, end: u64) -> SysResult<()> {
    let m = mem(cx);
    let (p, len) = host_range(&m, start, end - start)?;
    // SAFETY: [p, p+len) is linear memory (checked above) that no longer
    // belongs to any guest mapping; dropping or zeroing it is what munmap
    // and a fresh anonymous mapping mean.
    unsafe {
        if len >= 65536 && libc::madvise(p.cast(), len, libc::MADV_DONTNEED) == 0 && *p == 0 {
            return Ok(());
        }
        std::ptr::write_bytes(p, 0, len);
    }
    Ok(())
}

/// Logs, under `--trace-denials`, why a memory call the host cannot honour
/// exactly failed.
fn refused(cx: &Cx, what: std::fmt::Arguments<'_>, why: &str) {
    if cx.data().proc.tracing_denials() {
        tracing::warn!(target: "wali::mem", "{what}: refused ({why})");
    }
}

/// Puts private anonymous zero pages (what the rest of linear memory is)
/// back over guest pages [start, end) that a shared mapping covered.
fn restore_private(m: &Mem, start: u64, end: u64) -> SysResult<()> {
    let (p, len) = host_range(m, start, end - start)?;
    // SAFETY: [p, p+len) lies inside linear memory (checked above); the
    // shared mapping there is being removed, and a private read-write
    // mapping is exactly what wasmtime made linear memory of.
    let r = unsafe {
        libc::mmap(
            p.cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
            -1,
            0,
        )
    };
    if r == libc::MAP_FAILED {
        return Err(Errno::last());
    }
    Ok(())
}

/// Maps `fd` from `offset` shared over guest pages [start, start + len).
fn map_shared_at(m: &Mem, start: u64, len: u64, prot: i32, fd: i32, offset: i64) -> SysResult<()> {
    let (p, host_len) = host_range(m, start, len)?;
    // SAFETY: [p, p+len) lies inside linear memory (checked above), pages
    // the caller took from the allocator for this mapping; MAP_FIXED only
    // replaces those pages of the host mapping wasmtime made.
    let r = unsafe {
        libc::mmap(
            p.cast(),
            host_len,
            prot,
            libc::MAP_SHARED | libc::MAP_FIXED,
            fd,
            offset,
        )
    };
    if r == libc::MAP_FAILED {
        let e = Errno::last();
        // A failed MAP_FIXED may have removed the old pages: put them back.
        restore_private(m, start, start + len)?;
        return Err(e);
    }
    Ok(())
}

/// Removes the shared mappings in [start, end), putting private zero pages
/// back. The caller holds the memory map's lock.
fn unmap_shared(mm: &mut MemoryMap, m: &Mem, start: u64, end: u64) -> SysResult<()> {
    if !mm.overlaps_shared(start, end) {
        return Ok(());
    }
    for s in mm.shared_within(start, end) {
        let sm = mm.shared.remove(&s).expect("listed");
        restore_private(m, s, s + sm.len)?;
    }
    Ok(())
}

/// Whether the 4-byte word at guest `addr` lies in a shared mapping: a
/// futex there may have waiters in other processes (forked children, other
/// guests mapping the same file), so it is the host kernel's shared futex;
/// anywhere else in linear memory it is private to this process.
pub fn in_shared_mapping(proc: &wali_core::process::Process, addr: u32) -> bool {
    if !ANY_SHARED.load(Ordering::Relaxed) {
        return false;
    }
    let mm = proc.mm.lock().unwrap();
    mm.shared_containing(addr as u64, addr as u64 + 4).is_some()
}

/// Finds (or makes) `len` free bytes and marks them in use.
fn allocate(cx: &mut Cx, len: u64) -> SysResult<u64> {
    allocate_in(cx, len)
}

/// The object behind MAP_SHARED | MAP_ANONYMOUS: a fresh memfd of `len`
/// bytes (Linux backs it by a shmem file of the mapping's size). Closed once
/// mapped: the mapping keeps it, and forked children share it.
fn anonymous_object(cx: &Cx, len: u64) -> SysResult<OwnedFd> {
    // SAFETY: the name is a NUL-terminated literal.
    let fd = unsafe { libc::memfd_create(c"wali-shared-anon".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        let e = Errno::last();
        refused(
            cx,
            format_args!("mmap MAP_SHARED|MAP_ANONYMOUS: no host memfd ({e:?})"),
            "anonymous shared memory is a host memfd",
        );
        return Err(Errno::ENOMEM);
    }
    // SAFETY: fd was just created and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: ftruncate only sizes the memfd just made.
    if unsafe { libc::ftruncate(fd.as_raw_fd(), len as i64) } != 0 {
        return Err(Errno::ENOMEM);
    }
    Ok(fd)
}

pub fn mmap(
    cx: &mut Cx,
    addr: i32,
    length: i32,
    prot: i32,
    flags: i32,
    fd: i32,
    offset: i64,
) -> SysResult {
    let r = map(cx, addr, length, prot, flags, fd, offset);
    publish_narrow(cx);
    r
}

fn map(
    cx: &mut Cx,
    addr: i32,
    length: i32,
    prot: i32,
    flags: i32,
    fd: i32,
    offset: i64,
) -> SysResult {
    let addr = addr as u32 as u64;
    let len = align_up(length as u32 as u64, PAGE).ok_or(Errno::ENOMEM)?;
    let kind = flags & MAP_TYPE;
    if len == 0 || offset < 0 || !(offset as u64).is_multiple_of(PAGE) {
        return Err(Errno::EINVAL);
    }
    if !matches!(kind, MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE) {
        return Err(Errno::EINVAL);
    }
    let anonymous = flags & MAP_ANONYMOUS != 0;
    // Linux ignores the offset of an anonymous mapping (once it is page
    // aligned); passed on to the memfd behind a shared one, it mapped pages
    // past its end, and the first touch killed the host by SIGBUS.
    let offset = if anonymous { 0 } else { offset };
    let shared = kind != MAP_PRIVATE;
    let source = if anonymous {
        None
    } else {
        let f = super::fd::file(cx, fd)?;
        let raw = f.raw().map_err(|_| Errno::ENODEV)?;
        // The file must be open for reading, and for writing too when a
        // shared mapping may write it.
        // SAFETY: F_GETFL only reads the descriptor's flags.
        let mode = unsafe { libc::fcntl(raw, libc::F_GETFL) } & libc::O_ACCMODE;
        let shared_write = shared && prot & libc::PROT_WRITE != 0;
        if mode == libc::O_WRONLY || (shared_write && mode != libc::O_RDWR) {
            return Err(Errno::EACCES);
        }
        Some(f)
    };
    // Made before any page changes hands, so failing here changes nothing.
    let anon_object = if shared && anonymous {
        Some(anonymous_object(cx, len)?)
    } else {
        None
    };

    let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
    let start = if fixed {
        if !addr.is_multiple_of(PAGE) {
            return Err(Errno::EINVAL);
        }
        let end = addr.checked_add(len).ok_or(Errno::ENOMEM)?;
        let proc = cx.data().proc.clone();
        let mut mm = proc.mm.lock().unwrap();
        if !covers(&mm.owned, addr, end) {
            // Only pages the host handed out before may be mapped over.
            refused(
                cx,
                format_args!("mmap MAP_FIXED at {addr:#x}+{len:#x}"),
                "only pages an earlier mmap returned can be mapped over",
            );
            return Err(Errno::EINVAL);
        }
        if flags & MAP_FIXED_NOREPLACE != 0 && !covers(&mm.free, addr, end) {
            return Err(Errno::EEXIST);
        }
        let was_free = covers(&mm.free, addr, end);
        remove_range(&mut mm.free, addr, end);
        unmap_shared(&mut mm, &mem(cx), addr, end)?;
        drop(mm);
        if !was_free {
            zero(cx, addr, end)?;
        }
        addr
    } else {
        allocate(cx, len)?
    };

    if shared {
        let object = match (&anon_object, &source) {
            (Some(memfd), _) => memfd.as_raw_fd(),
            (None, Some(f)) => f.raw()?,
            (None, None) => unreachable!("a shared mapping is anonymous or of a file"),
        };
        let proc = cx.data().proc.clone();
        let mut mm = proc.mm.lock().unwrap();
        let host_prot = prot & (libc::PROT_READ | libc::PROT_WRITE);
        let m = mem(cx);
        if let Err(e) = map_shared_at(&m, start, len, host_prot, object, offset) {
            drop(mm);
            refused(
                cx,
                format_args!("mmap MAP_SHARED of fd {fd}: the host's mmap of it answered {e:?}"),
                "a shared mapping is the host's own mapping of the file",
            );
            let _ = unmap_pages(cx, start, len);
            return Err(e);
        }
        mm.shared.insert(
            start,
            SharedMap {
                len,
                prot: host_prot,
            },
        );
        ANY_SHARED.store(true, Ordering::Relaxed);
        return Ok(start as i64);
    }

    if let Some(f) = source {
        // MAP_PRIVATE of a file: a copy, as the pages are the process's own.
        let m = mem(cx);
        let ptr = u32::try_from(start).map_err(|_| Errno::EFAULT)?;
        let buf = m.slice_mut(ptr, wali_core::narrow::usize_from(len))?;
        let raw = f.raw()?;
        let mut done = 0usize;
        while done < buf.len() {
            // SAFETY: the destination is the checked guest slice's tail.
            let n = unsafe {
                libc::pread(
                    raw,
                    buf[done..].as_mut_ptr().cast(),
                    buf.len() - done,
                    offset + done as i64,
                )
            };
            match n {
                0 => break,
                n if n < 0 => {
                    let e = Errno::last();
                    if e == Errno::EINTR {
                        continue;
                    }
                    let _ = unmap_pages(cx, start, len);
                    return Err(if e == Errno::EISDIR { Errno::ENODEV } else { e });
                }
                n => done += n as usize,
            }
        }
    }
    Ok(start as i64)
}

pub fn munmap(cx: &mut Cx, addr: i32, len: i32) -> SysResult {
    let r = unmap(cx, addr, len);
    publish_narrow(cx);
    r
}

/// munmap of whole pages [addr, addr + len) the host chose itself (a
/// failed mmap's, the part of an mremap that goes away).
fn unmap_pages(cx: &mut Cx, addr: u64, len: u64) -> SysResult {
    let r = unmap_range(cx, addr, len);
    publish_narrow(cx);
    r
}

fn unmap(cx: &mut Cx, addr: i32, len: i32) -> SysResult {
    let addr = addr as u32 as u64;
    let len = align_up(len as u32 as u64, PAGE).ok_or(Errno::EINVAL)?;
    if !addr.is_multiple_of(PAGE) || len == 0 {
        return Err(Errno::EINVAL);
    }
    unmap_range(cx, addr, len)
}

fn unmap_range(cx: &mut Cx, addr: u64, len: u64) -> SysResult {
    let end = addr + len;
    let proc = cx.data().proc.clone();
    let mut mm = proc.mm.lock().unwrap();
    unmap_shared(&mut mm, &mem(cx), addr, end)?;
    // Only the host-owned, in-use parts become free.
    let owned: Vec<(u64, u64)> = mm
        .owned
        .range(..end)
        .filter(|(_, &e)| e > addr)
        .map(|(&s, &e)| (s.max(addr), e.min(end)))
        .collect();
    drop(mm);
    for (s, e) in owned {
        zero(cx, s, e)?;
        let mut mm = proc.mm.lock().unwrap();
        insert_range(&mut mm.free, s, e);
    }
    Ok(0)
}

pub fn mremap(
    cx: &mut Cx,
    old_address: i32,
    old_size: i32,
    new_size: i32,
    flags: i32,
    new_address: i32,
) -> SysResult {
    let r = remap(cx, old_address, old_size, new_size, flags, new_address);
    publish_narrow(cx);
    r
}

fn remap(
    cx: &mut Cx,
    old_address: i32,
    old_size: i32,
    new_size: i32,
    flags: i32,
    _new_address: i32,
) -> SysResult {
    let old = old_address as u32 as u64;
    let old_len = align_up(old_size as u32 as u64, PAGE).ok_or(Errno::EINVAL)?;
    let new_len = align_up(new_size as u32 as u64, PAGE).ok_or(Errno::ENOMEM)?;
    if !old.is_multiple_of(PAGE)
        || new_len == 0
        || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) != 0
    {
        return Err(Errno::EINVAL);
    }
    if flags & MREMAP_FIXED != 0 {
        refused(
            cx,
            format_args!("mremap MREMAP_FIXED"),
            "the host places guest mappings itself",
        );
        return Err(Errno::EINVAL);
    }
    let proc = cx.data().proc.clone();
    let shared = {
        let mm = proc.mm.lock().unwrap();
        if !covers(&mm.owned, old, old + old_len) || overlaps(&mm.free, old, old + old_len) {
            return Err(Errno::EFAULT);
        }
        let shared = mm.shared_containing(old, old + old_len);
        if shared.is_none() && mm.overlaps_shared(old, old + old_len) {
            // Linux refuses a resize spanning several mappings.
            return Err(Errno::EFAULT);
        }
        shared
    };
    if let Some((s, sm)) = shared {
        return mremap_shared(cx, old, old_len, new_len, flags, s, sm);
    }
    if new_len <= old_len {
        if new_len < old_len {
            unmap_pages(cx, old + new_len, old_len - new_len)?;
        }
        return Ok(old as i64);
    }
    {
        let mut mm = proc.mm.lock().unwrap();
        if covers(&mm.free, old + old_len, old + new_len) {
            remove_range(&mut mm.free, old + old_len, old + new_len);
            return Ok(old as i64);
        }
    }
    if flags & MREMAP_MAYMOVE == 0 {
        return Err(Errno::ENOMEM);
    }
    let new = allocate(cx, new_len)?;
    let m = mem(cx);
    let (src, n) = host_range(&m, old, old_len)?;
    let (dst, _) = host_range(&m, new, old_len)?;
    // SAFETY: both ranges are checked guest memory; they do not overlap as
    // the new one was free while the old one is in use.
    unsafe { std::ptr::copy_nonoverlapping(src, dst, n) };
    if flags & MREMAP_DONTUNMAP != 0 {
        // The old range stays mapped and reads as zeros (private anonymous).
        zero(cx, old, old + old_len)?;
    } else {
        unmap_pages(cx, old, old_len)?;
    }
    Ok(new as i64)
}

/// mremap of [old, old + old_len) inside the shared mapping at `s`: the
/// host mapping itself grows or moves (the host's mremap), so the bytes stay
/// the object's and nothing is copied.
fn mremap_shared(
    cx: &mut Cx,
    old: u64,
    old_len: u64,
    new_len: u64,
    flags: i32,
    s: u64,
    sm: SharedMap,
) -> SysResult {
    if flags & MREMAP_DONTUNMAP != 0 {
        // Linux allows it only for private anonymous mappings (before 5.13).
        refused(
            cx,
            format_args!("mremap MREMAP_DONTUNMAP of a shared mapping"),
            "only private anonymous mappings can keep their old range",
        );
        return Err(Errno::EINVAL);
    }
    if new_len <= old_len {
        if new_len < old_len {
            unmap_pages(cx, old + new_len, old_len - new_len)?;
        }
        return Ok(old as i64);
    }
    let proc = cx.data().proc.clone();
    let extra = new_len - old_len;
    {
        let mut mm = proc.mm.lock().unwrap();
        let tail = old + old_len;
        if tail == s + sm.len && covers(&mm.free, tail, old + new_len) {
            let m = mem(cx);
            let (old_ptr, old_host_len) = host_range(&m, old, old_len)?;
            let (tail_ptr, extra_host_len) = host_range(&m, tail, extra)?;
            let new_host_len = old_host_len + extra_host_len;
            // SAFETY: the pages after the mapping are free linear memory (no
            // guest mapping uses them): they become a hole for the host
            // mapping to grow into, or get their private pages back below.
            let grown = unsafe {
                libc::munmap(tail_ptr.cast(), extra_host_len) == 0
                    && libc::mremap(old_ptr.cast(), old_host_len, new_host_len, 0)
                        != libc::MAP_FAILED
            };
            if grown {
                remove_range(&mut mm.free, tail, old + new_len);
                mm.shared.get_mut(&s).expect("found above").len += extra;
                return Ok(old as i64);
            }
            restore_private(&m, tail, tail + extra)?;
        }
    }
    if flags & MREMAP_MAYMOVE == 0 {
        return Err(Errno::ENOMEM);
    }
    let new = allocate(cx, new_len)?;
    let mut mm = proc.mm.lock().unwrap();
    let m = mem(cx);
    let (old_ptr, old_host_len) = host_range(&m, old, old_len)?;
    let (new_ptr, new_host_len) = host_range(&m, new, new_len)?;
    // SAFETY: both ranges are linear memory, the new one freshly allocated
    // for this mapping (the host's mremap replaces its private pages).
    let moved = unsafe {
        libc::mremap(
            old_ptr.cast(),
            old_host_len,
            new_host_len,
            libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
            new_ptr,
        )
    };
    if moved == libc::MAP_FAILED {
        let e = Errno::last();
        // A failed move may have unmapped the target already.
        restore_private(&m, new, new + new_len)?;
        drop(mm);
        let _ = unmap_pages(cx, new, new_len);
        return Err(e);
    }
    // The old pages are a hole now: private zero pages back, then they
    // return to the allocator.
    for k in mm.shared_within(old, old + old_len) {
        mm.shared.remove(&k);
    }
    restore_private(&m, old, old + old_len)?;
    mm.shared.insert(
        new,
        SharedMap {
            len: new_len,
            prot: sm.prot,
        },
    );
    drop(mm);
    unmap_pages(cx, old, old_len)?;
    Ok(new as i64)
}

fn check_range(addr: i32, len: i32) -> SysResult<(u64, u64)> {
    let addr = addr as u32 as u64;
    if !addr.is_multiple_of(PAGE) {
        return Err(Errno::EINVAL);
    }
    let len = align_up(len as u32 as u64, PAGE).ok_or(Errno::ENOMEM)?;
    Ok((addr, addr + len))
}

/// Private linear memory keeps read-write (wasmtime needs it, and host code
/// writing a syscall's result there must not fault); shared mappings get the
/// protection asked for, as their pages are the host's own mapping.
pub fn mprotect(cx: &mut Cx, addr: i32, len: i32, prot: i32) -> SysResult {
    let r = protect(cx, addr, len, prot);
    publish_narrow(cx);
    r
}

/// Tells the host's own accessors of guest memory (`memory::Mem`) which
/// shared mappings the host may not read or write: the kernel answers EFAULT
/// for its own accesses there, but a copy the host makes itself would fault
/// and kill it. Rebuilt after every change to the shared mappings.
fn publish_narrow(cx: &Cx) {
    if !ANY_SHARED.load(Ordering::Relaxed) {
        return;
    }
    let proc = cx.data().proc.clone();
    let mm = proc.mm.lock().unwrap();
    let narrow = mm
        .shared
        .iter()
        .filter(|(_, sm)| sm.prot != libc::PROT_READ | libc::PROT_WRITE)
        .map(|(&s, sm)| (s, s + sm.len, sm.prot))
        .collect();
    wali_core::memory::set_narrow(narrow);
}

fn protect(cx: &mut Cx, addr: i32, len: i32, prot: i32) -> SysResult {
    if prot
        & !(libc::PROT_READ
            | libc::PROT_WRITE
            | libc::PROT_EXEC
            | libc::PROT_GROWSDOWN
            | libc::PROT_GROWSUP)
        != 0
    {
        return Err(Errno::EINVAL);
    }
    let (start, end) = check_range(addr, len)?;
    if end > mem(cx).size() as u64 {
        return Err(Errno::ENOMEM);
    }
    let proc = cx.data().proc.clone();
    let mut mm = proc.mm.lock().unwrap();
    if !mm.overlaps_shared(start, end) {
        return Ok(0);
    }
    let host_prot = prot & (libc::PROT_READ | libc::PROT_WRITE);
    let m = mem(cx);
    for s in mm.shared_within(start, end) {
        let sm = mm.shared.get_mut(&s).expect("listed");
        let (p, len) = host_range(&m, s, sm.len)?;
        // SAFETY: a shared mapping this module placed inside linear memory.
        if unsafe { libc::mprotect(p.cast(), len, host_prot) } != 0 {
            return Err(Errno::last());
        }
        sm.prot = host_prot;
    }
    Ok(0)
}

const MCL_CURRENT: i32 = 1;
const MCL_FUTURE: i32 = 2;
const MCL_ONFAULT: i32 = 4;

/// As for an unprivileged process (no CAP_IPC_LOCK), whatever the host's
/// privileges: the guest's RLIMIT_MEMLOCK decides. Nothing is pinned: the
/// host never pins guest memory, and a lock's only promise (residency) is
/// invisible to the guest.
pub fn mlockall(cx: &mut Cx, flags: i32) -> SysResult {
    if flags & !(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0
        || flags & (MCL_CURRENT | MCL_FUTURE) == 0
    {
        return Err(Errno::EINVAL);
    }
    let limit = crate::sys::info::guest_limit(cx, libc::RLIMIT_MEMLOCK as i32)?.rlim_cur;
    if limit == 0 {
        return Err(Errno::EPERM);
    }
    if flags & MCL_CURRENT != 0 && limit != libc::RLIM_INFINITY && mem(cx).size() as u64 > limit {
        return Err(Errno::ENOMEM);
    }
    Ok(0)
}

pub fn munlockall(_cx: &mut Cx) -> SysResult {
    Ok(0)
}

/// The advice values Linux 6.x accepts (`madvise_behavior_valid`); the
/// kernel checks the advice before the range.
fn known_advice(advice: i32) -> bool {
    matches!(advice, 0..=4 | 8..=25 | 100..=103)
}

pub fn madvise(cx: &mut Cx, addr: i32, length: i32, advice: i32) -> SysResult {
    if !known_advice(advice) {
        return Err(Errno::EINVAL);
    }
    // MADV_HWPOISON and MADV_SOFT_OFFLINE need CAP_SYS_ADMIN.
    if advice == libc::MADV_HWPOISON || advice == 101 {
        return Err(Errno::EPERM);
    }
    let (start, end) = check_range(addr, length)?;
    if end > mem(cx).size() as u64 {
        return Err(Errno::ENOMEM);
    }
    if advice == libc::MADV_DONTNEED {
        let proc = cx.data().proc.clone();
        let mm = proc.mm.lock().unwrap();
        if !covers(&mm.owned, start, end) {
            return Ok(0);
        }
        // Private pages read as zeros afterwards; shared ones as the file.
        let mut private = vec![(start, end)];
        for (&s, sm) in mm.shared.range(..end) {
            if s + sm.len > start {
                private = private
                    .into_iter()
                    .flat_map(|(a, b)| [(a, b.min(s)), (a.max(s + sm.len), b)])
                    .filter(|(a, b)| a < b)
                    .collect();
            }
        }
        drop(mm);
        for (a, b) in private {
            zero(cx, a, b)?;
        }
    }
    if advice == libc::MADV_REMOVE {
        // Frees the file's backing store (a hole: the pages read zeros):
        // the host's own call on the shared mappings in the range.
        for_shared_pages(cx, start, end, |p, len| {
            // SAFETY: `p..p+len` is a shared mapping this module placed in
            // linear memory; MADV_REMOVE frees its backing store only.
            unsafe { libc::madvise(p.cast(), len, libc::MADV_REMOVE) }
        })?;
    }
    Ok(0)
}

pub fn msync(cx: &mut Cx, addr: i32, length: i32, flags: i32) -> SysResult {
    let (start, end) = check_range(addr, length)?;
    let valid = libc::MS_ASYNC | libc::MS_SYNC | libc::MS_INVALIDATE;
    if flags & !valid != 0 || (flags & libc::MS_ASYNC != 0 && flags & libc::MS_SYNC != 0) {
        return Err(Errno::EINVAL);
    }
    if end > mem(cx).size() as u64 {
        return Err(Errno::ENOMEM);
    }
    for_shared_pages(cx, start, end, |p, len| {
        // SAFETY: msync only flushes the host mapping of checked guest pages.
        unsafe { libc::msync(p.cast(), len, flags) }
    })?;
    Ok(0)
}

/// Calls `op` (a host call answering 0 or -1 with errno) on the host address
/// and length of each part of `[start, end)` covered by a shared mapping.
fn for_shared_pages(
    cx: &mut Cx,
    start: u64,
    end: u64,
    mut op: impl FnMut(*mut u8, usize) -> libc::c_int,
) -> SysResult<()> {
    let proc = cx.data().proc.clone();
    let mm = proc.mm.lock().unwrap();
    let m = mem(cx);
    for (&s, sm) in mm.shared.range(..end) {
        let (from, to) = (s.max(start), (s + sm.len).min(end));
        if from >= to {
            continue;
        }
        let (p, len) = host_range(&m, from, to - from)?;
        if op(p, len) != 0 {
            return Err(Errno::last());
        }
    }
    Ok(())
}

pub fn brk(cx: &mut Cx, _addr: i32) -> SysResult {
    // The break never moves; reporting the initial one makes every attempt
    // to move it fail the way musl expects, and malloc uses mmap.
    let proc = cx.data().proc.clone();
    let initial = proc.mm.lock().unwrap().initial;
    Ok(initial as i64)
}
