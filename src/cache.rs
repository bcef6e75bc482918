//! The cache folder: fetched sources and built outputs, shared by every prefix.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::fsutil::FileLock;
use crate::report::{Event, Reporter};

/// Why the cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The platform has no cache folder and none was given.
    #[error("no cache folder: set --cache-dir or WASI_EXTERNALS_CACHE")]
    NoDefault,
    /// The cache's lock file could not be taken.
    #[error("cannot lock the cache at {path}: {source}")]
    Lock {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Reading or changing the cache failed.
    #[error("cache at {path}: {message}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// What the cache holds, for `cache list`.
#[derive(Debug, Serialize)]
pub struct Listing {
    /// The cache's folder.
    pub root: PathBuf,
    /// Size of the fetched sources in bytes.
    pub sources_bytes: u64,
    /// Size of the work folders in bytes.
    pub work_bytes: u64,
    /// Every cached build output.
    pub builds: Vec<BuildEntry>,
}

/// One cached build output.
#[derive(Debug, Serialize)]
pub struct BuildEntry {
    /// The build key: a hash of everything that can change the output.
    pub key: String,
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// Size of the output in bytes.
    pub bytes: u64,
    /// Seconds since the output was last built or installed.
    pub idle_seconds: u64,
}

/// What `cache gc` or `cache clean` removed.
#[derive(Debug, Default, Serialize)]
pub struct Removed {
    /// The build keys removed.
    pub builds: Vec<String>,
    /// How many leftover work folders were removed.
    pub work_dirs: usize,
    /// Whether the fetched sources were removed too.
    pub sources: bool,
    /// Bytes freed.
    pub bytes: u64,
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

    /// The cache's folder (absolute).
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
        self.work_root().join(format!("{dep}-{}", &key[..12]))
    }

    /// Where builds run: `<cache>/work`, unless the cache's path holds a character
    /// that configure or make would split on (a space, a quote, a non-ASCII
    /// letter); then a folder named after the cache in the system's temp folder.
    pub fn work_root(&self) -> PathBuf {
        if crate::fsutil::is_tool_safe(&self.root) {
            return self.root.join("work");
        }
        let name = format!(
            "wasi-externals-work-{}",
            &crate::fsutil::sha256_bytes(self.root.as_os_str().as_encoded_bytes())[..16]
        );
        let tmp = std::env::temp_dir();
        let base = if crate::fsutil::is_tool_safe(&tmp) {
            tmp
        } else {
            PathBuf::from("/tmp")
        };
        base.join(name)
    }

    /// Note that the output with `key` was just used, so `gc` keeps it.
    pub fn touch_build(&self, key: &str) {
        let record = self.build_output(key).join(crate::build::RECORD_FILE);
        let _ = filetime::set_file_mtime(record, filetime::FileTime::now());
    }

    fn io(&self, err: impl std::fmt::Display) -> CacheError {
        CacheError::Io {
            path: self.root.clone(),
            message: err.to_string(),
        }
    }

    /// Sizes of the sources, the scratch space and every cached build.
    pub fn list(&self) -> Result<Listing, CacheError> {
        let size = |path: PathBuf| {
            if path.exists() {
                fs_extra::dir::get_size(path).unwrap_or(0)
            } else {
                0
            }
        };
        let mut builds = Vec::new();
        if let Ok(entries) = std::fs::read_dir(self.builds()) {
            for entry in entries.flatten() {
                let key = entry.file_name().to_string_lossy().into_owned();
                if !self.has_build(&key) {
                    continue;
                }
                let record = crate::build::load_record(self, &key).map_err(|e| self.io(e))?;
                let modified = std::fs::metadata(entry.path().join(crate::build::RECORD_FILE))
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                builds.push(BuildEntry {
                    key,
                    dep: record.dep,
                    bytes: size(entry.path()),
                    idle_seconds: modified.elapsed().unwrap_or_default().as_secs(),
                });
            }
        }
        builds.sort_by(|a, b| (&a.dep, a.idle_seconds).cmp(&(&b.dep, b.idle_seconds)));
        Ok(Listing {
            root: self.root.clone(),
            sources_bytes: size(self.sources()),
            work_bytes: size(self.work_root()),
            builds,
        })
    }

    /// Drop builds idle for longer than `max_idle`, incomplete outputs, and left-over work folders.
    pub fn gc(&self, max_idle: Duration) -> Result<Removed, CacheError> {
        let mut removed = Removed::default();
        let listing = self.list()?;
        for build in listing
            .builds
            .iter()
            .filter(|b| b.idle_seconds >= max_idle.as_secs())
        {
            std::fs::remove_dir_all(self.build_output(&build.key)).map_err(|e| self.io(e))?;
            removed.bytes += build.bytes;
            removed.builds.push(build.key.clone());
        }
        if let Ok(entries) = std::fs::read_dir(self.builds()) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !self.has_build(&name) {
                    removed.bytes += fs_extra::dir::get_size(entry.path()).unwrap_or(0);
                    std::fs::remove_dir_all(entry.path()).map_err(|e| self.io(e))?;
                }
            }
        }
        removed.bytes += listing.work_bytes;
        removed.work_dirs = self.remove_work()?;
        Ok(removed)
    }

    /// Remove every build (and, with `sources`, the fetched sources too).
    pub fn clean(&self, sources: bool) -> Result<Removed, CacheError> {
        let listing = self.list()?;
        let mut removed = Removed {
            builds: listing.builds.iter().map(|b| b.key.clone()).collect(),
            bytes: listing.builds.iter().map(|b| b.bytes).sum::<u64>() + listing.work_bytes,
            ..Removed::default()
        };
        if self.builds().exists() {
            std::fs::remove_dir_all(self.builds()).map_err(|e| self.io(e))?;
        }
        removed.work_dirs = self.remove_work()?;
        if sources && self.sources().exists() {
            removed.bytes += listing.sources_bytes;
            std::fs::remove_dir_all(self.sources()).map_err(|e| self.io(e))?;
            removed.sources = true;
        }
        Ok(removed)
    }

    fn remove_work(&self) -> Result<usize, CacheError> {
        let work = self.work_root();
        let count = std::fs::read_dir(&work).map(|d| d.count()).unwrap_or(0);
        if work.exists() {
            std::fs::remove_dir_all(&work).map_err(|e| self.io(e))?;
        }
        Ok(count)
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
