//! The table for everything outside Rust that needs it:
//! - `syscall-table docs` prints docs/syscalls.md;
//! - `syscall-table musl-imports` prints musl's
//!   `arch/wasm32/syscall_imports.h` (guest-libc-patches/gen-syscall-imports.sh);
//! - `syscall-table imports` prints every import name a guest may use (one per
//!   line), for the import checker;
//! - `syscall-table abi-imports` prints the imports of the WALI ABI list only
//!   (what a binary that must run on any WALI engine may use);
//! - `syscall-table signatures` prints `NAME<TAB>(params)->(results)` for every
//!   import, for the import checker (guest-libc-patches/check-imports.sh);
//! - `syscall-table json` prints the whole table, restart behaviour, 64-bit C
//!   arguments and the conformance features included (linux-tests/runner.py);
//! - `syscall-table tsv` prints name, number, class, status, aliases for shell
//!   scripts.
use syscall_table::{
    render_docs, render_json, render_musl_imports, WasmType, AUX_IMPORTS, SYSCALLS, WALI_ABI,
};

fn signature(params: &[WasmType], results: &[WasmType]) -> String {
    let list = |ts: &[WasmType]| ts.iter().map(|t| t.name()).collect::<Vec<_>>().join(",");
    format!("({})->({})", list(params), list(results))
}

fn main() {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match cmd.as_str() {
        "docs" => print!("{}", render_docs()),
        "musl-imports" => print!("{}", render_musl_imports()),
        "json" => print!("{}", render_json()),
        "imports" => {
            for s in SYSCALLS {
                for n in s.import_names() {
                    println!("{n}");
                }
            }
            for (n, _, _) in AUX_IMPORTS {
                println!("{n}");
            }
        }
        "abi-imports" => {
            for (_, name, alias, _) in WALI_ABI {
                println!("{name}");
                if let Some(a) = alias {
                    println!("{a}");
                }
            }
            for (n, _, _) in AUX_IMPORTS {
                println!("{n}");
            }
        }
        "signatures" => {
            for s in SYSCALLS {
                let params: Vec<WasmType> = s.params.iter().map(|(_, t)| *t).collect();
                let sig = signature(&params, &[WasmType::I64]);
                for n in s.import_names() {
                    println!("{n}\t{sig}");
                }
            }
            for (n, params, results) in AUX_IMPORTS {
                println!("{n}\t{}", signature(params, results));
            }
        }
        "tsv" => {
            for s in SYSCALLS {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    s.name,
                    s.number,
                    s.class.name(),
                    s.status.name(),
                    s.aliases.join(",")
                );
            }
        }
        _ => {
            eprintln!(
                "usage: syscall-table docs|musl-imports|imports|abi-imports|signatures|json|tsv"
            );
            std::process::exit(2);
        }
    }
}
