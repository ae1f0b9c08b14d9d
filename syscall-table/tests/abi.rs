//! The table against the ABI contract and against itself.
use syscall_table::{by_import_name, Status, WasmType, SYSCALLS, WALI_ABI};

#[test]
fn every_wali_syscall_is_bound_with_its_exact_signature() {
    assert_eq!(WALI_ABI.len(), 140);
    for (nr, import, alias, params) in WALI_ABI {
        let entry =
            by_import_name(import).unwrap_or_else(|| panic!("{import} missing from the table"));
        assert_eq!(entry.number, *nr, "{import}: x86_64 number");
        let ours: Vec<&str> = entry
            .params
            .iter()
            .map(|(_, t)| if *t == WasmType::I32 { "i32" } else { "i64" })
            .collect();
        assert_eq!(&ours, params, "{import}: wasm parameter types");
        if let Some(alias) = alias {
            let via_alias =
                by_import_name(alias).unwrap_or_else(|| panic!("alias {alias} missing"));
            assert_eq!(
                via_alias.name, entry.name,
                "{alias} must bind the same handler"
            );
        }
    }
}

#[test]
fn numbers_and_names_are_unique_and_sorted() {
    for pair in SYSCALLS.windows(2) {
        assert!(
            pair[0].number < pair[1].number,
            "{} and {} out of order",
            pair[0].name,
            pair[1].name
        );
    }
    let mut names: Vec<String> = SYSCALLS.iter().flat_map(|s| s.import_names()).collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "an import name appears twice");
}

#[test]
fn partial_and_unsupported_entries_explain_themselves() {
    for s in SYSCALLS {
        if s.status != Status::Supported {
            assert!(
                !s.note.is_empty(),
                "{} is {} but has no note",
                s.name,
                s.status.name()
            );
        }
    }
}

#[test]
fn docs_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/syscalls.md");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == syscall_table::render_docs(),
        "docs/syscalls.md is stale: run `cargo run -p syscall-table -- docs > docs/syscalls.md`"
    );
}
