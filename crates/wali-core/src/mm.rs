//! The host's map of linear memory: which pages it owns, which of those
//! are free, and the MAP_SHARED mappings placed over them (`alloc` takes
//! pages from it; `wali_syscalls::sys::mem` holds the syscalls).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

pub const PAGE: u64 = 4096;
pub(crate) const WASM_PAGE: u64 = 65536;

/// A MAP_SHARED mapping: linear memory at [start, start + len) is a host
/// shared mapping (of a file, or of the memfd behind an anonymous shared
/// mapping). No descriptor is kept: the host mapping holds the object, and
/// mremap moves or grows the host mapping itself.
#[derive(Clone)]
pub struct SharedMap {
    pub len: u64,
    /// The host protection (PROT_READ and PROT_WRITE bits only).
    pub prot: i32,
}

/// Whether this process has ever had a shared mapping: futex calls look up
/// the shared mappings only then (one process per host process).
pub static ANY_SHARED: AtomicBool = AtomicBool::new(false);

#[derive(Default)]
pub struct MemoryMap {
    /// The memory's size when the guest started: the initial break.
    pub initial: u64,
    /// Free host-owned ranges, start -> end, coalesced.
    pub free: BTreeMap<u64, u64>,
    /// Host-owned ranges, start -> end (free or not), coalesced.
    pub owned: BTreeMap<u64, u64>,
    /// MAP_SHARED mappings by start address (never overlapping).
    pub shared: BTreeMap<u64, SharedMap>,
}

pub fn insert_range(map: &mut BTreeMap<u64, u64>, mut start: u64, mut end: u64) {
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

pub fn remove_range(map: &mut BTreeMap<u64, u64>, start: u64, end: u64) {
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

pub fn covers(map: &BTreeMap<u64, u64>, start: u64, end: u64) -> bool {
    map.range(..=start)
        .next_back()
        .is_some_and(|(_, &e)| e >= end)
}

pub fn overlaps(map: &BTreeMap<u64, u64>, start: u64, end: u64) -> bool {
    map.range(..end)
        .next_back()
        .is_some_and(|(_, &e)| e > start)
}

impl MemoryMap {
    pub fn init(&mut self, memory_size: u64) {
        self.initial = memory_size;
    }

    pub(crate) fn take_first_fit(&mut self, len: u64) -> Option<u64> {
        let (&s, _) = self.free.iter().find(|(&s, &e)| e - s >= len)?;
        remove_range(&mut self.free, s, s + len);
        Some(s)
    }

    /// Splits the shared mapping containing `at` (if any) into two at `at`.
    pub(crate) fn split_shared(&mut self, at: u64) {
        let Some((&s, sm)) = self.shared.range(..at).next_back() else {
            return;
        };
        if s + sm.len <= at {
            return;
        }
        let mut tail = sm.clone();
        tail.len = s + sm.len - at;
        self.shared.get_mut(&s).unwrap().len = at - s;
        self.shared.insert(at, tail);
    }

    /// The shared mappings inside [start, end) after splitting at both ends.
    pub fn shared_within(&mut self, start: u64, end: u64) -> Vec<u64> {
        self.split_shared(start);
        self.split_shared(end);
        self.shared.range(start..end).map(|(&s, _)| s).collect()
    }

    /// The shared mapping that contains all of [start, end), if one does.
    pub fn shared_containing(&self, start: u64, end: u64) -> Option<(u64, SharedMap)> {
        self.shared
            .range(..=start)
            .next_back()
            .filter(|(&s, sm)| s + sm.len >= end)
            .map(|(&s, sm)| (s, sm.clone()))
    }

    pub fn overlaps_shared(&self, start: u64, end: u64) -> bool {
        self.shared
            .range(..end)
            .next_back()
            .is_some_and(|(&s, sm)| s + sm.len > start)
    }
}

pub fn align_up(v: u64, to: u64) -> Option<u64> {
    v.checked_add(to - 1).map(|x| x & !(to - 1))
}
