//! A small harness for running guest modules written in WAT through the real
//! `wali` binary.
//!
//! A test body is a list of WAT module fields that defines `$main`. The
//! harness adds the imports the body uses (every `$SYS_<name>` and aux
//! `$__<name>` it mentions, typed from the syscall table), a 4-page memory
//! exported as `memory`, `_start` calling `$main`, and helper functions.
//! The body may use these shorthands, expanded before parsing:
//!
//! - `@` → `(i32.const LINE)`, the body line it is on: pass it as the check
//!   number, so that a failure names the line (the harness prints it).
//! - `(str "text")` → `(i32.const ADDR)` of a NUL-terminated copy of `text`.
//! - `(k NAME|NAME|123)` → `(i32.const N)`, `(k64 ...)` → `(i64.const N)`:
//!   Linux x86_64 constants (O_*, AT_*, SIG*, MAP_*, ...), or-ed together.
//! - `(errno ENOENT)` → `(i64.const -2)`, what a failing syscall returns.
//! - `0o644` → the decimal value of the octal number.
//!
//! Helpers (all checks exit the guest with status 99 and a message naming
//! the line on mismatch):
//!
//! - `$eq (line i32) (got i64) (want i64)`
//! - `$ok (line i32) (got i64)`: got must be >= 0.
//! - `$okv (line i32) (got i64) -> i64`: same, and returns it;
//!   `$okfd (line i32) (got i64) -> i32`: same, wrapped to i32.
//! - `$true (line i32) (cond i32)`: cond must be non-zero.
//! - `$memeq (a i32) (b i32) (len i32) -> i32`: 1 when the bytes are equal.
//! - `$strlen (p i32) -> i32`, `$print (p i32) (len i32)` (to stdout),
//!   `$puts (p i32)` (a C string to stdout), `$print_i64 (v i64)` (decimal).
//!
//! Memory map: 0..0x400 harness scratch, 0x400..0x4000 `(str ...)` literals,
//! 0x4000..0x40000 free for the test (BUF = 0x8000 by convention).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Status a guest exits with when one of its checks fails.
pub const CHECK_FAILED: i32 = 99;

/// Initial memory of a harness module, in 64 KiB pages.
pub const PAGES: u32 = 4;

const STR_BASE: usize = 0x400;
const STR_END: usize = 0x4000;

