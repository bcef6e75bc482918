//! Git packs of one pinned commit's objects: what the remote cache shares as a
//! dependency's sources, so a machine without access to the source can build.
//!
//! A pack is untrusted when it comes back: it is indexed (which checks its
//! checksum and hashes every object) into a scratch repository, the pinned
//! commit must have the pinned tree there with every object below it, and only
//! then are the pack and its index moved into the store. Before any of that,
//! every object's size is read from the pack's entry headers and the entries
//! are inflated into nothing, so a small pack holding a huge blob is refused
//! in constant memory, before the indexer would hold the blob.
//!
//! [`SourceStore::adopt_packs`] is the one way packs and shallow lines enter a
//! store, whether they come from the remote cache or from a bundle.

use std::collections::HashSet;
use std::io::{BufRead, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use gix::odb::pack::data::output;
use gix::ObjectId;

use super::{SourceError, SourceStore};
use crate::config::DepPin;

/// Why a pack (from the remote cache or a bundle) was not added to the store.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The dependency has no pinned commit and tree to check the pack against.
    #[error("the dependency is not locked")]
    NotLocked,
    /// The pack's bytes are not a git pack this tool accepts.
    #[error("not a valid git pack: {0}")]
    Malformed(Malformed),
    /// An object of the pack is over the size cap.
    #[error(
        "object {entry} of the pack has {size} bytes, over the limit of {limit} bytes \
         (`[cache] max-object-size`); nothing was added"
    )]
    TooLarge {
        /// The entry's number in the pack.
        entry: u32,
        /// Its size (or its delta's result size).
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// git's indexer refused the pack.
    #[error("not a valid git pack: {0}")]
    Index(#[source] super::Cause),
    /// The pack does not hold the pinned commit, its tree and everything below.
    #[error("it lacks commit {commit} with tree {tree}, as deps.toml pins `{dep}`")]
    LacksPin {
        /// The pinned commit.
        commit: ObjectId,
        /// The pinned tree.
        tree: ObjectId,
        /// The dependency's name.
        dep: String,
    },
    /// An object below the pinned tree is missing or unreadable.
    #[error(transparent)]
    Objects(#[from] ObjectsError),
    /// The scratch repository could not be used.
    #[error(transparent)]
    Store(#[from] Box<SourceError>),
    /// A pack file's path has no file name.
    #[error("a pack without a name: {}", .0.display())]
    Nameless(PathBuf),
    /// A pack file, index or the `shallow` file could not be read, moved or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// What is wrong with a pack's bytes.
#[derive(Debug, thiserror::Error)]
pub enum Malformed {
    /// Shorter than a pack header.
    #[error("too short")]
    TooShort,
    /// Not `PACK`, version 2 or 3.
    #[error("bad header")]
    BadHeader,
    /// One entry is cut off or inconsistent.
    #[error("entry {entry}: {problem}")]
    Entry {
        /// The entry's number in the pack.
        entry: u32,
        /// What is wrong with it.
        problem: EntryProblem,
    },
}

/// What is wrong with one entry of a pack.
#[derive(Debug, thiserror::Error)]
pub enum EntryProblem {
    /// The bytes end inside the entry.
    #[error("cut off")]
    CutOff,
    /// A size or offset has more bits than fit.
    #[error("a {0} too large to read")]
    TooLong(&'static str),
    /// Not one of git's object types.
    #[error("unknown object type")]
    UnknownType,
    /// The compressed data is broken.
    #[error("bad zlib data: {0}")]
    Zlib(#[source] std::io::Error),
    /// The data inflates to another size than the header says.
    #[error("inflates to {inflated} bytes, not {size}")]
    WrongSize {
        /// What it inflated to.
        inflated: u64,
        /// What the header said.
        size: u64,
    },
}

/// An object below a pinned tree that a repository lacks or cannot read.
#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    /// A tree is missing.
    #[error("tree {id} is missing: {source}")]
    MissingTree {
        /// The tree.
        id: ObjectId,
        /// git's error.
        #[source]
        source: super::Cause,
    },
    /// A tree does not decode.
    #[error("tree {id}: {source}")]
    BadTree {
        /// The tree.
        id: ObjectId,
        /// git's error.
        #[source]
        source: super::Cause,
    },
    /// A blob or other object is missing.
    #[error("object {id} below tree {tree} is missing")]
    Missing {
        /// The missing object.
        id: ObjectId,
        /// The tree that names it.
        tree: ObjectId,
    },
}

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
    /// scratch repository below `scratch`) and no object over `max_object`
    /// bytes, then add it to this store.
    pub fn add_pack(
        &self,
        pin: &DepPin,
        pack: &mut (impl Read + Seek),
        max_object: u64,
        scratch: &Path,
    ) -> Result<(), PackError> {
        let (commit, tree) = pin.locked().ok_or(PackError::NotLocked)?;
        check_object_sizes(&mut std::io::BufReader::new(&mut *pack), max_object)?;
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| PackError::Io { path, source }
        };
        pack.rewind()
            .map_err(io(Path::new("the downloaded pack")))?;
        let check = SourceStore::open(&scratch.join("check.git")).map_err(Box::new)?;
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
        .map_err(|e| PackError::Index(e.into()))?;
        if let Some(keep) = &outcome.keep_path {
            std::fs::remove_file(keep).map_err(io(keep))?;
        }
        let check = SourceStore::open(check.path()).map_err(Box::new)?;
        if !check.has_pinned(pin) {
            return Err(PackError::LacksPin {
                commit,
                tree,
                dep: pin.name.clone(),
            });
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
    ) -> Result<(), PackError> {
        let packs = self.path.join("objects/pack");
        std::fs::create_dir_all(&packs).map_err(|source| PackError::Io {
            path: packs.clone(),
            source,
        })?;
        let mut files: Vec<&PathBuf> = files.iter().collect();
        files.sort_by_key(|f| f.extension().is_some_and(|e| e == "idx"));
        for from in files {
            let name = from
                .file_name()
                .ok_or_else(|| PackError::Nameless(from.clone()))?;
            let to = packs.join(name);
            if !to.exists() {
                match transfer {
                    Transfer::Move => std::fs::rename(from, &to),
                    Transfer::Copy => std::fs::copy(from, &to).map(drop),
                }
                .map_err(|source| PackError::Io { path: to, source })?;
            }
        }
        if shallow.lines().next().is_some() {
            merge_shallow(shallow, &self.path.join("shallow"))?;
        }
        Ok(())
    }
}

/// Walk the entries of the pack in `pack`: every object (and every delta's
/// result) must be at most `limit` bytes, and no entry may inflate to more
/// than its header says. Reads the pack once, in constant memory.
fn check_object_sizes(pack: &mut impl BufRead, limit: u64) -> Result<(), PackError> {
    let mut header = [0u8; 12];
    pack.read_exact(&mut header)
        .map_err(|_| PackError::Malformed(Malformed::TooShort))?;
    if &header[..4] != b"PACK" || !matches!(header[7], 2 | 3) || header[4..7] != [0, 0, 0] {
        return Err(PackError::Malformed(Malformed::BadHeader));
    }
    let count = u32::from_be_bytes([header[8], header[9], header[10], header[11]]);
    for entry in 0..count {
        let bad = |problem| PackError::Malformed(Malformed::Entry { entry, problem });
        let too_large = |size| PackError::TooLarge { entry, size, limit };
        let (kind, size) = entry_header(pack).map_err(bad)?;
        match kind {
            6 => drop(varint(pack, false).map_err(bad)?),
            7 => pack
                .read_exact(&mut [0u8; 20])
                .map_err(|_| bad(EntryProblem::CutOff))?,
            1..=4 => {}
            _ => return Err(bad(EntryProblem::UnknownType)),
        }
        if size > limit {
            return Err(too_large(size));
        }
        let (inflated, head) = inflate_counting(pack, size).map_err(bad)?;
        if inflated != size {
            return Err(bad(EntryProblem::WrongSize { inflated, size }));
        }
        if kind >= 6 {
            let mut head = &head[..];
            let _base = varint(&mut head, true).map_err(bad)?;
            let result = varint(&mut head, true).map_err(bad)?;
            if result > limit {
                return Err(too_large(result));
            }
        }
    }
    Ok(())
}

/// An entry's type and size: 3 bits of type, then the size in 4 + 7·k bits.
fn entry_header(pack: &mut impl Read) -> Result<(u8, u64), EntryProblem> {
    let mut byte = [0u8; 1];
    pack.read_exact(&mut byte)
        .map_err(|_| EntryProblem::CutOff)?;
    let kind = (byte[0] >> 4) & 7;
    let mut size = u64::from(byte[0] & 15);
    let mut shift = 4;
    while byte[0] & 0x80 != 0 {
        pack.read_exact(&mut byte)
            .map_err(|_| EntryProblem::CutOff)?;
        if shift > 57 {
            return Err(EntryProblem::TooLong("size"));
        }
        size |= u64::from(byte[0] & 0x7f) << shift;
        shift += 7;
    }
    Ok((kind, size))
}

/// A variable-length number: little-endian 7-bit groups (a delta's sizes), or
/// the offset encoding of `OFS_DELTA` (big-endian, each continuation adds one).
fn varint(input: &mut impl Read, little_endian: bool) -> Result<u64, EntryProblem> {
    let mut byte = [0u8; 1];
    let mut value = 0u64;
    for i in 0..10u32 {
        input
            .read_exact(&mut byte)
            .map_err(|_| EntryProblem::CutOff)?;
        let bits = u64::from(byte[0] & 0x7f);
        value = if little_endian {
            value | bits << (7 * i)
        } else if i == 0 {
            bits
        } else {
            ((value + 1) << 7) | bits
        };
        if byte[0] & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(EntryProblem::TooLong("number"))
}

/// Inflate one zlib stream from `pack` into nothing, stopping past `size`
/// bytes; the bytes it gave and its first 32 (a delta's header).
fn inflate_counting(pack: &mut impl BufRead, size: u64) -> Result<(u64, Vec<u8>), EntryProblem> {
    let mut decoder = flate2::bufread::ZlibDecoder::new(pack);
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let mut total = 0u64;
    loop {
        let n = decoder.read(&mut buf).map_err(EntryProblem::Zlib)?;
        if n == 0 {
            return Ok((total, head));
        }
        if head.len() < 32 {
            head.extend_from_slice(&buf[..n.min(32 - head.len())]);
        }
        total += n as u64;
        if total > size {
            return Ok((total, head));
        }
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
fn merge_shallow(from: &str, to: &Path) -> Result<(), PackError> {
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
    crate::fsutil::write_atomically(to, text.as_bytes()).map_err(|source| PackError::Io {
        path: to.to_owned(),
        source,
    })
}

/// The commit, then every tree and blob below `tree` (depth first, each once);
/// an error names the first object the repository lacks.
fn objects_of(
    repo: &gix::Repository,
    commit: ObjectId,
    tree: ObjectId,
) -> Result<Vec<ObjectId>, ObjectsError> {
    let mut ids = vec![commit];
    let mut seen = HashSet::new();
    let mut pending = vec![tree];
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        ids.push(id);
        let tree = repo.find_tree(id).map_err(|e| ObjectsError::MissingTree {
            id,
            source: e.into(),
        })?;
        let decoded = tree.decode().map_err(|e| ObjectsError::BadTree {
            id,
            source: e.into(),
        })?;
        for entry in decoded.entries.iter().rev() {
            let oid = entry.oid.to_owned();
            if entry.mode.is_tree() {
                pending.push(oid);
            } else if !entry.mode.is_commit() && seen.insert(oid) {
                if !repo.has_object(oid) {
                    return Err(ObjectsError::Missing { id: oid, tree: id });
                }
                ids.push(oid);
            }
        }
    }
    Ok(ids)
}
