//! `sbom`'s arguments: the SPDX document to stdout or `-o FILE`, and the notes
//! of `--licenses`; the document and the license texts come from `ops`.

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::ops::{self, Session};

use super::Output;

/// Write an SPDX 2.3 JSON SBOM of the pinned dependencies
///
/// One package per dependency: version, git URL and commit, the tree id and
/// GitHub's archive sha256 as checksums, its license, and the patches applied.
/// With --prefix, also every built file with its sha256. With --licenses DIR,
/// also the license texts of each dependency's source tree (its top-level
/// LICENSE*, COPYING*, COPYRIGHT* files) into DIR/<dep>/, for a release that
/// links the dependencies statically; the sources the cache lacks are fetched.
///
/// Example:
///
///   wasi-externals sbom --prefix P -o externals.spdx.json
///   wasi-externals --python 3.16 sbom --prefix P -o dist/externals.spdx.json --licenses dist/licenses
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Also describe the files built into this prefix.
    #[arg(long, value_name = "DIR")]
    prefix: Option<PathBuf>,
    /// Write to FILE instead of stdout (not inside the prefix or the cache).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write each dependency's license texts into DIR/<dep>/.
    #[arg(long, value_name = "DIR")]
    licenses: Option<PathBuf>,
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let doc = ops::sbom(session, args.prefix.as_deref(), args.output.as_deref())?;
    if let Some(dir) = &args.licenses {
        for dep in ops::licenses(session, dir)? {
            if output.quiet {
                continue;
            }
            match dep.files.as_slice() {
                [] => eprintln!(
                    "note: {} ({}): its source tree has no license file; nothing written",
                    dep.dep, dep.tag
                ),
                files => eprintln!("{}: {}", dir.join(&dep.dep).display(), files.join(", ")),
            }
        }
    }
    let text = serde_json::to_string_pretty(&doc).expect("serializes") + "\n";
    match args.output {
        Some(path) => std::fs::write(&path, text)
            .map_err(|source| wasi_externals::Error::WriteOutput { path, source })?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
