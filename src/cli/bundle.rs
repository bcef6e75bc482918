//! `bundle export` and `bundle import`: their arguments and one summary line
//! each; the work is `ops::bundle_export` and `ops::bundle_import`.

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::bundle::BundleIndex;
use wasi_externals::ops::{self, Session};

use super::Output;

/// Move sources (and builds) to a machine without network
///
/// Example:
///
///   wasi-externals bundle export offline.bundle    # here
///   wasi-externals bundle import offline.bundle    # there; then `build --offline`
#[derive(clap::Subcommand)]
#[command(verbatim_doc_comment)]
pub enum Command {
    /// Write one file with the config, the pinned sources and optionally the built outputs
    ///
    /// Example, on a machine with network:
    ///
    ///   wasi-externals bundle export offline.bundle --with-builds /opt/wasi-sdk-24.0
    #[command(verbatim_doc_comment)]
    Export(ExportArgs),
    /// Check every hash in a bundle, then add it to the cache (then `build --offline` works)
    ///
    /// Nothing changes when any entry or pin is off.
    ///
    /// Example, on a machine without network:
    ///
    ///   wasi-externals bundle import offline.bundle
    ///   wasi-externals build --offline --prefix P
    #[command(verbatim_doc_comment)]
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The bundle to write.
    file: PathBuf,
    /// Also include the cached builds made with the SDK in DIR.
    #[arg(long, value_name = "DIR")]
    with_builds: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The bundle to read.
    file: PathBuf,
}

fn show(index: &BundleIndex, verb: &str, file: &std::path::Path) {
    println!(
        "{verb} {}: {} dep(s), {} build(s), {} files",
        file.display(),
        index.deps.len(),
        index.builds.len(),
        index.entries.len()
    );
}

pub fn run(
    session: &Session,
    command: Command,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    match command {
        Command::Export(args) => {
            let index = ops::bundle_export(session, &args.file, args.with_builds.as_deref())?;
            output.result(&index, |i| show(i, "wrote", &args.file));
        }
        Command::Import(args) => {
            let index = ops::bundle_import(session, &args.file)?;
            output.result(&index, |i| show(i, "imported", &args.file));
        }
    }
    Ok(ExitCode::SUCCESS)
}
