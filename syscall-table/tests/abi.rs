//! The table against the ABI contract and against itself.
use syscall_table::{
    by_import_name, Restart, Status, WasmType, AUX_IMPORTS, C64_TYPES, FEATURES, SYSCALLS, WALI_ABI,
};

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

#[test]
fn musl_import_header_is_current() {
    // The header is committed (the sysroot build does not run cargo) and is
    // part of the sysroot's cache key: regenerate it, never edit it.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../guest-libc-patches/musl/arch/wasm32/syscall_imports.h"
    );
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == syscall_table::render_musl_imports(),
        "guest-libc-patches/musl/arch/wasm32/syscall_imports.h is stale: run \
         `guest-libc-patches/gen-syscall-imports.sh`, then `make sysroot`"
    );
}

#[test]
fn sixty_four_bit_c_arguments_are_i64_with_a_known_c_type() {
    for s in SYSCALLS {
        assert_eq!(
            s.c64.len(),
            s.params.len(),
            "{}: one C type slot per parameter",
            s.name
        );
        for ((pname, ty), c64) in s.params.iter().zip(s.c64) {
            if let Some(cty) = c64 {
                assert_eq!(
                    *ty,
                    WasmType::I64,
                    "{}: {pname} is {cty} in C but not i64",
                    s.name
                );
                assert!(
                    C64_TYPES.contains(cty),
                    "{}: {pname}: {cty} is not a 64-bit C type",
                    s.name
                );
            }
        }
    }
    // musl's syscall() reads these as 8 bytes: lseek's offset is argument 1.
    let lseek = by_import_name("SYS_lseek").unwrap();
    assert_eq!(lseek.c64_mask(), 0b10);
    // poll's nfds is an i64 in Wasm but an unsigned long (4 bytes) in C.
    assert_eq!(by_import_name("SYS_poll").unwrap().c64_mask(), 0);
}

#[test]
fn never_restarted_calls_are_the_waits_signal7_lists() {
    let never: Vec<&str> = SYSCALLS
        .iter()
        .filter(|s| s.restart == Restart::NeverRestart)
        .map(|s| s.name)
        .collect();
    // signal(7), "Interruption of system calls and library functions by
    // signal handlers": the calls wali implements that SA_RESTART never
    // restarts. linux-tests/signal/never_restarted.c checks each one.
    assert_eq!(
        never,
        [
            "poll",
            "select",
            "pause",
            "nanosleep",
            "rt_sigtimedwait",
            "rt_sigsuspend",
            "clock_nanosleep",
            "epoll_wait",
            "pselect6",
            "ppoll",
            "epoll_pwait"
        ]
    );
}

#[test]
fn features_name_syscalls_and_imports_of_the_table() {
    for f in FEATURES {
        for name in f.syscalls {
            assert!(
                SYSCALLS.iter().any(|s| s.name == *name),
                "feature {}: no syscall {name} in the table",
                f.name
            );
        }
        for name in f.aux_imports {
            assert!(
                AUX_IMPORTS.iter().any(|(n, _, _)| n == name),
                "feature {}: no auxiliary import {name}",
                f.name
            );
        }
    }
}

#[test]
fn json_carries_the_table() {
    let json: serde_json::Value =
        serde_json::from_str(&syscall_table::render_json()).expect("valid JSON");
    let rows = json["syscalls"].as_array().unwrap();
    assert_eq!(rows.len(), SYSCALLS.len());
    for (row, s) in rows.iter().zip(SYSCALLS) {
        assert_eq!(row["name"], s.name);
        assert_eq!(row["number"], s.number);
        assert_eq!(row["status"], s.status.name());
        assert_eq!(row["restart"], s.restart.name());
        assert_eq!(row["note"], s.note);
        let params = row["params"].as_array().unwrap();
        assert_eq!(params.len(), s.params.len(), "{}", s.name);
        for (p, ((pname, ty), c64)) in params.iter().zip(s.params.iter().zip(s.c64)) {
            assert_eq!(p["name"], *pname);
            assert_eq!(p["wasm"], ty.name());
            assert_eq!(p["c64"].as_str(), *c64);
        }
    }
    assert_eq!(
        json["aux_imports"].as_array().unwrap().len(),
        AUX_IMPORTS.len()
    );
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), FEATURES.len());
    for (row, f) in features.iter().zip(FEATURES) {
        assert_eq!(row["name"], f.name);
        assert_eq!(row["available"], f.available());
    }
}
