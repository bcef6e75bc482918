//! `verify`'s arguments and its list of changed, missing and extra files; the
//! exit status fails on any (the hashing is `ops::verify`).

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops;

use super::Output;

/// Re-hash every file of a prefix against its manifest
///
/// Names every file that changed, is missing, or is not listed by any
/// dependency; fails if there is any.
///
/// Example:
///
///   wasi-externals verify --prefix cross-build/externals
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[arg(long, value_name = "DIR")]
    prefix: PathBuf,
}

pub fn run(args: Args, output: &Output) -> Result<ExitCode, wasi_externals::Error> {
    let report = ops::verify(&args.prefix)?;
    output.result(&report, |r| {
        for (what, paths) in [
            ("changed", &r.changed),
            ("missing", &r.missing),
            ("extra", &r.extra),
        ] {
            for path in paths {
                println!("{what:<8} {path}");
            }
        }
        if r.is_clean() {
            println!("{} files match the manifest", r.checked);
        }
    });
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
