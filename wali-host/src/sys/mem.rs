//! Memory management inside linear memory. The host owns every page it grew
//! the memory by; `mmap` hands those out first-fit, `munmap` returns them
//! (zeroed, so the next anonymous mapping reads zeros as on Linux), and the
//! memory grows when nothing free fits. Pages the guest grew itself
//! (`memory.grow` in its own code) are never touched.

use super::Cx;
use crate::errno::{Errno, SysResult};
use crate::fdtable::OpenFile;
use crate::memory::GuestMemory;
use crate::process::{mem, Thread};
use std::collections::BTreeMap;
use std::sync::Arc;
use wasmtime::{AsContext, AsContextMut};

/// The page size mmap works in (Linux's, not Wasm's 64 KiB).
pub const PAGE: u64 = 4096;
const WASM_PAGE: u64 = 65536;

const MAP_SHARED: i32 = 0x01;
const MAP_PRIVATE: i32 = 0x02;
const MAP_SHARED_VALIDATE: i32 = 0x03;
const MAP_TYPE: i32 = 0x0f;
const MAP_FIXED: i32 = 0x10;
const MAP_ANONYMOUS: i32 = 0x20;
const MAP_FIXED_NOREPLACE: i32 = 0x100000;
const MREMAP_MAYMOVE: i32 = 1;
const MREMAP_FIXED: i32 = 2;

/// A MAP_SHARED file mapping, written back by msync and munmap.
struct SharedFile {
    len: u64,
    file: Arc<OpenFile>,
    offset: i64,
}

#[derive(Default)]
pub struct MemoryMap {
    /// The memory's size when the guest started: the initial break.
    initial: u64,
    /// Free host-owned ranges, start -> end, coalesced.
    free: BTreeMap<u64, u64>,
    /// Host-owned ranges, start -> end (free or not), coalesced.
    owned: BTreeMap<u64, u64>,
    shared: BTreeMap<u64, SharedFile>,
}

fn insert_range(map: &mut BTreeMap<u64, u64>, mut start: u64, mut end: u64) {
    // Merge with every overlapping or touching range.
    let overlapping: Vec<(u64, u64)> = map
        .range(..=end)
        .rev()
        .take_while(|(_, &e)| e >= start)
        .map(|(&s, &e)| (s, e))
        .collect();
    for (s, e) in overlapping {
        map.remove(&s);
        start = start.min(s);
        end = end.max(e);
    }
    map.insert(start, end);
}

fn remove_range(map: &mut BTreeMap<u64, u64>, start: u64, end: u64) {
    let overlapping: Vec<(u64, u64)> = map
        .range(..end)
        .rev()
        .take_while(|(_, &e)| e > start)
        .map(|(&s, &e)| (s, e))
        .collect();
    for (s, e) in overlapping {
        map.remove(&s);
        if s < start {
            map.insert(s, start);
        }
        if e > end {
            map.insert(end, e);
        }
    }
}

fn covers(map: &BTreeMap<u64, u64>, start: u64, end: u64) -> bool {
    map.range(..=start)
        .next_back()
        .is_some_and(|(_, &e)| e >= end)
}

fn overlaps(map: &BTreeMap<u64, u64>, start: u64, end: u64) -> bool {
    map.range(..end)
        .next_back()
        .is_some_and(|(_, &e)| e > start)
}

impl MemoryMap {
    pub fn init(&mut self, memory_size: u64) {
        self.initial = memory_size;
    }

    fn take_first_fit(&mut self, len: u64) -> Option<u64> {
        let (&s, _) = self.free.iter().find(|(&s, &e)| e - s >= len)?;
        remove_range(&mut self.free, s, s + len);
        Some(s)
    }
}

fn align_up(v: u64, to: u64) -> Option<u64> {
    v.checked_add(to - 1).map(|x| x & !(to - 1))
}

/// Grows linear memory by at least `bytes`; returns the old size in bytes.
fn grow(mut cx: impl AsContextMut<Data = Thread>, bytes: u64) -> SysResult<u64> {
    let pages = align_up(bytes, WASM_PAGE).ok_or(Errno::ENOMEM)? / WASM_PAGE;
    let memory = cx.as_context().data().memory.clone().ok_or(Errno::ENOMEM)?;
    let old_pages = match memory {
        GuestMemory::Shared(m) => m.grow(pages).map_err(|_| Errno::ENOMEM)?,
        GuestMemory::Plain(m) => m.grow(&mut cx, pages).map_err(|_| Errno::ENOMEM)?,
    };
    Ok(old_pages * WASM_PAGE)
}

