//! Load-time module rewriting, before compilation (the result is what the
//! compiled-module cache is keyed on):
//!
//! - A module that *defines* its shared memory (as WALI's toolchain and ours
//!   emit) is rewritten to *import* it instead, so that every thread's
//!   instance can be given the one memory the host made. Memory index 0
//!   stays index 0 (imports come first), so no code changes.
//! - Table 0, where function pointers (signal handlers, thread entries) are
//!   indices, is exported under `wali_syscalls::start::TABLE0_EXPORT`:
//!   WALI's toolchain exports no `__indirect_function_table`, and the host
//!   must reach the table all the same.
//! - A module that imports `setjmp`/`sigsetjmp` from the host (WALI's
//!   toolchain does) gets the functions that call them made resumable with
//!   exception handling ([`sjlj`]).

use wasm_encoder::{Encode, EntityType, MemoryType, RawSection};
use wasmparser::{Parser, Payload};

/// Module and field name under which the rewritten memory is imported.
pub const MEMORY_IMPORT: (&str, &str) = ("env", "memory");

use wali_syscalls::start::TABLE0_EXPORT;

const IMPORT_SECTION: u8 = 2;
const MEMORY_SECTION: u8 = 5;
const EXPORT_SECTION: u8 = 7;

/// Section ids in the order the binary format requires (custom sections aside).
fn order(id: u8) -> u8 {
    match id {
        1 => 1,   // type
        2 => 2,   // import
        3 => 3,   // function
        4 => 4,   // table
        5 => 5,   // memory
        13 => 6,  // tag
        6 => 7,   // global
        7 => 8,   // export
        8 => 9,   // start
        9 => 10,  // element
        12 => 11, // data count
        10 => 12, // code
        11 => 13, // data
        _ => 0,
    }
}

/// What the module looks like, as far as the rewrites care.
#[derive(Default)]
struct Survey {
    sections: Vec<(u8, std::ops::Range<usize>)>,
    memory: Option<wasmparser::MemoryType>,
    defined_memories: u32,
    imports_memory: bool,
    /// Table 0 exists (imported or defined).
    has_table: bool,
    /// Table 0 is already exported as TABLE0_EXPORT.
    table0_exported: bool,
}

fn survey(bytes: &[u8]) -> anyhow::Result<Survey> {
    let mut s = Survey::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        match &payload {
            Payload::MemorySection(reader) => {
                for m in reader.clone() {
                    s.defined_memories += 1;
                    s.memory = Some(m?);
                }
            }
            Payload::ImportSection(reader) => {
                for imp in reader.clone().into_imports() {
                    match imp?.ty {
                        wasmparser::TypeRef::Memory(_) => s.imports_memory = true,
                        wasmparser::TypeRef::Table(_) => s.has_table = true,
                        _ => {}
                    }
                }
            }
            Payload::TableSection(reader) if reader.count() > 0 => s.has_table = true,
            Payload::ExportSection(reader) => {
                for e in reader.clone() {
                    let e = e?;
                    if e.name == TABLE0_EXPORT
                        && e.kind == wasmparser::ExternalKind::Table
                        && e.index == 0
                    {
                        s.table0_exported = true;
                    }
                }
            }
            Payload::End(_) => break,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            s.sections.push((id, range));
        }
    }
    Ok(s)
}

mod sjlj;

/// A module ready to compile.
pub struct Prepared {
    /// The rewritten module, or None when it needs no rewrite.
    pub bytes: Option<Vec<u8>>,
    /// Functions whose setjmp calls could not be made resumable, with the
    /// reason: worth a warning at load.
    pub sjlj_skipped: Vec<String>,
}

/// Every load-time rewrite `bytes` needs.
pub fn prepare(bytes: &[u8]) -> anyhow::Result<Prepared> {
    let (sjlj, sjlj_skipped) = match sjlj::rewrite(bytes)? {
        Some(r) => (Some(r.bytes), r.skipped),
        None => (None, Vec::new()),
    };
    let input = sjlj.as_deref().unwrap_or(bytes);
    let bytes = memory_and_table(input)?.or(sjlj);
    Ok(Prepared {
        bytes,
        sjlj_skipped,
    })
}

