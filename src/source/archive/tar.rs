//! The tar stream `git archive --format=tar --prefix=<prefix> <commit>`
//! writes, byte for byte, read from the object store with gix.
//!
//! Its shape, as git documents and writes it: a pax global header carrying
//! the commit id; then the prefix folder and every tree entry depth first in
//! tree order, as ustar headers with mtime = commit time, uid/gid 0,
//! uname/gname `root`, and modes from the default `tar.umask` 002 (0664 for
//! files, 0775 for executables and folders, 0777 for links); names longer
//! than the ustar fields split into prefix + name, or carried by a pax
//! extended header; file contents after the working-tree conversions the
//! tree's `.gitattributes` ask for (end of line, ident, encoding), padded to
//! 512 bytes; at the end zeros to a whole 10240-byte record, with at least
//! two zero blocks.

use gix::bstr::{BStr, BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

const BLOCK: usize = 512;
const RECORD: usize = 10240;
const UMASK: u32 = 0o002;
const USTAR_MAX: u64 = 0o777_7777_7777;

/// Why the tar stream of a commit could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TarError {
    /// An object could not be read.
    #[error("{context}: {source}")]
    Git {
        /// What was being read.
        context: String,
        /// git's error.
        #[source]
        source: crate::source::Cause,
    },
    /// The tree asks for something `git archive` does that this does not reproduce.
    #[error("`{path}` sets `{attribute}` in .gitattributes, which changes GitHub's archive in a way not reproduced here")]
    Unsupported {
        /// The attributes file.
        path: String,
        /// The attribute.
        attribute: &'static str,
    },
}

fn git<E: Into<crate::source::Cause>>(context: impl Into<String>) -> impl FnOnce(E) -> TarError {
    let context = context.into();
    move |source| TarError::Git {
        context,
        source: source.into(),
    }
}

/// The bytes of `git archive --format=tar --prefix=<prefix> <commit>`.
pub fn tar_stream(
    repo: &gix::Repository,
    commit: ObjectId,
    prefix: &str,
) -> Result<Vec<u8>, TarError> {
    let found = repo
        .find_commit(commit)
        .map_err(git(format!("commit {commit}")))?;
    let time = found
        .time()
        .map_err(git(format!("commit {commit}")))?
        .seconds;
    let tree = found
        .tree_id()
        .map_err(git(format!("commit {commit}")))?
        .detach();
    let mut writer = Writer {
        out: Vec::new(),
        mtime: u64::try_from(time).unwrap_or(0).min(USTAR_MAX),
    };
    writer.global_header(&commit.to_string());
    let (mut pipeline, _index) = repo
        .filter_pipeline(Some(tree))
        .map_err(git(format!("attributes of tree {tree}")))?;
    writer.entry(tree, prefix.as_bytes().as_bstr(), Kind::Dir, &[]);
    let mut walk = Walk {
        repo,
        pipeline: &mut pipeline,
        writer: &mut writer,
        prefix: prefix.as_bytes(),
    };
    walk.tree(tree, BString::default())?;
    Ok(writer.finish())
}

/// What a tar entry is.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Dir,
    File { executable: bool },
    Link,
}

struct Walk<'a, 'repo> {
    repo: &'repo gix::Repository,
    pipeline: &'a mut gix::filter::Pipeline<'repo>,
    writer: &'a mut Writer,
    prefix: &'a [u8],
}

impl Walk<'_, '_> {
    fn tree(&mut self, id: ObjectId, base: BString) -> Result<(), TarError> {
        let tree = self.repo.find_tree(id).map_err(git(format!("tree {id}")))?;
        let entries: Vec<(BString, EntryKind, ObjectId)> = tree
            .iter()
            .map(|entry| {
                entry
                    .map(|e| (e.filename().to_owned(), e.mode().kind(), e.oid().to_owned()))
                    .map_err(git(format!("tree {id}")))
            })
            .collect::<Result<_, _>>()?;
        for (name, kind, oid) in entries {
            let mut rela = base.clone();
            rela.extend_from_slice(&name);
            let mut path = BString::from(self.prefix);
            path.extend_from_slice(&rela);
            match kind {
                EntryKind::Tree | EntryKind::Commit => {
                    path.push(b'/');
                    self.writer.entry(oid, path.as_bstr(), Kind::Dir, &[]);
                    if kind == EntryKind::Tree {
                        rela.push(b'/');
                        self.tree(oid, rela)?;
                    }
                }
                EntryKind::Link => {
                    let target = self.blob(oid)?;
                    self.writer.entry(oid, path.as_bstr(), Kind::Link, &target);
                }
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    let data = self.blob(oid)?;
                    if name == ".gitattributes" {
                        refuse_unsupported(rela.as_bstr(), &data)?;
                    }
                    let data = self.checked_out(&data, rela.as_bstr())?;
                    let executable = kind == EntryKind::BlobExecutable;
                    self.writer
                        .entry(oid, path.as_bstr(), Kind::File { executable }, &data);
                }
            }
        }
        Ok(())
    }

    fn blob(&self, id: ObjectId) -> Result<Vec<u8>, TarError> {
        self.repo
            .find_blob(id)
            .map(|blob| blob.detach().data)
            .map_err(git(format!("blob {id}")))
    }

    /// The file as a checkout writes it: the tree's attributes decide end of line and the like.
    fn checked_out(&mut self, data: &[u8], rela: &BStr) -> Result<Vec<u8>, TarError> {
        let outcome = self
            .pipeline
            .convert_to_worktree(data, rela, Default::default())
            .map_err(git(format!("converting {rela}")))?;
        outcome
            .as_bytes()
            .map(<[u8]>::to_vec)
            .ok_or_else(|| git(format!("converting {rela}"))("a filter driver was asked for"))
    }
}

