//! Turning what a build installed into a clean, relocatable output, and keeping it in the cache.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cache::Cache;
use crate::key::BuildKey;
use crate::pkgconfig;
use crate::plan::DepPlan;
use crate::relpath::RelPath;

/// Written last into a cached output: its presence means the output is complete.
pub const RECORD_FILE: &str = "record.json";

/// A record that cannot be used; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The record cannot be read.
    #[error("cannot read the build record {}: {source}", .path.display())]
    Read {
        /// The record file.
        path: PathBuf,
        /// Why it cannot be used.
        source: std::io::Error,
    },
    /// The record is not valid JSON of the expected shape.
    #[error("{} is not a valid build record: {source}", .path.display())]
    Invalid {
        /// The record file.
        path: PathBuf,
        /// Why it cannot be used.
        source: serde_json::Error,
    },
    /// The record names another build than the folder it lies in.
    #[error("{} records build {found}, but lies in the folder of build {expected}", .path.display())]
    WrongKey {
        /// The record file.
        path: PathBuf,
        /// The build key the record names.
        found: BuildKey,
        /// The build key of the record's folder.
        expected: BuildKey,
    },
}

/// A built output: the files it holds with their hashes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildRecord {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The build key: a hash of everything that can change the output.
    pub key: BuildKey,
    /// The files in the output, with their sha256.
    pub files: Vec<FileEntry>,
}

impl BuildRecord {
    /// Read the record of the output in `dir`, which must be the output of build `key`.
    pub fn load(dir: &Path, key: &BuildKey) -> Result<BuildRecord, RecordError> {
        let path = dir.join(RECORD_FILE);
        let bytes = std::fs::read(&path).map_err(|source| RecordError::Read {
            path: path.clone(),
            source,
        })?;
        let record: BuildRecord =
            serde_json::from_slice(&bytes).map_err(|source| RecordError::Invalid {
                path: path.clone(),
                source,
            })?;
        if &record.key != key {
            return Err(RecordError::WrongKey {
                path,
                found: record.key,
                expected: key.clone(),
            });
        }
        Ok(record)
    }
}

impl RecordError {
    /// The same error, naming the record as `path` (e.g. its place inside a bundle).
    pub fn at(self, path: PathBuf) -> RecordError {
        match self {
            RecordError::Read { source, .. } => RecordError::Read { path, source },
            RecordError::Invalid { source, .. } => RecordError::Invalid { path, source },
            RecordError::WrongKey {
                found, expected, ..
            } => RecordError::WrongKey {
                path,
                found,
                expected,
            },
        }
    }
}

/// One file of an output (and of a prefix's manifest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the prefix, below `include/` or `lib/`.
    pub path: RelPath,
    /// sha256 of the bytes, in lower-case hex.
    pub sha256: String,
}

/// Keep headers, static libraries and pkg-config files; make the `.pc` files relocatable.
pub fn finish(plan: &DepPlan, staged: &Path, install_prefix: &str) -> Result<(), String> {
    let files =
        crate::fsutil::list_files(staged).map_err(|e| format!("{}: {e}", staged.display()))?;
    for file in &files {
        let text = file.to_string_lossy();
        let keep = text.starts_with("include/")
            || (text.starts_with("lib/")
                && file.extension().is_some_and(|e| e == "a")
                && file.components().count() == 2)
            || (text.starts_with("lib/pkgconfig/") && file.extension().is_some_and(|e| e == "pc"));
        if !keep {
            std::fs::remove_file(staged.join(file))
                .map_err(|e| format!("{}: {e}", file.display()))?;
        }
    }
    let pc_dir = staged.join("lib/pkgconfig");
    let pc_conf = &plan.build.pkg_config;
    let wanted = pc_dir.join(format!("{}.pc", plan.recipe.package.pkg_config));
    if let Some(generated) = &pc_conf.generate {
        std::fs::create_dir_all(&pc_dir).map_err(|e| e.to_string())?;
        let text = pkgconfig::generate(
            plan.recipe.package.pkg_config.as_str(),
            &generated.description,
            plan.pin.version(),
            &generated.libs,
            &generated.cflags,
        );
        std::fs::write(&wanted, text).map_err(|e| e.to_string())?;
    }
    for pc in crate::fsutil::list_files(&pc_dir).map_err(|e| e.to_string())? {
        let path = pc_dir.join(pc);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let extra = if path == wanted {
            pc_conf.libs_private.as_slice()
        } else {
            &[]
        };
        std::fs::write(&path, pkgconfig::relocate(&text, install_prefix, extra))
            .map_err(|e| e.to_string())?;
    }
    if !wanted.is_file() {
        return Err(format!(
            "the build installed no lib/pkgconfig/{}.pc; add `[build.pkg-config.generate]` to the recipe",
            plan.recipe.package.pkg_config
        ));
    }
    let remaining = crate::fsutil::list_files(staged).map_err(|e| e.to_string())?;
    if !remaining
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "a"))
    {
        return Err("the build installed no static library (lib/*.a)".into());
    }
    crate::fsutil::set_all_mtimes(staged, super::SOURCE_DATE_EPOCH).map_err(|e| e.to_string())
}

/// Move a finished output into the cache under the plan's key, record last.
pub fn store(cache: &Cache, plan: &DepPlan, staged: &Path, log: &Path) -> std::io::Result<()> {
    let files = crate::fsutil::list_files(staged)?
        .into_iter()
        .map(|rel| {
            let text = rel.to_string_lossy().replace('\\', "/");
            Ok(FileEntry {
                sha256: crate::fsutil::sha256_file(&staged.join(&rel))?,
                path: RelPath::parse(&text)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            })
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let record = BuildRecord {
        dep: plan.pin.name.clone(),
        key: plan.key.clone(),
        files,
    };
    let dest = cache.build_output(&plan.key);
    std::fs::create_dir_all(cache.builds())?;
    let temp = tempfile::Builder::new()
        .prefix(".incoming-")
        .tempdir_in(cache.builds())?;
    std::fs::rename(staged, temp.path().join("files"))?;
    std::fs::copy(log, temp.path().join("build.log"))?;
    let json = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
    std::fs::write(temp.path().join(RECORD_FILE), json)?;
    if dest.exists() {
        std::fs::remove_dir_all(&dest)?;
    }
    std::fs::rename(temp.keep(), &dest)?;
    Ok(())
}
