//! The `wali` command line.

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use wali_core::policy::config::{Access, Mount as PolicyMount};
use wali_core::policy::Policy;
use wali_core::vfs::MountSpec;
use wali_core::{Outcome, RunOptions};
use wali_runtime::LoadError;

#[derive(Parser)]
#[command(
    name = "wali",
    version,
    about = "Run WALI (WebAssembly Linux Interface) modules in a sandbox"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a WALI module: wali run [OPTIONS] MODULE.wasm [ARGS...]
    #[command(override_usage = "wali run [OPTIONS] MODULE.wasm [ARGS]...")]
    Run(RunArgs),
    /// Inspect policies: `wali policy show [POLICY OPTIONS]` prints the
    /// effective policy (files merged in order, then the flags) as TOML.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Internal: continue a guest's execve (state in descriptor FD).
    #[command(name = "__exec", hide = true)]
    Exec { fd: i32 },
    /// Internal: remove a run's private /dev/shm directory when it ends.
    #[command(name = "__shm-reaper", hide = true)]
    ShmReaper { dir: PathBuf },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Print the effective policy as TOML (the same options as `run`; with
    /// --module, the mounts that module's wali.interp manifest adds too).
    Show(ShowArgs),
}

#[derive(clap::Args)]
struct ShowArgs {
    #[command(flatten)]
    policy: PolicyArgs,
    /// Include what this module's `wali.interp` manifest mounts (read-only).
    #[arg(long, value_name = "MODULE.wasm")]
    module: Option<PathBuf>,
}

/// The effective policy of `wali policy show`: with a module, its manifest's
/// mounts first (a flag or file mount of the same guest path replaces one).
fn shown_policy(args: &ShowArgs) -> anyhow::Result<Policy> {
    let policy = effective_policy(&args.policy)?;
    let Some(module) = &args.module else {
        return Ok(policy);
    };
    let Some(manifest) = wali_runtime::interp::read_manifest(module)? else {
        return Ok(policy);
    };
    let mut opts = RunOptions {
        module: module.clone(),
        ..Default::default()
    };
    wali_runtime::interp::apply_manifest(
        &mut opts,
        &manifest,
        wali_runtime::interp::ManifestSource::Module,
    )?;
    let mut shown = Policy {
        mounts: opts
            .mounts
            .iter()
            .map(|m| PolicyMount {
                host: m.host.clone(),
                guest: Some(m.guest.clone()),
                access: Access::Ro,
                noexec: false,
                nodev: false,
            })
            .collect(),
        ..Default::default()
    };
    shown.merge(&policy);
    Ok(shown)
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    policy: PolicyArgs,
    /// Log every syscall with its arguments and result (strace style).
    #[arg(long)]
    trace: bool,
    /// Log every policy denial with the rule that denied it.
    #[arg(long)]
    trace_denials: bool,
    /// Append per-syscall call counts to FILE when the guest ends.
    #[arg(long, value_name = "FILE")]
    syscall_stats: Option<PathBuf>,
    /// Compile the module even if a cached compilation exists.
    #[arg(long)]
    no_cache: bool,
    /// Ignore the module's `wali.interp` manifest (no automatic mounts of an
    /// interpreter's library, executable and script).
    #[arg(long)]
    no_interp: bool,
    /// The module to run, then the guest's arguments. Everything after the
    /// module belongs to the guest, options such as `-h` included.
    #[arg(
        value_name = "MODULE.wasm [ARGS]",
        required = true,
        num_args = 1..,
        trailing_var_arg = true
    )]
    command: Vec<OsString>,
}

impl RunArgs {
    /// The module's path and the guest's arguments (argv[1..]).
    fn module_and_args(&mut self) -> (PathBuf, Vec<OsString>) {
        let mut command = std::mem::take(&mut self.command).into_iter();
        let module = PathBuf::from(command.next().unwrap_or_default());
        (module, command.collect())
    }
}

