//! Load-time module rewriting. A module that *defines* its shared memory (as
//! WALI's toolchain and ours emit) is rewritten to *import* it instead, so
//! that every thread's instance can be given the one memory the host made.
//! Memory index 0 stays index 0 (imports come first), so no code changes.

use wasm_encoder::{Encode, EntityType, MemoryType, RawSection};
use wasmparser::{Parser, Payload};

/// Module and field name under which the rewritten memory is imported.
pub const MEMORY_IMPORT: (&str, &str) = ("env", "memory");

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

/// Returns the rewritten module, or None when the module needs no rewrite
/// (it imports its memory, has none, or its memory is not shared).
pub fn import_defined_memory(bytes: &[u8]) -> anyhow::Result<Option<Vec<u8>>> {
    let mut sections: Vec<(u8, std::ops::Range<usize>)> = Vec::new();
    let mut memory: Option<wasmparser::MemoryType> = None;
    let mut defined_memories = 0;
    let mut imports_memory = false;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        match &payload {
            Payload::MemorySection(reader) => {
                for m in reader.clone() {
                    defined_memories += 1;
                    memory = Some(m?);
                }
            }
            Payload::ImportSection(reader) => {
                for imp in reader.clone().into_imports() {
                    if matches!(imp?.ty, wasmparser::TypeRef::Memory(_)) {
                        imports_memory = true;
                    }
                }
            }
            Payload::End(_) => break,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            sections.push((id, range));
        }
    }
    let Some(mem) = memory else { return Ok(None) };
    if imports_memory || defined_memories != 1 || !mem.shared || mem.memory64 {
        return Ok(None);
    }

    let mut entry = Vec::new();
    MEMORY_IMPORT.0.encode(&mut entry);
    MEMORY_IMPORT.1.encode(&mut entry);
    EntityType::Memory(MemoryType {
        minimum: mem.initial,
        maximum: mem.maximum,
        memory64: false,
        shared: true,
        page_size_log2: mem.page_size_log2,
    })
    .encode(&mut entry);
    let mut new_section = vec![1u8]; // one import
    new_section.extend_from_slice(&entry);
    let mut out = wasm_encoder::Module::new();
    let mut import_done = false;
    for (id, range) in &sections {
        let data = &bytes[range.clone()];
        if *id == 5 {
            continue; // the memory section held only the memory now imported
        }
        if *id == 2 {
            // Existing imports, then the memory.
            let mut reader = wasmparser::BinaryReader::new(data, 0);
            let count = reader.read_var_u32()?;
            let rest = &data[reader.original_position()..];
            let mut merged = Vec::new();
            leb(&mut merged, count + 1);
            merged.extend_from_slice(rest);
            merged.extend_from_slice(&entry);
            out.section(&RawSection {
                id: 2,
                data: &merged,
            });
            import_done = true;
            continue;
        }
        if !import_done && order(*id) > 2 {
            out.section(&RawSection {
                id: 2,
                data: &new_section,
            });
            import_done = true;
        }
        out.section(&RawSection { id: *id, data });
    }
    if !import_done {
        out.section(&RawSection {
            id: 2,
            data: &new_section,
        });
    }
    Ok(Some(out.finish()))
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
