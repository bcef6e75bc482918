//! Pinned sources: fetch tags with gix into one shared bare repository,
//! prove they are the pinned commit and tree, and check trees out.
//!
//! This module only knows git. It never builds.

pub mod archive;
mod checkout;
mod licenses;
mod mirrors;
mod pack;
mod watchdog;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use gix::ObjectId;
use serde::Serialize;

use crate::config::DepPin;
use crate::gitref::{CommitId, TagName, TreeId};
use crate::report::{Event, Reporter};

pub use licenses::{LicenseFile, MAX_LICENSE_BYTES};
pub use mirrors::Remotes;
pub use pack::{EntryProblem, Malformed, ObjectsError, PackError, Transfer};

/// The underlying cause of a source failure: the library's own error where
/// there is one (so its `source()` chain reaches the terminal), text otherwise.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why sources could not be fetched, verified or checked out.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The cache repository cannot be opened or created.
    #[error("cannot open the source cache at {path}: {source}")]
    OpenCache {
        /// The cache repository.
        path: PathBuf,
        /// What went wrong (a typed cause where there is one).
        #[source]
        source: Cause,
    },
    /// A damaged cache repository cannot be moved aside.
    #[error(
        "cannot open the source cache at {path}: cannot move the damaged store aside: {source}"
    )]
    MoveAside {
        /// The cache repository.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The dependency has a tag but no pinned commit and tree.
    #[error("`{dep}` is not locked: deps.toml pins tag `{tag}` without a commit and tree")]
    NotLocked {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The git tag pinned in deps.toml.
        tag: TagName,
    },
    /// Offline, and the cache lacks pinned sources.
    #[error(
        "offline, and the cache lacks the pinned sources of: {}\n  \
         run `wasi-externals fetch {}` with network access (or import a bundle) first",
        .deps.join(", "), .deps.join(" ")
    )]
    OfflineMissing {
        /// The dependencies whose sources are missing.
        deps: Vec<String>,
    },
    /// The source does not have these tags.
    #[error("tag(s) not found on {url}: {}", .tags.join(", "))]
    TagNotFound {
        /// The source that was asked.
        url: String,
        /// The tags the source does not have.
        tags: Vec<TagName>,
    },
    /// The tag resolves to a commit other than the pinned one.
    #[error(
        "tag `{tag}` of `{dep}` moved: {url} has it at commit {found}, deps.toml pins {pinned}\n  \
         someone changed the tag upstream; do not trust it until you know why"
    )]
    TagMoved {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The git tag pinned in deps.toml.
        tag: TagName,
        /// The source that was asked.
        url: String,
        /// What deps.toml pins.
        pinned: CommitId,
        /// What the source has.
        found: CommitId,
    },
    /// The commit has a tree other than the pinned one.
    #[error("commit {commit} of `{dep}` ({tag}) has tree {found}, deps.toml pins tree {pinned}")]
    TreeMismatch {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The git tag pinned in deps.toml.
        tag: TagName,
        /// The commit id.
        commit: CommitId,
        /// What deps.toml pins.
        pinned: TreeId,
        /// What the source has.
        found: TreeId,
    },
    /// No location could be reached.
    #[error("cannot reach any source:\n{}", .attempts.iter().map(|(url, err)| format!("  {url}: {err}")).collect::<Vec<_>>().join("\n"))]
    Unreachable {
        /// Each location tried, with its error.
        attempts: Vec<(String, String)>,
    },
    /// Stopped by Ctrl-C.
    #[error("interrupted")]
    Interrupted,
    /// The disk holding the cache is full.
    #[error(
        "no space left for the fetched sources in {}: {source}",
        .path.display()
    )]
    NoSpace {
        /// The cache repository.
        path: PathBuf,
        /// What went wrong (a typed cause where there is one).
        #[source]
        source: Cause,
    },
    /// A git operation in the cache failed.
    #[error("git error in the source cache ({context}): {source}")]
    Git {
        /// What was being done.
        context: String,
        /// What went wrong (a typed cause where there is one).
        #[source]
        source: Cause,
    },
    /// The tag archive of the pinned tree does not hash to the pinned `archive-sha256`.
    #[error(
        "the tag archive of `{dep}` ({tag}, commit {commit}) has sha256 {found}, \
         but deps.toml pins archive-sha256 = \"{pinned}\"\n  \
         the source's tree is not the one published for this tag (CPython's \
         Misc/externals.spdx.json lists these hashes): do not use it"
    )]
    ArchiveMismatch {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The git tag pinned in deps.toml.
        tag: TagName,
        /// The commit whose archive was hashed.
        commit: CommitId,
        /// What deps.toml pins.
        pinned: String,
        /// What the archive of the source's tree hashes to.
        found: String,
    },
    /// The tag archive could not be made from the cached objects.
    #[error("cannot make the tag archive of `{dep}` ({tag}) to check its sha256: {source}")]
    Archive {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The git tag pinned in deps.toml.
        tag: TagName,
        /// What went wrong.
        #[source]
        source: archive::TarError,
    },
    /// Checking a source out into a folder failed.
    #[error("cannot check out `{dep}` into {dest}: {source}")]
    Checkout {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The folder to check out into.
        dest: PathBuf,
        /// What went wrong (a typed cause where there is one).
        #[source]
        source: Cause,
    },
}

