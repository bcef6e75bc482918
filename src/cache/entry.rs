//! One entry of `builds/`: the format every cached build output has, wherever
//! it comes from (a local build, a bundle, the remote cache).
//!
//! `builds/<key>/` holds `record.json` (written last: its presence means the
//! entry is complete), `build.log` and `files/<include or lib path>`. Bundles
//! and remote tars carry entries under the same names, so this module is the
//! one place that spells them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::key::BuildKey;
use crate::relpath::RelPath;

/// The folder of the cache (and of bundles and remote tars) holding one entry per build key.
pub const BUILDS_DIR: &str = "builds";
/// Written last into a cached output: its presence means the output is complete.
pub const RECORD_FILE: &str = "record.json";
/// The build's log, kept beside its output.
pub const LOG_FILE: &str = "build.log";
/// The folder of an entry holding the output's files, as they go into a prefix.
pub const FILES_DIR: &str = "files";
/// Entries being written start with this, inside `builds/`; a rename publishes them.
const INCOMING_PREFIX: &str = ".incoming-";

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

/// The folder of one build's entry, in the cache or in a scratch copy of one.
#[derive(Debug, Clone)]
pub struct CachedBuild {
    dir: PathBuf,
}

impl CachedBuild {
    /// The entry of build `key` below `root` (a cache's or a scratch folder): `root/builds/<key>`.
    pub fn under(root: &Path, key: &BuildKey) -> CachedBuild {
        CachedBuild::at(root.join(BUILDS_DIR).join(key))
    }

    /// The entry whose folder is `dir`.
    pub fn at(dir: PathBuf) -> CachedBuild {
        CachedBuild { dir }
    }

    /// The entry's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The record file.
    pub fn record_path(&self) -> PathBuf {
        self.dir.join(RECORD_FILE)
    }

    /// The build log.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join(LOG_FILE)
    }

    /// The folder holding the output's files.
    pub fn files_dir(&self) -> PathBuf {
        self.dir.join(FILES_DIR)
    }

    /// The entry's record, which must name build `key`.
    pub fn record(&self, key: &BuildKey) -> Result<BuildRecord, RecordError> {
        BuildRecord::load(&self.dir, key)
    }

    /// The output's files are exactly those of `record`, with their hashes.
    pub fn check(&self, record: &BuildRecord) -> Result<(), CheckError> {
        let files = self.files_dir();
        for file in &record.files {
            let sha = crate::fsutil::sha256_file(&files.join(&file.path)).map_err(|source| {
                CheckError::Read {
                    file: file.path.to_string(),
                    source,
                }
            })?;
            if sha != file.sha256 {
                return Err(CheckError::Mismatch(file.path.to_string()));
            }
        }
        let listed = crate::fsutil::list_files(&files).map_err(|source| CheckError::Read {
            file: FILES_DIR.to_owned(),
            source,
        })?;
        for rel in listed {
            let rel = rel.to_string_lossy().into_owned();
            if !record.files.iter().any(|f| f.path.as_str() == rel) {
                return Err(CheckError::Unrecorded(format!("{FILES_DIR}/{rel}")));
            }
        }
        Ok(())
    }
}

/// Why an entry's files are not exactly those its record lists.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A file (or the files folder) cannot be read.
    #[error("{file}: {source}")]
    Read {
        /// The file, relative to the entry.
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file's hash is not the recorded one.
    #[error("{0} does not match its record")]
    Mismatch(String),
    /// A file the record does not list.
    #[error("{0} is not in its record")]
    Unrecorded(String),
}

/// The name of `member` (e.g. `record.json`, `files/lib/libz.a`) of build `key`
/// inside an archive: `builds/<key>/<member>`.
pub fn archive_name(key: &BuildKey, member: &str) -> String {
    format!("{BUILDS_DIR}/{key}/{member}")
}

/// Whether `parts` (an archive path split at `/`) names a member of the entry of
/// one of `keys`: `builds/<key>/` followed by [`is_member`].
pub fn is_archive_member(parts: &[&str], keys: &[BuildKey]) -> bool {
    match parts {
        [BUILDS_DIR, key, rest @ ..] => {
            BuildKey::parse(key).is_ok_and(|k| keys.contains(&k)) && is_member(rest)
        }
        _ => false,
    }
}

/// `record.json`, `build.log` or `files/<include or lib path>`: what an entry may hold.
pub fn is_member(rest: &[&str]) -> bool {
    match rest {
        [RECORD_FILE | LOG_FILE] => true,
        [FILES_DIR, file @ ..] => RelPath::parse(&file.join("/")).is_ok(),
        _ => false,
    }
}

/// Write an entry into `builds` (the cache's folder of entries) and publish it as
/// `builds/<key>` in one rename: `staged` becomes its files, `log` is copied,
/// the record is written last. An entry already there is replaced.
pub fn publish_new(
    builds: &Path,
    record: &BuildRecord,
    staged: &Path,
    log: &Path,
) -> std::io::Result<()> {
    let dest = builds.join(&record.key);
    std::fs::create_dir_all(builds)?;
    let temp = tempfile::Builder::new()
        .prefix(INCOMING_PREFIX)
        .tempdir_in(builds)?;
    std::fs::rename(staged, temp.path().join(FILES_DIR))?;
    std::fs::copy(log, temp.path().join(LOG_FILE))?;
    let json = serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?;
    std::fs::write(temp.path().join(RECORD_FILE), json)?;
    if dest.exists() {
        std::fs::remove_dir_all(&dest)?;
    }
    std::fs::rename(temp.keep(), &dest)?;
    Ok(())
}
