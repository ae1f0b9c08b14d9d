//! `syscall-table docs` prints docs/syscalls.md; `syscall-table imports` prints
//! every import name a guest may use (one per line), for the import checker;
//! `syscall-table abi-imports` prints the imports of the WALI ABI list only
//! (what a binary that must run on any WALI engine may use);
//! `syscall-table tsv` prints name, number, class, status for scripts.
use syscall_table::{render_docs, AUX_IMPORTS, SYSCALLS, WALI_ABI};

fn main() {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match cmd.as_str() {
        "docs" => print!("{}", render_docs()),
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
            eprintln!("usage: syscall-table docs|imports|abi-imports|tsv");
            std::process::exit(2);
        }
    }
}
