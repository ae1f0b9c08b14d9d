//! Host `setjmp`/`sigsetjmp`/`longjmp` for modules built by WALI's toolchain,
//! which imports them from module `wali` (its engine is an interpreter that
//! can capture its own frames). A compiling engine cannot resume a Wasm
//! frame from the host, so each function that calls an imported setjmp is
//! rewritten here to be resumable with Wasm exception handling:
//!
//! ```text
//! frame = ++counter
//! loop
//!   block (result i32 i32 i32)                   ;; frame, site, val
//!     try_table (result R) (catch $tag 0)
//!       <body: setjmp call sites numbered 1..n, resume dispatch>
//!     end
//!     return
//!   end
//!   if thrown frame != frame: throw again         ;; an outer setjmp's
//!   resume = site; val = val; br loop             ;; re-enter the body
//! end
//! ```
//!
//! The host's `longjmp` throws the tag with the (frame, site) its `setjmp`
//! recorded. Re-entering the body in resume mode (`resume` != 0) skips
//! straight to that call site, through every enclosing block, loop and if
//! (an `if` takes the arm that holds the site), and the call site then
//! yields `val` instead of calling the host. Locals keep their values: the
//! function's frame never left the stack. Operand-stack values that lie
//! below a call site or an enclosing block are saved in new locals when the
//! code passes there and put back on resume.
//!
//! In each instruction sequence that holds call sites (a function or block
//! body, an if arm) with pivots p1..pr (the call sites and the openers of
//! the blocks that hold them, in order), block Bj spans from the start of
//! the sequence to pj and has pj's operand stack as results; B1, the
//! innermost, starts with a dispatch that branches out of the Bj whose
//! sites include `resume`, carrying the saved values. So resume mode costs
//! one compare per pivot, and normal execution the same.
//!
//! Only functions that call the imports are touched; a module that does not
//! import `wali.setjmp`/`wali.sigsetjmp` is not touched at all.

use std::collections::HashMap;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{BlockType, Instruction, ValType};
use wasmparser::{FuncValidator, Operator, Parser, Payload, ValidPayload, Validator};

pub use wali_syscalls::sjlj::{FRAME_EXPORT, SITE_EXPORT, SP_EXPORT, TAG_EXPORT};

/// What the rewrite did, for the loader to report.
pub struct Rewritten {
    pub bytes: Vec<u8>,
    /// Functions left as they were, each with the reason: their setjmp
    /// returns 0 and a longjmp to it ends the guest with one line.
    pub skipped: Vec<String>,
}

/// A setjmp-family import: its function index and parameter count.
#[derive(Clone, Copy)]
struct Import {
    index: u32,
    params: u32,
}

/// Rewrites `bytes` when it imports setjmp or sigsetjmp from `wali`;
/// None otherwise.
pub fn rewrite(bytes: &[u8]) -> anyhow::Result<Option<Rewritten>> {
    let imports = setjmp_imports(bytes)?;
    if imports.is_empty() {
        return Ok(None);
    }
    Module::new(bytes, imports)?.finish().map(Some)
}

/// The module's imports of `wali.setjmp` `(i32) -> i32` and
/// `wali.sigsetjmp` `(i32, i32) -> i32` (other types are bound to stubs by
/// the import resolution and are no concern here).
fn setjmp_imports(bytes: &[u8]) -> anyhow::Result<Vec<Import>> {
    let mut types: Vec<Option<(Vec<wasmparser::ValType>, Vec<wasmparser::ValType>)>> = Vec::new();
    let mut found = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.into_types() {
                        types.push(match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                Some((f.params().to_vec(), f.results().to_vec()))
                            }
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                let mut func = 0u32;
                for imp in reader.into_imports() {
                    let imp = imp?;
                    let wasmparser::TypeRef::Func(ty) = imp.ty else {
                        continue;
                    };
                    let want: Option<u32> = match (imp.module, imp.name) {
                        ("wali", "setjmp") => Some(1),
                        ("wali", "sigsetjmp") => Some(2),
                        _ => None,
                    };
                    if let (Some(n), Some(Some((p, r)))) = (want, types.get(ty as usize)) {
                        let i32s = |v: &[wasmparser::ValType], n: u32| {
                            v.len() == n as usize
                                && v.iter().all(|t| *t == wasmparser::ValType::I32)
                        };
                        if i32s(p, n) && i32s(r, 1) {
                            found.push(Import {
                                index: func,
                                params: n,
                            });
                        }
                    }
                    func += 1;
                }
                return Ok(found);
            }
            Payload::End(_) => break,
            _ => {}
        }
    }
    Ok(found)
}

