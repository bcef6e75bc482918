//! `lock`'s arguments and its table of pins; the resolving and writing is `ops::lock`.

use std::process::ExitCode;

use wasi_externals::ops::{self, LockOptions, Session};

use super::Output;

/// Resolve each tag on the source and pin its commit and tree in deps.toml
///
/// Without --python, every table is locked: [deps] and each [python."X".deps].
/// Comments and layout of deps.toml are kept. With --check nothing is written,
/// and the command fails when a pinned tag now points at another commit.
///
/// Example:
///
///   wasi-externals lock            # pin every dep's commit and tree
///   wasi-externals lock --check    # in CI: fail if a pinned tag moved upstream
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Dependencies to lock [default: all].
    deps: Vec<String>,
    /// Change nothing; fail if any pin differs from what the source has now.
    #[arg(long)]
    check: bool,
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let report = ops::lock(
        session,
        &LockOptions {
            deps: args.deps,
            check: args.check,
        },
    )?;
    output.result(&report, |report| {
        for entry in &report.deps {
            let what = match (&entry.previous_commit, entry.changed) {
                (_, false) => "unchanged",
                (None, true) => "pinned",
                (Some(_), true) => "updated",
            };
            println!(
                "{:<10} {:<18} {} {what}",
                entry.label(),
                entry.tag,
                entry.commit.short()
            );
        }
        if report.written {
            println!("wrote {}", session.config_path().display());
        }
    });
    Ok(ExitCode::SUCCESS)
}
