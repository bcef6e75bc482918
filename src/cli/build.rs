//! `build`'s arguments and its report per profile (a JSON array when several);
//! the exit status fails when a dependency failed (the work is `ops::build_profiles`).

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, BuildOptions, BuildReport, Session};
use wasi_externals::sdk::SdkDirs;

use super::Output;

/// Cross-compile the dependencies for WASI into one prefix
///
/// Finds the WASI SDK (--wasi-sdk, $WASI_SDK_PATH, /opt/wasi-sdk-<N>.0*, the
/// SDK store, /opt/wasi-sdk) and refuses one whose VERSION differs from
/// `[sdk] version` (or the --python profile's `sdk`).
/// Fetches missing sources, builds every dependency the cache lacks in
/// parallel (each in its own folder, with its own log), and merges each
/// complete build into the prefix: include/, lib/*.a, lib/pkgconfig/*.pc and
/// the manifest wasi-externals.json. A failed dependency leaves none of its
/// files in the prefix; the others still land. A prefix built with another
/// SDK (VERSION or clang) or target is refused; --force empties it of what
/// wasi-externals installed and rebuilds. Afterwards `wasi-externals env`
/// prints what to hand to CPython's configure.
///
/// Several Python versions in one run: `--python 3.13 --python 3.14 build`
/// builds each profile with its own SDK into its own prefix
/// (`<prefix>/python-<X>` with --prefix, else the default below), sharing the
/// fetched sources and one -j budget. Without --prefix the prefix is
/// ./cross-build/wasi-externals/python-<X>-<target> (with a profile) or
/// ./cross-build/wasi-externals/sdk-<N>-<target> (without).
///
/// Example:
///
///   wasi-externals build --prefix cross-build/externals --wasi-sdk /opt/wasi-sdk-24.0
///   wasi-externals build zlib bzip2 --prefix P --dry-run   # what would happen, and why
///   wasi-externals --python 3.13 --python 3.14 build       # one prefix per Python version
///   wasi-externals build --prefix P --wasi-sdk /opt/wasi-sdk-25.0 --force   # P was built with SDK 24
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Dependencies to build [default: all; unsupported ones are skipped].
    deps: Vec<String>,
    /// Install into this folder; with several --python, the folder holding one python-<X> prefix each
    /// [default: ./cross-build/wasi-externals/python-<X>-<target> or sdk-<N>-<target>].
    #[arg(long, value_name = "DIR")]
    prefix: Option<PathBuf>,
    /// The WASI SDK to build with: DIR, or N=DIR for the profiles that want SDK N (repeatable).
    #[arg(long, value_name = "[N=]DIR")]
    wasi_sdk: Vec<String>,
    /// Jobs in total, shared by all builds and their `make -j` [default: number of cores].
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Build with an SDK whose major version differs from deps.toml's (loudly).
    #[arg(long)]
    allow_sdk_mismatch: bool,
    /// Only print what would be fetched, built or taken from the cache, and why.
    #[arg(long)]
    dry_run: bool,
    /// If the prefix was built with another WASI SDK (version or clang) or target,
    /// remove what wasi-externals installed there (the files its manifest lists,
    /// config.site and the manifest; nothing else) and rebuild.
    #[arg(long)]
    force: bool,
}

/// Build every `--python` profile; prints one report each (a JSON array when several).
pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = BuildOptions {
        deps: args.deps,
        prefix: args.prefix,
        wasi_sdk: SdkDirs::parse(&args.wasi_sdk)?,
        jobs,
        allow_sdk_mismatch: args.allow_sdk_mismatch,
        dry_run: args.dry_run,
        force: args.force,
    };
    let reports = ops::build_profiles(session, &options)?;
    if let [report] = reports.as_slice() {
        output.result(report, show_human);
    } else {
        output.result(&reports, |reports| {
            for report in reports {
                show_human(report);
            }
        });
    }
    let mut failed = false;
    for d in reports.iter().flat_map(|r| r.failed()) {
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

fn show_human(report: &BuildReport) {
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
    let python = report
        .python
        .as_deref()
        .map_or(String::new(), |p| format!("python {p}: "));
    println!(
        "{python}prefix {} (WASI SDK {} at {}, {})",
        report.prefix.display(),
        report.sdk_version,
        report.sdk.display(),
        report.target
    );
    if !report.dry_run && report.failed().next().is_none() {
        println!(
            "next: wasi-externals env --prefix {}",
            wasi_externals::compile::shell_quote(&report.prefix.display().to_string())
        );
    }
}