const I32: ValType = ValType::I32;

/// Function types the rewrite needs, appended to the type section.
struct NewTypes {
    first: u32,
    list: Vec<(Vec<ValType>, Vec<ValType>)>,
    index: HashMap<(Vec<ValType>, Vec<ValType>), u32>,
}

impl NewTypes {
    fn get(&mut self, params: &[ValType], results: &[ValType]) -> u32 {
        let key = (params.to_vec(), results.to_vec());
        if let Some(i) = self.index.get(&key) {
            return *i;
        }
        // Bounded by the module's size; a wrap would only make it invalid.
        let i = self
            .first
            .saturating_add(u32::try_from(self.list.len()).unwrap_or(u32::MAX));
        self.list.push(key.clone());
        self.index.insert(key, i);
        i
    }

    fn block(&mut self, params: &[ValType], results: &[ValType]) -> BlockType {
        match (params, results) {
            ([], []) => BlockType::Empty,
            ([], [t]) => BlockType::Result(*t),
            _ => BlockType::FunctionType(self.get(params, results)),
        }
    }
}

/// The indices the rewritten code refers to.
#[derive(Clone, Copy)]
struct Refs {
    tag: u32,
    counter: u32,
    frame: u32,
    site: u32,
}

struct Module<'a> {
    bytes: &'a [u8],
    imports: Vec<Import>,
}

impl<'a> Module<'a> {
    fn new(bytes: &'a [u8], imports: Vec<Import>) -> anyhow::Result<Self> {
        Ok(Module { bytes, imports })
    }

