//! Signal state: the guest's dispositions (per process) and each thread's
//! pending signals and mask, which other threads and the host signal
//! handler read (atomics only). The engine that delivers them lives in
//! `wali_syscalls::signal_engine`.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

pub const NSIG: usize = 65;
/// Every signal number: 1..NSIG, as the guest numbers them.
pub const SIGNALS: std::ops::Range<i32> = 1..65;
const _: () = assert!(SIGNALS.end as usize == NSIG);

#[derive(Clone, Copy, Default, Debug)]
pub struct GuestSigaction {
    pub handler: u32,
    pub mask: u64,
    pub flags: u32,
    pub restorer: u32,
}

pub struct SignalTable {
    pub actions: [GuestSigaction; NSIG],
}

impl Default for SignalTable {
    fn default() -> Self {
        SignalTable {
            actions: [GuestSigaction::default(); NSIG],
        }
    }
}

#[inline]
pub fn bit(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

// ---- state shared with the host handler and other threads -------------------

/// One guest thread's signal state, visible to other threads and to the host
/// signal handler (which touches only its atomics).
pub struct ThreadSignals {
    pub tid: i32,
    /// Signals pending for this thread.
    pub pending: AtomicU64,
    /// A copy of the thread's mask, for other threads choosing whom to wake.
    pub mask: AtomicU64,
    /// Address + 1 of the futex this thread waits on, or 0.
    pub futex_wait: AtomicU64,
    /// Who sent each pending signal, and how many real-time ones queue.
    pub queue: SigQueue,
}

/// Real-time signals queue (each sent instance is delivered); the sender of
/// each signal is kept for siginfo. Touched by the host handler: atomics only.
pub struct SigQueue {
    /// Pending instances of signals 32..=64 beyond the first.
    extra: [AtomicU32; 33],
    /// si_code (high 32 bits) and si_pid (low 32 bits) of the last sender.
    sender: [AtomicU64; NSIG],
}

impl Default for SigQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl SigQueue {
    pub const fn new() -> SigQueue {
        SigQueue {
            extra: [const { AtomicU32::new(0) }; 33],
            sender: [const { AtomicU64::new(0) }; NSIG],
        }
    }

    /// Records one sent instance of `sig` into `pending`.
    pub fn post(&self, pending: &AtomicU64, sig: i32, code: i32, pid: i32) {
        self.sender[sig as usize].store(
            ((code as u32 as u64) << 32) | pid as u32 as u64,
            Ordering::SeqCst,
        );
        let was = pending.fetch_or(bit(sig), Ordering::SeqCst);
        if sig >= 32 && was & bit(sig) != 0 {
            self.extra[sig as usize - 32].fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Takes one instance of `sig` from `pending`; false if none was there.
    pub fn take(&self, pending: &AtomicU64, sig: i32) -> bool {
        if pending.load(Ordering::SeqCst) & bit(sig) == 0 {
            return false;
        }
        if sig >= 32 {
            let extra = &self.extra[sig as usize - 32];
            if extra.load(Ordering::SeqCst) > 0 {
                extra.fetch_sub(1, Ordering::SeqCst);
                return true;
            }
        }
        pending.fetch_and(!bit(sig), Ordering::SeqCst) & bit(sig) != 0
    }

    #[expect(
        clippy::cast_possible_truncation,
        reason = "unpacks the two i32 halves `post` packed"
    )]
    pub fn sender(&self, sig: i32) -> (i32, i32) {
        let v = self.sender[sig as usize].load(Ordering::SeqCst);
        ((v >> 32) as i32, v as i32)
    }
}

impl ThreadSignals {
    pub fn new(tid: i32) -> Arc<ThreadSignals> {
        Arc::new(ThreadSignals {
            tid,
            pending: AtomicU64::new(0),
            mask: AtomicU64::new(0),
            futex_wait: AtomicU64::new(0),
            queue: SigQueue::new(),
        })
    }
}
