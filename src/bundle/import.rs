//! `bundle import`: unpack into a scratch folder, check everything, then merge into the cache.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{layout, BundleError, BundleIndex, INDEX};
use crate::archive::Visit;
use crate::cache::entry::{archive_name, RECORD_FILE};
use crate::cache::{Cache, CacheLock, CachedBuild};
use crate::config::Config;
use crate::fsutil;
use crate::source::{SourceStore, Transfer};

/// Check `bundle` completely, then add its sources and outputs to `cache`.
///
/// Nothing reaches the cache unless every entry is a regular file or folder at
/// a plain relative path, every build key and record is well-formed, and
/// every hash and pin matches. Imported builds count as just used for `gc`.
pub fn import(bundle: &Path, cache: &Cache, lock: &CacheLock) -> Result<BundleIndex, BundleError> {
    std::fs::create_dir_all(cache.root()).map_err(|e| BundleError::Import {
        path: cache.root().to_owned(),
        message: e.to_string(),
    })?;
    let scratch = cache.scratch(lock)?;
    let index = unpack(bundle, scratch.path())?;
    check(bundle, scratch.path(), &index)?;
    merge(scratch.path(), cache, lock, &index).map_err(|message| BundleError::Import {
        path: cache.root().to_owned(),
        message,
    })?;
    for key in &index.builds {
        cache.touch_build(key);
    }
    Ok(index)
}

/// Unpack every entry but the index into `scratch`, refusing anything but plain
/// files and folders; return the parsed index.
fn unpack(bundle: &Path, scratch: &Path) -> Result<BundleIndex, BundleError> {
    let file = std::fs::File::open(bundle).map_err(|e| BundleError::Read {
        path: bundle.to_owned(),
        message: e.to_string(),
    })?;
    let rules = crate::archive::Rules {
        container: "a bundle",
        links: crate::archive::Links::Refused,
        single_top: false,
        dot_prefix: false,
    };
    let mut unpacked = crate::archive::unpack(file, scratch, &rules, |path, _| {
        Ok(if path.as_str() == INDEX {
            Visit::Read
        } else {
            Visit::Unpack
        })
    })
    .map_err(|source| BundleError::Unpack {
        path: bundle.to_owned(),
        source,
    })?;
    let bytes = unpacked
        .read
        .remove(INDEX)
        .ok_or_else(|| BundleError::Corrupt {
            path: bundle.to_owned(),
            message: format!("no {INDEX}"),
        })?;
    serde_json::from_slice(&bytes).map_err(|source| BundleError::BadIndex {
        path: bundle.to_owned(),
        source,
    })
}

/// Records, places, hashes, outputs and pins: everything before the cache is touched.
fn check(bundle: &Path, scratch: &Path, index: &BundleIndex) -> Result<(), BundleError> {
    let corrupt = |message: String| BundleError::Corrupt {
        path: bundle.to_owned(),
        message,
    };
    let mut records = Vec::new();
    for key in &index.builds {
        let entry = CachedBuild::under(scratch, key);
        let record = entry.record(key).map_err(|e| BundleError::BadRecord {
            path: bundle.to_owned(),
            source: e.at(archive_name(key, RECORD_FILE).into()),
        })?;
        records.push((entry, record));
    }
    for entry in &index.entries {
        layout::check_listed(&entry.path, &index.builds).map_err(|problem| {
            BundleError::Unsafe {
                path: bundle.to_owned(),
                problem,
            }
        })?;
    }
    check_hashes(scratch, index).map_err(corrupt)?;
    for (entry, record) in &records {
        entry
            .check(record)
            .map_err(|m| corrupt(format!("build {}: {m}", record.key)))?;
    }
    verify_sources(scratch).map_err(corrupt)
}

/// Every listed file has its listed sha256, and every unpacked file is listed.
fn check_hashes(scratch: &Path, index: &BundleIndex) -> Result<(), String> {
    let mut listed = BTreeSet::new();
    for entry in &index.entries {
        let path = scratch.join(&entry.path);
        let sha = fsutil::sha256_file(&path).map_err(|e| format!("{}: {e}", entry.path))?;
        if sha != entry.sha256 {
            return Err(format!(
                "{} has sha256 {sha}, the index says {}",
                entry.path, entry.sha256
            ));
        }
        listed.insert(entry.path.to_string());
    }
    for rel in fsutil::list_files(scratch).map_err(|e| e.to_string())? {
        let rel = rel.to_string_lossy().into_owned();
        if !listed.contains(&rel) {
            return Err(format!("{rel} is not in the index"));
        }
    }
    Ok(())
}

/// Every pin of the bundle's deps.toml must be present, commit and tree, in its packs.
fn verify_sources(scratch: &Path) -> Result<(), String> {
    let config = Config::load(&scratch.join("deps.toml")).map_err(|e| e.to_string())?;
    let repo_dir = scratch.join("check.git");
    let store = SourceStore::open(&repo_dir).map_err(|e| e.to_string())?;
    let (packs, shallow) = bundled_sources(scratch)?;
    store.adopt_packs(&packs, &shallow, Transfer::Copy)?;
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

/// The pack files below the bundle's `sources/` and the text of its `shallow` file.
fn bundled_sources(scratch: &Path) -> Result<(Vec<PathBuf>, String), String> {
    let dir = scratch.join("sources");
    let mut packs = Vec::new();
    let mut shallow = String::new();
    for name in fsutil::list_files(&dir).map_err(|e| e.to_string())? {
        if name.as_os_str() == "shallow" {
            shallow = std::fs::read_to_string(dir.join(&name)).map_err(|e| e.to_string())?;
        } else {
            packs.push(dir.join(&name));
        }
    }
    Ok((packs, shallow))
}

/// Add the checked packs, shallow list and outputs to the cache; packs before their indexes.
fn merge(
    scratch: &Path,
    cache: &Cache,
    lock: &CacheLock,
    index: &BundleIndex,
) -> Result<(), String> {
    let store = SourceStore::open(&cache.sources()).map_err(|e| e.to_string())?;
    let (packs, shallow) = bundled_sources(scratch)?;
    store.adopt_packs(&packs, &shallow, Transfer::Move)?;
    std::fs::create_dir_all(cache.builds()).map_err(|e| e.to_string())?;
    for key in &index.builds {
        cache
            .adopt(lock, &CachedBuild::under(scratch, key), key)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