/// The policy options, shared by `run` and `policy show`.
#[derive(clap::Args)]
struct PolicyArgs {
    /// Read a policy file (TOML, see docs/policy.md); repeatable, merged in
    /// order on top of the built-in default, before the flags below.
    #[arg(long = "policy", value_name = "FILE")]
    policies: Vec<PathBuf>,
    /// Mount a host directory (or file) read-write: HOST[::GUEST]; GUEST
    /// defaults to the same absolute path.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Mount a host directory (or file) read-only: HOST[::GUEST].
    #[arg(long = "ro-dir", value_name = "HOST[::GUEST]")]
    ro_dirs: Vec<String>,
    /// Set a variable of the guest's environment (KEY=VALUE), or pass the
    /// host's value of KEY. Nothing of the host's environment passes otherwise.
    #[arg(long = "env", value_name = "KEY[=VALUE]")]
    env: Vec<String>,
    /// Allow network access to HOST[:PORTS] (repeatable): HOST is an address,
    /// a CIDR, `*` or a name resolved at start; PORTS a number, a range a-b or
    /// `*` (default). `@NAME` / `@*` allow abstract AF_UNIX names.
    #[arg(long = "allow-net", value_name = "HOST[:PORTS]")]
    allow_net: Vec<String>,
    /// Do not restrict the host process with Landlock (for debugging).
    #[arg(long)]
    no_landlock: bool,
    /// Refuse a module that imports a function wali lacks or declares with
    /// another type (by default it loads with a warning per import, and such
    /// a call answers -ENOSYS).
    #[arg(long)]
    strict_imports: bool,
}

/// The effective policy: the built-in default, the files in order, then
/// the flags.
fn effective_policy(args: &PolicyArgs) -> anyhow::Result<Policy> {
    let mut policy = Policy::builtin();
    let mut denies_net: Option<&PathBuf> = None;
    for file in &args.policies {
        let p = Policy::load(file).map_err(|e| anyhow::anyhow!("{e}"))?;
        if p.deny.iter().any(|d| d == "net") {
            denies_net = Some(file);
        }
        policy.merge(&p);
    }
    // A rule the policy makes useless is a mistake worth stopping for: with
    // the `net` class denied every socket call answers EACCES, so the user
    // would get a silently network-less run.
    if let (Some(file), Some(rule)) = (denies_net, args.allow_net.first()) {
        anyhow::bail!(
            "--allow-net {rule}: policy {} denies the network (deny = [\"net\"]), so no rule can allow it; drop --allow-net or use a policy without that deny",
            file.display()
        );
    }
    let mut flags = Policy::default();
    // Two flags mounting one guest path: neither may silently win.
    let mut seen: Vec<(Vec<Vec<u8>>, String)> = Vec::new();
    for (list, access, flag) in [
        (&args.dirs, Access::Rw, "--dir"),
        (&args.ro_dirs, Access::Ro, "--ro-dir"),
    ] {
        for d in list {
            let spec = mount_spec(d, access == Access::Ro)?;
            let guest = wali_core::vfs::parse_canonical(spec.guest.as_os_str().as_encoded_bytes());
            let this = format!("{flag} {d}");
            if let Some((_, other)) = seen.iter().find(|(g, _)| *g == guest) {
                anyhow::bail!(
                    "{other} and {this} both mount guest path {}; give one mount per guest path",
                    spec.guest.display()
                );
            }
            seen.push((guest, this));
            flags.mounts.push(PolicyMount {
                host: spec.host,
                guest: Some(spec.guest),
                access,
                noexec: false,
                nodev: false,
            });
        }
    }
    for e in &args.env {
        match e.split_once('=') {
            Some((k, v)) => {
                flags.env.set.insert(k.to_owned(), v.into());
            }
            None => flags.env.pass.push(e.clone()),
        }
    }
    wali_core::policy::net::NetPolicy::from_specs(&args.allow_net)
        .map_err(|e| anyhow::anyhow!("--allow-net: {e}"))?;
    flags.net.allow = args.allow_net.clone();
    if args.no_landlock {
        flags.landlock = Some(false);
    }
    if args.strict_imports {
        flags.strict_imports = Some(true);
    }
    flags.check().map_err(|e| anyhow::anyhow!("{e}"))?;
    policy.merge(&flags);
    for m in &mut policy.mounts {
        m.host = std::fs::canonicalize(&m.host)
            .map_err(|e| anyhow::anyhow!("cannot mount '{}': {e}", m.host.display()))?;
    }
    Ok(policy)
}

fn mount_spec(arg: &str, read_only: bool) -> anyhow::Result<MountSpec> {
    let (host, guest) = match arg.split_once("::") {
        Some((h, g)) => (h, Some(g)),
        None => (arg, None),
    };
    let host_path =
        std::fs::canonicalize(host).map_err(|e| anyhow::anyhow!("cannot mount '{host}': {e}"))?;
    let guest = match guest {
        Some(g) if g.starts_with('/') => PathBuf::from(g),
        Some(g) => anyhow::bail!("mount point '{g}' in '{arg}' must be an absolute guest path"),
        None => host_path.clone(),
    };
    Ok(MountSpec {
        host: host_path,
        guest,
        read_only,
        root: None,
    })
}

