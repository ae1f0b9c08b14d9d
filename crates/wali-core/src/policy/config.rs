//! Policy files: the capability model of a sandbox as TOML (see
//! `docs/policy.md`). Files given with `--policy` merge in order on top of
//! the built-in default (`policies/default.toml`), then the command-line
//! shorthands (`--dir`, `--ro-dir`, `--env`, `--allow-net`) merge last.
//!
//! Merging: lists append (`deny`, `mount`, `net.allow`, `env.pass`), tables
//! merge by key (`env.set`), every other key set by a later source replaces
//! the earlier value.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use syscall_table::Class;

/// The effective (or a partial, as read from one file) policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Capability classes denied outright (`"net"`, `"proc"`, ...): every
    /// syscall of the class answers EACCES.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
    /// Restrict the host process itself with Landlock (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landlock: Option<bool>,
    /// Refuse a module that imports a function wali lacks or declares with
    /// another type (default false: it loads, and such a call answers
    /// -ENOSYS, as in WALI's reference engine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict_imports: Option<bool>,
    pub dev: Dev,
    pub net: Net,
    pub process: ProcessCaps,
    pub env: Env,
    pub identity: Identity,
    pub limits: Limits,
    pub tls: Tls,
    pub userland: Userland,
    /// Host directories or files visible to the guest.
    #[serde(rename = "mount", skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Mount>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    #[default]
    Ro,
    Rw,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mount {
    /// Host path (a relative path in a file is relative to the file's directory).
    pub host: PathBuf,
    /// Guest path (absolute); default: the host path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<PathBuf>,
    /// `"ro"` (default) or `"rw"`.
    #[serde(default)]
    pub access: Access,
    /// execve of a module from this mount answers EACCES.
    #[serde(default, skip_serializing_if = "is_false")]
    pub noexec: bool,
    /// Host device files inside the mount cannot be opened (EACCES).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nodev: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The special files of `/dev` the guest gets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dev {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urandom: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tty: Option<bool>,
    /// `/dev/shm`: `"private"` (a per-run directory), `"none"`, or a host
    /// directory shared between runs; unset: private for interpreters only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shm: Option<String>,
}

impl Dev {
    /// The host device paths granted.
    pub fn granted(&self) -> Vec<&'static str> {
        [
            (self.null, "/dev/null"),
            (self.zero, "/dev/zero"),
            (self.urandom, "/dev/urandom"),
            (self.random, "/dev/random"),
            (self.full, "/dev/full"),
            (self.tty, "/dev/tty"),
        ]
        .into_iter()
        .filter(|(on, _)| *on == Some(true))
        .map(|(_, p)| p)
        .collect()
    }
}

/// What the guest trusts for TLS (see `policy::tls`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tls {
    /// The CA bundle mounted read-only at `/etc/ssl/cert.pem` and
    /// `/etc/ssl/certs/ca-certificates.crt`: `"auto"` (unset: the host's
    /// bundle when the policy allows any network), `"host"`, `"none"`, or a
    /// PEM file (a relative path in a file is relative to the file's directory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
}

/// What a Linux user expects around a program (see `crate::userland`):
/// each key unset means on for interpreter modules (those with a
/// `wali.interp` manifest) and off for other modules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Userland {
    /// `/bin` and `/usr/bin`: `"builtin"` (the busybox tools built with
    /// wali), `"none"`, or a host directory of Wasm modules, read-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<String>,
    /// `/tmp`: `"private"` (a per-run directory removed at exit),
    /// `"none"`, or a host directory (kept, and shared by runs given it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmp: Option<String>,
    /// `HOME`: `"private"` (a per-run directory at /home/user, removed at
    /// exit), `"none"`, or a host directory mounted read-write there (kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    /// `PATH` when the guest's environment sets none (`""`: leave it unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The current directory, read-only at its own path, when an
    /// interpreter runs no script file (`-c`, `-m`, a prompt).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Net {
    /// `--allow-net` rules: `HOST[:PORTS]`, `@NAME`, `@*`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProcessCaps {
    /// fork/vfork/clone allowed (else EAGAIN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fork: Option<bool>,
    /// execve of Wasm modules allowed (else EACCES); native programs never run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<bool>,
    /// Most live processes of the sandbox at once, the first included
    /// (fork answers EAGAIN beyond).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_processes: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Env {
    /// Host variables passed through (when the host has them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pass: Vec<String>,
    /// Fixed variables.
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    pub set: toml::Table,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Identity {
    /// getuid/geteuid/getresuid answer this (absent: the host's real ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// uname's nodename (absent: the host's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Most bytes of linear memory (integer, or a string with K/M/G suffix).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "size::deserialize"
    )]
    pub memory: Option<u64>,
    /// Most live threads of a process, the main thread included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// Most open descriptors (RLIMIT_NOFILE; EMFILE beyond).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_files: Option<u32>,
    /// CPU seconds per process (RLIMIT_CPU: SIGXCPU).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<u64>,
    /// Wall-clock seconds for the whole sandbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wall_seconds: Option<u64>,
}