impl SourceError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            SourceError::OpenCache { .. } | SourceError::MoveAside { .. } => Code::Cache,
            SourceError::NotLocked { .. } => Code::NotLocked,
            SourceError::OfflineMissing { .. } => Code::OfflineMissing,
            SourceError::TagNotFound { .. } => Code::TagNotFound,
            SourceError::TagMoved { .. } => Code::TagMoved,
            SourceError::TreeMismatch { .. } => Code::TreeMismatch,
            SourceError::Unreachable { .. } => Code::SourceUnreachable,
            SourceError::Interrupted => Code::Interrupted,
            SourceError::Git { .. } => Code::Git,
            SourceError::NoSpace { .. } => Code::NoSpace,
            SourceError::Checkout { .. } => Code::Checkout,
            SourceError::ArchiveMismatch { .. } => Code::ArchiveMismatch,
            SourceError::Archive { .. } => Code::Archive,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            SourceError::NotLocked { dep, .. } => Some(format!(
                "run `wasi-externals lock {dep}` to resolve and pin them"
            )),
            SourceError::TagNotFound { .. } => Some("check the tag names in deps.toml".into()),
            SourceError::TreeMismatch { .. } => Some(
                "the pin is inconsistent or the source served different content; re-check the pin"
                    .into(),
            ),
            SourceError::NoSpace { .. } => Some(
                "free space there, or point --cache-dir / WASI_EXTERNALS_CACHE at a larger disk"
                    .into(),
            ),
            SourceError::TagMoved { dep, .. } => Some(format!(
                "if the new commit is right, run `wasi-externals lock {dep}` to pin it"
            )),
            SourceError::ArchiveMismatch { dep, .. } => Some(format!(
                "if the pinned value itself is wrong, correct it, or remove it and run \
                 `wasi-externals lock {dep}` to record the source's"
            )),
            // What to do stays in the message: scripts read it from `--json`.
            SourceError::OfflineMissing { .. }
            | SourceError::OpenCache { .. }
            | SourceError::MoveAside { .. }
            | SourceError::Unreachable { .. }
            | SourceError::Interrupted
            | SourceError::Git { .. }
            | SourceError::Archive { .. }
            | SourceError::Checkout { .. } => None,
        }
    }
}

impl SourceError {
    fn git(context: impl Into<String>, err: impl Into<Cause>) -> Self {
        SourceError::Git {
            context: crate::redact::text(&context.into()),
            // Git errors quote URLs: keep the chain's shape, drop any secret in it.
            source: Box::new(crate::redact::Cleaned::new(err.into().as_ref())),
        }
    }
}

/// What a fetch did for one dependency.
#[derive(Debug, Clone, Serialize)]
pub struct Fetched {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The git tag pinned in deps.toml.
    pub tag: TagName,
    /// The commit id.
    pub commit: CommitId,
    /// The tree id.
    pub tree: TreeId,
    /// Where it came from; `--json` shows `cached` or the URL.
    pub origin: FetchOrigin,
}

/// Where a fetch found a dependency's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOrigin {
    /// The cache had it; no network was needed.
    Cached,
    /// Fetched from this URL (credentials removed).
    Url(String),
}

impl fmt::Display for FetchOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchOrigin::Cached => f.pad("cached"),
            FetchOrigin::Url(url) => f.pad(url),
        }
    }
}

impl Serialize for FetchOrigin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A tag resolved on a remote, for `lock`.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The git tag pinned in deps.toml.
    pub tag: TagName,
    /// The commit id.
    pub commit: CommitId,
    /// The tree id.
    pub tree: TreeId,
    /// The source that was asked (credentials removed).
    pub url: String,
}