/// The shared-memory import and the table-0 export; None when the module
/// needs neither.
fn memory_and_table(bytes: &[u8]) -> anyhow::Result<Option<Vec<u8>>> {
    let s = survey(bytes)?;
    let import_memory = match s.memory {
        Some(mem)
            if !s.imports_memory && s.defined_memories == 1 && mem.shared && !mem.memory64 =>
        {
            Some(mem)
        }
        _ => None,
    };
    let export_table = s.has_table && !s.table0_exported;
    if import_memory.is_none() && !export_table {
        return Ok(None);
    }

    // Entries appended to the import and export sections (created where
    // the module has none).
    let mut import_entry = Vec::new();
    if let Some(mem) = import_memory {
        MEMORY_IMPORT.0.encode(&mut import_entry);
        MEMORY_IMPORT.1.encode(&mut import_entry);
        EntityType::Memory(MemoryType {
            minimum: mem.initial,
            maximum: mem.maximum,
            memory64: false,
            shared: true,
            page_size_log2: mem.page_size_log2,
        })
        .encode(&mut import_entry);
    }
    let mut export_entry = Vec::new();
    if export_table {
        TABLE0_EXPORT.encode(&mut export_entry);
        export_entry.push(0x01); // table
        0u32.encode(&mut export_entry);
    }
    let mut pending: Vec<(u8, Vec<u8>)> = [
        (IMPORT_SECTION, import_entry),
        (EXPORT_SECTION, export_entry),
    ]
    .into_iter()
    .filter(|(_, e)| !e.is_empty())
    .collect();

    let mut out = wasm_encoder::Module::new();
    for (id, range) in &s.sections {
        let data = &bytes[range.clone()];
        if *id == MEMORY_SECTION && import_memory.is_some() {
            continue; // the section held only the memory now imported
        }
        // New sections that belong before this one.
        while let Some(i) = pending
            .iter()
            .position(|(p, _)| order(*p) < order(*id) && order(*id) != 0)
        {
            let (p, entry) = pending.remove(i);
            let mut section = vec![1u8];
            section.extend_from_slice(&entry);
            out.section(&RawSection {
                id: p,
                data: &section,
            });
        }
        if let Some(i) = pending.iter().position(|(p, _)| p == id) {
            let (_, entry) = pending.remove(i);
            let merged = append_entry(data, &entry)?;
            out.section(&RawSection {
                id: *id,
                data: &merged,
            });
            continue;
        }
        out.section(&RawSection { id: *id, data });
    }
    for (p, entry) in pending {
        let mut section = vec![1u8];
        section.extend_from_slice(&entry);
        out.section(&RawSection {
            id: p,
            data: &section,
        });
    }
    Ok(Some(out.finish()))
}

/// A vector section's contents with one more entry at its end.
fn append_entry(data: &[u8], entry: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut reader = wasmparser::BinaryReader::new(data, 0);
    let count = reader.read_var_u32()?;
    let rest = &data[reader.original_position()..];
    let mut merged = Vec::new();
    leb(&mut merged, count + 1);
    merged.extend_from_slice(rest);
    merged.extend_from_slice(entry);
    Ok(merged)
}

fn leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exports(bytes: &[u8]) -> Vec<(String, wasmparser::ExternalKind, u32)> {
        let mut v = Vec::new();
        for p in Parser::new(0).parse_all(bytes) {
            if let Payload::ExportSection(r) = p.unwrap() {
                for e in r {
                    let e = e.unwrap();
                    v.push((e.name.to_owned(), e.kind, e.index));
                }
            }
        }
        v
    }

    #[test]
    fn table0_is_exported_when_the_module_does_not() {
        let wasm = wat::parse_str(
            r#"(module (table 2 funcref) (memory 1 2 shared) (func (export "_start")))"#,
        )
        .unwrap();
        let out = prepare(&wasm).unwrap().bytes.expect("rewritten");
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&out)
            .unwrap();
        let e = exports(&out);
        assert!(e.contains(&(TABLE0_EXPORT.into(), wasmparser::ExternalKind::Table, 0)));
        assert!(e.iter().any(|x| x.0 == "_start"));
        // Idempotent: a second pass changes nothing.
        assert!(prepare(&out).unwrap().bytes.is_none());
    }

    #[test]
    fn an_export_section_is_created_where_there_is_none() {
        let wasm = wat::parse_str(
            r#"(module (type (func)) (table 1 funcref) (global i32 (i32.const 0)) (start 0) (func))"#,
        )
        .unwrap();
        let out = prepare(&wasm).unwrap().bytes.expect("rewritten");
        wasmparser::Validator::new().validate_all(&out).unwrap();
        assert_eq!(exports(&out).len(), 1);
    }

    #[test]
    fn no_table_and_no_shared_memory_needs_no_rewrite() {
        let wasm = wat::parse_str(r#"(module (memory 1) (func (export "_start")))"#).unwrap();
        assert!(prepare(&wasm).unwrap().bytes.is_none());
    }
}

/// Load-time cost of the rewrites, measured by hand on a given module:
/// `WALI_REWRITE_TIME=m.wasm cargo test --release -p wali-runtime
/// rewrite_time -- --ignored --nocapture`.
#[cfg(test)]
#[test]
#[ignore = "a measurement, not a check"]
fn rewrite_time() {
    let Ok(path) = std::env::var("WALI_REWRITE_TIME") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let sjlj = best(&|| {
        sjlj::rewrite(&bytes).unwrap();
    });
    let all = best(&|| {
        prepare(&bytes).unwrap();
    });
    let out = prepare(&bytes).unwrap().bytes.unwrap_or(bytes.clone());
    let validate = best(&|| {
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&out)
            .unwrap();
    });
    println!(
        "module {} bytes -> {} bytes: sjlj rewrite {sjlj:?}, all rewrites {all:?}, \
         validating the result {validate:?} (wasmtime validates and compiles it after)",
        bytes.len(),
        out.len()
    );
}
