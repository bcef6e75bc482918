//! Offline bundles: one file with everything a machine without network needs.
//!
//! A bundle is a tar archive holding `bundle.json` (every other entry with its
//! size and sha256), the `deps.toml` it was made for, the git packs of the
//! source cache, and optionally built outputs. Import checks every hash and
//! every pin into a scratch folder first; only a bundle that passes is added
//! to the cache.
//!
//! A bundle is untrusted input: its entry types, its paths, its build keys and
//! the records of its builds are all checked (see the `layout` module) before anything
//! of it reaches the cache.

mod import;
pub(crate) mod layout;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cache::{entry, Cache, CacheError};
use crate::config::{Config, ConfigError};
use crate::fsutil;
use crate::key::BuildKey;
use crate::relpath::NormalPath;
use crate::source::{SourceError, SourceStore};

pub use import::import;
pub use layout::Misplaced;

const INDEX: &str = "bundle.json";

/// What to do about a bundle that was refused.
const ONLY_EXPORTED: &str =
    "nothing was imported; import only bundles written by `wasi-externals bundle export`";

/// Why a bundle could not be written or imported.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The bundle file cannot be read.
    #[error("cannot read bundle {path}: {source}")]
    Read {
        /// The bundle file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bundle file cannot be written.
    #[error("cannot write bundle {path}: {source}")]
    Write {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Problem,
    },
    /// A hash, pin or entry in the bundle is wrong; nothing was imported.
    #[error("bundle {path} is corrupt: {source}; nothing was imported")]
    Corrupt {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Problem,
    },
    /// An entry would land outside the cache or has an unexpected name.
    #[error("bundle {path} was refused: entry {source}; {ONLY_EXPORTED}")]
    Unsafe {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What is wrong with the entry.
        #[source]
        source: Problem,
    },
    /// The bundle's tar cannot be read, or one of its entries is refused.
    #[error("bundle {path} {}: {source}; {ONLY_EXPORTED}", if source.is_refusal() { "was refused" } else { "cannot be unpacked" })]
    Unpack {
        /// The bundle file.
        path: PathBuf,
        /// Why.
        #[source]
        source: crate::archive::UnpackError,
    },
    /// The bundle's index is not valid.
    #[error("bundle {path} is corrupt: its {INDEX} is not valid: {source}; {ONLY_EXPORTED}")]
    BadIndex {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// Why it is not valid.
        source: serde_json::Error,
    },
    /// A build output's record in the bundle is not valid.
    #[error("bundle {path} is corrupt: {source}; {ONLY_EXPORTED}")]
    BadRecord {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// Why it is not valid.
        source: crate::cache::RecordError,
    },
    /// The cache could not be used.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The cache lacks pinned sources, so there is nothing complete to export.
    #[error("the cache lacks the pinned sources of {}", .deps.join(", "))]
    MissingSources {
        /// The dependencies whose sources are missing.
        deps: Vec<String>,
    },
    /// The checked bundle could not be added to the cache.
    #[error("cannot add the bundle to the cache at {path}: {source}")]
    Import {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Problem,
    },
}

