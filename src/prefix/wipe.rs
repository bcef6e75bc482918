//! `build --force`: removing what wasi-externals installed in a prefix, and nothing else.
//!
//! Only the files the manifest lists, `config.site` and the manifest itself go;
//! anything else in the prefix (a user's own files) stays, and folders are
//! removed only once empty. The removal is journaled so that a crash leaves
//! the old prefix or an emptied one: renaming the manifest to [`JOURNAL_FILE`]
//! is the one step that commits it, and whoever takes the prefix lock next
//! finishes a removal that was cut short.

use std::path::Path;

use super::{Manifest, Prefix, PrefixError};
use crate::fsutil::FileLock;

/// The manifest of a prefix being emptied, while its files are removed.
pub(super) const JOURNAL_FILE: &str = ".wasi-externals-wiping.json";

impl Prefix {
    /// Remove every file the manifest records, `config.site` and the manifest;
    /// returns how many installed files went. The caller holds the prefix lock.
    pub fn remove_managed(&self, _lock: &FileLock) -> Result<usize, PrefixError> {
        if self.manifest()?.is_none() {
            return Ok(0);
        }
        let journal = self.root.join(JOURNAL_FILE);
        std::fs::rename(self.manifest_path(), &journal).map_err(self.io(&journal))?;
        self.finish_wipe()
    }

    /// Finish a removal a killed run began (see the module docs); 0 when none was under way.
    pub(super) fn finish_wipe(&self) -> Result<usize, PrefixError> {
        let journal = self.root.join(JOURNAL_FILE);
        let bytes = match std::fs::read(&journal) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(source) => {
                return Err(PrefixError::Io {
                    path: journal,
                    source,
                })
            }
        };
        let manifest = Manifest::from_json(&bytes).map_err(|source| PrefixError::BadManifest {
            path: journal.clone(),
            source,
            note: " (remove it and the files it lists by hand)",
        })?;
        let mut removed = 0;
        for file in manifest.deps.values().flat_map(|d| &d.files) {
            let path = self.root.join(file.path.as_str());
            if remove_if_present(&path).map_err(self.io(&path))? {
                removed += 1;
            }
            self.remove_empty_parents(&path);
        }
        let site = self.root.join("config.site");
        remove_if_present(&site).map_err(self.io(&site))?;
        std::fs::remove_file(&journal).map_err(self.io(&journal))?;
        Ok(removed)
    }

    /// Remove the folders above `path` that are left empty, up to the prefix itself.
    fn remove_empty_parents(&self, path: &Path) {
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(&self.root) && *d != self.root) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// Remove a file; `false` when it was already gone.
pub(super) fn remove_if_present(path: &Path) -> std::io::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(err),
    }
}
