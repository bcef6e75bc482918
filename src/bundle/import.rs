//! `bundle import`: unpack into a scratch folder, check everything, then merge into the cache.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{layout, BundleError, BundleIndex, Problem, INDEX};
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
    let import_err = |source: Problem| BundleError::Import {
        path: cache.root().to_owned(),
        source,
    };
    std::fs::create_dir_all(cache.root()).map_err(|e| import_err(e.into()))?;
    let scratch = cache.scratch(lock)?;
    let index = unpack(bundle, scratch.path())?;
    check(bundle, scratch.path(), &index)?;
    merge(scratch.path(), cache, lock, &index).map_err(import_err)?;
    for key in &index.builds {
        cache.touch_build(key);
    }
    Ok(index)
}

/// Unpack every entry but the index into `scratch`, refusing anything but plain
/// files and folders; return the parsed index.
fn unpack(bundle: &Path, scratch: &Path) -> Result<BundleIndex, BundleError> {
    let corrupt = |source: Problem| BundleError::Corrupt {
        path: bundle.to_owned(),
        source,
    };
    let file = std::fs::File::open(bundle).map_err(|source| BundleError::Read {
        path: bundle.to_owned(),
        source,
    })?;
    let mut archive = tar::Archive::new(file);
    let mut index_bytes = None;
    let named = |name: &str| {
        let path = PathBuf::from(name);
        move |source| corrupt(Problem::File { path, source })
    };
    for entry in archive.entries().map_err(|e| corrupt(e.into()))? {
        let mut entry = entry.map_err(|e| corrupt(e.into()))?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        crate::archive::check_entry(entry.header().entry_type(), &name, "a bundle").map_err(
            |problem| BundleError::Unsafe {
                path: bundle.to_owned(),
                source: problem.into(),
            },
        )?;
        if name == INDEX {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(named(INDEX))?;
            index_bytes = Some(bytes);
        } else if !entry.unpack_in(scratch).map_err(named(&name))? {
            return Err(corrupt(Problem::Outside(name)));
        }
    }
    let bytes = index_bytes.ok_or_else(|| corrupt(Problem::NoIndex))?;
    serde_json::from_slice(&bytes).map_err(|source| BundleError::BadIndex {
        path: bundle.to_owned(),
        source,
    })
}

/// Records, places, hashes, outputs and pins: everything before the cache is touched.
fn check(bundle: &Path, scratch: &Path, index: &BundleIndex) -> Result<(), BundleError> {
    let corrupt = |source: Problem| BundleError::Corrupt {
        path: bundle.to_owned(),
        source,
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
                source: problem.into(),
            }
        })?;
    }
    check_hashes(scratch, index).map_err(corrupt)?;
    for (entry, record) in &records {
        entry.check(record).map_err(|source| {
            corrupt(Problem::Build {
                key: record.key.clone(),
                source,
            })
        })?;
    }
    verify_sources(scratch).map_err(corrupt)
}

/// Every listed file has its listed sha256, and every unpacked file is listed.
fn check_hashes(scratch: &Path, index: &BundleIndex) -> Result<(), Problem> {
    let mut listed = BTreeSet::new();
    for entry in &index.entries {
        let path = scratch.join(&entry.path);
        let sha = fsutil::sha256_file(&path).map_err(|source| Problem::File {
            path: entry.path.to_string().into(),
            source,
        })?;
        if sha != entry.sha256 {
            return Err(Problem::Hash {
                path: entry.path.clone(),
                found: sha,
                listed: entry.sha256.clone(),
            });
        }
        listed.insert(entry.path.to_string());
    }
    for rel in fsutil::list_files(scratch)? {
        let rel = rel.to_string_lossy().into_owned();
        if !listed.contains(&rel) {
            return Err(Problem::Unlisted(rel));
        }
    }
    Ok(())
}

/// Every pin of the bundle's deps.toml must be present, commit and tree, in its packs.
fn verify_sources(scratch: &Path) -> Result<(), Problem> {
    let config = Config::load(&scratch.join("deps.toml")).map_err(Box::new)?;
    let repo_dir = scratch.join("check.git");
    let store = SourceStore::open(&repo_dir).map_err(Box::new)?;
    let (packs, shallow) = bundled_sources(scratch)?;
    store.adopt_packs(&packs, &shallow, Transfer::Copy)?;
    let store = SourceStore::open(store.path()).map_err(Box::new)?;
    for pin in config.deps.values() {
        if !store.has_pinned(pin) {
            return Err(Problem::NotPinned {
                dep: pin.name.clone(),
                tag: pin.tag.clone(),
            });
        }
    }
    std::fs::remove_dir_all(&repo_dir).map_err(|source| Problem::File {
        path: repo_dir.clone(),
        source,
    })
}

/// The pack files below the bundle's `sources/` and the text of its `shallow` file.
fn bundled_sources(scratch: &Path) -> Result<(Vec<PathBuf>, String), Problem> {
    let dir = scratch.join("sources");
    let mut packs = Vec::new();
    let mut shallow = String::new();
    for name in fsutil::list_files(&dir)? {
        if name.as_os_str() == "shallow" {
            shallow = std::fs::read_to_string(dir.join(&name))?;
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
) -> Result<(), Problem> {
    let store = SourceStore::open(&cache.sources()).map_err(Box::new)?;
    let (packs, shallow) = bundled_sources(scratch)?;
    store.adopt_packs(&packs, &shallow, Transfer::Move)?;
    std::fs::create_dir_all(cache.builds())?;
    for key in &index.builds {
        cache.adopt(lock, &CachedBuild::under(scratch, key), key)?;
    }
    Ok(())
}