/// What exactly went wrong while writing, checking or adding a bundle: the
/// typed cause of [`BundleError`]'s `Write`, `Corrupt`, `Unsafe` and `Import`.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// A named file could not be read or written.
    #[error("{}: {source}", .path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An unnamed step failed: a temporary file, the tar stream, a folder walk.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The source store could not be opened.
    #[error(transparent)]
    Store(#[from] Box<SourceError>),
    /// The bundle's packs could not be added to a store.
    #[error(transparent)]
    Pack(#[from] crate::source::PackError),
    /// The bundle's deps.toml is not valid.
    #[error(transparent)]
    Config(#[from] Box<ConfigError>),
    /// A path in the index is not a plain relative path.
    #[error(transparent)]
    Path(#[from] crate::relpath::BadPath),
    /// The index could not be serialized.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A listed file lies where no export puts files.
    #[error(transparent)]
    Misplaced(#[from] layout::Misplaced),
    /// A build's files are not those its record lists.
    #[error("build {key}: {source}")]
    Build {
        /// The build.
        key: BuildKey,
        /// What is wrong.
        #[source]
        source: entry::CheckError,
    },
    /// A file's hash is not the one the index lists.
    #[error("{path} has sha256 {found}, the index says {listed}")]
    Hash {
        /// The file in the bundle.
        path: NormalPath,
        /// Its sha256.
        found: String,
        /// What the index says.
        listed: String,
    },
    /// A file the index does not list.
    #[error("{0} is not in the index")]
    Unlisted(String),
    /// A pin of the bundle's deps.toml is not in its packs.
    #[error("the sources of `{dep}` ({tag}) are not in it as pinned")]
    NotPinned {
        /// The dependency.
        dep: String,
        /// Its tag.
        tag: crate::gitref::TagName,
    },
    /// The archive has no index.
    #[error("no {INDEX}")]
    NoIndex,
}

impl BundleError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            BundleError::Corrupt { .. }
            | BundleError::BadIndex { .. }
            | BundleError::BadRecord { .. } => Code::BundleCorrupt,
            BundleError::Unsafe { .. } => Code::BundleUnsafe,
            BundleError::Unpack { source, .. } if source.is_refusal() => Code::BundleUnsafe,
            BundleError::Unpack { .. } => Code::BundleCorrupt,
            BundleError::Cache(e) => e.code(),
            BundleError::Read { .. }
            | BundleError::Write { .. }
            | BundleError::MissingSources { .. }
            | BundleError::Import { .. } => Code::Bundle,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            BundleError::Cache(e) => e.hint(),
            BundleError::MissingSources { .. } => {
                Some("run `wasi-externals fetch` before exporting".into())
            }
            _ => None,
        }
    }
}

/// `bundle.json`: what the bundle holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct BundleIndex {
    /// Format version of this file; bumped on incompatible changes.
    pub format: u32,
    /// Dependency name → tag, for people reading the index.
    pub deps: BTreeMap<String, crate::gitref::TagName>,
    /// Build keys of the outputs included.
    pub builds: Vec<BuildKey>,
    /// Every file in the bundle with its size and hash.
    pub entries: Vec<BundleEntry>,
}

/// One file of a bundle: where it lies in the archive, its size and its sha256.
#[derive(Debug, Serialize, Deserialize)]
pub struct BundleEntry {
    /// The bundle file, or the cache folder for `Import`.
    pub path: NormalPath,
    /// Size in bytes.
    pub size: u64,
    /// sha256 of the bytes, in lower-case hex.
    pub sha256: String,
}

/// Write a bundle of `config`'s pinned sources (and the outputs `build_keys` name) to `out`.
pub fn export(
    config: &Config,
    cache: &Cache,
    build_keys: &[BuildKey],
    out: &Path,
) -> Result<BundleIndex, BundleError> {
    let write_err = |source: Problem| BundleError::Write {
        path: out.to_owned(),
        source,
    };
    let store = SourceStore::open(&cache.sources()).map_err(|e| write_err(Box::new(e).into()))?;
    let missing: Vec<String> = config
        .deps
        .values()
        .filter(|pin| !store.has_pinned(pin))
        .map(|pin| pin.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(BundleError::MissingSources { deps: missing });
    }
    let scrubbed = tempfile::tempdir().map_err(|e| write_err(e.into()))?;
    let mut files =
        exported_files(config, cache, build_keys, scrubbed.path()).map_err(write_err)?;
    // A bundle travels: deps.toml goes in without credentials in its URLs.
    let cleaned = cleaned_config(&config.path).map_err(write_err)?;
    if let Some(cleaned) = &cleaned {
        files[0].1 = cleaned.path().to_owned();
    }
    let mut entries = Vec::new();
    for (path, source) in &files {
        let read_err = |source_err| {
            write_err(Problem::File {
                path: source.clone(),
                source: source_err,
            })
        };
        entries.push(BundleEntry {
            path: NormalPath::parse(path).map_err(|e| write_err(e.into()))?,
            size: std::fs::metadata(source).map_err(read_err)?.len(),
            sha256: fsutil::sha256_file(source).map_err(read_err)?,
        });
    }
    let index = BundleIndex {
        format: 1,
        deps: config
            .deps
            .values()
            .map(|p| (p.name.clone(), p.tag.clone()))
            .collect(),
        builds: build_keys.to_vec(),
        entries,
    };
    write_archive(out, &index, &files).map_err(write_err)?;
    Ok(index)
}