fn memory_size(cx: &impl AsContext<Data = Thread>) -> u64 {
    let ctx = cx.as_context();
    ctx.data()
        .memory
        .as_ref()
        .map_or(0, |m| m.view(&ctx).size() as u64)
}

/// Zeroes guest pages [start, end): the kernel drops them (they read as
/// zeros again) when the memory is private anonymous, as wasmtime's is.
fn zero(cx: &Cx, start: u64, end: u64) -> SysResult<()> {
    let m = mem(cx);
    let len = (end - start) as usize;
    let p = m.addr(start as u32, len)?;
    unsafe {
        if len >= 65536 && libc::madvise(p.cast(), len, libc::MADV_DONTNEED) == 0 && *p == 0 {
            return Ok(());
        }
        std::ptr::write_bytes(p, 0, len);
    }
    Ok(())
}

/// Finds (or makes) `len` free bytes and marks them in use.
fn allocate(cx: &mut Cx, len: u64) -> SysResult<u64> {
    allocate_in(cx, len)
}

/// [`allocate`] from any store context (signal delivery has no Caller).
pub fn allocate_in(mut cx: impl AsContextMut<Data = Thread>, len: u64) -> SysResult<u64> {
    let proc = cx.as_context().data().proc.clone();
    let mut mm = proc.mm.lock().unwrap();
    if let Some(addr) = mm.take_first_fit(len) {
        return Ok(addr);
    }
    // Extend the last free range if it reaches the end of memory.
    let size = memory_size(&cx);
    let tail_free = mm
        .free
        .iter()
        .next_back()
        .filter(|(_, &e)| e == size)
        .map(|(&s, &e)| e - s)
        .unwrap_or(0);
    let old = grow(&mut cx, len - tail_free)?;
    let new_size = memory_size(&cx);
    if old != size {
        // The guest grew the memory itself in between: ours starts at `old`.
        return {
            insert_range(&mut mm.owned, old, new_size);
            insert_range(&mut mm.free, old, new_size);
            drop(mm);
            allocate_in(cx, len)
        };
    }
    insert_range(&mut mm.owned, old, new_size);
    insert_range(&mut mm.free, old, new_size);
    Ok(mm.take_first_fit(len).expect("grew enough"))
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
    let source = if anonymous {
        None
    } else {
        let f = super::fd::file(cx, fd)?;
        let raw = f.raw().map_err(|_| Errno::ENODEV)?;
        // The file must be open for reading, and for writing too when a
        // shared mapping may write it back.
        let mode = unsafe { libc::fcntl(raw, libc::F_GETFL) } & libc::O_ACCMODE;
        let shared_write = kind != MAP_PRIVATE && prot & libc::PROT_WRITE != 0;
        if mode == libc::O_WRONLY || (shared_write && mode != libc::O_RDWR) {
            return Err(Errno::EACCES);
        }
        Some(f)
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
            return Err(Errno::EINVAL);
        }
        if flags & MAP_FIXED_NOREPLACE != 0 && !covers(&mm.free, addr, end) {
            return Err(Errno::EEXIST);
        }
        let was_free = covers(&mm.free, addr, end);
        remove_range(&mut mm.free, addr, end);
        drop(mm);
        if !was_free {
            writeback(cx, addr, end)?;
            zero(cx, addr, end)?;
        }
        addr
    } else {
        allocate(cx, len)?
    };

    if let Some(f) = source {
        let m = mem(cx);
        let buf = m.slice_mut(start as u32, len as usize)?;
        let raw = f.raw()?;
        let mut done = 0usize;
        while done < buf.len() {
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
                    let _ = munmap(cx, start as i32, len as i32);
                    return Err(if e == Errno::EISDIR { Errno::ENODEV } else { e });
                }
                n => done += n as usize,
            }
        }
        if kind != MAP_PRIVATE {
            let proc = cx.data().proc.clone();
            proc.mm.lock().unwrap().shared.insert(
                start,
                SharedFile {
                    len,
                    file: f,
                    offset,
                },
            );
        }
    }
    Ok(start as i64)
}

