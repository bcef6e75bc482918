//! The cache folder: fetched sources and built outputs, shared by every prefix.
//!
//! Everything below `builds/` is read as untrusted: a folder whose name is not
//! a build key, or whose record cannot be read, is reported as broken and
//! removed by `gc` and `clean`, never trusted and never a reason to fail.
//!
//! This module owns the cache's format: its paths and lock here, the entries of
//! `builds/` in [`entry`], the build timings in [`timings`], the names of
//! folders set aside in [`stale`], the remote cache in [`remote`] and what it
//! did in the last run in [`stats`].

pub mod entry;
pub mod remote;
pub mod stale;
pub mod stats;
pub mod timings;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::fsutil::FileLock;
use crate::key::BuildKey;
use crate::report::{Event, Reporter};

pub use entry::{BuildRecord, CachedBuild, FileEntry, RecordError, RECORD_FILE};
pub use timings::Timings;

/// Scratch folders of bundle imports start with this, directly in the cache folder.
const SCRATCH_PREFIX: &str = ".import-";

/// Why the cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The platform has no cache folder and none was given.
    #[error("no cache folder")]
    NoDefault,
    /// The cache's lock file could not be taken.
    #[error("cannot lock the cache at {path}: {source}")]
    Lock {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Something in the cache could not be removed.
    #[error("cannot remove {path} from the cache: {source}")]
    Remove {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A scratch folder in the cache could not be created.
    #[error("cannot create a scratch folder in the cache at {path}: {source}")]
    Scratch {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl CacheError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        let _ = self;
        Code::Cache
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            CacheError::NoDefault => Some("set --cache-dir or WASI_EXTERNALS_CACHE".into()),
            _ => None,
        }
    }
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
    /// Entries below `builds/` that are not usable builds; `gc` removes them.
    pub broken: Vec<BrokenEntry>,
}

/// One usable cached build.
#[derive(Debug, Serialize)]
pub struct BuildEntry {
    /// The build key: a hash of everything that can change the output.
    pub key: BuildKey,
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Seconds since the output was last built, imported or installed.
    pub idle_seconds: u64,
}

/// An entry below `builds/` that is no usable build.
#[derive(Debug, Serialize)]
pub struct BrokenEntry {
    /// The entry of `builds/`: what `gc` removes.
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// What is wrong, naming the file at fault.
    pub problem: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// What `cache gc` or `cache clean` removed.
#[derive(Debug, Default, Serialize)]
pub struct Removed {
    /// Build keys.
    pub builds: Vec<BuildKey>,
    /// Broken entries and scratch folders of killed imports.
    #[serde(serialize_with = "lossy_paths")]
    pub broken: Vec<PathBuf>,
    /// How many leftover work folders were removed.
    pub work_dirs: usize,
    /// Whether the fetched sources were removed too.
    pub sources: bool,
    /// Size in bytes.
    pub bytes: u64,
}

/// Proof that this process holds the cache's lock: what changes the cache asks for it.
pub struct CacheLock {
    _file: FileLock,
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

    /// The cache folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bare git repository holding every fetched tag.
    pub fn sources(&self) -> PathBuf {
        self.root.join("sources.git")
    }

    /// Built outputs, one folder per build key.
    pub fn builds(&self) -> PathBuf {
        self.root.join(entry::BUILDS_DIR)
    }

    /// The folder holding the output of the build with `key`.
    pub fn build_output(&self, key: &BuildKey) -> PathBuf {
        self.builds().join(key)
    }

    /// The entry of the build with `key`, whether or not it exists.
    pub fn entry(&self, key: &BuildKey) -> CachedBuild {
        CachedBuild::under(&self.root, key)
    }

    /// A build output is complete once its record exists: it is written last.
    pub fn has_build(&self, key: &BuildKey) -> bool {
        self.entry(key).record_path().is_file()
    }

