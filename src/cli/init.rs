//! `init`'s arguments and what it prints; writing the starter deps.toml is `ops::init`.

use std::process::ExitCode;

use wasi_externals::ops::{self, Session};

use super::Output;

/// Write a starter deps.toml with the shipped pins into the current folder
///
/// The pins are the tags of python/cpython-source-deps that CPython uses, each
/// with the commit and tree it must resolve to, and the WASI SDK version
/// CPython pins. An existing file is kept unless --force is given.
///
/// Example, from any folder (a CPython checkout, a CI workspace):
///
///   wasi-externals init
///   wasi-externals build --prefix cross-build/externals --wasi-sdk /opt/wasi-sdk-24.0
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let path = ops::init(session, args.force)?;
    output.result(&serde_json::json!({ "config": path }), |_| {
        println!("wrote {}", path.display());
        println!("next: wasi-externals build --prefix DIR [--wasi-sdk SDK]");
    });
    Ok(ExitCode::SUCCESS)
}