mod size {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bytes(u64),
        Text(String),
    }

    pub fn parse(s: &str) -> Result<u64, String> {
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: u64 = num.parse().map_err(|_| format!("bad size '{s}'"))?;
        let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kb" | "kib" => 1 << 10,
            "m" | "mb" | "mib" => 1 << 20,
            "g" | "gb" | "gib" => 1 << 30,
            _ => return Err(format!("bad size unit in '{s}' (K, M or G)")),
        };
        n.checked_mul(mult)
            .ok_or_else(|| format!("size '{s}' too large"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match Raw::deserialize(d)? {
            Raw::Bytes(b) => Ok(Some(b)),
            Raw::Text(s) => parse(&s).map(Some).map_err(serde::de::Error::custom),
        }
    }
}

pub use size::parse as parse_size;

/// A TOML error as `LINE:COL: message` on one line (the toml crate's own
/// rendering is a five-line snippet).
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = before[line_start..].chars().count() + 1;
            format!("{line}:{col}: {message}")
        }
        None => message.to_string(),
    }
}

fn take<T: Clone>(into: &mut Option<T>, from: &Option<T>) {
    if from.is_some() {
        *into = from.clone();
    }
}

/// The default bounds (see docs/policy.md, "Default bounds"): far above
/// what interpreters and build tools use, low enough that a fork or thread
/// bomb ends long before the host suffers.
pub(crate) const DEFAULT_MAX_PROCESSES: u32 = 1024;
pub(crate) const DEFAULT_THREADS: u32 = 1024;
/// All a wasm32 memory can address; it bounds every table and memory64 too.
pub(crate) const DEFAULT_MEMORY: u64 = 4 << 30;

impl Policy {
    /// What wali does with no policy and no flags (`policies/default.toml`).
    pub fn builtin() -> Policy {
        Policy {
            landlock: Some(true),
            strict_imports: Some(false),
            dev: Dev {
                null: Some(true),
                zero: Some(true),
                urandom: Some(true),
                random: Some(true),
                full: Some(true),
                tty: Some(false),
                shm: None,
            },
            process: ProcessCaps {
                fork: Some(true),
                exec: Some(true),
                max_processes: Some(DEFAULT_MAX_PROCESSES),
            },
            limits: Limits {
                memory: Some(DEFAULT_MEMORY),
                threads: Some(DEFAULT_THREADS),
                ..Default::default()
            },
            tls: Tls {
                ca_bundle: Some(crate::policy::tls::AUTO.into()),
            },
            ..Default::default()
        }
    }

    /// Parses one policy file's text; relative host paths are taken
    /// relative to `base`.
    /// A syntax or type error is `LINE:COL: message` (one line).
    pub fn parse(text: &str, base: &Path) -> Result<Policy, String> {
        let mut p: Policy = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        for m in &mut p.mounts {
            if m.host.is_relative() {
                m.host = base.join(&m.host);
            }
        }
        if let Some(b) = &mut p.tls.ca_bundle {
            use crate::policy::tls::{AUTO, HOST, NONE};
            if ![AUTO, HOST, NONE].contains(&b.as_str()) && Path::new(b).is_relative() {
                *b = base.join(&*b).to_string_lossy().into_owned();
            }
        }
        p.check()?;
        Ok(p)
    }

