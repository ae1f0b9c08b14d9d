//! Memory management inside linear memory: mmap (anonymous, file-backed
//! private and shared), munmap, mremap, mprotect, madvise, msync, brk.

mod common;
use common::*;

/// The harness memory is PAGES * 64 KiB; the host grows it for mmap.
const MEM_END: &str = "0x40000";

fn body(text: &str) -> String {
    text.replace("MEM_END", MEM_END)
}

#[test]
fn anonymous_mappings_are_zero_and_reused_zeroed() {
    let sb = Sandbox::new();
    sb.check(&body(
        r#"
  (func $main (local $a i32) (local $b i32) (local $i i32)
    (local.set $a (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 8192) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
    ;; page aligned, beyond the module's own memory, which grew to hold it
    (call $eq @ (i64.extend_i32_u (i32.and (local.get $a) (i32.const 4095))) (i64.const 0))
    (call $true @ (i32.ge_u (local.get $a) (i32.const MEM_END)))
    (call $true @ (i32.ge_u (i32.mul (memory.size) (i32.const 65536)) (i32.add (local.get $a) (i32.const 8192))))
    ;; zero-filled
    (local.set $i (i32.const 0))
    (loop $each
      (call $eq @ (i64.load (i32.add (local.get $a) (local.get $i))) (i64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 8192))))
    (memory.fill (local.get $a) (i32.const 0xab) (i32.const 8192))
    ;; a second mapping does not overlap the first
    (local.set $b (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 100) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
    (call $true @ (i32.or (i32.ge_u (local.get $b) (i32.add (local.get $a) (i32.const 8192)))
                          (i32.le_u (i32.add (local.get $b) (i32.const 4096)) (local.get $a))))
    (call $eq @ (i64.load (local.get $b)) (i64.const 0))
    ;; unmapped then mapped again: the same pages, zeroed
    (call $eq @ (call $SYS_munmap (local.get $a) (i32.const 8192)) (i64.const 0))
    (call $eq @ (i64.load (local.get $a)) (i64.const 0))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 8192) (k PROT_READ|PROT_WRITE)
                      (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))
                (i64.extend_i32_u (local.get $a)))
    (local.set $i (i32.const 0))
    (loop $each
      (call $eq @ (i64.load (i32.add (local.get $a) (local.get $i))) (i64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 8192))))
    ;; a large mapping
    (call $ok @ (call $SYS_mmap (i32.const 0) (i32.const 0x400000) (k PROT_READ|PROT_WRITE)
                      (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
"#,
    ));
}

#[test]
fn mmap_rejects_bad_arguments() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $fd i32)
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 0) (k PROT_READ)
                      (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0)) (errno EINVAL))
    ;; neither MAP_PRIVATE nor MAP_SHARED
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ)
                      (k MAP_ANONYMOUS) (i32.const -1) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE) (i32.const 99) (i64.const 0)) (errno EBADF))
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_CREAT|O_RDWR) (i32.const 0o644))))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE) (local.get $fd) (i64.const 100)) (errno EINVAL))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE) (local.get $fd) (i64.const -4096)) (errno EINVAL))
    ;; MAP_FIXED only over what the host mapped before
    (call $eq @ (call $SYS_mmap (i32.const 0x1000) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED) (i32.const -1) (i64.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_mmap (i32.const 0x1001) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED) (i32.const -1) (i64.const 0)) (errno EINVAL))
    ;; munmap
    (call $eq @ (call $SYS_munmap (i32.const 0x1001) (i32.const 4096)) (errno EINVAL))
    (call $eq @ (call $SYS_munmap (i32.const 0x1000) (i32.const 0)) (errno EINVAL)))
"#,
    );
}

