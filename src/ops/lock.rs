//! `lock`: resolve each pinned tag on the source and write its commit, tree
//! and tag archive hash into deps.toml (or, with `--check`, fail on a change).

use serde::Serialize;

use crate::config::{Config, DepPin, PinUpdate};
use crate::gitref::{CommitId, TagName, TreeId};
use crate::ops::Session;
use crate::source::{Resolved, SourceError, SourceStore};
use crate::Error;

/// What [`lock()`] resolves.
pub struct LockOptions {
    /// Lock only these deps; all when empty.
    pub deps: Vec<String>,
    /// Change nothing; fail when a pin differs from what the source has now.
    pub check: bool,
}

/// One dependency's pin, as resolved on the source.
#[derive(Debug, Serialize)]
pub struct LockEntry {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The profile whose table holds the pin (`None`: the top-level `[deps]`).
    pub python: Option<String>,
    /// The git tag pinned in deps.toml.
    pub tag: TagName,
    /// The commit the tag resolves to on the source.
    pub commit: CommitId,
    /// That commit's tree.
    pub tree: TreeId,
    /// The commit pinned before, if any.
    pub previous_commit: Option<CommitId>,
    /// Whether the pin differs from what was pinned before.
    pub changed: bool,
    /// sha256 of the tag archive made from that commit (checked against the
    /// pinned `archive-sha256` when there is one).
    pub archive_sha256: Option<String>,
    /// Whether `archive-sha256` was missing and is recorded now.
    pub archive_recorded: bool,
}

impl LockEntry {
    /// `zstd`, or `zstd [python 3.14]` for a profile's pin.
    pub fn label(&self) -> String {
        match &self.python {
            None => self.dep.clone(),
            Some(python) => format!("{} [python {python}]", self.dep),
        }
    }
}

/// What [`lock()`] did: its `--json` output.
#[derive(Debug, Serialize)]
pub struct LockReport {
    /// One entry per dependency.
    pub deps: Vec<LockEntry>,
    /// The source the tags were resolved on.
    pub url: Option<String>,
    /// Whether the config file was rewritten.
    pub written: bool,
}

/// The pins `lock` handles: the named ones (of the `--python` profile, if
/// any), else with `--python` that profile's, else every table's.
fn pins_to_lock<'a>(config: &'a Config, options: &LockOptions) -> Result<Vec<&'a DepPin>, Error> {
    if options.deps.is_empty() && config.python.is_none() {
        return Ok(config.all_pins());
    }
    Ok(config.select(&options.deps)?)
}

/// Resolve tags on the source and pin their commits and trees in the config.
///
/// Without `--python` and dep names, every table is locked: `[deps]` and each
/// `[python."X".deps]`; a tag several tables pin is resolved once.
pub fn lock(session: &Session, options: &LockOptions) -> Result<LockReport, Error> {
    let config = session.profile()?;
    if session.offline {
        return Err(Error::OfflineLock);
    }
    let pins = pins_to_lock(config, options)?;
    let _lock = session.cache.lock(session.reporter)?;
    let store = session.open_sources()?;
    let (unique, slots) = one_per_tag(&pins);
    let remotes = session.remotes()?;
    let resolved = store.resolve(&unique, &remotes, session.reporter, &session.interrupt)?;
    let archives = archive_hashes(&store, &unique, &resolved)?;
    let entries: Vec<LockEntry> = pins
        .iter()
        .zip(&slots)
        .map(|(pin, &slot)| entry(&store, pin, &resolved[slot], &archives[slot], options.check))
        .collect::<Result<_, Error>>()?;
    let url = resolved.first().map(|r| r.url.clone());
    if options.check {
        check_unchanged(config, &entries)?;
        return Ok(LockReport {
            deps: entries,
            url,
            written: false,
        });
    }
    let written = write_pins(config, &entries)?;
    Ok(LockReport {
        written,
        deps: entries,
        url,
    })
}

/// The pins with distinct tags (each tag is resolved once), and for each of
/// `pins` the index of its tag among them.
fn one_per_tag<'a>(pins: &[&'a DepPin]) -> (Vec<&'a DepPin>, Vec<usize>) {
    let mut unique: Vec<&DepPin> = Vec::new();
    let mut slots = Vec::with_capacity(pins.len());
    for pin in pins {
        let slot = unique.iter().position(|u| u.tag == pin.tag);
        slots.push(slot.unwrap_or_else(|| {
            unique.push(pin);
            unique.len() - 1
        }));
    }
    (unique, slots)
}