    /// Scratch space for building `dep`; kept after a failure for inspection.
    pub fn work_dir(&self, dep: &str, key: &BuildKey) -> PathBuf {
        let short = &key.as_str()[..12];
        self.work_root().join(format!("{dep}-{short}"))
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

    /// Note that the output with `key` was just used (or imported), so `gc` keeps it.
    pub fn touch_build(&self, key: &BuildKey) {
        let record = self.entry(key).record_path();
        let _ = filetime::set_file_mtime(record, filetime::FileTime::now());
    }

    /// Remove the output with `key`, e.g. because its files do not match its record.
    pub fn evict(&self, _lock: &CacheLock, key: &BuildKey) -> Result<(), CacheError> {
        remove_any(&self.build_output(key))
    }

    /// Store a new entry for `record`'s key: `staged` becomes its files, `log`
    /// its log, and the record is written last; the entry appears in one rename.
    pub fn store(&self, record: &BuildRecord, staged: &Path, log: &Path) -> std::io::Result<()> {
        entry::publish_new(&self.builds(), record, staged, log)
    }

    /// Move a checked entry (from a scratch folder) into the cache as build `key`,
    /// unless the cache already has that build.
    pub fn adopt(
        &self,
        _lock: &CacheLock,
        checked: &CachedBuild,
        key: &BuildKey,
    ) -> std::io::Result<()> {
        if !self.has_build(key) {
            std::fs::create_dir_all(self.builds())?;
            let dest = self.build_output(key);
            if dest.exists() {
                std::fs::remove_dir_all(&dest)?;
            }
            std::fs::rename(checked.dir(), dest)?;
        }
        Ok(())
    }

    /// A fresh scratch folder for an import, removed when dropped. Scratch
    /// folders of killed imports are removed first: with the lock held, no
    /// other import can be using them.
    pub fn scratch(&self, lock: &CacheLock) -> Result<tempfile::TempDir, CacheError> {
        self.remove_stale_scratch(lock)?;
        tempfile::Builder::new()
            .prefix(SCRATCH_PREFIX)
            .tempdir_in(&self.root)
            .map_err(|source| CacheError::Scratch {
                path: self.root.clone(),
                source,
            })
    }

    /// Remove the scratch folders of imports that were killed; their paths.
    fn remove_stale_scratch(&self, _lock: &CacheLock) -> Result<Vec<PathBuf>, CacheError> {
        let mut removed = Vec::new();
        for entry in std::fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(SCRATCH_PREFIX)
            {
                remove_any(&entry.path())?;
                removed.push(entry.path());
            }
        }
        Ok(removed)
    }

    /// Hold this while changing the cache; a second process waits for it.
    pub fn lock(&self, reporter: &dyn Reporter) -> Result<CacheLock, CacheError> {
        let path = self.root.join(".lock");
        FileLock::acquire(&path, || {
            reporter.event(Event::WaitingForLock {
                what: &format!("the cache at {}", self.root.display()),
            })
        })
        .map(|file| CacheLock { _file: file })
        .map_err(|source| CacheError::Lock { path, source })
    }
}

/// Listing and trimming.
impl Cache {
    /// Sizes of the sources, the scratch space and every cached build; broken entries named.
    pub fn list(&self) -> Listing {
        let mut listing = Listing {
            root: self.root.clone(),
            sources_bytes: size(&self.sources()),
            work_bytes: size(&self.work_root()),
            builds: Vec::new(),
            broken: Vec::new(),
        };
        for entry in std::fs::read_dir(self.builds()).into_iter().flatten() {
            match entry.map(|e| inspect(&e.path())) {
                Ok(Ok(build)) => listing.builds.push(build),
                Ok(Err(broken)) => listing.broken.push(broken),
                Err(_) => {}
            }
        }
        listing
            .builds
            .sort_by(|a, b| (&a.dep, a.idle_seconds).cmp(&(&b.dep, b.idle_seconds)));
        listing.broken.sort_by(|a, b| a.path.cmp(&b.path));
        listing
    }