#[test]
fn map_fixed_over_own_mapping() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $a i32)
    (local.set $a (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 16384) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
    (memory.fill (local.get $a) (i32.const 0x55) (i32.const 16384))
    ;; replacing the second page zeroes just that page
    (call $eq @ (call $SYS_mmap (i32.add (local.get $a) (i32.const 4096)) (i32.const 4096) (k PROT_READ|PROT_WRITE)
                      (k MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED) (i32.const -1) (i64.const 0))
                (i64.extend_i32_u (i32.add (local.get $a) (i32.const 4096))))
    (call $eq @ (i64.load8_u (i32.add (local.get $a) (i32.const 4095))) (i64.const 0x55))
    (call $eq @ (i64.load (i32.add (local.get $a) (i32.const 4096))) (i64.const 0))
    (call $eq @ (i64.load (i32.add (local.get $a) (i32.const 8184))) (i64.const 0))
    (call $eq @ (i64.load8_u (i32.add (local.get $a) (i32.const 8192))) (i64.const 0x55))
    ;; MAP_FIXED_NOREPLACE over a mapping in use
    (call $eq @ (call $SYS_mmap (local.get $a) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE) (i32.const -1) (i64.const 0))
                (errno EEXIST))
    ;; ... and over the same pages once unmapped
    (call $eq @ (call $SYS_munmap (local.get $a) (i32.const 4096)) (i64.const 0))
    (call $eq @ (call $SYS_mmap (local.get $a) (i32.const 4096) (k PROT_READ)
                      (k MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE) (i32.const -1) (i64.const 0))
                (i64.extend_i32_u (local.get $a))))
"#,
    );
}

#[test]
fn file_backed_private_and_shared_mappings() {
    let sb = Sandbox::new();
    let mut content = b"hello mapped file".to_vec();
    content.resize(5000, b'.');
    content.extend_from_slice(b"page two");
    std::fs::write(sb.mnt().join("f"), &content).unwrap();
    std::fs::write(sb.mnt().join("shared"), vec![b'-'; 100]).unwrap();
    sb.check(
        r#"
  (func $main (local $fd i32) (local $a i32) (local $b i32) (local $s i32) (local $sfd i32)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/m/f") (k O_RDONLY) (i32.const 0))))
    (local.set $a (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 8192) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE) (local.get $fd) (i64.const 0))))
    (call $true @ (call $memeq (local.get $a) (str "hello mapped file") (i32.const 17)))
    (call $true @ (call $memeq (i32.add (local.get $a) (i32.const 5000)) (str "page two") (i32.const 8)))
    ;; past the end of the file: zeros
    (call $eq @ (i64.load8_u (i32.add (local.get $a) (i32.const 5008))) (i64.const 0))
    (call $eq @ (i64.load (i32.add (local.get $a) (i32.const 8184))) (i64.const 0))
    ;; an offset into the file
    (local.set $b (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ)
                                   (k MAP_PRIVATE) (local.get $fd) (i64.const 4096))))
    (call $true @ (call $memeq (i32.add (local.get $b) (i32.const 904)) (str "page two") (i32.const 8)))
    ;; private: writes stay in memory
    (i64.store (local.get $a) (i64.const 0x5858585858585858))
    (call $eq @ (call $SYS_munmap (local.get $a) (i32.const 8192)) (i64.const 0))
    (call $eq @ (call $SYS_munmap (local.get $b) (i32.const 4096)) (i64.const 0))
    ;; a directory cannot be mapped
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ) (k MAP_PRIVATE)
                      (call $okfd @ (call $SYS_open (str "/m") (k O_RDONLY) (i32.const 0))) (i64.const 0))
                (errno ENODEV))
    ;; shared: msync and munmap write back, within the file's size
    (local.set $sfd (call $okfd @ (call $SYS_open (str "/m/shared") (k O_RDWR) (i32.const 0))))
    (local.set $s (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ|PROT_WRITE)
                                   (k MAP_SHARED) (local.get $sfd) (i64.const 0))))
    (memory.copy (local.get $s) (str "synced") (i32.const 6))
    (call $eq @ (call $SYS_msync (local.get $s) (i32.const 4096) (k MS_SYNC)) (i64.const 0))
    (call $eq @ (call $SYS_pread64 (local.get $sfd) (i32.const 0x8000) (i32.const 6) (i64.const 0)) (i64.const 6))
    (call $true @ (call $memeq (i32.const 0x8000) (str "synced") (i32.const 6)))
    (memory.copy (i32.add (local.get $s) (i32.const 50)) (str "unmapped") (i32.const 8))
    (memory.fill (i32.add (local.get $s) (i32.const 100)) (i32.const 0x21) (i32.const 100))
    (call $eq @ (call $SYS_munmap (local.get $s) (i32.const 4096)) (i64.const 0))
    (call $eq @ (call $SYS_msync (local.get $s) (i32.const 4096) (k MS_SYNC|MS_ASYNC)) (errno EINVAL))
    (call $eq @ (call $SYS_msync (local.get $s) (i32.const 4096) (i32.const 0x100)) (errno EINVAL))
    (call $eq @ (call $SYS_msync (i32.add (local.get $s) (i32.const 1)) (i32.const 4096) (k MS_SYNC)) (errno EINVAL)))