/// `pin` as resolved: what changed, and whether its archive hash is recorded
/// now (never with `check`). A pinned hash is checked unless the lock accepts
/// a new commit.
fn entry(
    store: &SourceStore,
    pin: &DepPin,
    res: &Resolved,
    archive: &Option<String>,
    check: bool,
) -> Result<LockEntry, Error> {
    let previous = pin.commit;
    let changed = previous != Some(res.commit) || pin.tree != Some(res.tree);
    // A pinned hash belongs to the pinned commit (or anchors a first lock);
    // a lock that accepts a new commit records the new commit's hash.
    let replaced = changed && previous.is_some();
    if !replaced {
        check_archive(store, pin, res, archive)?;
    }
    let new_hash = pin.archive_sha256.is_none()
        || (replaced && pin.archive_sha256.as_deref() != archive.as_deref());
    Ok(LockEntry {
        dep: pin.name.clone(),
        python: pin.profile.clone(),
        tag: pin.tag.clone(),
        commit: res.commit,
        tree: res.tree,
        previous_commit: previous,
        changed,
        archive_sha256: archive.clone(),
        archive_recorded: archive.is_some() && new_hash && !check,
    })
}

/// `lock --check`: an error naming every pin that differs from the source.
fn check_unchanged(config: &Config, entries: &[LockEntry]) -> Result<(), Error> {
    let stale: Vec<&LockEntry> = entries.iter().filter(|e| e.changed).collect();
    if stale.is_empty() {
        return Ok(());
    }
    let detail = |e: &&LockEntry| match &e.previous_commit {
        Some(old) => format!(
            "{} ({}): pinned {old}, source has {}",
            e.label(),
            e.tag,
            e.commit
        ),
        None => format!(
            "{} ({}): not locked, source has {}",
            e.label(),
            e.tag,
            e.commit
        ),
    };
    Err(Error::LockOutdated {
        path: config.path.clone(),
        details: stale.iter().map(detail).collect(),
    })
}

/// Write the changed pins (and newly recorded archive hashes) into deps.toml;
/// whether anything was written.
fn write_pins(config: &Config, entries: &[LockEntry]) -> Result<bool, Error> {
    let updates: Vec<PinUpdate> = entries
        .iter()
        .filter(|e| e.changed || e.archive_recorded)
        .map(|e| PinUpdate {
            profile: e.python.clone(),
            dep: e.dep.clone(),
            commit: e.commit,
            tree: e.tree,
            archive_sha256: e.archive_sha256.clone().filter(|_| e.archive_recorded),
        })
        .collect();
    if !updates.is_empty() {
        config.write_pins(&updates)?;
    }
    Ok(!updates.is_empty())
}

/// The tag archive's sha256 of each resolved commit.
fn archive_hashes(
    store: &SourceStore,
    pins: &[&DepPin],
    resolved: &[Resolved],
) -> Result<Vec<Option<String>>, Error> {
    use rayon::prelude::*;
    pins.par_iter()
        .zip(resolved)
        .map(|(pin, res)| Ok(store.archive_sha256_if_reproducible(pin, res.commit)?))
        .collect()
}

/// Refuses a resolved tree whose archive does not hash to the pinned value.
fn check_archive(
    store: &SourceStore,
    pin: &DepPin,
    res: &Resolved,
    found: &Option<String>,
) -> Result<(), Error> {
    let commit = || res.commit;
    let found = match found {
        Some(found) => found.clone(),
        // A pinned hash that cannot be reproduced is never taken on trust:
        // asking again gives the error that says why (which attribute, where).
        None if pin.archive_sha256.is_some() => store.archive_sha256(pin, commit())?,
        None => return Ok(()),
    };
    match &pin.archive_sha256 {
        Some(pinned) if *pinned != found => Err(SourceError::ArchiveMismatch {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
            commit: commit(),
            pinned: pinned.clone(),
            found,
        }
        .into()),
        _ => Ok(()),
    }
}
