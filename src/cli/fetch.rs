//! `fetch`'s arguments and its table of fetched pins; the work is `ops::fetch`.

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, FetchOptions, Session};

use super::Output;

/// Fetch the pinned sources into the cache and prove they are what deps.toml pins
///
/// Each tag is fetched shallowly (depth 1) into one shared cache repository and
/// must resolve to the pinned commit, whose tree must be the pinned tree. Once
/// fetched, the same pins never touch the network again; with --offline the
/// cache alone is used.
///
/// Example:
///
///   wasi-externals fetch                       # every pinned dep into the cache
///   wasi-externals fetch zlib --into src       # ... and check zlib out into src/zlib
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Dependencies to fetch [default: all].
    deps: Vec<String>,
    /// Also check each dependency's source out into DIR/<dep>.
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let fetched = ops::fetch(
        session,
        &FetchOptions {
            deps: args.deps,
            into: args.into.clone(),
        },
    )?;
    output.result(&fetched, |fetched| {
        for f in fetched {
            println!(
                "{:<10} {:<18} {} {}",
                f.dep,
                f.tag,
                f.commit.short(),
                f.origin
            );
        }
        if let Some(into) = &args.into {
            println!("checked out into {}", into.display());
        }
    });
    Ok(ExitCode::SUCCESS)
}
