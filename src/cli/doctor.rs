//! `doctor`'s arguments and its list of checks with their fixes; the exit status
//! fails on any problem (the checks are `ops::doctor`).

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, Check, CheckStatus, DoctorOptions, Session};
use wasi_externals::sdk::SdkDirs;

use super::Output;

/// Check the whole setup and say how to fix each problem
///
/// Checks that deps.toml (with --python X: that profile) is valid; that the
/// WASI SDK `build` would use is found and is the pinned version; that its
/// sysroot has libc.a and the libwasi-emulated-*.a libraries the recipes link
/// for the target; that the cache folder is writable; that every pinned
/// source is cached or its source reachable (with --offline: cached); that
/// the prefix (--prefix, or the default one if it exists) was built with this
/// SDK; and that the cache's and the prefix's disks have room (a warning below
/// 2 GiB). Prints each check with a fix for each problem, and exits non-zero
/// if any problem is found. --json prints the list of checks.
///
/// Example:
///
///   wasi-externals doctor
///   wasi-externals --python 3.14 doctor --wasi-sdk /opt/wasi-sdk-24.0 --prefix P
///   wasi-externals --offline --json doctor
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The WASI SDK to check: DIR, or N=DIR (repeatable), as `build` takes it.
    #[arg(long, value_name = "[N=]DIR")]
    wasi_sdk: Vec<String>,
    /// The prefix to check [default: the default prefix of `build`, if it exists].
    #[arg(long, value_name = "DIR")]
    prefix: Option<PathBuf>,
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let options = DoctorOptions {
        wasi_sdk: SdkDirs::parse(&args.wasi_sdk)?,
        prefix: args.prefix,
    };
    let checks = ops::doctor(session, &options)?;
    output.result(&checks, |checks| show(checks));
    let failed = checks.iter().any(|c| c.status == CheckStatus::Problem);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn show(checks: &[Check]) {
    for check in checks {
        let status = match check.status {
            CheckStatus::Ok => "ok",
            CheckStatus::Warning => "warning",
            CheckStatus::Problem => "PROBLEM",
            CheckStatus::Skipped => "skipped",
        };
        println!("{status:<8} {:<12} {}", check.check, indent(&check.detail));
        if let Some(fix) = &check.fix {
            println!("{:<8} {:<12} fix: {}", "", "", indent(fix));
        }
    }
    let problems = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Problem)
        .count();
    match problems {
        0 => println!("no problems found"),
        n => println!("{n} problem(s) found"),
    }
}

/// Continuation lines of a multi-line detail, aligned under its first line.
fn indent(text: &str) -> String {
    text.replace('\n', &format!("\n{:22}", ""))
}
