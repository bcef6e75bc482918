//! The command line: argument parsing and rendering only; behaviour lives in the library.
//!
//! [`main`] parses the global options into one [`Session`] and hands it, with
//! the subcommand's arguments, to that command's module, which calls one
//! `ops` function and prints its result (or `--json`).

mod build;
mod bundle;
mod cache;
mod docs;
mod doctor;
mod env;
mod fetch;
mod init;
mod lock;
mod outdated;
mod package;
mod recipes;
mod remote_cache;
mod sbom;
mod sdk;
mod status;
mod ui;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, Subcommand};
use wasi_externals::cache::Cache;
use wasi_externals::ops::{Overlays, Session};

const ABOUT: &str = "Build CPython's external C libraries for WASI from pinned, verified sources";

const LONG_ABOUT: &str = "\
Build CPython's external C libraries (zlib, bzip2, xz, mpdecimal, sqlite) for WASI.

deps.toml pins each dependency to a tag of python/cpython-source-deps together
with the commit and tree it must resolve to, and the WASI SDK version to build
with. A typical session:

  wasi-externals init            # write a starter deps.toml with the shipped pins
  wasi-externals lock            # resolve tags, pin commit + tree in deps.toml
  wasi-externals outdated        # newer tags on the source than the pins (fails if any)
  wasi-externals fetch           # fetch and verify the pinned sources (cached)
  wasi-externals status          # what is pinned, what is cached
  wasi-externals build --prefix P --wasi-sdk /opt/wasi-sdk-24.0
  wasi-externals --python 3.13 --python 3.14 build   # one prefix per Python version
  wasi-externals sdk list        # every WASI SDK found, and which profiles want it
  wasi-externals sdk install 24  # download WASI SDK 24 (sha256-checked) into the SDK store
  wasi-externals doctor --prefix P        # check the whole setup; says how to fix each problem
  wasi-externals env --prefix P --format args   # arguments for CPython's configure
  wasi-externals verify --prefix P        # re-hash the prefix against its manifest
  wasi-externals package --prefix P -o externals.tar.gz
  wasi-externals sbom --prefix P -o externals.spdx.json
  wasi-externals bundle export offline.bundle --with-builds SDK   # for air-gapped machines
  wasi-externals cache list
  wasi-externals recipes         # where each dep's recipe comes from (built in or overlay)

