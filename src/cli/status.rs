//! `status`'s arguments and its table of pins and cache state (`ops::status`).

use std::process::ExitCode;

use wasi_externals::ops::{self, Session};

use super::Output;

/// Show each dependency's tag, pinned commit and whether its source is cached
///
/// Never touches the network.
///
/// Example:
///
///   wasi-externals status
///   wasi-externals status --json   # the same as a list of objects
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(
    session: &Session,
    _args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let deps = ops::status(session)?;
    output.result(&deps, |deps| {
        println!("{:<10} {:<18} {:<12} cached", "dep", "tag", "commit");
        for d in deps {
            let commit = d.commit.map_or("(unlocked)".to_owned(), |c| c.short());
            println!(
                "{:<10} {:<18} {:<12} {}",
                d.dep,
                d.tag,
                commit,
                if d.cached { "yes" } else { "no" }
            );
        }
    });
    Ok(ExitCode::SUCCESS)
}
