//! Guest linear memory: translation of guest pointers into host slices, every
//! access bounds-checked against the memory's current size.

use crate::errno::{Errno, SysResult};
use std::sync::atomic::{AtomicBool, Ordering};
use wasmtime::{AsContext, Memory, SharedMemory};

/// The guest's linear memory, shared between threads or not.
#[derive(Clone)]
pub enum GuestMemory {
    Shared(SharedMemory),
    Plain(Memory),
}

impl GuestMemory {
    /// A view valid until the memory grows or the store is touched again.
    #[inline]
    pub fn view(&self, store: impl AsContext) -> Mem {
        match self {
            GuestMemory::Shared(m) => {
                let data = m.data();
                Mem {
                    base: data.as_ptr() as *mut u8,
                    len: data.len(),
                }
            }
            GuestMemory::Plain(m) => Mem {
                base: m.data_ptr(&store),
                len: m.data_size(&store),
            },
        }
    }
}

/// Plain-old-data types that may be copied to and from guest memory byte by
/// byte: no pointers, no invariants, every bit pattern valid.
///
/// # Safety
/// Implement only for types where any byte pattern is a valid value.
pub unsafe trait Pod: Copy {}
macro_rules! pod {
    // SAFETY: the listed types are integers or libc's C structs made only of
    // integers and integer arrays (no pointers, enums or bools), so every
    // byte pattern is a valid value.
    ($($t:ty),*) => { $(unsafe impl Pod for $t {})* };
}
pod!(u8, i8, u16, i16, u32, i32, u64, i64);
// SAFETY: an array of u8 is valid for every byte pattern.
unsafe impl<const N: usize> Pod for [u8; N] {}
// SAFETY: an array of u32 is valid for every byte pattern.
unsafe impl<const N: usize> Pod for [u32; N] {}
// SAFETY: an array of i64 is valid for every byte pattern.
unsafe impl<const N: usize> Pod for [i64; N] {}
pod!(
    libc::stat,
    libc::statfs,
    libc::timespec,
    libc::timeval,
    libc::rlimit,
    libc::rusage
);
pod!(
    libc::sysinfo,
    libc::utsname,
    libc::tms,
    libc::flock,
    libc::winsize,
    libc::termios,
    libc::itimerval
);

/// Ranges of linear memory `[start, end)` that are shared mappings with a
/// host protection narrower than read+write (the `PROT_*` bits they have).
/// One guest process per host process, so one list; empty and unlocked on
/// the fast path while `ANY_NARROW` is false.
static NARROW: std::sync::RwLock<Vec<(u64, u64, i32)>> = std::sync::RwLock::new(Vec::new());
static ANY_NARROW: AtomicBool = AtomicBool::new(false);

/// Replaces the list of narrowly protected ranges (see `sys::mem`).
pub fn set_narrow(ranges: Vec<(u64, u64, i32)>) {
    let any = !ranges.is_empty();
    *NARROW.write().unwrap_or_else(|e| e.into_inner()) = ranges;
    ANY_NARROW.store(any, Ordering::Release);
}

/// EFAULT when the host itself may not make this access: the pages are a
/// shared mapping without the protection it needs (as the kernel answers
/// for a syscall's own copy). A read-only or inaccessible host page would
/// otherwise kill the host when it copies a result in or an argument out.
#[inline]
fn check_access(ptr: u32, len: usize, need: i32) -> SysResult<()> {
    if !ANY_NARROW.load(Ordering::Acquire) || len == 0 {
        return Ok(());
    }
    let (start, end) = (ptr as u64, ptr as u64 + len as u64);
    let narrow = NARROW.read().unwrap_or_else(|e| e.into_inner());
    if narrow
        .iter()
        .any(|&(s, e, prot)| s < end && start < e && prot & need != need)
    {
        return Err(Errno::EFAULT);
    }
    Ok(())
}

/// A raw view of guest memory. Guest memory may be shared with other guest
/// threads, so slices handed out are only as stable as the guest makes them;
/// that is the same contract the kernel has with a process's own memory.
#[derive(Clone, Copy)]
pub struct Mem {
    base: *mut u8,
    len: usize,
}

impl Mem {
    /// The host address of `[ptr, ptr+len)`, or EFAULT. A NULL pointer with a
    /// non-zero length faults as it does natively, although address 0 exists
    /// in linear memory.
    #[inline]
    pub fn addr(&self, ptr: u32, len: usize) -> SysResult<*mut u8> {
        let end = (ptr as usize).checked_add(len).ok_or(Errno::EFAULT)?;
        if end > self.len || (ptr == 0 && len != 0) {
            return Err(Errno::EFAULT);
        }
        // SAFETY: in bounds of the mapped linear memory, checked above.
        Ok(unsafe { self.base.add(ptr as usize) })
    }

    /// A view in which every pointer faults.
    pub fn empty() -> Mem {
        Mem {
            base: std::ptr::NonNull::<u8>::dangling().as_ptr(),
            len: 0,
        }
    }

