//! The cache folder: fetched sources and built outputs, shared by every prefix.

use std::path::{Path, PathBuf};

use crate::fsutil::FileLock;
use crate::report::{Event, Reporter};

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("no cache folder: set --cache-dir or WASI_EXTERNALS_CACHE")]
    NoDefault,
    #[error("cannot lock the cache at {path}: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where the cache lives and how it is laid out.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    /// The cache at `root`; a relative path is taken from the current folder,
    /// since builds run their tools in other folders.
    pub fn new(root: impl Into<PathBuf>) -> Cache {
        let root = root.into();
        Cache {
            root: std::path::absolute(&root).unwrap_or(root),
        }
    }

    /// `$XDG_CACHE_HOME/wasi-externals` (or the platform's equivalent).
    pub fn default_root() -> Result<PathBuf, CacheError> {
        dirs::cache_dir()
            .map(|dir| dir.join("wasi-externals"))
            .ok_or(CacheError::NoDefault)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bare git repository holding every fetched tag.
    pub fn sources(&self) -> PathBuf {
        self.root.join("sources.git")
    }

    /// Built outputs, one folder per build key.
    pub fn builds(&self) -> PathBuf {
        self.root.join("builds")
    }

    /// The folder holding the output of the build with `key`.
    pub fn build_output(&self, key: &str) -> PathBuf {
        self.builds().join(key)
    }

    /// A build output is complete once its record exists: it is written last.
    pub fn has_build(&self, key: &str) -> bool {
        self.build_output(key)
            .join(crate::build::RECORD_FILE)
            .is_file()
    }

    /// Scratch space for building `dep`; kept after a failure for inspection.
    pub fn work_dir(&self, dep: &str, key: &str) -> PathBuf {
        self.root.join("work").join(format!("{dep}-{}", &key[..12]))
    }

    /// Hold this while changing the cache; a second process waits for it.
    pub fn lock(&self, reporter: &dyn Reporter) -> Result<FileLock, CacheError> {
        let path = self.root.join(".lock");
        FileLock::acquire(&path, || {
            reporter.event(Event::WaitingForLock {
                what: &format!("the cache at {}", self.root.display()),
            })
        })
        .map_err(|source| CacheError::Lock { path, source })
    }
}
