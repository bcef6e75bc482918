//! A reproducible archive of a prefix: the same files give the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::fsutil;
use crate::prefix::{PrefixError, MANIFEST_FILE};

/// Why a prefix could not be packaged.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The prefix has no readable manifest.
    #[error(transparent)]
    Prefix(#[from] PrefixError),
    /// The prefix differs from its manifest.
    #[error("the prefix does not match its manifest ({0})")]
    Dirty(String),
    /// The archive cannot be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl PackageError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            PackageError::Prefix(e) => e.code(),
            PackageError::Dirty(_) | PackageError::Write { .. } => Code::Package,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            PackageError::Prefix(e) => e.hint(),
            PackageError::Dirty(_) => {
                Some("run `wasi-externals verify --prefix …` and rebuild".into())
            }
            PackageError::Write { .. } => None,
        }
    }
}

/// A written archive.
#[derive(Debug, Serialize)]
pub struct PackagedPrefix {
    /// The archive written.
    pub path: PathBuf,
    /// The archive's sha256 (also in `<archive>.sha256`).
    pub sha256: String,
    /// How many files the archive holds.
    pub files: usize,
}

/// Fixed mtime of every entry, so archives do not record when they were made.
const ENTRY_MTIME: u64 = crate::compile::SOURCE_DATE_EPOCH as u64;

/// Write `out` (a `.tar.gz`) with the manifest and every file it lists, and `out.sha256` beside it.
///
/// Entries are sorted, owned by uid/gid 0, stamped with one fixed time, and
/// relative; the gzip header has no name and no time. `config.site` is left
/// out: it holds the prefix's absolute path.
pub fn package(prefix: &crate::prefix::Prefix, out: &Path) -> Result<PackagedPrefix, PackageError> {
    check_clean(prefix)?;
    let manifest = prefix.require_manifest()?;
    let mut paths: Vec<String> = manifest
        .deps
        .values()
        .flat_map(|d| d.files.iter().map(|f| f.path.to_string()))
        .collect();
    paths.push(MANIFEST_FILE.to_owned());
    paths.sort();
    let write_err = |source: std::io::Error| PackageError::Write {
        path: out.to_owned(),
        source,
    };
    let bytes = tar_gz(prefix.root(), &paths).map_err(write_err)?;
    fsutil::write_atomically(out, &bytes).map_err(write_err)?;
    let sha256 = fsutil::sha256_bytes(&bytes);
    write_sum(out, &sha256)?;
    Ok(PackagedPrefix {
        path: out.to_owned(),
        sha256,
        files: paths.len(),
    })
}

/// Refuse a prefix that differs from its manifest, naming one difference.
fn check_clean(prefix: &crate::prefix::Prefix) -> Result<(), PackageError> {
    let verification = prefix.verify()?;
    if verification.is_clean() {
        return Ok(());
    }
    let first = verification
        .changed
        .iter()
        .chain(&verification.missing)
        .chain(&verification.extra)
        .next()
        .cloned()
        .unwrap_or_default();
    Err(PackageError::Dirty(format!("e.g. {first}")))
}

/// The `.tar.gz` bytes of `paths` below `root`: regular files, mode 0644,
/// owned by 0:0, one fixed time, and a gzip header without name or time.
fn tar_gz(root: &Path, paths: &[String]) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(&mut bytes, flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    for path in paths {
        let data = std::fs::read(root.join(path))?;
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(ENTRY_MTIME);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path, data.as_slice())?;
    }
    tar.into_inner().and_then(|gz| gz.finish())?;
    Ok(bytes)
}

/// `out.sha256` beside `out`: `<sha256>  <file name>`, as `sha256sum -c` reads it.
fn write_sum(out: &Path, sha256: &str) -> Result<(), PackageError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sum_path = PathBuf::from(format!("{}.sha256", out.display()));
    let mut sum = Vec::new();
    writeln!(sum, "{sha256}  {name}").expect("writes to memory");
    fsutil::write_atomically(&sum_path, &sum).map_err(|source| PackageError::Write {
        path: sum_path.clone(),
        source,
    })
}