    /// Reads a policy file. Errors are one line, `FILE:LINE:COL: message`
    /// for a syntax error (as compilers write them), `FILE: message` else.
    pub fn load(path: &Path) -> Result<Policy, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read policy '{}': {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Policy::parse(&text, base).map_err(|e| {
            let sep = if e.starts_with(|c: char| c.is_ascii_digit()) {
                ":"
            } else {
                ": "
            };
            format!("policy {}{sep}{e}", path.display())
        })
    }

    /// Values a file may hold but the sandbox cannot honour.
    pub fn check(&self) -> Result<(), String> {
        for d in &self.deny {
            class_by_name(d)?;
        }
        if let Some(shm) = &self.dev.shm {
            shm_setting(Some(shm), false)?;
        }
        crate::userland::check(&self.userland)?;
        for m in &self.mounts {
            if let Some(g) = &m.guest {
                if !g.is_absolute() {
                    return Err(format!(
                        "mount guest path '{}' must be absolute",
                        g.display()
                    ));
                }
            }
        }
        for (k, v) in &self.env.set {
            if !v.is_str() {
                return Err(format!("env.set.{k} must be a string"));
            }
            if k.is_empty() || k.contains('=') {
                return Err(format!("bad variable name '{k}' in env.set"));
            }
        }
        for k in &self.env.pass {
            if k.is_empty() || k.contains('=') {
                return Err(format!("bad variable name '{k}' in env.pass"));
            }
        }
        crate::policy::net::NetPolicy::from_specs(&self.net.allow)
            .map(|_| ())
            .map_err(|e| format!("net.allow: {e}"))
    }

    /// Merges `other` (a later file, or the flags) into `self`.
    pub fn merge(&mut self, other: &Policy) {
        for d in &other.deny {
            if !self.deny.contains(d) {
                self.deny.push(d.clone());
            }
        }
        take(&mut self.landlock, &other.landlock);
        take(&mut self.strict_imports, &other.strict_imports);
        let (d, o) = (&mut self.dev, &other.dev);
        take(&mut d.null, &o.null);
        take(&mut d.zero, &o.zero);
        take(&mut d.urandom, &o.urandom);
        take(&mut d.random, &o.random);
        take(&mut d.full, &o.full);
        take(&mut d.tty, &o.tty);
        take(&mut d.shm, &o.shm);
        self.net.allow.extend(other.net.allow.iter().cloned());
        let (p, o) = (&mut self.process, &other.process);
        take(&mut p.fork, &o.fork);
        take(&mut p.exec, &o.exec);
        take(&mut p.max_processes, &o.max_processes);
        for k in &other.env.pass {
            if !self.env.pass.contains(k) {
                self.env.pass.push(k.clone());
            }
        }
        for (k, v) in &other.env.set {
            self.env.set.insert(k.clone(), v.clone());
        }
        let (i, o) = (&mut self.identity, &other.identity);
        take(&mut i.uid, &o.uid);
        take(&mut i.gid, &o.gid);
        take(&mut i.hostname, &o.hostname);
        let (l, o) = (&mut self.limits, &other.limits);
        take(&mut l.memory, &o.memory);
        take(&mut l.threads, &o.threads);
        take(&mut l.open_files, &o.open_files);
        take(&mut l.cpu_seconds, &o.cpu_seconds);
        take(&mut l.wall_seconds, &o.wall_seconds);
        take(&mut self.tls.ca_bundle, &other.tls.ca_bundle);
        let (u, o) = (&mut self.userland, &other.userland);
        take(&mut u.tools, &o.tools);
        take(&mut u.tmp, &o.tmp);
        take(&mut u.home, &o.home);
        take(&mut u.path, &o.path);
        take(&mut u.cwd, &o.cwd);
        for m in &other.mounts {
            // A later mount of the same guest path replaces an earlier one.
            let guest = m.guest_path();
            self.mounts.retain(|x| x.guest_path() != guest);
            self.mounts.push(m.clone());
        }
    }

    /// The capability classes denied outright.
    pub fn class_mask(&self) -> crate::policy::ClassMask {
        let mut mask = crate::policy::ClassMask::default();
        for d in &self.deny {
            if let Ok(c) = class_by_name(d) {
                mask.deny(c);
            }
        }
        mask
    }

