//! GitHub's tag archive, made in process: `git archive --format=tar
//! --prefix=<repo>-<tag>/ <commit> | gzip -cn`, byte for byte, so its sha256
//! can be checked against the value CPython publishes, with no download and
//! without running `git` or `gzip`.
//!
//! Two halves: [`tar`] writes git's tar stream from the object store, and
//! [`deflate`] compresses it exactly as GNU gzip does (zlib-based encoders
//! give other bytes, so a hash of their output would never match).

mod bits;
pub mod deflate;
mod huffman;
pub mod tar;

use gix::ObjectId;
use sha2::{Digest, Sha256};

pub use tar::TarError;

/// The repository whose GitHub archives `archive-sha256` pins: CPython
/// publishes the hashes of python/cpython-source-deps' tag archives.
pub const REPOSITORY_NAME: &str = "cpython-source-deps";

/// The folder every entry of the tag archive lies in, `<repository>-<tag>/`.
/// It is the same whatever URL or mirror the tag was fetched from: the hash
/// names content, and a mirror's name must not change it.
pub fn archive_prefix(tag: &str) -> String {
    format!("{REPOSITORY_NAME}-{tag}/")
}

/// sha256 (hex) of the `.tar.gz` GitHub serves for `commit` under `prefix`.
pub fn sha256(repo: &gix::Repository, commit: ObjectId, prefix: &str) -> Result<String, TarError> {
    let tar = tar::tar_stream(repo, commit, prefix)?;
    let mut hasher = Sha256::new();
    deflate::gzip(&tar[..], HashWriter(&mut hasher)).map_err(|e| TarError::Git {
        context: "compressing the archive".into(),
        source: e.into(),
    })?;
    Ok(hex::encode(hasher.finalize()))
}

/// Feeds written bytes to a hasher.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A computed archive hash, remembered in `<store>/wasi-externals/archives/<commit>`
/// as `<prefix>\n<sha256>\n`. Only a well-formed file for the same prefix counts;
/// anything else is recomputed (and a failed write only costs a recomputation).
pub struct Memo {
    path: std::path::PathBuf,
    prefix: String,
}

impl Memo {
    /// The memo of `commit`'s archive under `prefix` in the store at `store`.
    pub fn new(store: &std::path::Path, commit: ObjectId, prefix: &str) -> Memo {
        Memo {
            path: store
                .join("wasi-externals")
                .join("archives")
                .join(commit.to_string()),
            prefix: prefix.to_owned(),
        }
    }

    /// The remembered sha256, if the memo is there and well formed.
    pub fn read(&self) -> Option<String> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let mut lines = text.lines();
        let (prefix, sha) = (lines.next()?, lines.next()?);
        let well_formed = prefix == self.prefix
            && lines.next().is_none()
            && sha.len() == 64
            && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        well_formed.then(|| sha.to_owned())
    }

    /// Remembers `sha`; best effort.
    pub fn write(&self, sha: &str) {
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomically(
            &self.path,
            format!("{}\n{sha}\n", self.prefix).as_bytes(),
        );
    }
}
