//! The `wali` command line.

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use wali_host::vfs::MountSpec;
use wali_host::{LoadError, Outcome, RunOptions};

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
    Run(RunArgs),
    /// Internal: continue a guest's execve (state in descriptor FD).
    #[command(name = "__exec", hide = true)]
    Exec { fd: i32 },
}

#[derive(clap::Args)]
struct RunArgs {
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
    /// Log every syscall with its arguments and result (strace style).
    #[arg(long)]
    trace: bool,
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
    /// The module to run.
    module: PathBuf,
    /// Arguments for the guest.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
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

fn run(args: RunArgs) -> anyhow::Result<Outcome> {
    let mut mounts = Vec::new();
    for d in &args.dirs {
        mounts.push(mount_spec(d, false)?);
    }
    for d in &args.ro_dirs {
        mounts.push(mount_spec(d, true)?);
    }
    let mut opts = RunOptions {
        module: args.module,
        args: args.args,
        mounts,
        env: args.env.iter().map(|e| env_entry(e)).collect(),
        trace: args.trace,
        syscall_stats: args.syscall_stats,
        no_cache: args.no_cache,
        denied: Default::default(),
        argv0: None,
        net: wali_host::policy::net::NetPolicy::from_specs(&args.allow_net)
            .map_err(|e| anyhow::anyhow!("--allow-net: {e}"))?,
        inherit: None,
    };
    if !args.no_interp {
        wali_host::interp::apply(&mut opts)?;
    }
    wali_host::run(&opts)
}

/// The guest's execve: the options and state the previous image handed over.
fn run_exec(fd: i32) -> anyhow::Result<Outcome> {
    let (mut opts, inherit) = wali_host::exec::read_state(fd)?;
    opts.inherit = Some(inherit);
    wali_host::run(&opts)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (trace, job): (bool, Box<dyn FnOnce() -> anyhow::Result<Outcome>>) = match cli.command {
        Command::Run(args) => (args.trace, Box::new(move || run(args))),
        Command::Exec { fd } => {
            let trace = wali_host::exec::peek_trace(fd);
            (trace, Box::new(move || run_exec(fd)))
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
        Ok(Outcome::Exited(status)) => ExitCode::from(status as u8),
        Ok(Outcome::Signaled(sig)) => wali_host::exit::die_by_signal(sig),
        Err(e) => {
            let code = e.downcast_ref::<LoadError>().map_or(125, |l| l.exit_code());
            eprintln!("wali: {e:#}");
            ExitCode::from(code as u8)
        }
    }
}