    pub fn size(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn slice(&self, ptr: u32, len: usize) -> SysResult<&[u8]> {
        let p = self.addr(ptr, len)?;
        check_access(ptr, len, libc::PROT_READ)?;
        // SAFETY: bounds checked; see the type's note on sharing.
        Ok(unsafe { std::slice::from_raw_parts(p, len) })
    }

    #[allow(clippy::mut_from_ref)]
    #[inline]
    pub fn slice_mut(&self, ptr: u32, len: usize) -> SysResult<&mut [u8]> {
        let p = self.addr(ptr, len)?;
        check_access(ptr, len, libc::PROT_READ | libc::PROT_WRITE)?;
        // SAFETY: bounds checked; see the type's note on sharing.
        Ok(unsafe { std::slice::from_raw_parts_mut(p, len) })
    }

    #[inline]
    pub fn read<T: Pod>(&self, ptr: u32) -> SysResult<T> {
        let p = self.addr(ptr, std::mem::size_of::<T>())?;
        check_access(ptr, std::mem::size_of::<T>(), libc::PROT_READ)?;
        // SAFETY: bounds checked, T is Pod, unaligned read.
        Ok(unsafe { std::ptr::read_unaligned(p as *const T) })
    }

    #[inline]
    pub fn write<T: Pod>(&self, ptr: u32, value: T) -> SysResult<()> {
        let p = self.addr(ptr, std::mem::size_of::<T>())?;
        check_access(ptr, std::mem::size_of::<T>(), libc::PROT_WRITE)?;
        // SAFETY: bounds checked, T is Pod, unaligned write.
        unsafe { std::ptr::write_unaligned(p as *mut T, value) };
        Ok(())
    }

    /// Copies `bytes` to `ptr`.
    pub fn write_bytes(&self, ptr: u32, bytes: &[u8]) -> SysResult<()> {
        self.slice_mut(ptr, bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }

    /// Reads `n` consecutive values of T.
    pub fn read_array<T: Pod>(&self, ptr: u32, n: usize) -> SysResult<Vec<T>> {
        let size = std::mem::size_of::<T>();
        let total = n.checked_mul(size).ok_or(Errno::EFAULT)?;
        let p = self.addr(ptr, total)?;
        check_access(ptr, total, libc::PROT_READ)?;
        Ok((0..n)
            // SAFETY: each element lies in the checked range.
            .map(|i| unsafe {
                std::ptr::read_unaligned((p as *const u8).add(i * size) as *const T)
            })
            .collect())
    }

    /// A NUL-terminated string at `ptr` (without the NUL). EFAULT when it runs
    /// off the end of memory, ENAMETOOLONG past `max` bytes.
    pub fn cstr(&self, ptr: u32, max: usize) -> SysResult<&[u8]> {
        if ptr == 0 || ptr as usize >= self.len {
            return Err(Errno::EFAULT);
        }
        let avail = self.len - ptr as usize;
        let window = self.slice(ptr, avail.min(max + 1))?;
        match window.iter().position(|&b| b == 0) {
            Some(n) => Ok(&window[..n]),
            None if window.len() > max => Err(Errno::ENAMETOOLONG),
            None => Err(Errno::EFAULT),
        }
    }

    /// A path argument: at most PATH_MAX bytes including the NUL.
    #[inline]
    pub fn path(&self, ptr: u32) -> SysResult<&[u8]> {
        self.cstr(ptr, libc::PATH_MAX as usize - 1)
    }
}

/// Reads a guest `struct timespec` (tv_sec i64, tv_nsec: low 32 bits of the
/// 8-byte slot, since the guest's `long` is 4 bytes).
pub fn read_timespec(mem: &Mem, ptr: u32) -> SysResult<libc::timespec> {
    let raw: [u8; 16] = mem.read(ptr)?;
    let sec = i64::from_le_bytes(raw[..8].try_into().unwrap());
    let nsec = i32::from_le_bytes(raw[8..12].try_into().unwrap());
    Ok(libc::timespec {
        tv_sec: sec,
        tv_nsec: nsec as i64,
    })
}

/// A duration or deadline argument: NULL is None; a negative or
/// out-of-range timespec is EINVAL, as the kernel answers.
pub fn read_timeout(mem: &Mem, ptr: u32) -> SysResult<Option<libc::timespec>> {
    if ptr == 0 {
        return Ok(None);
    }
    let ts = read_timespec(mem, ptr)?;
    if ts.tv_sec < 0 || !(0..1_000_000_000).contains(&ts.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    Ok(Some(ts))
}

/// The length of a timespec `read_timeout` accepted (a negative part, which
/// it refuses, counts as zero).
pub fn duration_of(ts: &libc::timespec) -> std::time::Duration {
    let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(ts.tv_nsec).unwrap_or(0);
    std::time::Duration::from_secs(secs).saturating_add(std::time::Duration::from_nanos(nanos))
}

/// Writes a `struct timespec` in the guest layout (padding zeroed).
pub fn write_timespec(mem: &Mem, ptr: u32, ts: &libc::timespec) -> SysResult<()> {
    let mut raw = [0u8; 16];
    raw[..8].copy_from_slice(&ts.tv_sec.to_le_bytes());
    raw[8..].copy_from_slice(&ts.tv_nsec.to_le_bytes());
    mem.write(ptr, raw)
}