/// A copy of the config at `path` with credentials removed from its URLs,
/// when it holds any (`None`: the file goes in as it is).
fn cleaned_config(path: &Path) -> Result<Option<tempfile::NamedTempFile>, Problem> {
    let text = std::fs::read_to_string(path).map_err(|source| Problem::File {
        path: path.to_owned(),
        source,
    })?;
    let clean = crate::redact::text(&text);
    if clean == text {
        return Ok(None);
    }
    let mut copy = tempfile::NamedTempFile::new()?;
    std::io::Write::write_all(&mut copy, clean.as_bytes())?;
    Ok(Some(copy))
}

/// Bundle path → file for the config, the packs, the shallow list and the
/// outputs; build logs are copied into `scrubbed` without their environment.
fn exported_files(
    config: &Config,
    cache: &Cache,
    build_keys: &[BuildKey],
    scrubbed: &Path,
) -> Result<Vec<(String, PathBuf)>, Problem> {
    let mut files: Vec<(String, PathBuf)> = vec![("deps.toml".into(), config.path.clone())];
    let packs = cache.sources().join("objects/pack");
    for name in fsutil::list_files(&packs)? {
        let name = name.to_string_lossy().into_owned();
        if name.ends_with(".pack") || name.ends_with(".idx") {
            files.push((format!("sources/{name}"), packs.join(&name)));
        }
    }
    let shallow = cache.sources().join("shallow");
    if shallow.exists() {
        files.push(("sources/shallow".into(), shallow));
    }
    for key in build_keys {
        let dir = cache.build_output(key);
        for rel in fsutil::list_files(&dir)? {
            let rel = rel.to_string_lossy().into_owned();
            let mut source = dir.join(&rel);
            if rel == "build.log" {
                let log = std::fs::read_to_string(&source).map_err(|e| Problem::File {
                    path: source.clone(),
                    source: e,
                })?;
                source = scrubbed.join(format!("{key}.log"));
                std::fs::write(&source, without_environment(&log)).map_err(|e| Problem::File {
                    path: source.clone(),
                    source: e,
                })?;
            }
            files.push((entry::archive_name(key, &rel), source));
        }
    }
    Ok(files)
}

/// A build log without the environment block the runner writes first
/// (`HOME`, `PATH`, … of the machine that built it): a bundle leaves the machine.
fn without_environment(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut in_block = false;
    for line in log.lines() {
        if line.starts_with("# environment of every step") {
            in_block = true;
            out.push_str("# environment of every step: left out of the bundle\n");
            continue;
        }
        if in_block && line.starts_with("#   ") {
            continue;
        }
        in_block = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Write `bundle.json` and then every file to `out`, through a temporary file.
fn write_archive(
    out: &Path,
    index: &BundleIndex,
    files: &[(String, PathBuf)],
) -> Result<(), Problem> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = fsutil::new_file_in(dir)?;
    {
        let mut tar = tar::Builder::new(std::io::BufWriter::new(temp.as_file()));
        let json = serde_json::to_vec_pretty(index)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, INDEX, json.as_slice())?;
        for (path, source) in files {
            tar.append_path_with_name(source, path)
                .map_err(|e| Problem::File {
                    path: PathBuf::from(path),
                    source: e,
                })?;
        }
        tar.into_inner()
            .and_then(|w| w.into_inner().map_err(|e| e.into_error()))?;
    }
    temp.persist(out).map_err(|e| e.error)?;
    Ok(())
}
