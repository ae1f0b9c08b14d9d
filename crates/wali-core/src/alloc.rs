//! Allocating pages of linear memory for the host (mmap, signal frames):
//! first fit from the memory map, growing the memory when nothing fits.

use crate::errno::{Errno, SysResult};
use crate::memory::GuestMemory;
use crate::mm::{align_up, insert_range, WASM_PAGE};
use crate::process::Thread;
use wasmtime::{AsContext, AsContextMut};

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

/// Finds (or makes, growing the memory) `len` free bytes of linear memory
/// and marks them in use; from any store context (`mmap` has a Caller,
/// signal delivery does not).
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
