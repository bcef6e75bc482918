//! `package`'s arguments and its one-line result; the archive is `ops::package`.

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, Session};

use super::Output;

/// Write a reproducible .tar.gz of a prefix and FILE.sha256 beside it
///
/// Entries are sorted, owned by uid/gid 0 and stamped with one fixed time, so
/// two builds of the same pins with the same SDK give the same bytes. The
/// prefix must match its manifest. config.site (absolute paths) is left out.
/// FILE may not lie inside the prefix or the cache.
///
/// Example:
///
///   wasi-externals package --prefix P -o externals.tar.gz   # also externals.tar.gz.sha256
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[arg(long, value_name = "DIR")]
    prefix: PathBuf,
    /// The archive to write.
    #[arg(short, long, value_name = "FILE.tar.gz")]
    output: PathBuf,
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let package = ops::package(session, &args.prefix, &args.output)?;
    output.result(&package, |p| {
        println!("{}  {} ({} files)", p.sha256, p.path.display(), p.files)
    });
    Ok(ExitCode::SUCCESS)
}
