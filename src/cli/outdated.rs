//! `outdated`'s arguments and its table of newer tags; the exit status fails
//! when a pin has one, so CI can watch for it (the listing is `ops::outdated`).

use std::process::ExitCode;

use wasi_externals::ops::{self, Session};

use super::Output;

/// List, for each pinned dep, the newer tags the source has for the same name
///
/// Only the source's refs are read (no objects are fetched, nothing is cached).
/// Versions compare numerically per dot-component (sqlite-3.50.4.0 is newer
/// than sqlite-3.9.2.0). Without --python every table is checked: [deps] and
/// each [python."X".deps]. The exit status is non-zero when some pin has a
/// newer tag, like `lock --check` when a pin moved, so CI can watch for it;
/// the report (or --json) is printed either way.
///
/// Example:
///
///   wasi-externals outdated
///   wasi-externals --python 3.16 outdated --json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(
    session: &Session,
    _args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let report = ops::outdated(session)?;
    output.result(&report, |report| {
        for entry in &report.deps {
            let newer = match entry.newer.as_slice() {
                [] => "up to date".to_owned(),
                tags => format!("newer: {}", tags.join(", ")),
            };
            println!("{:<22} {:<18} {newer}", entry.label(), entry.tag);
        }
        if report.outdated {
            println!(
                "newer tags on {}: change the tags in deps.toml, then `wasi-externals lock`",
                report.url
            );
        }
    });
    Ok(if report.outdated {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