    /// The effective policy as TOML (`wali policy show`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }

    /// The guest's initial environment: passed host variables (those the
    /// host has), then the fixed ones (a fixed one replaces a passed one).
    pub fn environment(&self) -> Vec<std::ffi::OsString> {
        use std::os::unix::ffi::OsStringExt;
        let mut out: Vec<(String, std::ffi::OsString)> = Vec::new();
        for k in &self.env.pass {
            if let Some(v) = std::env::var_os(k) {
                let mut kv = format!("{k}=").into_bytes();
                kv.extend(v.into_vec());
                out.push((k.clone(), std::ffi::OsString::from_vec(kv)));
            }
        }
        for (k, v) in &self.env.set {
            out.retain(|(key, _)| key != k);
            let v = v.as_str().unwrap_or_default();
            out.push((k.clone(), format!("{k}={v}").into()));
        }
        out.into_iter().map(|(_, kv)| kv).collect()
    }
}

impl Mount {
    /// The guest path (the host path when none is given).
    pub fn guest_path(&self) -> PathBuf {
        self.guest.clone().unwrap_or_else(|| self.host.clone())
    }
}

/// A capability class by its policy name (`fs-read`, `net`, ...).
pub(crate) fn class_by_name(name: &str) -> Result<Class, String> {
    Class::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Class::ALL.iter().map(|c| c.name()).collect();
            format!(
                "unknown capability class '{name}' (one of: {})",
                names.join(", ")
            )
        })
}

/// What `dev.shm` asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum ShmSetting {
    None,
    Private,
    Dir(PathBuf),
}