/// Writes MAP_SHARED file mappings overlapping [start, end) back to their files.
fn writeback(cx: &Cx, start: u64, end: u64) -> SysResult<()> {
    let proc = cx.data().proc.clone();
    let mm = proc.mm.lock().unwrap();
    let m = mem(cx);
    for (&s, sf) in mm.shared.range(..end) {
        let e = s + sf.len;
        if e <= start {
            continue;
        }
        let (from, to) = (s.max(start), e.min(end));
        let data = m.slice(from as u32, (to - from) as usize)?;
        let raw = sf.file.raw()?;
        // Write back only within the file's current size, as a shared
        // mapping cannot extend its file.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        unsafe { libc::fstat(raw, &mut st) };
        let file_off = sf.offset + (from - s) as i64;
        let n = (st.st_size - file_off).clamp(0, data.len() as i64) as usize;
        if n > 0 {
            unsafe { libc::pwrite(raw, data.as_ptr().cast(), n, file_off) };
        }
    }
    Ok(())
}

pub fn munmap(cx: &mut Cx, addr: i32, len: i32) -> SysResult {
    let addr = addr as u32 as u64;
    let len = align_up(len as u32 as u64, PAGE).ok_or(Errno::EINVAL)?;
    if !addr.is_multiple_of(PAGE) || len == 0 {
        return Err(Errno::EINVAL);
    }
    let end = addr + len;
    writeback(cx, addr, end)?;
    let proc = cx.data().proc.clone();
    let mut mm = proc.mm.lock().unwrap();
    // Only the host-owned, in-use parts become free.
    let owned: Vec<(u64, u64)> = mm
        .owned
        .range(..end)
        .filter(|(_, &e)| e > addr)
        .map(|(&s, &e)| (s.max(addr), e.min(end)))
        .collect();
    let shared_keys: Vec<u64> = mm
        .shared
        .range(..end)
        .filter(|(&s, sf)| s + sf.len > addr && s >= addr && s + sf.len <= end)
        .map(|(&s, _)| s)
        .collect();
    for k in shared_keys {
        mm.shared.remove(&k);
    }
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
    _new_address: i32,
) -> SysResult {
    let old = old_address as u32 as u64;
    let old_len = align_up(old_size as u32 as u64, PAGE).ok_or(Errno::EINVAL)?;
    let new_len = align_up(new_size as u32 as u64, PAGE).ok_or(Errno::ENOMEM)?;
    if !old.is_multiple_of(PAGE)
        || new_len == 0
        || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | 4) != 0
    {
        return Err(Errno::EINVAL);
    }
    if flags & MREMAP_FIXED != 0 {
        return Err(Errno::EINVAL);
    }
    let proc = cx.data().proc.clone();
    {
        let mm = proc.mm.lock().unwrap();
        if !covers(&mm.owned, old, old + old_len) || overlaps(&mm.free, old, old + old_len) {
            return Err(Errno::EFAULT);
        }
    }
    if new_len <= old_len {
        if new_len < old_len {
            munmap(cx, (old + new_len) as i32, (old_len - new_len) as i32)?;
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
    let src = m.addr(old as u32, old_len as usize)?;
    let dst = m.addr(new as u32, old_len as usize)?;
    unsafe { std::ptr::copy_nonoverlapping(src, dst, old_len as usize) };
    munmap(cx, old as i32, old_len as i32)?;
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

pub fn mprotect(cx: &mut Cx, addr: i32, len: i32, prot: i32) -> SysResult {
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
    let _ = start;
    Ok(0)
}

pub fn madvise(cx: &mut Cx, addr: i32, length: i32, advice: i32) -> SysResult {
    let (start, end) = check_range(addr, length)?;
    if end > mem(cx).size() as u64 {
        return Err(Errno::ENOMEM);
    }
    if advice == libc::MADV_DONTNEED {
        let proc = cx.data().proc.clone();
        let owned = covers(&proc.mm.lock().unwrap().owned, start, end);
        if owned {
            zero(cx, start, end)?;
        }
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
    writeback(cx, start, end)?;
    Ok(0)
}

pub fn brk(cx: &mut Cx, _addr: i32) -> SysResult {
    // The break never moves; reporting the initial one makes every attempt
    // to move it fail the way musl expects, and malloc uses mmap.
    let proc = cx.data().proc.clone();
    let initial = proc.mm.lock().unwrap().initial;
    Ok(initial as i64)
}
