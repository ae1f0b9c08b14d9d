//! The capability gate every syscall passes, in one place (see dispatch).
//! Finer rules (paths, mounts) are enforced where the object is resolved.

pub mod net;

use crate::process::Process;
use syscall_table::Class;

/// Classes of syscalls the process may not use at all.
#[derive(Clone, Copy, Default, Debug)]
pub struct ClassMask(u32);

impl ClassMask {
    pub fn bit(class: Class) -> u32 {
        1 << (class as u32)
    }
    pub fn deny(&mut self, class: Class) {
        self.0 |= Self::bit(class);
    }
    pub fn bits(self) -> u32 {
        self.0
    }
    pub fn from_bits(bits: u32) -> ClassMask {
        ClassMask(bits)
    }
    #[inline]
    pub fn contains(self, class: Class) -> bool {
        self.0 & Self::bit(class) != 0
    }
}

/// The rule that denies `class` to `proc`, if any.
#[inline]
pub fn denies(proc: &Process, class: Class) -> Option<&'static str> {
    if proc.denied.contains(class) {
        Some("the policy's denied capability classes")
    } else {
        None
    }
}
