use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, BuildOptions, Context};

use super::Output;

/// Cross-compile the dependencies for WASI into one prefix
///
/// Finds the WASI SDK (--wasi-sdk, $WASI_SDK_PATH, /opt/wasi-sdk-<N>.0*,
/// /opt/wasi-sdk) and refuses one whose VERSION differs from `[sdk] version`.
/// Fetches missing sources, builds every dependency the cache lacks in
/// parallel (each in its own folder, with its own log), and merges each
/// complete build into the prefix: include/, lib/*.a, lib/pkgconfig/*.pc and
/// the manifest wasi-externals.json. A failed dependency leaves none of its
/// files in the prefix; the others still land. Afterwards `wasi-externals env`
/// prints what to hand to CPython's configure.
///
/// Example:
///
///   wasi-externals build --prefix cross-build/externals --wasi-sdk /opt/wasi-sdk-24.0
///   wasi-externals build zlib bzip2 --prefix P --dry-run   # what would happen, and why
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Dependencies to build [default: all; unsupported ones are skipped].
    deps: Vec<String>,
    /// Install into this folder.
    #[arg(long, value_name = "DIR")]
    prefix: PathBuf,
    /// The WASI SDK to build with.
    #[arg(long, value_name = "DIR")]
    wasi_sdk: Option<PathBuf>,
    /// Jobs in total, shared by all builds and their `make -j` [default: number of cores].
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Build with an SDK whose major version differs from deps.toml's (loudly).
    #[arg(long)]
    allow_sdk_mismatch: bool,
    /// Only print what would be fetched, built or taken from the cache, and why.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(ctx: &Context, args: Args, output: &Output) -> Result<ExitCode, wasi_externals::Error> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let report = ops::build(
        ctx,
        &BuildOptions {
            deps: args.deps,
            prefix: args.prefix,
            wasi_sdk: args.wasi_sdk,
            jobs,
            allow_sdk_mismatch: args.allow_sdk_mismatch,
            dry_run: args.dry_run,
        },
    )?;
    output.result(&report, |report| {
        println!(
            "{:<10} {:<10} {:<10} {:>7}  detail",
            "dep", "version", "status", "seconds"
        );
        for d in &report.deps {
            let detail = if d.status == ops::BuildStatus::Failed {
                "see below"
            } else {
                d.detail.as_str()
            };
            println!(
                "{:<10} {:<10} {:<10} {:>7.1}  {detail}",
                d.dep,
                d.version,
                d.status.as_str(),
                d.seconds
            );
        }
        println!(
            "prefix {} (WASI SDK {} at {}, {})",
            report.prefix.display(),
            report.sdk_version,
            report.sdk.display(),
            report.target
        );
        if !report.dry_run && report.failed().next().is_none() {
            println!(
                "next: wasi-externals env --prefix {}",
                wasi_externals::build::shell_quote(&report.prefix.display().to_string())
            );
        }
    });
    let mut failed = false;
    for d in report.failed() {
        failed = true;
        if !output.json {
            eprintln!("error: {}", d.detail);
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