"#,
    );
    let mut want = b"synced".to_vec();
    want.resize(50, b'-');
    want.extend_from_slice(b"unmapped");
    want.resize(100, b'-');
    assert_eq!(
        read(sb.mnt().join("shared")),
        want,
        "written back, never extended"
    );
    assert_eq!(
        read(sb.mnt().join("f")),
        content,
        "private mappings never write"
    );
}

#[test]
fn mremap_grows_shrinks_and_moves() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
    (i64.store (local.get $a) (i64.const 0x1122334455667788))
    ;; block the page after it
    (local.set $b (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
    (call $eq @ (i64.extend_i32_u (local.get $b)) (i64.extend_i32_u (i32.add (local.get $a) (i32.const 4096))))
    ;; cannot grow in place, may not move
    (call $eq @ (call $SYS_mremap (local.get $a) (i32.const 4096) (i32.const 8192) (i32.const 0) (i32.const 0))
                (errno ENOMEM))
    ;; moves, keeping the contents; the new tail is zero
    (local.set $c (call $okfd @ (call $SYS_mremap (local.get $a) (i32.const 4096) (i32.const 65536)
                                   (k MREMAP_MAYMOVE) (i32.const 0))))
    (call $true @ (i32.ne (local.get $c) (local.get $a)))
    (call $eq @ (i64.load (local.get $c)) (i64.const 0x1122334455667788))
    (call $eq @ (i64.load (i32.add (local.get $c) (i32.const 65528))) (i64.const 0))
    ;; the old place was unmapped (and zeroed)
    (call $eq @ (i64.load (local.get $a)) (i64.const 0))
    ;; shrinking stays in place
    (call $eq @ (call $SYS_mremap (local.get $c) (i32.const 65536) (i32.const 4096) (i32.const 0) (i32.const 0))
                (i64.extend_i32_u (local.get $c)))
    ;; growing back into the freed tail works in place
    (call $eq @ (call $SYS_mremap (local.get $c) (i32.const 4096) (i32.const 8192) (i32.const 0) (i32.const 0))
                (i64.extend_i32_u (local.get $c)))
    ;; errors
    (call $eq @ (call $SYS_mremap (i32.add (local.get $c) (i32.const 1)) (i32.const 4096) (i32.const 8192) (i32.const 0) (i32.const 0))
                (errno EINVAL))
    (call $eq @ (call $SYS_mremap (local.get $c) (i32.const 4096) (i32.const 0) (i32.const 0) (i32.const 0))
                (errno EINVAL))
    (call $eq @ (call $SYS_mremap (local.get $c) (i32.const 4096) (i32.const 8192) (i32.const 0x80) (i32.const 0))
                (errno EINVAL))
    ;; not a mapping
    (call $eq @ (call $SYS_mremap (i32.const 0x1000) (i32.const 4096) (i32.const 8192) (k MREMAP_MAYMOVE) (i32.const 0))
                (errno EFAULT)))
"#,
    );
}

