//! Import resolution, lazy as in WALI's reference engine (the ABI document,
//! "Calling convention"): a function import that wali lacks, or declares with
//! another Wasm type, does not stop the module from loading. wali warns once
//! per such import, naming it and the type wali has, and binds a stub: a call
//! answers -ENOSYS where the declared type returns one i64, and otherwise
//! ends the guest with one line saying why (there is no result to answer
//! with). Known variants of a syscall's type (`dispatch::VARIANTS`) are bound
//! to the real handler. `--strict-imports` (policy `strict_imports`) refuses
//! such modules instead, as before.
//!
//! Stubs are defined only for the module's own unknown imports, so the usual
//! linker costs nothing more.

use crate::loader::LoadError;
use std::path::Path;
use syscall_table::WasmType;
use wali_core::exit::killed_by;
use wali_core::process::Thread;
use wasmtime::{Caller, ExternType, FuncType, Linker, Module, Val, ValType};

/// What an import needs beyond the usual bindings.
#[derive(Debug, Clone)]
pub enum Binding {
    /// A known variant type of a syscall (`dispatch::VARIANTS`).
    Variant(String),
    /// Nothing wali has fits: a stub that answers -ENOSYS or ends the guest.
    Stub {
        module: String,
        name: String,
        ty: FuncType,
    },
}

/// Checks every import of `module` and returns the bindings it needs beyond
/// `loader::linker`'s. Errors for what cannot load at all (no `_start`, a
/// WASI module, a non-function import wali lacks) and, when `strict`, for
/// every import wali does not provide with its exact type.
pub fn resolve(path: &Path, module: &Module, strict: bool) -> Result<Vec<Binding>, LoadError> {
    let mut bindings = Vec::new();
    for import in module.imports() {
        let ty = import.ty();
        if matches!(ty, ExternType::Memory(_)) {
            continue; // provided by the host, whatever its name
        }
        let (m, name) = (import.module(), import.name());
        let unknown = |hint| LoadError::UnknownImport {
            path: path.to_owned(),
            module: m.to_owned(),
            name: name.to_owned(),
            hint,
        };
        if m == "wasi_snapshot_preview1" || m == "wasi_unstable" {
            return Err(unknown(" (this is a WASI module, not a WALI module)"));
        }
        let signature = match m {
            "wali" => wali_signature(name),
            _ => None,
        };
        let hint = if m == "wali" {
            " (not in wali's syscall table; see docs/syscalls.md)"
        } else {
            " (WALI modules import only from module `wali`)"
        };
        let expected = signature
            .as_ref()
            .map(|(p, r)| format!("({}) -> ({})", names(p), names(r)));
        if let Some((params, results)) = &signature {
            if has_signature(&ty, params, results) {
                continue;
            }
        }
        if m == "wali" {
            if let Some((n, p, r)) = wali_syscalls::VARIANTS.iter().find(|v| v.0 == name) {
                if has_signature(&ty, p, r) {
                    bindings.push(Binding::Variant((*n).to_owned()));
                    continue;
                }
            }
        }
        let refuse = || match &expected {
            Some(expected) => LoadError::ImportType {
                path: path.to_owned(),
                name: name.to_owned(),
                expected: expected.clone(),
            },
            None => unknown(hint),
        };
        let ExternType::Func(fty) = ty else {
            return Err(refuse()); // a global, table or tag: nothing to stub
        };
        if strict {
            return Err(refuse());
        }
        let declared = func_type_name(&fty);
        let consequence = if returns_i64(&fty) {
            "a call answers -ENOSYS"
        } else {
            "a call ends the guest (its type has no i64 result to answer -ENOSYS with)"
        };
        match &expected {
            Some(expected) => wali_core::host_eprintln!(
                "wali: warning: '{}' imports `{m}.{name}` as {declared}, but wali's is \
                 {expected}: {consequence} (--strict-imports refuses such modules)",
                path.display()
            ),
            None => wali_core::host_eprintln!(
                "wali: warning: '{}' imports `{m}.{name}` {declared}, which wali does not \
                 provide{hint}: {consequence} (--strict-imports refuses such modules)",
                path.display()
            ),
        }
        bindings.push(Binding::Stub {
            module: m.to_owned(),
            name: name.to_owned(),
            ty: fty,
        });
    }
    if module.get_export("_start").is_none() {
        return Err(LoadError::NoStart(path.to_owned()));
    }
    Ok(bindings)
}

/// Defines `bindings` in `linker`, over the usual bindings of the same names.
pub fn define(linker: &mut Linker<Thread>, bindings: &[Binding]) -> anyhow::Result<()> {
    if bindings.is_empty() {
        return Ok(());
    }
    linker.allow_shadowing(true);
    for b in bindings {
        match b {
            Binding::Variant(name) => wali_syscalls::bind_variant(linker, name)?,
            Binding::Stub { module, name, ty } => {
                let answers = returns_i64(ty);
                let what = format!("`{module}.{name}` {}", func_type_name(ty));
                linker.func_new(
                    module,
                    name,
                    ty.clone(),
                    move |caller: Caller<'_, Thread>, _params, results| {
                        if answers {
                            if caller.data().proc.options.trace {
                                tracing::info!(target: "wali::syscall", "{what} = -ENOSYS (not provided by wali)");
                            }
                            results[0] = Val::I64(-(libc::ENOSYS as i64));
                            return Ok(());
                        }
                        wali_core::host_eprintln!(
                            "wali: the guest called {what}, which wali does not provide; \
                             with no i64 result to answer -ENOSYS it ends as a trap would (SIGILL)"
                        );
                        Err(killed_by(libc::SIGILL))
                    },
                )?;
            }
        }
    }
    linker.allow_shadowing(false);
    Ok(())
}

fn returns_i64(ty: &FuncType) -> bool {
    let results: Vec<ValType> = ty.results().collect();
    matches!(results.as_slice(), [ValType::I64])
}

/// The Wasm signature of import `name` of module `wali`, if wali has one.
fn wali_signature(name: &str) -> Option<(Vec<WasmType>, Vec<WasmType>)> {
    if let Some(sc) = syscall_table::by_import_name(name) {
        let params = sc.params.iter().map(|(_, t)| *t).collect();
        return Some((params, vec![WasmType::I64]));
    }
    syscall_table::AUX_IMPORTS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, r)| (p.to_vec(), r.to_vec()))
}

fn names(ts: &[WasmType]) -> String {
    let v: Vec<&str> = ts
        .iter()
        .map(|t| match t {
            WasmType::I32 => "i32",
            WasmType::I64 => "i64",
        })
        .collect();
    v.join(", ")
}

fn func_type_name(ty: &FuncType) -> String {
    let list = |ts: Vec<ValType>| {
        ts.iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "({}) -> ({})",
        list(ty.params().collect()),
        list(ty.results().collect())
    )
}

/// `ty` is a function with exactly these parameter and result types.
fn has_signature(ty: &ExternType, params: &[WasmType], results: &[WasmType]) -> bool {
    let ExternType::Func(f) = ty else {
        return false;
    };
    let same = |got: Vec<ValType>, want: &[WasmType]| {
        got.len() == want.len()
            && got.iter().zip(want).all(|(v, t)| match t {
                WasmType::I32 => matches!(v, ValType::I32),
                WasmType::I64 => matches!(v, ValType::I64),
            })
    };
    same(f.params().collect(), params) && same(f.results().collect(), results)
}