Every command's --help has examples. Shell completions: `wasi-externals
completions bash|zsh|fish|powershell`; man pages: `wasi-externals man [COMMAND]`.
The --json outputs and the prefix's manifest are described by the JSON Schemas
in the repository's docs/schemas/.";

/// `0.1.0 (abc1234 2026-12-03)`: the package version and, when built from a git
/// checkout, the commit and its date (see build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("WASI_EXTERNALS_COMMIT"));

#[derive(Parser)]
#[command(name = "wasi-externals", version = VERSION, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    /// The pins file.
    #[arg(long, global = true, value_name = "FILE", default_value = "deps.toml")]
    config: PathBuf,
    /// Where fetched sources and built outputs are cached [default: the user's cache folder].
    #[arg(long, global = true, value_name = "DIR", env = "WASI_EXTERNALS_CACHE")]
    cache_dir: Option<PathBuf>,
    /// Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml].
    #[arg(long, global = true, value_name = "DIR")]
    recipes: Option<PathBuf>,
    /// Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml].
    #[arg(long, global = true, value_name = "DIR")]
    patches: Option<PathBuf>,
    /// Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables].
    /// `build` takes several (each into its own prefix).
    #[arg(long, global = true, value_name = "X", env = "WASI_EXTERNALS_PYTHON", action = clap::ArgAction::Append)]
    python: Vec<String>,
    /// Fetch from this URL instead of `[source] url` (mirrors are still tried after it).
    #[arg(long, global = true, value_name = "URL", env = "WASI_EXTERNALS_SOURCE")]
    source: Option<String>,
    /// Never use the network; work from the cache alone.
    #[arg(long, global = true)]
    offline: bool,
    #[command(flatten)]
    remote: remote_cache::Args,
    /// Print results (and errors) as JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Say more (repeatable).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Say nothing but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Init(init::Args),
    Lock(lock::Args),
    Outdated(outdated::Args),
    Fetch(fetch::Args),
    Status(status::Args),
    Build(build::Args),
    Env(env::Args),
    Doctor(doctor::Args),
    Verify(verify::Args),
    Package(package::Args),
    Sbom(sbom::Args),
    Recipes(recipes::Args),
    #[command(subcommand)]
    Bundle(bundle::Command),
    #[command(subcommand)]
    Cache(cache::Command),
    Completions(docs::CompletionsArgs),
    Man(docs::ManArgs),
    #[command(subcommand)]
    Sdk(sdk::Command),
}

/// How results are shown: to people on stderr/stdout, or as JSON.
pub struct Output {
    pub json: bool,
    pub quiet: bool,
}

impl Output {
    /// Print a result: JSON on stdout (every string through the redactor), or
    /// run `human` to print it for people.
    pub fn result<T: serde::Serialize>(&self, value: &T, human: impl FnOnce(&T)) {
        if self.json {
            let mut value = serde_json::to_value(value).expect("results serialize");
            redact_strings(&mut value);
            println!(
                "{}",
                serde_json::to_string_pretty(&value).expect("results serialize")
            );
        } else if !self.quiet {
            human(value);
        }
    }
}

/// Every string in `value`, cleaned of credentials.
fn redact_strings(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) => *text = wasi_externals::redact::text(text),
        Value::Array(items) => items.iter_mut().for_each(redact_strings),
        Value::Object(fields) => fields.values_mut().for_each(redact_strings),
        _ => {}
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = Output {
        json: cli.json,
        quiet: cli.quiet,
    };
    let interrupt = Arc::new(AtomicBool::new(false));
    {
        let interrupt = Arc::clone(&interrupt);
        // Build steps run in process groups of their own: the runner stops them
        // when this flag is set. A network read can block for the whole timeout,
        // so after a short grace (or a second Ctrl-C) the process just ends:
        // fetches land atomically and every lock dies with the process.
        let _ = ctrlc::set_handler(move || {
            if interrupt.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            std::thread::sleep(std::time::Duration::from_secs(3));
            eprintln!("error: interrupted");
            std::process::exit(130);
        });
    }
    let reporter =
        ui::TerminalReporter::new(cli.quiet || (cli.json && cli.verbose == 0), cli.verbose);
    match run(cli, &output, &reporter, interrupt) {
        Ok(code) => code,
        Err(err) => {
            reporter.clear();
            ui::print_error(&err, output.json);
            if err.is_interrupt() {
                ExitCode::from(130)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn run(
    cli: Cli,
    output: &Output,
    reporter: &ui::TerminalReporter,
    interrupt: Arc<AtomicBool>,
) -> Result<ExitCode, wasi_externals::Error> {
    let Cli {
        config,
        cache_dir,
        recipes,
        patches,
        python,
        source,
        offline,
        remote,
        command,
        ..
    } = cli;
    // These only print what the command line itself defines.
    match &command {
        Command::Completions(args) => return Ok(docs::completions(args)),
        Command::Man(args) => return Ok(docs::man(args)),
        _ => {}
    }
    let cache_root = match cache_dir {
        Some(dir) => dir,
        None => Cache::default_root()?,
    };
    let mut session = Session::new(Cache::new(cache_root), reporter)
        .with_config_file(config)
        .with_pythons(python)
        .with_overlays(Overlays { recipes, patches })
        .with_remote(remote.flags());
    session.interrupt = interrupt;
    session.offline = offline;
    session.source_override = source;
    dispatch(command, &session, output)
}

/// Run one command; each reads deps.toml through the session only if it needs it.
fn dispatch(
    command: Command,
    session: &Session,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    match command {
        Command::Init(args) => init::run(session, args, output),
        Command::Lock(args) => lock::run(session, args, output),
        Command::Outdated(args) => outdated::run(session, args, output),
        Command::Fetch(args) => fetch::run(session, args, output),
        Command::Status(args) => status::run(session, args, output),
        Command::Build(args) => build::run(session, args, output),
        Command::Env(args) => env::run(args, output),
        Command::Doctor(args) => doctor::run(session, args, output),
        Command::Verify(args) => verify::run(args, output),
        Command::Package(args) => package::run(session, args, output),
        Command::Sbom(args) => sbom::run(session, args, output),
        Command::Recipes(args) => recipes::run(session, args, output),
        Command::Bundle(command) => bundle::run(session, command, output),
        Command::Cache(command) => cache::run(session, command, output),
        Command::Sdk(command) => sdk::run(session, command, output),
        Command::Completions(_) | Command::Man(_) => {
            unreachable!("handled before the session is made")
        }
    }
}
