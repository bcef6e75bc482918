//! The command line: argument parsing and rendering only; behaviour lives in the library.

mod build;
mod env;
mod fetch;
mod lock;
mod status;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, Subcommand};
use wasi_externals::cache::Cache;
use wasi_externals::config::Config;
use wasi_externals::ops::Context;

const ABOUT: &str = "Build CPython's external C libraries for WASI from pinned, verified sources";

const LONG_ABOUT: &str = "\
Build CPython's external C libraries (zlib, bzip2, xz, mpdecimal, sqlite) for WASI.

deps.toml pins each dependency to a tag of python/cpython-source-deps together
with the commit and tree it must resolve to, and the WASI SDK version to build
with. A typical session:

  wasi-externals lock            # resolve tags, pin commit + tree in deps.toml
  wasi-externals fetch           # fetch and verify the pinned sources (cached)
  wasi-externals status          # what is pinned, what is cached
  wasi-externals build --prefix P --wasi-sdk /opt/wasi-sdk-24.0
  wasi-externals env --prefix P --format args   # arguments for CPython's configure";

#[derive(Parser)]
#[command(name = "wasi-externals", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    /// The pins file.
    #[arg(long, global = true, value_name = "FILE", default_value = "deps.toml")]
    config: PathBuf,
    /// Where fetched sources and built outputs are cached [default: the user's cache folder].
    #[arg(long, global = true, value_name = "DIR", env = "WASI_EXTERNALS_CACHE")]
    cache_dir: Option<PathBuf>,
    /// Fetch from this URL instead of `[source] url` (mirrors are still tried after it).
    #[arg(long, global = true, value_name = "URL", env = "WASI_EXTERNALS_SOURCE")]
    source: Option<String>,
    /// Never use the network; work from the cache alone.
    #[arg(long, global = true)]
    offline: bool,
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
    Lock(lock::Args),
    Fetch(fetch::Args),
    Status(status::Args),
    Build(build::Args),
    Env(env::Args),
}

/// How results are shown: to people on stderr/stdout, or as JSON.
pub struct Output {
    pub json: bool,
    pub quiet: bool,
}

impl Output {
    /// Print a result: JSON on stdout, or run `human` to print it for people.
    pub fn result<T: serde::Serialize>(&self, value: &T, human: impl FnOnce(&T)) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("results serialize")
            );
        } else if !self.quiet {
            human(value);
        }
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
        // Children in our process group get the same SIGINT; we only need to stop cleanly.
        let _ = ctrlc::set_handler(move || interrupt.store(true, Ordering::SeqCst));
    }
    let reporter =
        ui::TerminalReporter::new(cli.quiet || (cli.json && cli.verbose == 0), cli.verbose);
    match run(cli, &output, &reporter, interrupt) {
        Ok(code) => code,
        Err(err) => {
            reporter.clear();
            ui::print_error(&err, output.json);
            if matches!(
                err,
                wasi_externals::Error::Source(wasi_externals::source::SourceError::Interrupted)
            ) {
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
    // `env` reads only the prefix; it must work without a deps.toml at hand.
    if let Command::Env(args) = cli.command {
        return env::run(args, output);
    }
    let config = Config::load(&cli.config)?;
    let cache_root = match cli.cache_dir {
        Some(dir) => dir,
        None => Cache::default_root()?,
    };
    let ctx = Context {
        config,
        cache: Cache::new(cache_root),
        source_override: cli.source,
        offline: cli.offline,
        reporter,
        interrupt,
    };
    match cli.command {
        Command::Lock(args) => lock::run(&ctx, args, output),
        Command::Fetch(args) => fetch::run(&ctx, args, output),
        Command::Status(args) => status::run(&ctx, args, output),
        Command::Build(args) => build::run(&ctx, args, output),
        Command::Env(_) => unreachable!("handled above"),
    }
}