/// Ask the remotes in order whether one has every tag (refs only, no objects
/// fetched, nothing cached); returns the URL of the first that answers.
pub fn probe(tags: &[TagName], remotes: &Remotes) -> Result<String, SourceError> {
    let scratch = tempfile::tempdir().map_err(|e| SourceError::git("a scratch repository", e))?;
    let repo =
        gix::init_bare(scratch.path()).map_err(|e| SourceError::git("a scratch repository", e))?;
    let mut attempts = Vec::new();
    for url in remotes.urls() {
        match mirrors::probe_tags(&repo, url, tags, remotes.timeout) {
            Ok(()) => return Ok(crate::redact::url(url)),
            Err(mirrors::Attempt::Unreachable(message)) => {
                attempts.push((crate::redact::url(url), message))
            }
            Err(mirrors::Attempt::Failed(err)) => return Err(err),
        }
    }
    Err(SourceError::Unreachable { attempts })
}

/// Every tag the first remote that answers advertises, and its URL (refs only,
/// no objects fetched, nothing cached): what `outdated` compares pins with.
pub fn list_tags(remotes: &Remotes) -> Result<(String, Vec<TagName>), SourceError> {
    let scratch = tempfile::tempdir().map_err(|e| SourceError::git("a scratch repository", e))?;
    let repo =
        gix::init_bare(scratch.path()).map_err(|e| SourceError::git("a scratch repository", e))?;
    let mut attempts = Vec::new();
    for url in remotes.urls() {
        match mirrors::tag_names(&repo, url, remotes.timeout) {
            Ok(tags) => return Ok((url.to_owned(), tags)),
            Err(mirrors::Attempt::Unreachable(message)) => attempts.push((url.to_owned(), message)),
            Err(mirrors::Attempt::Failed(err)) => return Err(err),
        }
    }
    Err(SourceError::Unreachable { attempts })
}

/// Each fetched tag's commit and tree.
type PeeledTags = BTreeMap<TagName, (CommitId, TreeId)>;

/// The shared bare repository that holds every fetched tag.
pub struct SourceStore {
    path: PathBuf,
    /// Replaced by [`SourceStore::fetch`] when the store turns out damaged.
    repo: std::sync::RwLock<gix::ThreadSafeRepository>,
}

/// How much of a pin the store holds.
enum PinState {
    /// The commit, the pinned tree and every object below it are readable.
    Complete,
    /// Never fetched.
    Absent,
    /// Fetched once, but objects are missing or unreadable (a deleted or damaged pack).
    Damaged(Unreadable),
}

/// The commit and tree `url` gave for `pin`'s tag must be the pinned ones.
fn check_fetched(
    pin: &DepPin,
    (pinned_commit, pinned_tree): (CommitId, TreeId),
    url: &str,
    (commit, tree): (CommitId, TreeId),
) -> Result<(), SourceError> {
    if commit != pinned_commit {
        return Err(SourceError::TagMoved {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
            url: url.to_owned(),
            pinned: pinned_commit,
            found: commit,
        });
    }
    if tree != pinned_tree {
        return Err(SourceError::TreeMismatch {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
            commit,
            pinned: pinned_tree,
            found: tree,
        });
    }
    Ok(())
}