    /// Drop builds idle for longer than `max_idle`, broken entries, left-over
    /// work folders and the scratch folders of killed imports.
    pub fn gc(&self, lock: &CacheLock, max_idle: Duration) -> Result<Removed, CacheError> {
        let listing = self.list();
        let mut removed = self.remove_broken(lock, &listing)?;
        for build in listing
            .builds
            .iter()
            .filter(|b| b.idle_seconds >= max_idle.as_secs())
        {
            remove_any(&self.build_output(&build.key))?;
            removed.bytes += build.bytes;
            removed.builds.push(build.key.clone());
        }
        removed.bytes += listing.work_bytes;
        removed.work_dirs = self.remove_work()?;
        Ok(removed)
    }

    /// Remove every build (and, with `sources`, the fetched sources too).
    pub fn clean(&self, lock: &CacheLock, sources: bool) -> Result<Removed, CacheError> {
        let listing = self.list();
        let mut removed = self.remove_broken(lock, &listing)?;
        removed.builds = listing.builds.iter().map(|b| b.key.clone()).collect();
        removed.bytes += listing.builds.iter().map(|b| b.bytes).sum::<u64>() + listing.work_bytes;
        remove_any(&self.builds())?;
        removed.work_dirs = self.remove_work()?;
        if sources && self.sources().exists() {
            removed.bytes += listing.sources_bytes;
            remove_any(&self.sources())?;
            removed.sources = true;
        }
        Ok(removed)
    }

    fn remove_broken(&self, lock: &CacheLock, listing: &Listing) -> Result<Removed, CacheError> {
        let mut removed = Removed::default();
        for broken in &listing.broken {
            remove_any(&broken.path)?;
            removed.bytes += broken.bytes;
            removed.broken.push(broken.path.clone());
        }
        for scratch in self.remove_stale_scratch(lock)? {
            removed.broken.push(scratch);
        }
        Ok(removed)
    }

    fn remove_work(&self) -> Result<usize, CacheError> {
        let work = self.work_root();
        let count = std::fs::read_dir(&work).map(|d| d.count()).unwrap_or(0);
        stale::reclaim_dir(&work).map_err(|source| CacheError::Remove {
            path: work.clone(),
            source,
        })?;
        // Folders an earlier reclaim had to leave aside: `.stale-work-<pid>`.
        if let Some(parent) = work.parent() {
            for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
                if stale::is_aside_of(&work, &entry.file_name().to_string_lossy()) {
                    remove_any(&entry.path())?;
                }
            }
        }
        Ok(count)
    }
}

/// One entry of `builds/`: a usable build, or what is wrong with it.
fn inspect(path: &Path) -> Result<BuildEntry, BrokenEntry> {
    let broken = |problem: String| BrokenEntry {
        path: path.to_owned(),
        problem,
        bytes: size(path),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let key = BuildKey::parse(&name).map_err(|e| broken(format!("is no build: {e}")))?;
    if !path.is_dir() {
        return Err(broken("is not a folder".into()));
    }
    let record_path = path.join(RECORD_FILE);
    if !record_path.exists() {
        return Err(broken(format!("is incomplete: it has no {RECORD_FILE}")));
    }
    let record = BuildRecord::load(path, &key).map_err(|e| broken(e.to_string()))?;
    let modified = std::fs::metadata(&record_path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH);
    Ok(BuildEntry {
        key,
        dep: record.dep,
        bytes: size(path),
        idle_seconds: modified.elapsed().unwrap_or_default().as_secs(),
    })
}

/// A path as text, whatever bytes its name holds (JSON needs UTF-8).
fn lossy_path<S: serde::Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

fn lossy_paths<S: serde::Serializer>(paths: &[PathBuf], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(paths.iter().map(|p| p.to_string_lossy()))
}

/// Bytes below `path` (0 when it is missing or unreadable).
fn size(path: &Path) -> u64 {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs_extra::dir::get_size(path).unwrap_or(0),
        Ok(meta) => meta.len(),
        Err(_) => 0,
    }
}

/// Remove a folder with its content, or a file or symlink; nothing there is fine.
fn remove_any(path: &Path) -> Result<(), CacheError> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    };
    result.map_err(|source| CacheError::Remove {
        path: path.to_owned(),
        source,
    })
}
