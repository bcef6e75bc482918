//! Pinned sources: fetch tags with gix into one shared bare repository,
//! prove they are the pinned commit and tree, and check trees out.
//!
//! This module only knows git. It never builds.

mod checkout;
mod pack;
mod remote;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use gix::ObjectId;
use serde::Serialize;

use crate::config::DepPin;
use crate::report::{Event, Reporter};

pub use remote::Remotes;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot open the source cache at {path}: {message}")]
    OpenCache { path: PathBuf, message: String },
    #[error(
        "`{dep}` is not locked: deps.toml pins tag `{tag}` without a commit and tree\n  \
         run `wasi-externals lock {dep}` to resolve and pin them"
    )]
    NotLocked { dep: String, tag: String },
    #[error(
        "offline, and the cache lacks the pinned sources of: {}\n  \
         run `wasi-externals fetch {}` with network access (or import a bundle) first",
        .deps.join(", "), .deps.join(" ")
    )]
    OfflineMissing { deps: Vec<String> },
    #[error("tag(s) not found on {url}: {}\n  check the tag names in deps.toml", .tags.join(", "))]
    TagNotFound { url: String, tags: Vec<String> },
    #[error(
        "tag `{tag}` of `{dep}` moved: {url} has it at commit {found}, deps.toml pins {pinned}\n  \
         someone changed the tag upstream; do not trust it until you know why.\n  \
         If the new commit is right, run `wasi-externals lock {dep}` to pin it"
    )]
    TagMoved {
        dep: String,
        tag: String,
        url: String,
        pinned: ObjectId,
        found: ObjectId,
    },
    #[error(
        "commit {commit} of `{dep}` ({tag}) has tree {found}, deps.toml pins tree {pinned}\n  \
         the pin is inconsistent or the source served different content; re-check the pin"
    )]
    TreeMismatch {
        dep: String,
        tag: String,
        commit: ObjectId,
        pinned: ObjectId,
        found: ObjectId,
    },
    #[error("cannot reach any source:\n{}", .attempts.iter().map(|(url, err)| format!("  {url}: {err}")).collect::<Vec<_>>().join("\n"))]
    Unreachable { attempts: Vec<(String, String)> },
    #[error("interrupted")]
    Interrupted,
    #[error(
        "no space left for the fetched sources in {}: {message}\n  \
         free space there, or point --cache-dir / WASI_EXTERNALS_CACHE at a larger disk",
        .path.display()
    )]
    NoSpace { path: PathBuf, message: String },
    #[error("git error in the source cache ({context}): {message}")]
    Git { context: String, message: String },
    #[error("cannot check out `{dep}` into {dest}: {message}")]
    Checkout {
        dep: String,
        dest: PathBuf,
        message: String,
    },
}

impl SourceError {
    fn git(context: impl Into<String>, err: impl std::fmt::Display) -> Self {
        SourceError::Git {
            context: context.into(),
            message: err.to_string(),
        }
    }
}

/// What a fetch did for one dependency.
#[derive(Debug, Clone, Serialize)]
pub struct Fetched {
    pub dep: String,
    pub tag: String,
    pub commit: String,
    pub tree: String,
    /// `cached` when no network was needed, else the URL it came from.
    pub origin: String,
}

/// A tag resolved on a remote, for `lock`.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub dep: String,
    pub tag: String,
    pub commit: String,
    pub tree: String,
    pub url: String,
}

/// Each fetched tag's commit and tree.
type PeeledTags = BTreeMap<String, (ObjectId, ObjectId)>;

/// The shared bare repository that holds every fetched tag.
pub struct SourceStore {
    path: PathBuf,
    repo: gix::ThreadSafeRepository,
}