fn env_entry(arg: &str) -> OsString {
    match arg.split_once('=') {
        Some(_) => arg.into(),
        None => {
            let mut kv = OsString::from(format!("{arg}="));
            kv.push(std::env::var_os(arg).unwrap_or_default());
            kv
        }
    }
}

fn run(mut args: RunArgs) -> anyhow::Result<Outcome> {
    let (module, guest_args) = args.module_and_args();
    let policy = effective_policy(&args.policy)?;
    if let Some(stats) = &args.syscall_stats {
        // Found out now, not after the guest has run.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(stats)
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot write --syscall-stats file '{}': {e}",
                    stats.display()
                )
            })?;
    }
    let mounts = policy
        .mounts
        .iter()
        .map(|m| MountSpec {
            host: m.host.clone(),
            guest: m.guest_path(),
            read_only: m.access == Access::Ro,
            root: None,
        })
        .collect();
    // The policy files' environment, then the --env flags in their order.
    let mut env = Vec::new();
    let mut files_only = Policy::builtin();
    for file in &args.policy.policies {
        files_only.merge(&Policy::load(file).map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    for kv in files_only.environment() {
        env.push(kv);
    }
    for e in &args.policy.env {
        let kv = env_entry(e);
        let key = e.split('=').next().unwrap_or_default();
        env.retain(|x: &OsString| {
            x.as_encoded_bytes().split(|&b| b == b'=').next() != Some(key.as_bytes())
        });
        env.push(kv);
    }
    let mut opts = RunOptions {
        module,
        args: guest_args,
        mounts,
        env,
        trace: args.trace,
        syscall_stats: args.syscall_stats,
        no_cache: args.no_cache,
        denied: policy.class_mask(),
        argv0: None,
        net: wali_core::policy::net::NetPolicy::from_specs(&policy.net.allow)
            .map_err(|e| anyhow::anyhow!("--allow-net: {e}"))?,
        inherit: None,
        trace_denials: args.trace_denials || args.trace,
        policy,
        runtime: Default::default(),
    };
    let interpreter = !args.no_interp && wali_runtime::interp::apply(&mut opts)?;
    wali_core::shm::setup(&mut opts, interpreter)?;
    wali_core::userland::setup(&mut opts, interpreter)?;
    let outcome = wali_runtime::run(&opts);
    wali_core::policy::limits::process_ending();
    outcome
}

/// The guest's execve: the options and state the previous image handed over.
fn run_exec(fd: i32) -> anyhow::Result<Outcome> {
    let (mut opts, inherit) = wali_core::exec::read_state(fd)?;
    opts.inherit = Some(inherit);
    let outcome = wali_runtime::run(&opts);
    wali_core::policy::limits::process_ending();
    outcome
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (trace, job): (bool, Box<dyn FnOnce() -> anyhow::Result<Outcome>>) = match cli.command {
        Command::Run(args) => (args.trace, Box::new(move || run(args))),
        Command::ShmReaper { dir } => wali_core::shm::reaper_main(&dir),
        Command::Exec { fd } => {
            let trace = wali_core::exec::peek_trace(fd);
            (trace, Box::new(move || run_exec(fd)))
        }
        Command::Policy(PolicyCommand::Show(args)) => {
            return match shown_policy(&args) {
                Ok(p) => {
                    print!("{}", p.to_toml());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    wali_core::host_eprintln!("wali: {e:#}");
                    ExitCode::from(125)
                }
            };
        }
    };
    let level = if trace { "info" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WALI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_level(false)
        .with_target(false)
        .init();
    match job() {
        // The exit status is its low 8 bits, as the kernel keeps.
        Ok(Outcome::Exited(status)) => ExitCode::from(status.to_le_bytes()[0]),
        Ok(Outcome::Signaled(sig)) => wali_core::exit::die_by_signal(sig),
        Err(e) => {
            let code = e.downcast_ref::<LoadError>().map_or(125, |l| l.exit_code());
            wali_core::host_eprintln!("wali: {e:#}");
            ExitCode::from(u8::try_from(code).unwrap_or(125))
        }
    }
}
