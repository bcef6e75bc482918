use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, Context};

use super::Output;

/// Write an SPDX 2.3 JSON SBOM of the pinned dependencies
///
/// One package per dependency: version, git URL and commit, the tree id and
/// GitHub's archive sha256 as checksums, its license, and the patches applied.
/// With --prefix, also every built file with its sha256.
///
/// Example:
///
///   wasi-externals sbom --prefix P -o externals.spdx.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Also describe the files built into this prefix.
    #[arg(long, value_name = "DIR")]
    prefix: Option<PathBuf>,
    /// Write to FILE instead of stdout (not inside the prefix or the cache).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args, _output: &Output) -> Result<ExitCode, wasi_externals::Error> {
    if let Some(out) = &args.output {
        let mut places = vec![("cache", ctx.cache.root())];
        places.extend(args.prefix.as_deref().map(|p| ("prefix", p)));
        ops::check_output(out, &places)?;
    }
    let doc = ops::sbom(ctx, args.prefix.as_deref())?;
    let text = serde_json::to_string_pretty(&doc).expect("serializes") + "\n";
    match args.output {
        Some(path) => std::fs::write(&path, text)
            .map_err(|source| wasi_externals::Error::WriteOutput { path, source })?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