/// `export-ignore` and `export-subst` change what `git archive` writes; rather
/// than a wrong hash, such a tree is refused.
fn refuse_unsupported(path: &BStr, data: &[u8]) -> Result<(), TarError> {
    for attribute in ["export-ignore", "export-subst"] {
        if data.find(attribute).is_some() {
            return Err(TarError::Unsupported {
                path: path.to_string(),
                attribute,
            });
        }
    }
    Ok(())
}

/// Writes headers and contents in 512-byte blocks.
struct Writer {
    out: Vec<u8>,
    mtime: u64,
}

/// A pax record `"<len> <key>=<value>\n"`, where `<len>` counts itself.
fn pax_record(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    let mut len = 1 + 1 + key.len() + 1 + value.len() + 1;
    let mut tens = 1;
    while len / 10 >= tens {
        len += 1;
        tens *= 10;
    }
    out.extend_from_slice(format!("{len} {key}=").as_bytes());
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// Where a long path splits into ustar's prefix (155) and name (100) fields, if it can.
fn path_prefix(path: &[u8]) -> usize {
    let mut i = path.len();
    if i > 1 && path[i - 1] == b'/' {
        i -= 1;
    }
    i = i.min(155);
    loop {
        i -= 1;
        if i == 0 || path[i] == b'/' {
            return i;
        }
    }
}

impl Writer {
    fn blocked(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
        let tail = bytes.len() % BLOCK;
        if tail != 0 {
            self.out.resize(self.out.len() + BLOCK - tail, 0);
        }
    }

    fn global_header(&mut self, commit_hex: &str) {
        let mut ext = Vec::new();
        pax_record(&mut ext, "comment", commit_hex.as_bytes());
        let mut header = [0u8; BLOCK];
        put(&mut header, 0, b"pax_global_header");
        header[156] = b'g';
        self.finish_header(&mut header, 0o666, ext.len() as u64);
        self.blocked(&header);
        self.blocked(&ext);
    }

    fn entry(&mut self, oid: ObjectId, path: &BStr, kind: Kind, data: &[u8]) {
        let mut header = [0u8; BLOCK];
        let mut ext = Vec::new();
        let (typeflag, mode) = match kind {
            Kind::Dir => (b'5', 0o777 & !UMASK),
            Kind::Link => (b'2', 0o777),
            Kind::File { executable: true } => (b'0', 0o777 & !UMASK),
            Kind::File { executable: false } => (b'0', 0o666 & !UMASK),
        };
        header[156] = typeflag;
        if path.len() > 100 {
            let plen = path_prefix(path);
            let rest = path.len() - plen - 1;
            if plen > 0 && rest <= 100 {
                put(&mut header, 345, &path[..plen]);
                put(&mut header, 0, &path[plen + 1..]);
            } else {
                put(&mut header, 0, format!("{oid}.data").as_bytes());
                pax_record(&mut ext, "path", path);
            }
        } else {
            put(&mut header, 0, path);
        }
        if kind == Kind::Link {
            if data.len() > 100 {
                put(&mut header, 157, format!("see {oid}.paxheader").as_bytes());
                pax_record(&mut ext, "linkpath", data);
            } else {
                put(&mut header, 157, data);
            }
        }
        let mut size = if matches!(kind, Kind::File { .. }) {
            data.len() as u64
        } else {
            0
        };
        if size > USTAR_MAX {
            pax_record(&mut ext, "size", size.to_string().as_bytes());
            size = 0;
        }
        self.finish_header(&mut header, mode, size);
        if !ext.is_empty() {
            let mut pax = [0u8; BLOCK];
            put(&mut pax, 0, format!("{oid}.paxheader").as_bytes());
            pax[156] = b'x';
            self.finish_header(&mut pax, 0o666, ext.len() as u64);
            self.blocked(&pax);
            self.blocked(&ext);
        }
        self.blocked(&header);
        if matches!(kind, Kind::File { .. }) && !data.is_empty() {
            self.blocked(data);
        }
    }

    /// Fills the numeric fields, magic, owner and checksum of a header.
    fn finish_header(&self, header: &mut [u8; BLOCK], mode: u32, size: u64) {
        put(header, 100, format!("{mode:07o}").as_bytes());
        put(header, 108, b"0000000");
        put(header, 116, b"0000000");
        put(header, 124, format!("{size:011o}").as_bytes());
        put(header, 136, format!("{:011o}", self.mtime).as_bytes());
        put(header, 257, b"ustar\0");
        put(header, 263, b"00");
        put(header, 265, b"root");
        put(header, 297, b"root");
        put(header, 329, b"0000000");
        put(header, 337, b"0000000");
        let sum: u32 = header[..148]
            .iter()
            .chain(&header[156..])
            .map(|&b| u32::from(b))
            .sum::<u32>()
            + 8 * u32::from(b' ');
        put(header, 148, format!("{sum:07o}").as_bytes());
    }

    /// Pads to a whole record, keeping at least two zero blocks at the end.
    fn finish(mut self) -> Vec<u8> {
        let offset = self.out.len() % RECORD;
        let tail = RECORD - offset;
        self.out.resize(self.out.len() + tail, 0);
        if tail < 2 * BLOCK {
            self.out.resize(self.out.len() + RECORD, 0);
        }
        self.out
    }
}

fn put(header: &mut [u8], at: usize, bytes: &[u8]) {
    header[at..at + bytes.len()].copy_from_slice(bytes);
}