/// Reads `dev.shm`: unset means private for an interpreter, none otherwise.
pub fn shm_setting(value: Option<&str>, interpreter: bool) -> Result<ShmSetting, String> {
    match value {
        None if interpreter => Ok(ShmSetting::Private),
        None | Some("none") => Ok(ShmSetting::None),
        Some("private") => Ok(ShmSetting::Private),
        Some(p) if p.starts_with('/') => Ok(ShmSetting::Dir(PathBuf::from(p))),
        Some(p) => Err(format!(
            "dev.shm = \"{p}\": expected \"private\", \"none\" or an absolute host directory"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Policy {
        Policy::parse(s, Path::new("/base")).unwrap()
    }

    #[test]
    fn builtin_matches_policies_default_toml() {
        let text = include_str!("../../../../policies/default.toml");
        let mut p = Policy::default();
        p.merge(&parse(text));
        assert_eq!(p, Policy::builtin());
    }

    #[test]
    fn every_key_parses() {
        let p = parse(
            r#"
            deny = ["net", "proc"]
            landlock = false
            [dev]
            tty = true
            full = false
            [net]
            allow = ["127.0.0.1:8080", "@svc"]
            [process]
            fork = false
            exec = false
            max_processes = 4
            [env]
            pass = ["TERM"]
            set = { LANG = "C.UTF-8" }
            [identity]
            uid = 1000
            gid = 100
            hostname = "box"
            [limits]
            memory = "64M"
            threads = 8
            open_files = 32
            cpu_seconds = 5
            wall_seconds = 10
            [tls]
            ca_bundle = "certs/ca.pem"
            [[mount]]
            host = "data"
            guest = "/data"
            access = "rw"
            noexec = true
            nodev = true
            "#,
        );
        assert_eq!(p.deny, ["net", "proc"]);
        assert_eq!(p.landlock, Some(false));
        assert_eq!(p.dev.tty, Some(true));
        assert_eq!(p.dev.full, Some(false));
        assert_eq!(p.net.allow.len(), 2);
        assert_eq!(p.process.max_processes, Some(4));
        assert_eq!(p.limits.memory, Some(64 << 20));
        assert_eq!(p.identity.hostname.as_deref(), Some("box"));
        assert_eq!(p.mounts[0].host, Path::new("/base/data"));
        assert_eq!(p.tls.ca_bundle.as_deref(), Some("/base/certs/ca.pem"));
        assert_eq!(p.mounts[0].access, Access::Rw);
        assert!(p.mounts[0].noexec && p.mounts[0].nodev);
        let mask = p.class_mask();
        assert!(mask.contains(Class::Net) && mask.contains(Class::Proc));
        assert!(!mask.contains(Class::Fd));
    }

    #[test]
    fn mount_defaults_to_read_only() {
        let p = parse("[[mount]]\nhost = \"/x\"\n");
        assert_eq!(p.mounts[0].access, Access::Ro);
        assert_eq!(p.mounts[0].guest_path(), Path::new("/x"));
    }

    #[test]
    fn bad_files_are_refused() {
        let bad = [
            "deny = [\"nope\"]",
            "unknown = 1",
            "[limits]\nmemory = \"12Q\"",
            "[[mount]]\nhost = \"/x\"\nguest = \"rel\"",
            "[[mount]]\nhost = \"/x\"\naccess = \"rwx\"",
            "[net]\nallow = [\"1.2.3.4:99999\"]",
            "[env]\nset = { A = 1 }",
            "[env]\npass = [\"A=B\"]",
            "[process]\nfork = \"yes\"",
            "[tls]\nca_bundle = 1",
            "[tls]\nbundle = \"/x\"",
        ];
        for b in bad {
            assert!(Policy::parse(b, Path::new("/")).is_err(), "accepted: {b}");
        }
    }

    #[test]
    fn merging_appends_lists_and_replaces_values() {
        let mut p = Policy::builtin();
        p.merge(&parse(
            "deny = [\"net\"]\n[limits]\nthreads = 4\nmemory = 100\n[net]\nallow = [\"10.0.0.1:1\"]\n[env]\nset = { A = \"1\", B = \"2\" }\n[[mount]]\nhost = \"/x\"\nguest = \"/g\"\n",
        ));
        p.merge(&parse(
            "deny = [\"net\", \"proc\"]\n[limits]\nthreads = 8\n[net]\nallow = [\"10.0.0.2:2\"]\n[env]\nset = { A = \"3\" }\n[dev]\nnull = false\n[[mount]]\nhost = \"/y\"\nguest = \"/g\"\naccess = \"rw\"\n",
        ));
        assert_eq!(p.deny, ["net", "proc"]);
        assert_eq!(p.limits.threads, Some(8));
        assert_eq!(p.limits.memory, Some(100));
        assert_eq!(p.net.allow, ["10.0.0.1:1", "10.0.0.2:2"]);
        assert_eq!(p.env.set["A"].as_str(), Some("3"));
        assert_eq!(p.env.set["B"].as_str(), Some("2"));
        assert_eq!(p.dev.null, Some(false));
        assert_eq!(p.dev.zero, Some(true));
        assert_eq!(p.mounts.len(), 1);
        assert_eq!(p.mounts[0].host, Path::new("/y"));
        assert!(!p.dev.granted().contains(&"/dev/null"));
    }

    #[test]
    fn show_round_trips() {
        let mut p = Policy::builtin();
        p.merge(&parse(
            "deny = [\"net\"]\n[limits]\nmemory = \"1G\"\n[[mount]]\nhost = \"/x\"\nnoexec = true\n[env]\npass = [\"TERM\"]\n",
        ));
        let text = p.to_toml();
        let mut back = Policy::default();
        back.merge(&parse(&text));
        assert_eq!(back, p, "{text}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("2K").unwrap(), 2048);
        assert_eq!(parse_size("3 MiB").unwrap(), 3 << 20);
        assert_eq!(parse_size("1g").unwrap(), 1 << 30);
        assert!(parse_size("x").is_err());
    }

    #[test]
    fn environment_resolves_pass_then_set() {
        std::env::set_var("WALI_POLICY_TEST_VAR", "host");
        let p = parse(
            "[env]\npass = [\"WALI_POLICY_TEST_VAR\", \"WALI_POLICY_UNSET_VAR\"]\nset = { Z = \"1\", A = \"2\" }\n",
        );
        let env: Vec<String> = p
            .environment()
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect();
        assert_eq!(env, ["WALI_POLICY_TEST_VAR=host", "Z=1", "A=2"]);
    }
}
