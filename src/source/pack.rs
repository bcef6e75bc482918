//! Git packs of one pinned commit's objects: what the remote cache shares as a
//! dependency's sources, so a machine without access to the source can build.
//!
//! A pack is untrusted when it comes back: it is indexed (which checks its
//! checksum and hashes every object) into a scratch repository, the pinned
//! commit must have the pinned tree there with every object below it, and only
//! then are the pack and its index moved into the store.
//!
//! [`SourceStore::adopt_packs`] is the one way packs and shallow lines enter a
//! store, whether they come from the remote cache or from a bundle.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use gix::odb::pack::data::output;
use gix::ObjectId;

use super::{SourceError, SourceStore};
use crate::config::DepPin;

impl SourceStore {
    /// A pack holding the pinned commit of `pin`, its tree and everything below it, in a fixed order.
    pub fn pack_of(&self, pin: &DepPin) -> Result<Vec<u8>, SourceError> {
        let context = || format!("packing the sources of `{}`", pin.name);
        let (commit, tree) = pin.locked().ok_or_else(|| SourceError::NotLocked {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
        })?;
        let repo = self.repo();
        let ids = objects_of(&repo, commit, tree).map_err(|e| SourceError::git(context(), e))?;
        let mut entries = Vec::with_capacity(ids.len());
        for id in &ids {
            let object = repo
                .find_object(*id)
                .map_err(|e| SourceError::git(context(), e))?;
            let data = gix::objs::Data::new(&object.data, object.kind, gix::hash::Kind::Sha1);
            let count = output::Count::from_data(*id, None);
            let entry = output::Entry::from_data(&count, &data, gix::zlib::Compression::DEFAULT)
                .map_err(|e| SourceError::git(context(), e))?;
            entries.push(entry);
        }
        let mut out = Vec::new();
        let writer = output::bytes::FromEntriesIter::new(
            std::iter::once(Ok(entries)),
            &mut out,
            ids.len() as u32,
            gix::odb::pack::data::Version::V2,
            gix::hash::Kind::Sha1,
        );
        for written in writer {
            written.map_err(|e| SourceError::git(context(), e))?;
        }
        Ok(out)
    }

    /// Check that `pack` holds the pinned sources of `pin` completely (in a
    /// scratch repository below `scratch`), then add it to this store.
    pub fn add_pack(&self, pin: &DepPin, pack: &[u8], scratch: &Path) -> Result<(), String> {
        let (commit, tree) = pin.locked().ok_or("the dependency is not locked")?;
        let check = SourceStore::open(&scratch.join("check.git")).map_err(|e| e.to_string())?;
        let pack_dir = check.path().join("objects/pack");
        let outcome = gix::odb::pack::Bundle::write_to_directory(
            &mut std::io::BufReader::new(pack),
            Some(&pack_dir),
            &mut gix::progress::Discard,
            &AtomicBool::new(false),
            None::<gix::objs::find::Never>,
            gix::hash::Kind::Sha1,
            Default::default(),
        )
        .map_err(|e| format!("not a valid git pack: {e}"))?;
        if let Some(keep) = &outcome.keep_path {
            std::fs::remove_file(keep).map_err(|e| e.to_string())?;
        }
        let check = SourceStore::open(check.path()).map_err(|e| e.to_string())?;
        if !check.has_pinned(pin) {
            return Err(format!(
                "it lacks commit {commit} with tree {tree}, as deps.toml pins `{}`",
                pin.name
            ));
        }
        objects_of(&check.repo(), commit, tree)?;
        let files: Vec<PathBuf> = [&outcome.data_path, &outcome.index_path]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        self.adopt_packs(&files, &format!("{commit}\n"), Transfer::Move)
    }

    /// Add checked pack files (`*.pack` and their `*.idx`) to this store, every
    /// pack before any index, leaving out files the store already has; then
    /// add the lines of `shallow` (commits whose parents the store lacks) that
    /// its `shallow` file lacks.
    pub fn adopt_packs(
        &self,
        files: &[PathBuf],
        shallow: &str,
        transfer: Transfer,
    ) -> Result<(), String> {
        let packs = self.path.join("objects/pack");
        std::fs::create_dir_all(&packs).map_err(|e| e.to_string())?;
        let mut files: Vec<&PathBuf> = files.iter().collect();
        files.sort_by_key(|f| f.extension().is_some_and(|e| e == "idx"));
        for from in files {
            let to = packs.join(from.file_name().ok_or("a pack without a name")?);
            if !to.exists() {
                match transfer {
                    Transfer::Move => std::fs::rename(from, &to),
                    Transfer::Copy => std::fs::copy(from, &to).map(drop),
                }
                .map_err(|e| format!("{}: {e}", to.display()))?;
            }
        }
        if shallow.lines().next().is_some() {
            merge_shallow(shallow, &self.path.join("shallow"))?;
        }
        Ok(())
    }
}

/// How [`SourceStore::adopt_packs`] takes the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// Rename them into the store (they are gone from where they were).
    Move,
    /// Copy them, leaving the originals (e.g. for a second store).
    Copy,
}

/// Add the lines of `from` (a `shallow` file's text) that the file `to` lacks.
fn merge_shallow(from: &str, to: &Path) -> Result<(), String> {
    let mut lines: Vec<String> = std::fs::read_to_string(to)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    for line in from.lines() {
        if !lines.iter().any(|l| l == line) {
            lines.push(line.to_owned());
        }
    }
    let text = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    crate::fsutil::write_atomically(to, text.as_bytes()).map_err(|e| e.to_string())
}

/// The commit, then every tree and blob below `tree` (depth first, each once);
/// an error names the first object the repository lacks.
fn objects_of(
    repo: &gix::Repository,
    commit: ObjectId,
    tree: ObjectId,
) -> Result<Vec<ObjectId>, String> {
    let mut ids = vec![commit];
    let mut seen = HashSet::new();
    let mut pending = vec![tree];
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        ids.push(id);
        let tree = repo
            .find_tree(id)
            .map_err(|e| format!("tree {id} is missing: {e}"))?;
        let decoded = tree.decode().map_err(|e| format!("tree {id}: {e}"))?;
        for entry in decoded.entries.iter().rev() {
            let oid = entry.oid.to_owned();
            if entry.mode.is_tree() {
                pending.push(oid);
            } else if !entry.mode.is_commit() && seen.insert(oid) {
                if !repo.has_object(oid) {
                    return Err(format!("object {oid} below tree {id} is missing"));
                }
                ids.push(oid);
            }
        }
    }
    Ok(ids)
}