    fn finish(self) -> anyhow::Result<Rewritten> {
        let bytes = self.bytes;
        // First pass: counts and names.
        let mut n_types = 0u32;
        let mut n_imported_globals = 0u32;
        let mut n_defined_globals = 0u32;
        let mut n_imported_tags = 0u32;
        let mut n_defined_tags = 0u32;
        let mut n_imported_funcs = 0u32;
        let mut global0_mut_i32 = false;
        let mut named_sp: Option<u32> = None;
        let mut func_names: HashMap<u32, String> = HashMap::new();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::TypeSection(r) => {
                    for g in r {
                        n_types += u32::try_from(g?.types().len())?;
                    }
                }
                Payload::ImportSection(r) => {
                    for imp in r.into_imports() {
                        match imp?.ty {
                            wasmparser::TypeRef::Func(_) => n_imported_funcs += 1,
                            wasmparser::TypeRef::Global(g) => {
                                if n_imported_globals == 0 {
                                    global0_mut_i32 =
                                        g.mutable && g.content_type == wasmparser::ValType::I32;
                                }
                                n_imported_globals += 1;
                            }
                            wasmparser::TypeRef::Tag(_) => n_imported_tags += 1,
                            _ => {}
                        }
                    }
                }
                Payload::GlobalSection(r) => {
                    for g in r {
                        let g = g?;
                        if n_imported_globals + n_defined_globals == 0 {
                            global0_mut_i32 =
                                g.ty.mutable && g.ty.content_type == wasmparser::ValType::I32;
                        }
                        n_defined_globals += 1;
                    }
                }
                Payload::TagSection(r) => n_defined_tags += r.count(),
                Payload::CustomSection(c) => {
                    if let wasmparser::KnownCustom::Name(names) = c.as_known() {
                        for sub in names.into_iter().flatten() {
                            match sub {
                                wasmparser::Name::Function(map) => {
                                    for n in map.into_iter().flatten() {
                                        func_names.insert(n.index, n.name.to_owned());
                                    }
                                }
                                wasmparser::Name::Global(map) => {
                                    for n in map.into_iter().flatten() {
                                        if n.name == "__stack_pointer" {
                                            named_sp = Some(n.index);
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                Payload::End(_) => break,
                _ => {}
            }
        }
        let n_globals = n_imported_globals + n_defined_globals;
        // The C stack pointer: `__stack_pointer` by name, else global 0 when
        // it is a mutable i32 (wasm-ld always places it first).
        let sp = named_sp.or(global0_mut_i32.then_some(0));
        let refs = Refs {
            tag: n_imported_tags + n_defined_tags,
            counter: n_globals,
            frame: n_globals + 1,
            site: n_globals + 2,
        };
        let mut types = NewTypes {
            first: n_types,
            list: Vec::new(),
            index: HashMap::new(),
        };
        let tag_type = types.get(&[I32, I32, I32], &[]);

        // Second pass: rewrite the code; copy or extend the rest.
        let mut code = wasm_encoder::CodeSection::new();
        let mut skipped = Vec::new();
        let mut validator = Validator::new_with_features(wasmparser::WasmFeatures::all());
        let mut func_index = n_imported_funcs;
        let mut sections: Vec<(u8, std::ops::Range<usize>)> = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload?;
            let valid = validator.payload(&payload)?;
            if let Payload::CodeSectionEntry(body) = &payload {
                let name = || {
                    func_names
                        .get(&func_index)
                        .map_or(format!("function #{func_index}"), |n| {
                            format!("function #{func_index} ({n})")
                        })
                };
                let mut done = false;
                if calls_setjmp(body, &self.imports)? {
                    let ValidPayload::Func(to_validate, _) = valid else {
                        anyhow::bail!("code entry without a function to validate");
                    };
                    let fv = to_validate.into_validator(Default::default());
                    match rewrite_function(fv, body, &self.imports, refs, &mut types) {
                        Ok(Some(f)) => {
                            code.function(&f);
                            done = true;
                        }
                        Ok(None) => {}
                        Err(Refusal(why)) => skipped.push(format!("{}: {why}", name())),
                    }
                }
                if !done {
                    code.raw(&bytes[body.range()]);
                }
                func_index += 1;
                continue;
            }
            if let Some((id, range)) = payload.as_section() {
                sections.push((id, range));
            }
            if let Payload::End(_) = payload {
                break;
            }
        }

        // Assemble: new types, tag, globals and exports appended.
        let mut out = wasm_encoder::Module::new();
        let mut pending: Vec<u8> = vec![1, 13, 6, 7];
        let emit =
            |out: &mut wasm_encoder::Module, id: u8, data: Option<&[u8]>| -> anyhow::Result<()> {
                match id {
                    1 => {
                        let mut s = wasm_encoder::TypeSection::new();
                        if let Some(d) = data {
                            let reader = wasmparser::TypeSectionReader::new(
                                wasmparser::BinaryReader::new(d, 0),
                            )?;
                            RoundtripReencoder.parse_type_section(&mut s, reader)?;
                        }
                        for (p, res) in &types.list {
                            s.ty().function(p.iter().copied(), res.iter().copied());
                        }
                        out.section(&s);
                    }
                    13 => {
                        let mut s = wasm_encoder::TagSection::new();
                        if let Some(d) = data {
                            let reader = wasmparser::TagSectionReader::new(
                                wasmparser::BinaryReader::new(d, 0),
                            )?;
                            RoundtripReencoder.parse_tag_section(&mut s, reader)?;
                        }
                        s.tag(wasm_encoder::TagType {
                            kind: wasm_encoder::TagKind::Exception,
                            func_type_idx: tag_type,
                        });
                        out.section(&s);
                    }
                    6 => {
                        let mut s = wasm_encoder::GlobalSection::new();
                        if let Some(d) = data {
                            let reader = wasmparser::GlobalSectionReader::new(
                                wasmparser::BinaryReader::new(d, 0),
                            )?;
                            RoundtripReencoder.parse_global_section(&mut s, reader)?;
                        }
                        for _ in 0..3 {
                            s.global(
                                wasm_encoder::GlobalType {
                                    val_type: I32,
                                    mutable: true,
                                    shared: false,
                                },
                                &wasm_encoder::ConstExpr::i32_const(0),
                            );
                        }
                        out.section(&s);
                    }
                    7 => {
                        let mut s = wasm_encoder::ExportSection::new();
                        if let Some(d) = data {
                            let reader = wasmparser::ExportSectionReader::new(
                                wasmparser::BinaryReader::new(d, 0),
                            )?;
                            RoundtripReencoder.parse_export_section(&mut s, reader)?;
                        }
                        s.export(TAG_EXPORT, wasm_encoder::ExportKind::Tag, refs.tag);
                        s.export(FRAME_EXPORT, wasm_encoder::ExportKind::Global, refs.frame);
                        s.export(SITE_EXPORT, wasm_encoder::ExportKind::Global, refs.site);
                        if let Some(sp) = sp {
                            s.export(SP_EXPORT, wasm_encoder::ExportKind::Global, sp);
                        }
                        out.section(&s);
                    }
                    _ => unreachable!("only the sections above are extended"),
                }
                Ok(())
            };
        for (id, range) in &sections {
            let data = &bytes[range.clone()];
            // Sections that did not exist go where the format wants them.
            while let Some(i) = pending
                .iter()
                .position(|p| super::order(*p) < super::order(*id) && super::order(*id) != 0)
            {
                let p = pending.remove(i);
                emit(&mut out, p, None)?;
            }
            if let Some(i) = pending.iter().position(|p| p == id) {
                pending.remove(i);
                emit(&mut out, *id, Some(data))?;
            } else if *id == 10 {
                out.section(&code);
            } else {
                out.section(&wasm_encoder::RawSection { id: *id, data });
            }
        }
        for p in pending {
            emit(&mut out, p, None)?;
        }
        Ok(Rewritten {
            bytes: out.finish(),
            skipped,
        })
    }
}

fn calls_setjmp(body: &wasmparser::FunctionBody<'_>, imports: &[Import]) -> anyhow::Result<bool> {
    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        if let Operator::Call { function_index } = ops.read()? {
            if imports.iter().any(|i| i.index == function_index) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Why a function is left as it was.
struct Refusal(String);

impl<E: std::fmt::Display> From<E> for Refusal {
    fn from(e: E) -> Self {
        Refusal(format!("{e}"))
    }
}

fn refuse<T>(why: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(why.into()))
}

/// A call site, or the opener of a block holding call sites, in one
/// instruction sequence.
struct Pivot {
    op: usize,
    /// The last site number inside (the site itself for a call).
    hi: u32,
    /// Types of the sequence's operand stack below the pivot's operands.
    below: Vec<ValType>,
    /// Types of the operands the pivot takes (call arguments, block
    /// parameters, an if's condition last).
    operands: Vec<ValType>,
    /// For an `if`: the last site of its then-arm, if it has any.
    then_hi: Option<u32>,
    is_if: bool,
    /// Locals holding `below` (and scratch for `operands`) while resuming.
    spill: Vec<u32>,
    scratch: Vec<u32>,
}

/// An instruction sequence (function body, block body, if arm) that holds
/// call sites.
struct Seq {
    /// Types on the sequence's stack at its start (block parameters).
    params: Vec<ValType>,
    pivots: Vec<Pivot>,
}

/// Per-op facts gathered while validating.
struct Frame {
    /// The sequence (index into `seqs`) this frame's current arm is.
    seq: Option<usize>,
    /// Index of the opener op (None for the function body).
    opener: Option<usize>,
    opener_below: Vec<Option<wasmparser::ValType>>,
    opener_operands: Vec<Option<wasmparser::ValType>>,
    is_if: bool,
    /// Opened in code that cannot run.
    dead: bool,
    in_else: bool,
    /// First op of the current arm.
    arm_start: usize,
    arm_params: Vec<Option<wasmparser::ValType>>,
}

fn stack_types<T: wasmparser::WasmModuleResources>(
    fv: &FuncValidator<T>,
) -> Vec<Option<wasmparser::ValType>> {
    let base = fv.get_control_frame(0).map_or(0, |f| f.height);
    let total = fv.operand_stack_height() as usize;
    (base..total)
        .map(|pos| fv.get_operand_type(total - 1 - pos).flatten())
        .collect()
}

fn known(v: &[Option<wasmparser::ValType>], what: &str) -> Result<Vec<ValType>, Refusal> {
    v.iter()
        .map(|t| match t {
            Some(t) => RoundtripReencoder
                .val_type(*t)
                .map_err(|e| Refusal(format!("{e}"))),
            None => refuse(format!("{what} in unreachable code")),
        })
        .collect()
}

fn rewrite_function<T: wasmparser::WasmModuleResources>(
    mut fv: FuncValidator<T>,
    body: &wasmparser::FunctionBody<'_>,
    imports: &[Import],
    refs: Refs,
    types: &mut NewTypes,
) -> Result<Option<wasm_encoder::Function>, Refusal> {
    let mut locals_reader = body.get_binary_reader();
    fv.read_locals(&mut locals_reader)?;
    let mut ops = Vec::new();
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let offset = reader.original_position();
        ops.push((reader.read()?, offset));
    }

    // Analysis: validate op by op, numbering the call sites and recording
    // the pivots of every sequence that holds one.
    let mut seqs: Vec<Seq> = Vec::new();
    let mut seq_at: HashMap<usize, usize> = HashMap::new(); // first op -> seq
    let mut pivot_at: HashMap<usize, (usize, usize)> = HashMap::new(); // op -> (seq, j)
    let mut site_at: HashMap<usize, (u32, Import)> = HashMap::new();
    let mut frames: Vec<Frame> = vec![Frame {
        seq: None,
        opener: None,
        opener_below: Vec::new(),
        opener_operands: Vec::new(),
        is_if: false,
        dead: false,
        in_else: false,
        arm_start: 0,
        arm_params: Vec::new(),
    }];
    let mut sites = 0u32;
    for (i, (op, offset)) in ops.iter().enumerate() {
        match op {
            Operator::Try { .. }
            | Operator::Catch { .. }
            | Operator::CatchAll
            | Operator::Delegate { .. }
            | Operator::Rethrow { .. } => {
                return refuse("it uses the legacy exception-handling instructions")
            }
            Operator::Resume { .. }
            | Operator::ResumeThrow { .. }
            | Operator::ResumeThrowRef { .. }
            | Operator::BrOnCastDescEq { .. }
            | Operator::BrOnCastDescEqFail { .. } => {
                return refuse("it uses stack-switching or custom-descriptor instructions")
            }
            _ => {}
        }
        // Code the validator knows cannot run (after a branch, or inside a
        // block that starts there) keeps its plain calls: they never happen.
        let dead = fv.get_control_frame(0).is_some_and(|f| f.unreachable)
            || frames.last().is_some_and(|f| f.dead);
        let site = match op {
            Operator::Call { function_index } if !dead => {
                imports.iter().find(|s| s.index == *function_index).copied()
            }
            _ => None,
        };
        let is_opener = matches!(
            op,
            Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::TryTable { .. }
        );
        let before = if site.is_some() || is_opener {
            stack_types(&fv)
        } else {
            Vec::new()
        };
        let parent_height = fv.get_control_frame(0).map_or(0, |f| f.height);
        fv.op(*offset, op)?;
        if let Some(import) = site {
            sites += 1;
            site_at.insert(i, (sites, import));
            let c = import.params as usize;
            let m = before.len().saturating_sub(c);
            if before.len() < c {
                return refuse("a setjmp call without its arguments");
            }
            let below = known(&before[..m], "a setjmp call")?;
            let operands = known(&before[m..], "a setjmp call")?;
            register(
                &mut frames,
                &mut seqs,
                &mut seq_at,
                &mut pivot_at,
                i,
                sites,
                Some((below, operands)),
            )?;
        } else if is_opener {
            let child = fv.get_control_frame(0).map_or(0, |f| f.height);
            let m = child.saturating_sub(parent_height).min(before.len());
            let arm_params = stack_types(&fv);
            frames.push(Frame {
                seq: None,
                opener: Some(i),
                opener_below: before[..m].to_vec(),
                opener_operands: before[m..].to_vec(),
                is_if: matches!(op, Operator::If { .. }),
                dead,
                in_else: false,
                arm_start: i + 1,
                arm_params,
            });
        } else if matches!(op, Operator::Else) {
            let arm_params = stack_types(&fv);
            let f = frames.last_mut().expect("else inside an if");
            f.in_else = true;
            f.seq = None;
            f.arm_start = i + 1;
            f.arm_params = arm_params;
        } else if matches!(op, Operator::End) {
            frames.pop();
        }
    }
    if sites == 0 {
        return Ok(None); // every call is in code that cannot run
    }

    // Locals: the function's own, then ours.
    let mut local_types: Vec<(u32, ValType)> = Vec::new();
    let mut n_locals = fv.len_locals();
    for pair in body.get_locals_reader()? {
        let (n, t) = pair?;
        local_types.push((n, RoundtripReencoder.val_type(t)?));
    }
    let mut new_local = |t: ValType| {
        local_types.push((1, t));
        n_locals += 1;
        n_locals - 1
    };
    let frame_l = new_local(I32);
    let resume_l = new_local(I32);
    let val_l = new_local(I32);
    let thrown_l = new_local(I32);
    for seq in &mut seqs {
        for p in &mut seq.pivots {
            if !p.below.iter().chain(&p.operands).all(defaultable) {
                return refuse("a non-nullable reference is live across a setjmp call");
            }
            if !p.below.is_empty() {
                p.spill = p.below.iter().map(|t| new_local(*t)).collect();
                p.scratch = p.operands.iter().map(|t| new_local(*t)).collect();
            }
        }
    }
    let results: Vec<ValType> = {
        let res = fv.resources();
        let ty = res
            .type_id_of_function(fv.index())
            .map(|id| res.sub_type_at_id(id))
            .and_then(|st| match &st.composite_type.inner {
                wasmparser::CompositeInnerType::Func(f) => Some(f),
                _ => None,
            })
            .ok_or_else(|| Refusal("function without a type".into()))?;
        ty.results()
            .iter()
            .map(|t| RoundtripReencoder.val_type(*t))
            .collect::<Result<_, _>>()?
    };

    let mut f = wasm_encoder::Function::new(local_types);
    // Prologue.
    f.instruction(&Instruction::GlobalGet(refs.counter));
    f.instruction(&Instruction::I32Const(1));
    f.instruction(&Instruction::I32Add);
    f.instruction(&Instruction::LocalTee(frame_l));
    f.instruction(&Instruction::GlobalSet(refs.counter));
    f.instruction(&Instruction::Loop(BlockType::Empty));
    let caught = types.block(&[], &[I32, I32, I32]);
    f.instruction(&Instruction::Block(caught));
    let body_ty = types.block(&[], &results);
    f.instruction(&Instruction::TryTable(
        body_ty,
        vec![wasm_encoder::Catch::One {
            tag: refs.tag,
            label: 0,
        }]
        .into(),
    ));
    // Labels: true for the function's own blocks (the try_table stands for
    // the function body's label), false for the ones added here.
    let mut labels: Vec<bool> = vec![false, false, true];
    let remap = |labels: &[bool], depth: u32| -> Result<u32, Refusal> {
        let mut originals = 0;
        for (n, is_original) in labels.iter().rev().enumerate() {
            if *is_original {
                if originals == depth {
                    return Ok(u32::try_from(n)?);
                }
                originals += 1;
            }
        }
        refuse("a branch past the function body")
    };
    let mut r = RoundtripReencoder;
    let last = ops.len() - 1;
    for (i, (op, _)) in ops.iter().enumerate() {
        if let Some(&s) = seq_at.get(&i) {
            let seq = &seqs[s];
            let params = &seq.params;
            // B_r .. B_1, outermost first.
            for p in seq.pivots.iter().rev() {
                let mut res = p.below.clone();
                res.extend(p.operands.iter().copied());
                let bt = types.block(params, &res);
                f.instruction(&Instruction::Block(bt));
                labels.push(false);
            }
            // The dispatch: leave B_j with pivot j's stack when resuming to
            // one of its sites.
            for (j, p) in seq.pivots.iter().enumerate() {
                f.instruction(&Instruction::LocalGet(resume_l));
                f.instruction(&Instruction::I32Const(1));
                f.instruction(&Instruction::I32Sub);
                f.instruction(&Instruction::I32Const(p.hi as i32));
                f.instruction(&Instruction::I32LtU);
                f.instruction(&Instruction::If(BlockType::Empty));
                for l in &p.spill {
                    f.instruction(&Instruction::LocalGet(*l));
                }
                let n = p.operands.len();
                for (k, t) in p.operands.iter().enumerate() {
                    if p.is_if && k == n - 1 {
                        match p.then_hi {
                            Some(hi) => {
                                f.instruction(&Instruction::LocalGet(resume_l));
                                f.instruction(&Instruction::I32Const(hi as i32 + 1));
                                f.instruction(&Instruction::I32LtU);
                            }
                            None => {
                                f.instruction(&Instruction::I32Const(0));
                            }
                        }
                    } else {
                        zero(&mut f, t);
                    }
                }
                f.instruction(&Instruction::Br(u32::try_from(j + 1)?));
                f.instruction(&Instruction::End);
            }
        }
        if let Some(&(s, j)) = pivot_at.get(&i) {
            let p = &seqs[s].pivots[j];
            f.instruction(&Instruction::End); // B_j
            labels.pop();
            if !p.spill.is_empty() {
                for l in p.scratch.iter().rev() {
                    f.instruction(&Instruction::LocalSet(*l));
                }
                for l in p.spill.iter().rev() {
                    f.instruction(&Instruction::LocalSet(*l));
                }
                for l in p.spill.iter().chain(&p.scratch) {
                    f.instruction(&Instruction::LocalGet(*l));
                }
            }
        }
        if let Some(&(site, import)) = site_at.get(&i) {
            let args = vec![I32; import.params as usize];
            let bt = types.block(&args, &[I32]);
            f.instruction(&Instruction::LocalGet(resume_l));
            f.instruction(&Instruction::If(bt));
            for _ in 0..import.params {
                f.instruction(&Instruction::Drop);
            }
            f.instruction(&Instruction::LocalGet(val_l));
            f.instruction(&Instruction::I32Const(0));
            f.instruction(&Instruction::LocalSet(resume_l));
            f.instruction(&Instruction::Else);
            f.instruction(&Instruction::LocalGet(frame_l));
            f.instruction(&Instruction::GlobalSet(refs.frame));
            f.instruction(&Instruction::I32Const(site as i32));
            f.instruction(&Instruction::GlobalSet(refs.site));
            f.instruction(&Instruction::Call(import.index));
            f.instruction(&Instruction::End);
            continue;
        }
        let op = op.clone();
        let mapped = match op {
            Operator::Br { relative_depth } => Operator::Br {
                relative_depth: remap(&labels, relative_depth)?,
            },
            Operator::BrIf { relative_depth } => Operator::BrIf {
                relative_depth: remap(&labels, relative_depth)?,
            },
            Operator::BrOnNull { relative_depth } => Operator::BrOnNull {
                relative_depth: remap(&labels, relative_depth)?,
            },
            Operator::BrOnNonNull { relative_depth } => Operator::BrOnNonNull {
                relative_depth: remap(&labels, relative_depth)?,
            },
            Operator::BrOnCast {
                relative_depth,
                from_ref_type,
                to_ref_type,
            } => Operator::BrOnCast {
                relative_depth: remap(&labels, relative_depth)?,
                from_ref_type,
                to_ref_type,
            },
            Operator::BrOnCastFail {
                relative_depth,
                from_ref_type,
                to_ref_type,
            } => Operator::BrOnCastFail {
                relative_depth: remap(&labels, relative_depth)?,
                from_ref_type,
                to_ref_type,
            },
            Operator::BrTable { targets } => {
                let mut t = Vec::new();
                for d in targets.targets() {
                    t.push(remap(&labels, d?)?);
                }
                let default = remap(&labels, targets.default())?;
                f.instruction(&Instruction::BrTable(t.into(), default));
                continue;
            }
            Operator::TryTable { try_table } => {
                let mut catches = Vec::new();
                for c in &try_table.catches {
                    catches.push(match *c {
                        wasmparser::Catch::One { tag, label } => wasm_encoder::Catch::One {
                            tag,
                            label: remap(&labels, label)?,
                        },
                        wasmparser::Catch::OneRef { tag, label } => wasm_encoder::Catch::OneRef {
                            tag,
                            label: remap(&labels, label)?,
                        },
                        wasmparser::Catch::All { label } => wasm_encoder::Catch::All {
                            label: remap(&labels, label)?,
                        },
                        wasmparser::Catch::AllRef { label } => wasm_encoder::Catch::AllRef {
                            label: remap(&labels, label)?,
                        },
                    });
                }
                let bt = r.block_type(try_table.ty)?;
                f.instruction(&Instruction::TryTable(bt, catches.into()));
                labels.push(true);
                continue;
            }
            other => other,
        };
        match &mapped {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                labels.push(true)
            }
            Operator::End => {
                labels.pop();
            }
            _ => {}
        }
        f.instruction(&r.instruction(mapped)?);
        if i == last {
            break;
        }
    }
    // Epilogue: the try_table has ended with the function's results.
    f.instruction(&Instruction::Return);
    f.instruction(&Instruction::End); // caught: frame, site, val
    f.instruction(&Instruction::LocalSet(val_l));
    f.instruction(&Instruction::LocalSet(resume_l));
    f.instruction(&Instruction::LocalTee(thrown_l));
    f.instruction(&Instruction::LocalGet(frame_l));
    f.instruction(&Instruction::I32Ne);
    f.instruction(&Instruction::If(BlockType::Empty));
    f.instruction(&Instruction::LocalGet(thrown_l));
    f.instruction(&Instruction::LocalGet(resume_l));
    f.instruction(&Instruction::LocalGet(val_l));
    f.instruction(&Instruction::Throw(refs.tag));
    f.instruction(&Instruction::End);
    f.instruction(&Instruction::Br(0));
    f.instruction(&Instruction::End); // loop
    f.instruction(&Instruction::Unreachable);
    f.instruction(&Instruction::End);
    Ok(Some(f))
}

/// Records call site `site` at op `op`, in the innermost sequence (as a
/// call pivot) and in every enclosing one (as the opener of the block that
/// holds it).
fn register(
    frames: &mut [Frame],
    seqs: &mut Vec<Seq>,
    seq_at: &mut HashMap<usize, usize>,
    pivot_at: &mut HashMap<usize, (usize, usize)>,
    op: usize,
    site: u32,
    call: Option<(Vec<ValType>, Vec<ValType>)>,
) -> Result<(), Refusal> {
    let mut call = call;
    let mut pivot_op = op;
    for level in (0..frames.len()).rev() {
        let seq = match frames[level].seq {
            Some(s) => s,
            None => {
                let params = known(&frames[level].arm_params, "a block holding setjmp")?;
                seqs.push(Seq {
                    params,
                    pivots: Vec::new(),
                });
                let s = seqs.len() - 1;
                frames[level].seq = Some(s);
                seq_at.insert(frames[level].arm_start, s);
                s
            }
        };
        let (below, operands, is_if, then_hi) = match call.take() {
            Some((b, o)) => (b, o, false, None),
            None => {
                let child = &frames[level + 1];
                let then_hi = (child.is_if && !child.in_else).then_some(site);
                (
                    known(&child.opener_below, "a block holding setjmp")?,
                    known(&child.opener_operands, "a block holding setjmp")?,
                    child.is_if,
                    then_hi,
                )
            }
        };
        let pivots = &mut seqs[seq].pivots;
        match pivots.last_mut() {
            Some(p) if p.op == pivot_op => {
                p.hi = site;
                if then_hi.is_some() {
                    p.then_hi = then_hi;
                }
            }
            _ => {
                pivots.push(Pivot {
                    op: pivot_op,
                    hi: site,
                    below,
                    operands,
                    then_hi,
                    is_if,
                    spill: Vec::new(),
                    scratch: Vec::new(),
                });
                pivot_at.insert(pivot_op, (seq, pivots.len() - 1));
            }
        }
        match frames[level].opener {
            Some(o) => pivot_op = o,
            None => break,
        }
    }
    Ok(())
}

fn defaultable(t: &ValType) -> bool {
    match t {
        ValType::Ref(r) => r.nullable,
        _ => true,
    }
}

/// Pushes a value of type `t` that nothing reads (resume mode passes it
/// where the original code had an operand it skips).
fn zero(f: &mut wasm_encoder::Function, t: &ValType) {
    match t {
        ValType::I32 => f.instruction(&Instruction::I32Const(0)),
        ValType::I64 => f.instruction(&Instruction::I64Const(0)),
        ValType::F32 => f.instruction(&Instruction::F32Const(0.0.into())),
        ValType::F64 => f.instruction(&Instruction::F64Const(0.0.into())),
        ValType::V128 => f.instruction(&Instruction::V128Const(0)),
        ValType::Ref(r) => f.instruction(&Instruction::RefNull(r.heap_type)),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(bytes: &[u8]) {
        Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(bytes)
            .unwrap_or_else(|e| panic!("the rewritten module does not validate: {e}"));
    }

    const IMPORTS: &str = r#"
      (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
      (import "wali" "longjmp" (func $longjmp (param i32 i32)))
      (memory 1 1 shared)
      (global $__stack_pointer (mut i32) (i32.const 1024))"#;

    #[test]
    fn a_module_without_the_imports_is_left_alone() {
        let wasm = wat::parse_str(
            r#"(module (import "wali" "longjmp" (func (param i32 i32)))
                 (func (export "_start") (call 0 (i32.const 0) (i32.const 1))))"#,
        )
        .unwrap();
        assert!(rewrite(&wasm).unwrap().is_none());
    }

    #[test]
    fn awkward_shapes_still_validate() {
        // Two sites in one expression, a site in a block with parameters,
        // br_table and try_table labels across the added blocks, a site in
        // dead code, multi-value results.
        let wasm = wat::parse_str(format!(
            r#"(module {IMPORTS}
              (tag $t)
              (func $two (result i32 i64)
                (i32.add (call $setjmp (i32.const 8)) (call $setjmp (i32.const 16)))
                (i64.const 5))
              (func $params (param $x i32) (result i32)
                (local.get $x)
                (i32.const 8)
                (block (param i32 i32) (result i32)
                  (drop (call $setjmp))
                  (block $a (block $b (br_table $a $b 1 (local.get $x))))
                  (block $c (try_table (catch $t $c) (drop (call $setjmp (i32.const 24))))))
                (unreachable)
                (block (drop (call $setjmp (i32.const 32)))))
              (func (export "_start") (drop (call $params (i32.const 1))))
              (global (export "wali:unrelated") i32 (i32.const 0)))"#
        ))
        .unwrap();
        let out = rewrite(&wasm).unwrap().expect("rewritten");
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
        validate(&out.bytes);
    }

    #[test]
    fn legacy_exception_handling_is_refused_by_name() {
        let wasm = wat::parse_str(format!(
            r#"(module {IMPORTS}
              (tag $t)
              (func $legacy
                try
                  i32.const 8
                  call $setjmp
                  drop
                catch $t
                end)
              (func (export "_start") (call $legacy)))"#
        ))
        .unwrap();
        let out = rewrite(&wasm).unwrap().expect("rewritten");
        assert_eq!(out.skipped.len(), 1);
        assert!(
            out.skipped[0].starts_with("function #2 (legacy)"),
            "{:?}",
            out.skipped
        );
        validate(&out.bytes);
    }
}