#[test]
fn mprotect_madvise_brk() {
    let sb = Sandbox::new();
    sb.check(&body(
        r#"
  (func $main (local $a i32)
    (local.set $a (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 8192) (k PROT_READ|PROT_WRITE)
                                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0))))
    (call $eq @ (call $SYS_mprotect (local.get $a) (i32.const 8192) (k PROT_READ)) (i64.const 0))
    (call $eq @ (call $SYS_mprotect (local.get $a) (i32.const 8192) (k PROT_NONE)) (i64.const 0))
    (call $eq @ (call $SYS_mprotect (local.get $a) (i32.const 8192) (i32.const 0x100)) (errno EINVAL))
    (call $eq @ (call $SYS_mprotect (i32.add (local.get $a) (i32.const 1)) (i32.const 4096) (k PROT_READ)) (errno EINVAL))
    (call $eq @ (call $SYS_mprotect (i32.const 0xfffff000) (i32.const 4096) (k PROT_READ)) (errno ENOMEM))
    ;; MADV_DONTNEED zeroes private anonymous pages; other advice keeps them
    (memory.fill (local.get $a) (i32.const 0x77) (i32.const 8192))
    (call $eq @ (call $SYS_madvise (local.get $a) (i32.const 4096) (k MADV_WILLNEED)) (i64.const 0))
    (call $eq @ (i64.load8_u (local.get $a)) (i64.const 0x77))
    (call $eq @ (call $SYS_madvise (local.get $a) (i32.const 4096) (k MADV_DONTNEED)) (i64.const 0))
    (call $eq @ (i64.load (local.get $a)) (i64.const 0))
    (call $eq @ (i64.load (i32.add (local.get $a) (i32.const 4088))) (i64.const 0))
    (call $eq @ (i64.load8_u (i32.add (local.get $a) (i32.const 4096))) (i64.const 0x77))
    (call $eq @ (call $SYS_madvise (i32.add (local.get $a) (i32.const 1)) (i32.const 4096) (k MADV_NORMAL)) (errno EINVAL))
    (call $eq @ (call $SYS_madvise (i32.const 0xfffff000) (i32.const 4096) (k MADV_NORMAL)) (errno ENOMEM))
    ;; the break never moves: always the initial end of memory
    (call $eq @ (call $SYS_brk (i32.const 0)) (i64.const MEM_END))
    (call $eq @ (call $SYS_brk (i32.add (i32.const MEM_END) (i32.const 0x10000))) (i64.const MEM_END))
    (call $eq @ (call $SYS_brk (i32.const 0)) (i64.const MEM_END)))
"#,
    ));
}

/// `limits.memory` caps a memory the module defines itself (not shared, so
/// not rewritten into an import): memory.grow and mmap fail at the limit
/// (the memory grew to 4 GiB under any limit before).
#[test]
fn memory_limit_caps_a_plain_memory() {
    let sb = Sandbox::new();
    let policy = sb.path("mem.toml");
    std::fs::write(&policy, "[limits]\nmemory = \"1M\"\n").unwrap();
    let policy = policy.to_str().unwrap().to_string();
    sb.check_with(
        r#"
  (func $main
    ;; 4 pages of 16 in use: 12 more fit, then nothing
    (call $eq @ (i64.extend_i32_s (memory.grow (i32.const 12))) (i64.const 4))
    (call $eq @ (i64.extend_i32_s (memory.grow (i32.const 1))) (i64.const -1))
    (call $eq @ (i64.extend_i32_s (memory.grow (i32.const 65536))) (i64.const -1))
    (call $eq @ (i64.extend_i32_s (memory.size)) (i64.const 16))
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 65536) (k PROT_READ|PROT_WRITE)
                   (k MAP_PRIVATE|MAP_ANONYMOUS) (i32.const -1) (i64.const 0)) (errno ENOMEM)))
