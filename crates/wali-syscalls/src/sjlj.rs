//! The host `setjmp`, `sigsetjmp` and `longjmp` that WALI's toolchain
//! imports from module `wali`. They work together with the load-time
//! rewrite (`wali_runtime::rewrite::sjlj`), which makes every function that
//! calls `setjmp` resumable: just before each call it stores its frame id
//! and the call site's number in two globals. `setjmp` records them, with
//! the C stack pointer (and the signal mask for `sigsetjmp`), under the
//! `jmp_buf`'s address; `longjmp` restores the stack pointer and mask and
//! throws the rewrite's tag with (frame, site, val), which the function
//! that called `setjmp` catches and resumes at that call site.

use wali_core::exit::killed_by;
use wali_core::process::Thread;
use wali_core::sjlj::{Handles, Record};
use wasmtime::{
    AsContextMut, Caller, ExnRef, ExnRefPre, ExnType, Instance, Linker, Mutability, Store, Val,
    ValType,
};

/// Exports the rewrite adds (names no C symbol can have).
pub const TAG_EXPORT: &str = "wali:sjlj_tag";
pub const FRAME_EXPORT: &str = "wali:sjlj_frame";
pub const SITE_EXPORT: &str = "wali:sjlj_site";
pub const SP_EXPORT: &str = "wali:sjlj_sp";

/// The rewrite's exports in `instance`, when it has them with the types
/// the rewrite gives them.
pub fn handles(instance: &Instance, mut store: impl AsContextMut) -> Option<Handles> {
    let mut store = store.as_context_mut();
    let tag = instance.get_tag(&mut store, TAG_EXPORT)?;
    let params: Vec<ValType> = tag.ty(&store).ty().params().collect();
    if params.len() != 3 || !params.iter().all(|t| matches!(t, ValType::I32)) {
        return None;
    }
    let mut global = |name| {
        instance.get_global(&mut store, name).filter(|g| {
            let ty = g.ty(&store);
            ty.mutability() == Mutability::Var && matches!(ty.content(), ValType::I32)
        })
    };
    Some(Handles {
        tag,
        frame: global(FRAME_EXPORT)?,
        site: global(SITE_EXPORT)?,
        sp: global(SP_EXPORT),
        exn: None,
    })
}

pub fn add(linker: &mut Linker<Thread>) -> anyhow::Result<()> {
    linker.func_wrap(
        "wali",
        "setjmp",
        |mut caller: Caller<'_, Thread>, env: i32| -> wasmtime::Result<i32> {
            setjmp(&mut caller, env as u32, false)
        },
    )?;
    linker.func_wrap(
        "wali",
        "sigsetjmp",
        |mut caller: Caller<'_, Thread>, env: i32, savesigs: i32| -> wasmtime::Result<i32> {
            setjmp(&mut caller, env as u32, savesigs != 0)
        },
    )?;
    linker.func_wrap("wali", "longjmp", longjmp)?;
    Ok(())
}

fn get_i32(caller: &mut Caller<'_, Thread>, g: wasmtime::Global) -> u32 {
    g.get(&mut *caller).i32().unwrap_or(0) as u32
}

/// Records where `env` leads; always the direct return, 0.
fn setjmp(caller: &mut Caller<'_, Thread>, env: u32, savesigs: bool) -> wasmtime::Result<i32> {
    let Some(h) = caller.data().sjlj.handles.as_ref() else {
        return Ok(0); // no rewrite: a longjmp to `env` will say so
    };
    let (frame, site, sp) = (h.frame, h.site, h.sp);
    let site_no = get_i32(caller, site);
    if site_no == 0 {
        // Not a call site the rewrite numbered (its function could not be
        // rewritten, or setjmp was called through a pointer).
        caller.data_mut().sjlj.forget(env);
        return Ok(0);
    }
    site.set(&mut *caller, Val::I32(0))?;
    let record = Record {
        frame: get_i32(caller, frame),
        site: site_no,
        sp: sp.map(|g| get_i32(caller, g)),
        mask: savesigs.then_some(caller.data().sigmask),
    };
    let in_handler = caller.data().in_handler > 0;
    caller.data_mut().sjlj.record(env, record, in_handler);
    Ok(0)
}

/// Goes back to the `setjmp` that recorded `env`, which returns `val` (1
/// for 0).
fn longjmp(mut caller: Caller<'_, Thread>, env: i32, val: i32) -> wasmtime::Result<()> {
    let env = env as u32;
    caller.data_mut().sjlj.longjmp_between_calls = false;
    let record = caller.data().sjlj.get(env);
    let (Some(record), Some(h)) = (record, caller.data().sjlj.handles.as_ref()) else {
        wali_core::host_eprintln!(
            "wali: the guest called longjmp with a jmp_buf (at {env:#x}) that no setjmp of this \
             thread filled in (or one wali could not make resumable: see the warnings at load); \
             it ends as abort() would"
        );
        return Err(killed_by(libc::SIGABRT));
    };
    let (tag, sp) = (h.tag, h.sp);
    if let (Some(g), Some(v)) = (sp, record.sp) {
        g.set(&mut caller, Val::I32(v as i32))?;
    }
    if let Some(mask) = record.mask {
        crate::signal_engine::set_mask(caller.data_mut(), mask);
    }
    let pre = match caller
        .data_mut()
        .sjlj
        .handles
        .as_mut()
        .and_then(|h| h.exn.take())
    {
        Some(pre) => pre,
        None => {
            let ty = ExnType::from_tag_type(&tag.ty(&caller))?;
            ExnRefPre::new(&mut caller, ty)
        }
    };
    let val = if val == 0 { 1 } else { val };
    let fields = [
        Val::I32(record.frame as i32),
        Val::I32(record.site as i32),
        Val::I32(val),
    ];
    let exn = ExnRef::new(&mut caller, &pre, &tag, &fields);
    if let Some(h) = caller.data_mut().sjlj.handles.as_mut() {
        h.exn = Some(pre);
    }
    caller.as_context_mut().throw(exn?)
}

/// `e`, the error a guest thread's entry call ended with, with an exception
/// that nothing caught turned into one line and an abort: a `longjmp` to a
/// function that has returned (undefined behaviour in C), or any other
/// exception escaping the guest.
pub fn uncaught(store: &mut Store<Thread>, e: wasmtime::Error) -> wasmtime::Error {
    if !e.is::<wasmtime::ThrownException>() {
        return e;
    }
    let ours = store.data().sjlj.handles.as_ref().map(|h| h.tag);
    let exn = store.take_pending_exception();
    let is_longjmp = match (exn, ours) {
        (Some(exn), Some(tag)) => exn
            .tag(&mut *store)
            .is_ok_and(|t| wasmtime::Tag::eq(&t, &tag, &*store)),
        _ => false,
    };
    if is_longjmp && store.data().sjlj.longjmp_between_calls {
        wali_core::host_eprintln!(
            "wali: a signal handler called longjmp to a function that was interrupted between \
             two calls (a loop without calls in the function that called setjmp): wali can \
             only resume it at a call; the guest ends as abort() would (see docs/compat.md)"
        );
    } else if is_longjmp {
        wali_core::host_eprintln!(
            "wali: the guest called longjmp to a jmp_buf whose setjmp's function has already \
             returned (undefined behaviour in C); it ends as abort() would"
        );
    } else {
        wali_core::host_eprintln!(
            "wali: an exception escaped the guest uncaught (a longjmp into a function that has \
             returned, or a C++ exception nothing catches); it ends as abort() would"
        );
    }
    killed_by(libc::SIGABRT)
}