impl SourceStore {
    /// Open the store, creating an empty bare repository on first use.
    pub fn open(path: &Path) -> Result<SourceStore, SourceError> {
        let open_error = |source: Cause| SourceError::OpenCache {
            path: path.to_owned(),
            source,
        };
        if !path.join("HEAD").exists() {
            let parent = path.parent().expect("store path has a parent");
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.into()))?;
            let staging = tempfile::Builder::new()
                .prefix(".sources-init-")
                .tempdir_in(parent)
                .map_err(|e| open_error(e.into()))?;
            gix::init_bare(staging.path()).map_err(|e| open_error(e.into()))?;
            if let Err(err) = std::fs::rename(staging.path(), path) {
                if !path.join("HEAD").exists() {
                    return Err(open_error(err.into()));
                }
            }
        }
        // Isolated: a user's `core.autocrlf` or url rewrites must not change what we check out.
        let repo = gix::open::Options::isolated()
            .open(path)
            .map_err(|e| open_error(e.into()))?;
        Ok(SourceStore {
            path: path.to_owned(),
            repo: std::sync::RwLock::new(repo),
        })
    }

    fn repo(&self) -> gix::Repository {
        let guard = self
            .repo
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.to_thread_local()
    }

    /// Whether every object of `pin`'s pinned tree can be read; `Damaged` says what cannot.
    fn pin_state(&self, pin: &DepPin) -> PinState {
        let Some((commit, tree)) = pin.locked() else {
            return PinState::Absent;
        };
        let repo = self.repo();
        let had_it = repo
            .try_find_reference(format!("refs/tags/{}", pin.tag).as_str())
            .ok()
            .flatten()
            .is_some();
        let found = repo
            .find_commit(commit.id())
            .map_err(|e| Unreadable::new("commit", commit.id(), e))
            .and_then(|c| {
                c.tree_id()
                    .map(|id| id.detach())
                    .map_err(|e| Unreadable::new("commit", commit.id(), e))
            });
        match found {
            Ok(found) if tree != found => PinState::Absent,
            Ok(_) => match read_tree(&repo, tree.id()) {
                Ok(()) => PinState::Complete,
                Err(message) => PinState::Damaged(message),
            },
            Err(message) if had_it => PinState::Damaged(message),
            Err(_) => PinState::Absent,
        }
    }

    /// Move a damaged store aside (`.stale-sources.git-<pid>`, removed by `cache gc`) and start an empty one.
    fn heal(&self, reporter: &dyn Reporter, why: &str) -> Result<(), SourceError> {
        let message = format!(
            "the source cache {} is damaged ({why}); moving it aside and fetching again",
            self.path.display()
        );
        reporter.event(Event::Note { message: &message });
        let aside = crate::cache::stale::aside(&self.path);
        let _ = std::fs::remove_dir_all(&aside);
        std::fs::rename(&self.path, &aside).map_err(|source| SourceError::MoveAside {
            path: self.path.clone(),
            source,
        })?;
        let _ = std::fs::remove_dir_all(&aside);
        let fresh = SourceStore::open(&self.path)?;
        let repo = fresh.repo.into_inner().unwrap_or_else(|p| p.into_inner());
        *self.repo.write().unwrap_or_else(|p| p.into_inner()) = repo;
        Ok(())
    }

    /// The repository's folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the pinned commit and its pinned tree are in the store.
    pub fn has_pinned(&self, pin: &DepPin) -> bool {
        let Some((commit, tree)) = pin.locked() else {
            return false;
        };
        let repo = self.repo();
        match repo
            .find_commit(commit.id())
            .and_then(|c| c.tree_id().map(|id| id.detach()))
        {
            Ok(found) => tree == found && repo.has_object(tree.id()),
            Err(_) => false,
        }
    }

    /// Make the pinned sources of `pins` available, touching the network only for what is missing.
    pub fn fetch(
        &self,
        pins: &[&DepPin],
        remotes: &Remotes,
        offline: bool,
        reporter: &dyn Reporter,
        interrupt: &AtomicBool,
    ) -> Result<Vec<Fetched>, SourceError> {
        let locked = pins
            .iter()
            .map(|pin| {
                let (commit, tree) = pin.locked().ok_or_else(|| SourceError::NotLocked {
                    dep: pin.name.clone(),
                    tag: pin.tag.clone(),
                })?;
                Ok((*pin, commit, tree))
            })
            .collect::<Result<Vec<_>, SourceError>>()?;
        let missing = self.missing(&locked, reporter)?;
        let mut origin_of: BTreeMap<String, String> = BTreeMap::new();
        if !missing.is_empty() {
            if offline {
                return Err(SourceError::OfflineMissing {
                    deps: missing.iter().map(|(pin, ..)| pin.name.clone()).collect(),
                });
            }
            let tags: Vec<TagName> = missing.iter().map(|(pin, ..)| pin.tag.clone()).collect();
            let (url, found) = self.fetch_tags(&tags, remotes, reporter, interrupt)?;
            for &&(pin, pinned_commit, pinned_tree) in &missing {
                check_fetched(pin, (pinned_commit, pinned_tree), &url, found[&pin.tag])?;
                origin_of.insert(pin.name.clone(), url.clone());
            }
        }
        Ok(locked
            .into_iter()
            .map(|(pin, commit, tree)| Fetched {
                dep: pin.name.clone(),
                tag: pin.tag.clone(),
                commit,
                tree,
                origin: origin_of
                    .remove(&pin.name)
                    .map_or(FetchOrigin::Cached, FetchOrigin::Url),
            })
            .collect())
    }

    /// The locked pins whose sources the store lacks. A damaged store is
    /// healed first, and then every pin is missing.
    fn missing<'a, 'p>(
        &self,
        locked: &'a [(&'p DepPin, CommitId, TreeId)],
        reporter: &dyn Reporter,
    ) -> Result<Vec<&'a (&'p DepPin, CommitId, TreeId)>, SourceError> {
        // Each pinned tree is read in full once; healing empties the store, so then every pin is missing.
        let states: Vec<PinState> = locked.iter().map(|(pin, ..)| self.pin_state(pin)).collect();
        let damaged = locked
            .iter()
            .zip(&states)
            .find_map(|((pin, ..), state)| match state {
                PinState::Damaged(message) => Some(format!("{}: {message}", pin.name)),
                _ => None,
            });
        let healed = damaged.is_some();
        if let Some(why) = damaged {
            self.heal(reporter, &why)?;
        }
        Ok(locked
            .iter()
            .zip(&states)
            .filter(|(_, state)| healed || !matches!(state, PinState::Complete))
            .map(|(pin, _)| pin)
            .collect())
    }

    /// Ask the source what each pin's tag points to now (always over the network).
    pub fn resolve(
        &self,
        pins: &[&DepPin],
        remotes: &Remotes,
        reporter: &dyn Reporter,
        interrupt: &AtomicBool,
    ) -> Result<Vec<Resolved>, SourceError> {
        if pins.is_empty() {
            return Ok(Vec::new());
        }
        let tags: Vec<TagName> = pins.iter().map(|pin| pin.tag.clone()).collect();
        let (url, found) = self.fetch_tags(&tags, remotes, reporter, interrupt)?;
        Ok(pins
            .iter()
            .map(|pin| {
                let (commit, tree) = found[&pin.tag];
                Resolved {
                    dep: pin.name.clone(),
                    tag: pin.tag.clone(),
                    commit,
                    tree,
                    url: url.clone(),
                }
            })
            .collect())
    }

    /// Fetch `tags` from the first reachable remote; returns its URL and each tag's commit and tree.
    fn fetch_tags(
        &self,
        tags: &[TagName],
        remotes: &Remotes,
        reporter: &dyn Reporter,
        interrupt: &AtomicBool,
    ) -> Result<(String, PeeledTags), SourceError> {
        let repo = self.repo();
        let mut attempts = Vec::new();
        for real in remotes.urls() {
            // Only the clean URL is shown, returned or kept in an error.
            let shown = crate::redact::url(real);
            let url = shown.as_str();
            reporter.event(Event::FetchStarted { url, tags });
            let started = Instant::now();
            match mirrors::fetch_tags(&repo, real, tags, remotes, interrupt) {
                Ok(()) => {
                    reporter.event(Event::FetchFinished {
                        url,
                        seconds: started.elapsed().as_secs_f64(),
                    });
                    let mut found = BTreeMap::new();
                    for tag in tags {
                        found.insert(tag.clone(), peel_tag(&repo, tag)?);
                    }
                    return Ok((url.to_owned(), found));
                }
                Err(mirrors::Attempt::Unreachable(message)) => {
                    reporter.event(Event::SourceUnreachable {
                        url,
                        error: &message,
                    });
                    attempts.push((url.to_owned(), message));
                }
                Err(mirrors::Attempt::Failed(err)) => return Err(err),
            }
        }
        Err(SourceError::Unreachable { attempts })
    }

    /// Open the store only if it exists: for looking, never creating (`doctor`).
    pub fn open_existing(path: &Path) -> Result<Option<SourceStore>, SourceError> {
        if path.join("HEAD").exists() {
            SourceStore::open(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// sha256 of GitHub's tag archive of `commit` for `pin`'s tag (see
    /// [`archive`]). A hash once computed is remembered beside the store,
    /// keyed by commit and prefix, so builds pay for it once.
    pub fn archive_sha256(&self, pin: &DepPin, commit: CommitId) -> Result<String, SourceError> {
        let prefix = archive::archive_prefix(&pin.tag);
        let memo = archive::Memo::new(&self.path, commit.id(), &prefix);
        if let Some(found) = memo.read() {
            return Ok(found);
        }
        let found = archive::sha256(&self.repo(), commit.id(), &prefix).map_err(|source| {
            SourceError::Archive {
                dep: pin.name.clone(),
                tag: pin.tag.clone(),
                source,
            }
        })?;
        memo.write(&found);
        Ok(found)
    }

    /// Like [`SourceStore::archive_sha256`], but `None` for a tree whose
    /// `.gitattributes` asks `git archive` for what is not reproduced here
    /// (`export-ignore`, `export-subst`: zlib-ng's tags): such a pin can be
    /// locked without a recorded hash, never checked against a pinned one.
    pub fn archive_sha256_if_reproducible(
        &self,
        pin: &DepPin,
        commit: CommitId,
    ) -> Result<Option<String>, SourceError> {
        match self.archive_sha256(pin, commit) {
            Ok(found) => Ok(Some(found)),
            Err(SourceError::Archive {
                source: archive::TarError::Unsupported { .. },
                ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Refuse any of `pins` (fetched already) whose tag archive does not hash
    /// to its pinned `archive-sha256`.
    pub fn verify_archives(&self, pins: &[&DepPin]) -> Result<(), SourceError> {
        use rayon::prelude::*;
        pins.par_iter().try_for_each(|pin| self.verify_archive(pin))
    }

    fn verify_archive(&self, pin: &DepPin) -> Result<(), SourceError> {
        let (Some(pinned), Some((commit, _))) = (&pin.archive_sha256, pin.locked()) else {
            return Ok(());
        };
        let found = self.archive_sha256(pin, commit)?;
        if &found != pinned {
            return Err(SourceError::ArchiveMismatch {
                dep: pin.name.clone(),
                tag: pin.tag.clone(),
                commit,
                pinned: pinned.clone(),
                found,
            });
        }
        Ok(())
    }

    /// Write the pinned tree of `pin` into `dest`, which must not exist yet.
    pub fn checkout(
        &self,
        pin: &DepPin,
        dest: &Path,
        interrupt: &AtomicBool,
    ) -> Result<(), SourceError> {
        let (_, tree) = pin.locked().ok_or_else(|| SourceError::NotLocked {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
        })?;
        checkout::checkout_tree(&self.repo(), tree.id(), dest, interrupt).map_err(|message| {
            SourceError::Checkout {
                dep: pin.name.clone(),
                dest: dest.to_owned(),
                source: message,
            }
        })
    }
}

/// Commit and tree that `refs/tags/<tag>` points to, peeling annotated tags.
fn peel_tag(repo: &gix::Repository, tag: &str) -> Result<(CommitId, TreeId), SourceError> {
    let context = || format!("peeling refs/tags/{tag}");
    let mut reference = repo
        .find_reference(format!("refs/tags/{tag}").as_str())
        .map_err(|e| SourceError::git(context(), e))?;
    let commit = reference
        .peel_to_commit()
        .map_err(|e| SourceError::git(context(), e))?;
    let tree = commit
        .tree_id()
        .map_err(|e| SourceError::git(context(), e))?;
    Ok((commit.id.into(), tree.detach().into()))
}

/// An object of a pinned commit the store cannot read (what a damaged store shows).
#[derive(Debug, thiserror::Error)]
#[error("{what} {id}: {source}")]
struct Unreadable {
    /// `commit`, `tree` or `object`.
    what: &'static str,
    /// The object.
    id: ObjectId,
    /// git's error.
    #[source]
    source: Cause,
}

impl Unreadable {
    fn new(what: &'static str, id: ObjectId, source: impl Into<Cause>) -> Unreadable {
        Unreadable {
            what,
            id,
            source: source.into(),
        }
    }
}

/// Read every object below `tree`: a deleted or corrupt pack shows up here, before a build uses it.
fn read_tree(repo: &gix::Repository, tree: ObjectId) -> Result<(), Unreadable> {
    let object = repo
        .find_object(tree)
        .map_err(|e| Unreadable::new("tree", tree, e))?;
    let tree_ref = object
        .try_into_tree()
        .map_err(|e| Unreadable::new("tree", tree, e))?;
    let entries: Vec<(ObjectId, bool, bool)> = tree_ref
        .iter()
        .map(|entry| {
            entry
                .map(|e| (e.oid().to_owned(), e.mode().is_tree(), e.mode().is_commit()))
                .map_err(|e| Unreadable::new("tree", tree, e))
        })
        .collect::<Result<_, _>>()?;
    for (id, is_tree, is_commit) in entries {
        if is_tree {
            read_tree(repo, id)?;
        } else if !is_commit {
            repo.find_object(id)
                .map_err(|e| Unreadable::new("object", id, e))?;
        }
    }
    Ok(())
}