"#,
        &["--policy", &policy],
    );
}

/// A module whose initial memory or table exceeds the limits does not start:
/// one line, exit 125 (a 4 GiB initial memory started under a 64 MiB limit).
#[test]
fn oversized_initial_memory_or_table_does_not_start() {
    let sb = Sandbox::new();
    let policy = sb.path("mem.toml");
    std::fs::write(&policy, "[limits]\nmemory = \"64M\"\n").unwrap();
    for (decl, why) in [
        (
            "(memory 65536)",
            "bytes of memory at start, more than limits.memory (67108864)",
        ),
        (
            "(memory 1) (table 2000000 funcref)",
            "a table of 2000000 entries",
        ),
    ] {
        let text = format!("(module {decl} (func (export \"_start\")))");
        let g = sb.write_module(&wat::parse_str(&text).unwrap(), &text);
        let out = sb
            .wali()
            .arg("--policy")
            .arg(&policy)
            .arg(&g.path)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(125), "{err}");
        assert!(err.starts_with("wali: ") && err.contains(why), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A limit beyond what a wasm32 memory addresses caps nothing: an imported
/// plain memory without a maximum starts and grows (any limit above 4 GiB
/// panicked the host at start, and 2^48 bytes wrapped the cap to 0 pages).
#[test]
fn a_memory_limit_beyond_4_gib_caps_nothing() {
    let sb = Sandbox::new();
    let text = r#"(module (import "env" "memory" (memory 1))
  (func (export "_start")
    (if (i32.ne (memory.grow (i32.const 3)) (i32.const 1)) (then unreachable))))"#;
    let g = sb.write_module(&wat::parse_str(text).unwrap(), text);
    for limit in ["\"8G\"", "281474976710656", "\"1048576G\""] {
        let policy = sb.path("mem.toml");
        std::fs::write(&policy, format!("[limits]\nmemory = {limit}\n")).unwrap();
        let out = sb
            .wali()
            .arg("--policy")
            .arg(&policy)
            .arg(&g.path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "limit {limit}: {}",
            stderr(&out)
        );
    }
}

/// table.grow past the table limit fails (-1) once the module runs.
#[test]
fn table_growth_is_capped() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (table $t 1 funcref)
  (func $main
    (call $eq @ (i64.extend_i32_s (table.grow $t (ref.null func) (i32.const 10))) (i64.const 1))
    (call $eq @ (i64.extend_i32_s (table.grow $t (ref.null func) (i32.const 2000000))) (i64.const -1)))
"#,
    );
}

/// The offset of an anonymous shared mapping is ignored, as Linux does: it
/// went to the memfd behind the mapping, whose pages past its end then
/// killed the host by SIGBUS at the first touch (found by `make fuzz`).
#[test]
fn anonymous_shared_mapping_ignores_the_offset() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $a i32)
    (local.set $a (call $okfd @ (call $SYS_mmap (i32.const 0) (i32.const 65536) (k PROT_READ|PROT_WRITE)
                                   (k MAP_SHARED|MAP_ANONYMOUS) (i32.const -1) (i64.const 0x57ffff000))))
    (call $eq @ (i64.load (local.get $a)) (i64.const 0))
    (i64.store (i32.add (local.get $a) (i32.const 65528)) (i64.const 7))
    (call $eq @ (i64.load (i32.add (local.get $a) (i32.const 65528))) (i64.const 7))
    ;; an unaligned offset is still EINVAL
    (call $eq @ (call $SYS_mmap (i32.const 0) (i32.const 4096) (k PROT_READ|PROT_WRITE)
                   (k MAP_SHARED|MAP_ANONYMOUS) (i32.const -1) (i64.const 5)) (errno EINVAL)))
"#,
    );
}
