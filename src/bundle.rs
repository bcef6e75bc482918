//! Offline bundles: one file with everything a machine without network needs.
//!
//! A bundle is a tar archive holding `bundle.json` (every other entry with its
//! size and sha256), the `deps.toml` it was made for, the git packs of the
//! source cache, and optionally built outputs. Import checks every hash and
//! every pin into a scratch folder first; only a bundle that passes is added
//! to the cache.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cache::Cache;
use crate::config::Config;
use crate::fsutil;
use crate::source::SourceStore;

const INDEX: &str = "bundle.json";

/// Why a bundle could not be written or imported.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The bundle file cannot be read.
    #[error("cannot read bundle {path}: {message}")]
    Read {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The bundle file cannot be written.
    #[error("cannot write bundle {path}: {message}")]
    Write {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A hash, pin or entry in the bundle is wrong; nothing was imported.
    #[error("bundle {path} is corrupt: {message}; nothing was imported")]
    Corrupt {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The cache lacks pinned sources, so there is nothing complete to export.
    #[error("the cache lacks the pinned sources of {}; run `wasi-externals fetch` before exporting", .deps.join(", "))]
    MissingSources {
        /// The dependencies whose sources are missing.
        deps: Vec<String>,
    },
    /// The checked bundle could not be added to the cache.
    #[error("cannot add the bundle to the cache at {path}: {message}")]
    Import {
        /// The bundle file, or the cache folder for `Import`.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// `bundle.json`: what the bundle holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct BundleIndex {
    /// Format version of this file; bumped on incompatible changes.
    pub format: u32,
    /// Dependency name → tag, for people reading the index.
    pub deps: BTreeMap<String, String>,
    /// Build keys of the outputs included.
    pub builds: Vec<String>,
    /// Every file in the bundle with its size and hash.
    pub entries: Vec<BundleEntry>,
}

/// One file of a bundle.
#[derive(Debug, Serialize, Deserialize)]
pub struct BundleEntry {
    /// The path inside the bundle.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// sha256 of the bytes, in lower-case hex.
    pub sha256: String,
}

/// Write a bundle of `config`'s pinned sources (and the outputs `build_keys` name) to `out`.
pub fn export(
    config: &Config,
    cache: &Cache,
    build_keys: &[String],
    out: &Path,
) -> Result<BundleIndex, BundleError> {
    let write_err = |message: String| BundleError::Write {
        path: out.to_owned(),
        message,
    };
    let store = SourceStore::open(&cache.sources()).map_err(|e| write_err(e.to_string()))?;
    let missing: Vec<String> = config
        .deps
        .values()
        .filter(|pin| !store.has_pinned(pin))
        .map(|pin| pin.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(BundleError::MissingSources { deps: missing });
    }
    let mut files: Vec<(String, PathBuf)> = vec![("deps.toml".into(), config.path.clone())];
    let packs = cache.sources().join("objects/pack");
    for name in fsutil::list_files(&packs).map_err(|e| write_err(e.to_string()))? {
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
        for rel in fsutil::list_files(&dir).map_err(|e| write_err(e.to_string()))? {
            let rel = rel.to_string_lossy().into_owned();
            files.push((format!("builds/{key}/{rel}"), dir.join(&rel)));
        }
    }
    let mut entries = Vec::new();
    for (path, source) in &files {
        entries.push(BundleEntry {
            path: path.clone(),
            size: std::fs::metadata(source)
                .map_err(|e| write_err(format!("{}: {e}", source.display())))?
                .len(),
            sha256: fsutil::sha256_file(source)
                .map_err(|e| write_err(format!("{}: {e}", source.display())))?,
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
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| write_err(e.to_string()))?;
    {
        let mut tar = tar::Builder::new(std::io::BufWriter::new(temp.as_file()));
        let json = serde_json::to_vec_pretty(&index).expect("serializes");
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, INDEX, json.as_slice())
            .map_err(|e| write_err(e.to_string()))?;
        for (path, source) in &files {
            tar.append_path_with_name(source, path)
                .map_err(|e| write_err(format!("{path}: {e}")))?;
        }
        tar.into_inner()
            .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
            .map_err(|e| write_err(e.to_string()))?;
    }
    temp.persist(out)
        .map_err(|e| write_err(e.error.to_string()))?;
    Ok(index)
}

/// Check `bundle` completely, then add its sources and outputs to `cache`.
pub fn import(bundle: &Path, cache: &Cache) -> Result<BundleIndex, BundleError> {
    let corrupt = |message: String| BundleError::Corrupt {
        path: bundle.to_owned(),
        message,
    };
    std::fs::create_dir_all(cache.root()).map_err(|e| BundleError::Import {
        path: cache.root().to_owned(),
        message: e.to_string(),
    })?;
    let scratch = tempfile::Builder::new()
        .prefix(".import-")
        .tempdir_in(cache.root())
        .map_err(|e| BundleError::Import {
            path: cache.root().to_owned(),
            message: e.to_string(),
        })?;
    let file = std::fs::File::open(bundle).map_err(|e| BundleError::Read {
        path: bundle.to_owned(),
        message: e.to_string(),
    })?;
    let mut archive = tar::Archive::new(file);
    let mut index_bytes = None;
    for entry in archive.entries().map_err(|e| corrupt(e.to_string()))? {
        let mut entry = entry.map_err(|e| corrupt(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| corrupt(e.to_string()))?
            .into_owned();
        if path.as_os_str() == INDEX {
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| corrupt(e.to_string()))?;
            index_bytes = Some(bytes);
        } else if !entry
            .unpack_in(scratch.path())
            .map_err(|e| corrupt(format!("{}: {e}", path.display())))?
        {
            return Err(corrupt(format!(
                "entry {} points outside the bundle",
                path.display()
            )));
        }
    }
    let index: BundleIndex =
        serde_json::from_slice(&index_bytes.ok_or_else(|| corrupt(format!("no {INDEX}")))?)
            .map_err(|e| corrupt(format!("{INDEX}: {e}")))?;
    let mut listed = std::collections::BTreeSet::new();
    for entry in &index.entries {
        let path = scratch.path().join(&entry.path);
        let sha =
            fsutil::sha256_file(&path).map_err(|e| corrupt(format!("{}: {e}", entry.path)))?;
        if sha != entry.sha256 {
            return Err(corrupt(format!(
                "{} has sha256 {sha}, the index says {}",
                entry.path, entry.sha256
            )));
        }
        listed.insert(entry.path.clone());
    }
    for rel in fsutil::list_files(scratch.path()).map_err(|e| corrupt(e.to_string()))? {
        let rel = rel.to_string_lossy().into_owned();
        if !listed.contains(&rel) {
            return Err(corrupt(format!("{rel} is not in the index")));
        }
    }
    verify_sources(scratch.path()).map_err(corrupt)?;
    for key in &index.builds {
        verify_build(&scratch.path().join("builds").join(key))
            .map_err(|m| corrupt(format!("build {key}: {m}")))?;
    }
    merge(scratch.path(), cache, &index).map_err(|message| BundleError::Import {
        path: cache.root().to_owned(),
        message,
    })?;
    Ok(index)
}

/// Every pin of the bundle's deps.toml must be present, commit and tree, in its packs.
fn verify_sources(scratch: &Path) -> Result<(), String> {
    let config = Config::load(&scratch.join("deps.toml")).map_err(|e| e.to_string())?;
    let repo_dir = scratch.join("check.git");
    let store = SourceStore::open(&repo_dir).map_err(|e| e.to_string())?;
    let packs = repo_dir.join("objects/pack");
    for name in fsutil::list_files(&scratch.join("sources")).map_err(|e| e.to_string())? {
        let from = scratch.join("sources").join(&name);
        let to = if name.as_os_str() == "shallow" {
            repo_dir.join("shallow")
        } else {
            packs.join(&name)
        };
        std::fs::copy(&from, &to).map_err(|e| e.to_string())?;
    }
    let store = SourceStore::open(store.path()).map_err(|e| e.to_string())?;
    for pin in config.deps.values() {
        if !store.has_pinned(pin) {
            return Err(format!(
                "the sources of `{}` ({}) are not in it as pinned",
                pin.name, pin.tag
            ));
        }
    }
    std::fs::remove_dir_all(&repo_dir).map_err(|e| e.to_string())
}

/// A built output's files must match its record.
fn verify_build(dir: &Path) -> Result<(), String> {
    let bytes = std::fs::read(dir.join(crate::build::RECORD_FILE)).map_err(|e| e.to_string())?;
    let record: crate::build::BuildRecord =
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    for file in &record.files {
        let sha = fsutil::sha256_file(&dir.join("files").join(&file.path))
            .map_err(|e| format!("{}: {e}", file.path))?;
        if sha != file.sha256 {
            return Err(format!("{} does not match its record", file.path));
        }
    }
    Ok(())
}

/// Add the checked packs, shallow list and outputs to the cache; packs before their indexes.
fn merge(scratch: &Path, cache: &Cache, index: &BundleIndex) -> Result<(), String> {
    let store = SourceStore::open(&cache.sources()).map_err(|e| e.to_string())?;
    let packs = store.path().join("objects/pack");
    let mut names = fsutil::list_files(&scratch.join("sources")).map_err(|e| e.to_string())?;
    names.sort_by_key(|n| n.extension().is_some_and(|e| e == "idx"));
    for name in names {
        let from = scratch.join("sources").join(&name);
        if name.as_os_str() == "shallow" {
            let mut lines: Vec<String> = std::fs::read_to_string(store.path().join("shallow"))
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect();
            for line in std::fs::read_to_string(&from)
                .map_err(|e| e.to_string())?
                .lines()
            {
                if !lines.iter().any(|l| l == line) {
                    lines.push(line.to_owned());
                }
            }
            let text = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
            fsutil::write_atomically(&store.path().join("shallow"), text.as_bytes())
                .map_err(|e| e.to_string())?;
        } else if !packs.join(&name).exists() {
            std::fs::rename(&from, packs.join(&name)).map_err(|e| e.to_string())?;
        }
    }
    std::fs::create_dir_all(cache.builds()).map_err(|e| e.to_string())?;
    for key in &index.builds {
        if !cache.has_build(key) {
            let dest = cache.build_output(key);
            if dest.exists() {
                std::fs::remove_dir_all(&dest).map_err(|e| e.to_string())?;
            }
            std::fs::rename(scratch.join("builds").join(key), dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
