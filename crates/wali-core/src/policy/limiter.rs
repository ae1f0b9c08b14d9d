//! The limits every guest store enforces itself: the memory and table
//! sizes of an instance (`GuestLimiter`) and the capped type of a memory
//! the host creates (`cap_memory`). See `limits` for the rest.

/// Most entries of one function table. A table costs the host 8 bytes an
/// entry in every thread's instance; real programs have tens of thousands
/// of functions.
pub const TABLE_ENTRIES: usize = 1 << 20;

/// The resource limiter of every guest store (`Store::limiter`): every
/// memory and table an instance defines or grows stays within
/// `limits.memory` and `TABLE_ENTRIES`. At instantiation a module asking
/// for more does not start (one line, exit 125); later, `memory.grow` and
/// `table.grow` fail (-1), as Linux's ENOMEM. wasmtime does not consult the
/// limiter for shared memories: those are created by the host with their
/// maximum capped (`cap_memory`).
#[derive(Debug, Default)]
pub struct GuestLimiter {
    /// Bytes of one linear memory at most (`limits.memory`).
    pub memory: Option<u64>,
    /// The instance exists: a refusal now is a failed grow, not a module
    /// that cannot start.
    pub instantiated: bool,
}

impl wasmtime::ResourceLimiter for GuestLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        match self.memory {
            Some(limit) if desired as u64 > limit => {
                if self.instantiated {
                    Ok(false)
                } else {
                    Err(wasmtime::Error::msg(format!(
                        "the module needs {desired} bytes of memory at start, more than limits.memory ({limit})"
                    )))
                }
            }
            _ => Ok(true),
        }
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired <= TABLE_ENTRIES {
            Ok(true)
        } else if self.instantiated {
            Ok(false)
        } else {
            Err(wasmtime::Error::msg(format!(
                "the module needs a table of {desired} entries at start, more than wali allows ({TABLE_ENTRIES})"
            )))
        }
    }
}

/// The linear memory type with its maximum capped to `limits.memory`.
pub fn cap_memory(
    ty: wasmtime::MemoryType,
    limit: Option<u64>,
) -> anyhow::Result<wasmtime::MemoryType> {
    let Some(limit) = limit else {
        return Ok(ty);
    };
    let page = 1u64 << ty.page_size_log2();
    let pages = limit / page;
    if ty.minimum() > pages {
        anyhow::bail!(
            "the module needs {} bytes of memory at start, more than limits.memory ({limit})",
            ty.minimum() * page
        );
    }
    let max = ty.maximum().map_or(pages, |m| m.min(pages));
    if ty.is_shared() {
        Ok(wasmtime::MemoryType::shared(
            ty.minimum() as u32,
            max as u32,
        ))
    } else {
        Ok(wasmtime::MemoryType::new(
            ty.minimum() as u32,
            Some(max as u32),
        ))
    }
}
