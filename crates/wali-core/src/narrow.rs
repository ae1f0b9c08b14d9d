//! Narrowing integer conversions that cannot lose anything wali could
//! honour, each with the reason. The workspace denies
//! `clippy::cast_possible_truncation`: a narrowing elsewhere uses
//! `try_from` (and answers an errno or saturates) or says in an
//! `#[expect]` why its value fits.

// wali's hosts are 64-bit (wasmtime's Cranelift targets): a u64 always
// fits a usize there.
const _: () = assert!(usize::BITS == 64, "wali runs on 64-bit hosts only");

/// A u64 as a usize: lossless on wali's 64-bit hosts (asserted above).
#[inline]
#[expect(
    clippy::cast_possible_truncation,
    reason = "usize is 64 bits wide (asserted at compile time)"
)]
pub const fn usize_from(v: u64) -> usize {
    v as usize
}

/// A wasm32 guest's pointer or `unsigned long`, received in a 64-bit
/// syscall argument: its low 32 bits, as a 32-bit kernel reads the
/// register (the C `long` is 32 bits in the guest, and the caller may have
/// sign-extended it).
#[inline]
#[expect(
    clippy::cast_possible_truncation,
    reason = "the guest's value is the low 32 bits, as on a 32-bit kernel"
)]
pub const fn guest_u32(v: i64) -> u32 {
    v as u32
}

/// A 64-bit syscall argument the kernel itself reads as a C `int`
/// (`int argi = (int)arg;` in fcntl, for one).
#[inline]
#[expect(
    clippy::cast_possible_truncation,
    reason = "the kernel truncates the argument to int the same way"
)]
pub const fn c_int(v: i64) -> i32 {
    v as i32
}

/// The length of a buffer wali made itself, as the u32 a socket length or
/// a guest length field holds: such buffers are at most a few pages (a
/// sockaddr, control messages, a stat record), so this saturates only in
/// theory.
#[inline]
pub fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_values() {
        assert_eq!(guest_u32(0x8000_0000), 0x8000_0000);
        // A sign-extended 32-bit pointer is the same pointer.
        assert_eq!(guest_u32(0xffff_ffff_8000_0000_u64 as i64), 0x8000_0000);
        assert_eq!(c_int(0x1_0000_0003), 3);
        assert_eq!(c_int(-1), -1);
        assert_eq!(usize_from(u64::MAX), usize::MAX);
        assert_eq!(len_u32(usize::MAX), u32::MAX);
    }
}