const PRELUDE: &str = r#"
  (memory (export "memory") 4)
  (data (i32.const 0x200) "wali-test: check at line ")
  (data (i32.const 0x240) " failed: got ")
  (data (i32.const 0x260) ", want ")
  (data (i32.const 0x270) ", want >= 0")
  (data (i32.const 0x280) "\n")
  (func (export "_start") (call $main))
  (func $write_err (param $p i32) (param $n i32)
    (drop (call $SYS_write (i32.const 2) (local.get $p) (local.get $n))))
  (func $print (param $p i32) (param $n i32)
    (drop (call $SYS_write (i32.const 1) (local.get $p) (local.get $n))))
  ;; The decimal form of $v at 0x100; returns its length.
  (func $fmt (param $v i64) (result i32)
    (local $neg i32) (local $p i32) (local $u i64) (local $len i32)
    (local.set $p (i32.const 0x180))
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (local.set $u (if (result i64) (local.get $neg)
      (then (i64.sub (i64.const 0) (local.get $v))) (else (local.get $v))))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $u) (i64.const 0))))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (local.set $len (i32.sub (i32.const 0x180) (local.get $p)))
    (memory.copy (i32.const 0x100) (local.get $p) (local.get $len))
    (local.get $len))
  (func $print_i64 (param $v i64)
    (call $print (i32.const 0x100) (call $fmt (local.get $v))))
  (func $fail (param $line i32) (param $got i64) (param $want i64) (param $nonneg i32)
    (call $write_err (i32.const 0x200) (i32.const 25))
    (call $write_err (i32.const 0x100) (call $fmt (i64.extend_i32_u (local.get $line))))
    (call $write_err (i32.const 0x240) (i32.const 13))
    (call $write_err (i32.const 0x100) (call $fmt (local.get $got)))
    (if (local.get $nonneg)
      (then (call $write_err (i32.const 0x270) (i32.const 11)))
      (else
        (call $write_err (i32.const 0x260) (i32.const 7))
        (call $write_err (i32.const 0x100) (call $fmt (local.get $want)))))
    (call $write_err (i32.const 0x280) (i32.const 1))
    (drop (call $SYS_exit_group (i32.const 99)))
    unreachable)
  (func $eq (param $line i32) (param $got i64) (param $want i64)
    (if (i64.ne (local.get $got) (local.get $want))
      (then (call $fail (local.get $line) (local.get $got) (local.get $want) (i32.const 0)))))
  (func $okv (param $line i32) (param $got i64) (result i64)
    (if (i64.lt_s (local.get $got) (i64.const 0))
      (then (call $fail (local.get $line) (local.get $got) (i64.const 0) (i32.const 1))))
    (local.get $got))
  (func $ok (param $line i32) (param $got i64)
    (drop (call $okv (local.get $line) (local.get $got))))
  (func $okfd (param $line i32) (param $got i64) (result i32)
    (i32.wrap_i64 (call $okv (local.get $line) (local.get $got))))
  (func $true (param $line i32) (param $cond i32)
    (if (i32.eqz (local.get $cond))
      (then (call $fail (local.get $line) (i64.const 0) (i64.const 1) (i32.const 0)))))
  (func $memeq (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $differ
      (loop $next
        (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
        (br_if $differ (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 0))
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $end
      (loop $next
        (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))
  (func $puts (param $p i32)
    (call $print (local.get $p) (call $strlen (local.get $p))))
"#;

/// Linux x86_64 values of the constants `(k ...)` knows.
fn constant(name: &str) -> Option<i64> {
    use libc::*;
    let v: i64 = match name {
        "O_RDONLY" => O_RDONLY as i64,
        "O_WRONLY" => O_WRONLY as i64,
        "O_RDWR" => O_RDWR as i64,
        "O_CREAT" => O_CREAT as i64,
        "O_EXCL" => O_EXCL as i64,
        "O_TRUNC" => O_TRUNC as i64,
        "O_APPEND" => O_APPEND as i64,
        "O_NONBLOCK" => O_NONBLOCK as i64,
        "O_DIRECTORY" => O_DIRECTORY as i64,
        "O_NOFOLLOW" => O_NOFOLLOW as i64,
        "O_CLOEXEC" => O_CLOEXEC as i64,
        "O_PATH" => O_PATH as i64,
        "O_LARGEFILE" => 0o100000,
        "O_ACCMODE" => O_ACCMODE as i64,
        "AT_FDCWD" => AT_FDCWD as i64,
        "AT_SYMLINK_NOFOLLOW" => AT_SYMLINK_NOFOLLOW as i64,
        "AT_REMOVEDIR" => AT_REMOVEDIR as i64,
        "AT_SYMLINK_FOLLOW" => AT_SYMLINK_FOLLOW as i64,
        "AT_EMPTY_PATH" => AT_EMPTY_PATH as i64,
        "AT_EACCESS" => AT_EACCESS as i64,
        "F_DUPFD" => F_DUPFD as i64,
        "F_GETFD" => F_GETFD as i64,
        "F_SETFD" => F_SETFD as i64,
        "F_GETFL" => F_GETFL as i64,
        "F_SETFL" => F_SETFL as i64,
        "F_GETLK" => F_GETLK as i64,
        "F_SETLK" => F_SETLK as i64,
        "F_DUPFD_CLOEXEC" => F_DUPFD_CLOEXEC as i64,
        "FD_CLOEXEC" => FD_CLOEXEC as i64,
        "F_RDLCK" => F_RDLCK as i64,
        "F_WRLCK" => F_WRLCK as i64,
        "F_UNLCK" => F_UNLCK as i64,
        "SEEK_SET" => SEEK_SET as i64,
        "SEEK_CUR" => SEEK_CUR as i64,
        "SEEK_END" => SEEK_END as i64,
        "S_IFMT" => S_IFMT as i64,
        "S_IFREG" => S_IFREG as i64,
        "S_IFDIR" => S_IFDIR as i64,
        "S_IFLNK" => S_IFLNK as i64,
        "S_IFIFO" => S_IFIFO as i64,
        "F_OK" => F_OK as i64,
        "R_OK" => R_OK as i64,
        "W_OK" => W_OK as i64,
        "X_OK" => X_OK as i64,
        "PROT_NONE" => PROT_NONE as i64,
        "PROT_READ" => PROT_READ as i64,
        "PROT_WRITE" => PROT_WRITE as i64,
        "PROT_EXEC" => PROT_EXEC as i64,
        "MAP_SHARED" => MAP_SHARED as i64,
        "MAP_PRIVATE" => MAP_PRIVATE as i64,
        "MAP_FIXED" => MAP_FIXED as i64,
        "MAP_ANONYMOUS" => MAP_ANONYMOUS as i64,
        "MAP_FIXED_NOREPLACE" => MAP_FIXED_NOREPLACE as i64,
        "MREMAP_MAYMOVE" => MREMAP_MAYMOVE as i64,
        "MREMAP_FIXED" => MREMAP_FIXED as i64,
        "MADV_NORMAL" => MADV_NORMAL as i64,
        "MADV_DONTNEED" => MADV_DONTNEED as i64,
        "MADV_WILLNEED" => MADV_WILLNEED as i64,
        "MS_ASYNC" => MS_ASYNC as i64,
        "MS_SYNC" => MS_SYNC as i64,
        "MS_INVALIDATE" => MS_INVALIDATE as i64,
        "CLOCK_REALTIME" => CLOCK_REALTIME as i64,
        "CLOCK_MONOTONIC" => CLOCK_MONOTONIC as i64,
        "CLOCK_PROCESS_CPUTIME_ID" => CLOCK_PROCESS_CPUTIME_ID as i64,
        "CLOCK_THREAD_CPUTIME_ID" => CLOCK_THREAD_CPUTIME_ID as i64,
        "CLOCK_BOOTTIME" => CLOCK_BOOTTIME as i64,
        "TIMER_ABSTIME" => TIMER_ABSTIME as i64,
        "SIGHUP" => SIGHUP as i64,
        "SIGINT" => SIGINT as i64,
        "SIGKILL" => SIGKILL as i64,
        "SIGUSR1" => SIGUSR1 as i64,
        "SIGUSR2" => SIGUSR2 as i64,
        "SIGPIPE" => SIGPIPE as i64,
        "SIGALRM" => SIGALRM as i64,
        "SIGTERM" => SIGTERM as i64,
        "SIGCHLD" => SIGCHLD as i64,
        "SIGSTOP" => SIGSTOP as i64,
        "SIGWINCH" => SIGWINCH as i64,
        "SIG_DFL" => 0,
        "SIG_IGN" => -2,
        "SIG_BLOCK" => SIG_BLOCK as i64,
        "SIG_UNBLOCK" => SIG_UNBLOCK as i64,
        "SIG_SETMASK" => SIG_SETMASK as i64,
        "SA_SIGINFO" => SA_SIGINFO as i64,
        "SA_RESETHAND" => SA_RESETHAND as u32 as i64,
        "SA_NODEFER" => SA_NODEFER as i64,
        "RLIMIT_STACK" => RLIMIT_STACK as i64,
        "RLIMIT_CORE" => RLIMIT_CORE as i64,
        "RLIMIT_NOFILE" => RLIMIT_NOFILE as i64,
        "RLIMIT_AS" => RLIMIT_AS as i64,
        "RLIMIT_DATA" => RLIMIT_DATA as i64,
        "RLIMIT_CPU" => RLIMIT_CPU as i64,
        "RLIMIT_FSIZE" => RLIMIT_FSIZE as i64,
        "RLIM_INFINITY" => -1,
        "RUSAGE_SELF" => RUSAGE_SELF as i64,
        "RUSAGE_CHILDREN" => RUSAGE_CHILDREN as i64,
        "PR_SET_NAME" => PR_SET_NAME as i64,
        "PR_GET_NAME" => PR_GET_NAME as i64,
        "LOCK_SH" => LOCK_SH as i64,
        "LOCK_EX" => LOCK_EX as i64,
        "LOCK_NB" => LOCK_NB as i64,
        "LOCK_UN" => LOCK_UN as i64,
        "FIONREAD" => FIONREAD as i64,
        "FIOCLEX" => FIOCLEX as i64,
        "TCGETS" => TCGETS as i64,
        "RENAME_NOREPLACE" => RENAME_NOREPLACE as i64,
        "RENAME_EXCHANGE" => RENAME_EXCHANGE as i64,
        "MFD_CLOEXEC" => MFD_CLOEXEC as i64,
        "CLOSE_RANGE_CLOEXEC" => 4,
        "GRND_NONBLOCK" => GRND_NONBLOCK as i64,
        "STATX_BASIC_STATS" => STATX_BASIC_STATS as i64,
        "UTIME_NOW" => UTIME_NOW,
        "UTIME_OMIT" => UTIME_OMIT,
        "DT_DIR" => DT_DIR as i64,
        "DT_REG" => DT_REG as i64,
        "DT_LNK" => DT_LNK as i64,
        _ => return None,
    };
    Some(v)
}

fn errno(name: &str) -> Option<i32> {
    use libc::*;
    Some(match name {
        "EPERM" => EPERM,
        "ENOENT" => ENOENT,
        "ESRCH" => ESRCH,
        "EINTR" => EINTR,
        "EBADF" => EBADF,
        "EAGAIN" => EAGAIN,
        "ENOMEM" => ENOMEM,
        "EACCES" => EACCES,
        "EFAULT" => EFAULT,
        "EBUSY" => EBUSY,
        "EEXIST" => EEXIST,
        "EXDEV" => EXDEV,
        "ENODEV" => ENODEV,
        "ENOTDIR" => ENOTDIR,
        "EISDIR" => EISDIR,
        "EINVAL" => EINVAL,
        "EMFILE" => EMFILE,
        "ENOTTY" => ENOTTY,
        "ESPIPE" => ESPIPE,
        "EROFS" => EROFS,
        "EMLINK" => EMLINK,
        "EPIPE" => EPIPE,
        "ERANGE" => ERANGE,
        "ENAMETOOLONG" => ENAMETOOLONG,
        "ENOSYS" => ENOSYS,
        "ENOTEMPTY" => ENOTEMPTY,
        "ELOOP" => ELOOP,
        "EOPNOTSUPP" => EOPNOTSUPP,
        "ETIMEDOUT" => ETIMEDOUT,
        "EOVERFLOW" => EOVERFLOW,
        "EWOULDBLOCK" => EWOULDBLOCK,
        _ => return None,
    })
}

/// Expands the shorthands described in the module docs. Returns the body
/// and the data segments of its string literals.
fn expand(body: &str) -> (String, String) {
    let mut out = String::with_capacity(body.len());
    let mut data = String::new();
    let mut next_str = STR_BASE;
    for (i, line) in body.lines().enumerate() {
        let lineno = i + 1;
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("(str \"") {
                let end = literal_end(r).unwrap_or_else(|| panic!("line {lineno}: bad (str ...)"));
                let lit = &r[..end];
                assert!(
                    r[end + 1..].starts_with(')'),
                    "line {lineno}: (str \"...\") takes one string"
                );
                write!(data, "\n  (data (i32.const {next_str}) \"{lit}\\00\")").unwrap();
                write!(out, "(i32.const {next_str})").unwrap();
                next_str += lit.len() + 1;
                assert!(next_str <= STR_END, "too many string literals");
                rest = &r[end + 2..];
            } else if let Some((r, wide)) = rest
                .strip_prefix("(k64 ")
                .map(|r| (r, true))
                .or_else(|| rest.strip_prefix("(k ").map(|r| (r, false)))
            {
                let end = r.find(')').unwrap();
                let mut v: i64 = 0;
                for part in r[..end].split('|').map(str::trim) {
                    v |= constant(part)
                        .or_else(|| parse_int(part))
                        .unwrap_or_else(|| panic!("line {lineno}: unknown constant {part}"));
                }
                if wide {
                    write!(out, "(i64.const {v})").unwrap();
                } else {
                    // A 32-bit operand: its low 32 bits, as wat would wrap it.
                    let low = i32::from_le_bytes(v.to_le_bytes()[..4].try_into().unwrap());
                    write!(out, "(i32.const {low})").unwrap();
                }
                rest = &r[end + 1..];
            } else if let Some(r) = rest.strip_prefix("(errno ") {
                let end = r.find(')').unwrap();
                let name = r[..end].trim();
                let e =
                    errno(name).unwrap_or_else(|| panic!("line {lineno}: unknown errno {name}"));
                write!(out, "(i64.const -{e})").unwrap();
                rest = &r[end + 1..];
            } else if let Some(r) = rest.strip_prefix('@') {
                write!(out, "(i32.const {lineno})").unwrap();
                rest = r;
            } else if rest.starts_with(";;") {
                out.push_str(rest);
                rest = "";
            } else if rest.starts_with('"') {
                let end = literal_end(&rest[1..]).expect("unterminated string") + 2;
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            } else if rest.starts_with("0o")
                && !out.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            {
                let digits: String = rest[2..].chars().take_while(|c| c.is_digit(8)).collect();
                let v = i64::from_str_radix(&digits, 8).expect("octal number");
                write!(out, "{v}").unwrap();
                rest = &rest[2 + digits.len()..];
            } else {
                let c = rest.chars().next().unwrap();
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out.push('\n');
    }
    (out, data)
}

fn parse_int(s: &str) -> Option<i64> {
    if let Some(h) = s.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = s.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else {
        s.parse().ok()
    }
}

/// Index of the closing quote of a WAT string literal whose opening quote
/// was just before `s`.
fn literal_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Every `$<prefix>name` identifier in `text`.
fn idents(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let tail = &rest[i + 1..];
        let n = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        found.insert(tail[..n].to_string());
        rest = &tail[n..];
    }
    found
}

fn wasm_type(t: syscall_table::WasmType) -> &'static str {
    match t {
        syscall_table::WasmType::I32 => "i32",
        syscall_table::WasmType::I64 => "i64",
    }
}

fn types(ts: &[syscall_table::WasmType]) -> String {
    ts.iter()
        .map(|t| wasm_type(*t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The complete WAT text of a harness module with `body`.
pub fn module_text(body: &str) -> String {
    let (body, data) = expand(body);
    let all = format!("{PRELUDE}\n{body}");
    let mut imports = String::new();
    for name in idents(&all, "$SYS_") {
        let sc = syscall_table::by_import_name(&name)
            .unwrap_or_else(|| panic!("{name} is not in the syscall table"));
        let params: Vec<_> = sc.params.iter().map(|(_, t)| *t).collect();
        writeln!(
            imports,
            "  (import \"wali\" \"{name}\" (func ${name} (param {}) (result i64)))",
            types(&params)
        )
        .unwrap();
    }
    for name in idents(&all, "$__") {
        let Some((_, params, results)) = syscall_table::AUX_IMPORTS
            .iter()
            .find(|(n, _, _)| *n == name)
        else {
            continue;
        };
        let result = if results.is_empty() {
            String::new()
        } else {
            format!(" (result {})", types(results))
        };
        writeln!(
            imports,
            "  (import \"wali\" \"{name}\" (func ${name} (param {}){result}))",
            types(params)
        )
        .unwrap();
    }
    format!("(module\n{imports}{all}{data}\n)\n")
}

/// A per-test directory: `mnt/` to mount into the guest, `cache/` for the
/// compiled-module cache, and the modules the test builds.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

/// A compiled harness module and the body it came from (for messages).
pub struct Guest {
    pub path: PathBuf,
    body: String,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("wali-test-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(dir.path().join("mnt")).unwrap();
        std::fs::create_dir(dir.path().join("cache")).unwrap();
        Sandbox { dir }
    }

    /// The host directory the tests mount (at `/m` with [`run`](Self::run)).
    pub fn mnt(&self) -> PathBuf {
        self.dir.path().join("mnt")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// Compiles a harness module from `body` (see the module docs).
    pub fn guest(&self, body: &str) -> Guest {
        let text = module_text(body);
        let wasm = wat::parse_str(&text).unwrap_or_else(|e| {
            let numbered: String = text
                .lines()
                .enumerate()
                .map(|(i, l)| format!("{:4} {l}\n", i + 1))
                .collect();
            panic!("WAT does not parse: {e}\n{numbered}")
        });
        self.write_module(&wasm, body)
    }

    /// Writes raw module bytes (a hand-written WAT module, or not Wasm at all).
    pub fn write_module(&self, bytes: &[u8], body: &str) -> Guest {
        let n = std::fs::read_dir(self.dir.path()).unwrap().count();
        let path = self.dir.path().join(format!("guest{n}.wasm"));
        std::fs::write(&path, bytes).unwrap();
        Guest {
            path,
            body: body.to_string(),
        }
    }

    /// `wali run` with this sandbox's cache and nothing else set.
    pub fn wali(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wali"));
        cmd.arg("run")
            .env("WALI_CACHE_DIR", self.cache())
            .env_remove("WALI_LOG")
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// Runs `guest` with `mnt/` mounted read-write at `/m`, then `extra`
    /// options, then the guest's `args`.
    pub fn run_with(&self, guest: &Guest, extra: &[&str], args: &[&str]) -> Output {
        let mut cmd = self.wali();
        cmd.arg("--dir")
            .arg(format!("{}::/m", self.mnt().display()))
            .args(extra)
            .arg(&guest.path)
            .args(args);
        cmd.output().expect("spawn wali")
    }

    pub fn run(&self, guest: &Guest) -> Output {
        self.run_with(guest, &[], &[])
    }

    /// Builds and runs `body`, and asserts that it exits 0.
    pub fn check(&self, body: &str) -> Output {
        let g = self.guest(body);
        let out = self.run(&g);
        expect_exit(&g, &out, 0);
        out
    }

    /// Like [`check`](Self::check) with extra `wali run` options.
    pub fn check_with(&self, body: &str, extra: &[&str]) -> Output {
        let g = self.guest(body);
        let out = self.run_with(&g, extra, &[]);
        expect_exit(&g, &out, 0);
        out
    }
}

/// Asserts the guest exited with `code`; on a failed check, shows the line.
pub fn expect_exit(guest: &Guest, out: &Output, code: i32) {
    use std::os::unix::process::ExitStatusExt;
    if out.status.code() == Some(code) {
        return;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut msg = format!(
        "guest {} ended with {:?} (signal {:?}), expected exit {code}\nstderr:\n{stderr}",
        guest.path.display(),
        out.status.code(),
        out.status.signal()
    );
    if let Some(rest) = stderr.split("check at line ").nth(1) {
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = n.parse::<usize>() {
            if let Some(line) = guest.body.lines().nth(n - 1) {
                write!(msg, "\nline {n}: {}", line.trim()).unwrap();
            }
        }
    }
    panic!("{msg}");
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Reads a host file of the sandbox's mount.
pub fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
