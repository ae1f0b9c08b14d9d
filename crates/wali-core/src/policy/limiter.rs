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

/// The linear memory type with its maximum capped to `limits.memory`. A
/// limit beyond what the memory's index type can address (4 GiB for a
/// 32-bit memory) caps nothing: the maximum saturates at the index type's.
pub fn cap_memory(
    ty: wasmtime::MemoryType,
    limit: Option<u64>,
) -> anyhow::Result<wasmtime::MemoryType> {
    let Some(limit) = limit else {
        return Ok(ty);
    };
    let page_log2 = ty.page_size_log2();
    let addressable_pages = if ty.is_64() {
        u64::MAX >> page_log2
    } else {
        (1u64 << 32) >> page_log2
    };
    let pages = (limit >> page_log2).min(addressable_pages);
    if ty.minimum() > pages {
        anyhow::bail!(
            "the module needs {} bytes of memory at start, more than limits.memory ({limit})",
            ty.minimum().saturating_mul(1 << page_log2)
        );
    }
    let max = ty.maximum().map_or(pages, |m| m.min(pages));
    wasmtime::MemoryTypeBuilder::new()
        .min(ty.minimum())
        .max(Some(max))
        .memory64(ty.is_64())
        .shared(ty.is_shared())
        .page_size_log2(page_log2)
        .build()
        .map_err(|e| anyhow::anyhow!("the module's memory type: {e:#}"))
}

#[cfg(test)]
mod tests {
    use super::cap_memory;
    use wasmtime::MemoryType;

    const PAGE: u64 = 65536;

    #[test]
    fn caps_the_maximum_to_the_limit() {
        let ty = cap_memory(MemoryType::new(2, None), Some(10 * PAGE + 1)).unwrap();
        assert_eq!((ty.minimum(), ty.maximum()), (2, Some(10)));
        let ty = cap_memory(MemoryType::shared(2, 100), Some(10 * PAGE)).unwrap();
        assert_eq!(
            (ty.minimum(), ty.maximum(), ty.is_shared()),
            (2, Some(10), true)
        );
        let ty = cap_memory(MemoryType::new(2, Some(5)), Some(10 * PAGE)).unwrap();
        assert_eq!(ty.maximum(), Some(5));
        assert!(cap_memory(MemoryType::new(11, None), Some(10 * PAGE)).is_err());
    }

    /// A limit of 2^48 bytes or more used to wrap the page count to 0 (the
    /// module could not start); any limit beyond 4 GiB caps nothing.
    #[test]
    fn a_limit_beyond_the_address_space_saturates() {
        for limit in [
            1u64 << 32,
            (1 << 32) + PAGE,
            1 << 48,
            (1 << 48) + PAGE,
            u64::MAX,
        ] {
            let ty = cap_memory(MemoryType::new(2, None), Some(limit)).unwrap();
            assert_eq!(ty.maximum(), Some(65536), "limit {limit}");
            let ty = cap_memory(MemoryType::shared(2, 65536), Some(limit)).unwrap();
            assert_eq!(ty.maximum(), Some(65536), "limit {limit}");
        }
    }
}