impl SourceStore {
    /// Open the store, creating an empty bare repository on first use.
    pub fn open(path: &Path) -> Result<SourceStore, SourceError> {
        let open_error = |message: String| SourceError::OpenCache {
            path: path.to_owned(),
            message,
        };
        if !path.join("HEAD").exists() {
            let parent = path.parent().expect("store path has a parent");
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
            let staging = tempfile::Builder::new()
                .prefix(".sources-init-")
                .tempdir_in(parent)
                .map_err(|e| open_error(e.to_string()))?;
            gix::init_bare(staging.path()).map_err(|e| open_error(e.to_string()))?;
            if let Err(err) = std::fs::rename(staging.path(), path) {
                if !path.join("HEAD").exists() {
                    return Err(open_error(err.to_string()));
                }
            }
        }
        // Isolated: a user's `core.autocrlf` or url rewrites must not change what we check out.
        let repo = gix::open::Options::isolated()
            .open(path)
            .map_err(|e| open_error(e.to_string()))?;
        Ok(SourceStore {
            path: path.to_owned(),
            repo,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the pinned commit and its pinned tree are in the store.
    pub fn has_pinned(&self, pin: &DepPin) -> bool {
        let Some((commit, tree)) = pin.locked() else {
            return false;
        };
        let repo = self.repo.to_thread_local();
        match repo
            .find_commit(commit)
            .and_then(|c| c.tree_id().map(|id| id.detach()))
        {
            Ok(found) => found == tree && repo.has_object(tree),
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
        for pin in pins {
            if pin.locked().is_none() {
                return Err(SourceError::NotLocked {
                    dep: pin.name.clone(),
                    tag: pin.tag.clone(),
                });
            }
        }
        let missing: Vec<&DepPin> = pins
            .iter()
            .copied()
            .filter(|pin| !self.has_pinned(pin))
            .collect();
        let mut origin_of: BTreeMap<String, String> = BTreeMap::new();
        if !missing.is_empty() {
            if offline {
                return Err(SourceError::OfflineMissing {
                    deps: missing.iter().map(|pin| pin.name.clone()).collect(),
                });
            }
            let tags: Vec<String> = missing.iter().map(|pin| pin.tag.clone()).collect();
            let (url, found) = self.fetch_tags(&tags, remotes, reporter, interrupt)?;
            for pin in &missing {
                let (commit, tree) = found[&pin.tag];
                let (pinned_commit, pinned_tree) = pin.locked().expect("checked above");
                if commit != pinned_commit {
                    return Err(SourceError::TagMoved {
                        dep: pin.name.clone(),
                        tag: pin.tag.clone(),
                        url: url.clone(),
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
                origin_of.insert(pin.name.clone(), url.clone());
            }
        }
        Ok(pins
            .iter()
            .map(|pin| {
                let (commit, tree) = pin.locked().expect("checked above");
                Fetched {
                    dep: pin.name.clone(),
                    tag: pin.tag.clone(),
                    commit: commit.to_string(),
                    tree: tree.to_string(),
                    origin: origin_of
                        .remove(&pin.name)
                        .unwrap_or_else(|| "cached".into()),
                }
            })
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
        let tags: Vec<String> = pins.iter().map(|pin| pin.tag.clone()).collect();
        let (url, found) = self.fetch_tags(&tags, remotes, reporter, interrupt)?;
        Ok(pins
            .iter()
            .map(|pin| {
                let (commit, tree) = found[&pin.tag];
                Resolved {
                    dep: pin.name.clone(),
                    tag: pin.tag.clone(),
                    commit: commit.to_string(),
                    tree: tree.to_string(),
                    url: url.clone(),
                }
            })
            .collect())
    }

    /// Fetch `tags` from the first reachable remote; returns its URL and each tag's commit and tree.
    fn fetch_tags(
        &self,
        tags: &[String],
        remotes: &Remotes,
        reporter: &dyn Reporter,
        interrupt: &AtomicBool,
    ) -> Result<(String, PeeledTags), SourceError> {
        let repo = self.repo.to_thread_local();
        let mut attempts = Vec::new();
        for url in remotes.urls() {
            reporter.event(Event::FetchStarted { url, tags });
            let started = Instant::now();
            match remote::fetch_tags(&repo, url, tags, remotes.timeout, interrupt) {
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
                Err(remote::Attempt::Unreachable(message)) => {
                    reporter.event(Event::SourceUnreachable {
                        url,
                        error: &message,
                    });
                    attempts.push((url.to_owned(), message));
                }
                Err(remote::Attempt::Failed(err)) => return Err(err),
            }
        }
        Err(SourceError::Unreachable { attempts })
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
        checkout::checkout_tree(&self.repo.to_thread_local(), tree, dest, interrupt).map_err(
            |message| SourceError::Checkout {
                dep: pin.name.clone(),
                dest: dest.to_owned(),
                message,
            },
        )
    }
}

/// Commit and tree that `refs/tags/<tag>` points to, peeling annotated tags.
fn peel_tag(repo: &gix::Repository, tag: &str) -> Result<(ObjectId, ObjectId), SourceError> {
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
    Ok((commit.id, tree.detach()))
}
