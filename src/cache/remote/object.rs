//! One downloaded object: read chunk by chunk into an unnamed temporary file,
//! never past a size cap.
//!
//! A server decides what it announces and what it sends: a `Content-Length`
//! of 30 GB must not become a 30 GB buffer, and an endless body must not grow
//! memory or disk without limit. So the announced size is only compared with
//! the cap, and the body is counted as it arrives.

use std::io::{Read, Seek, Write};
use std::os::unix::fs::FileExt;

use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;

/// The default cap on one remote object: 1 GiB (a build's tar or a source
/// pack is tens of megabytes).
pub const DEFAULT_MAX_OBJECT_SIZE: u64 = 1 << 30;

/// A size that [`parse_size`] does not accept.
#[derive(Debug, thiserror::Error)]
pub enum SizeError {
    /// Not digits with an optional unit.
    #[error("`{}` is not a size (e.g. 268435456, 512KiB, 256MiB, 2GiB)", .0.escape_debug())]
    NotASize(String),
    /// Zero, or more than 64 bits hold.
    #[error("`{}` is not a positive size that fits in 64 bits", .0.escape_debug())]
    OutOfRange(String),
}

/// `268435456`, `512K`, `256MiB`, `1G`, `2GiB` → bytes (K/M/G are powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let not_a_size = || SizeError::NotASize(text.to_owned());
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(not_a_size()),
    };
    let number: u64 = number.parse().map_err(|_| not_a_size())?;
    number
        .checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| SizeError::OutOfRange(text.to_owned()))
}

/// A downloaded object, in a temporary file that disappears with it.
#[derive(Debug)]
pub struct Object {
    file: std::fs::File,
    len: u64,
}

/// Why a download failed.
pub(super) enum Failure {
    /// The store (the network, the server) failed.
    Store(object_store::Error),
    /// The object is larger than the cap (`size`: what the server announced).
    TooLarge { size: Option<u64> },
    /// The temporary file could not be written.
    Local(std::io::Error),
}

impl Object {
    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Its first `max` bytes (e.g. a pointer's text).
    pub fn head(&self, max: usize) -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0u8; max.min(self.len as usize)];
        self.file.read_exact_at(&mut buf, 0)?;
        Ok(buf)
    }

    /// A reader from its start.
    pub fn reader(&self) -> std::io::Result<impl Read + Seek> {
        let mut file = self.file.try_clone()?;
        file.rewind()?;
        Ok(file)
    }

    /// Every byte, for objects known to be small enough to hold (the cap bounds them).
    pub fn bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.reader()?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// An object holding `bytes` (for tests and local stores).
    pub fn from_bytes(bytes: &[u8]) -> std::io::Result<Object> {
        let mut file = tempfile::tempfile()?;
        file.write_all(bytes)?;
        Ok(Object {
            file,
            len: bytes.len() as u64,
        })
    }
}

/// GET `path` from `store` into a temporary file, refusing more than `limit` bytes;
/// `None` when the store has no such object.
pub(super) async fn fetch(
    store: &dyn ObjectStore,
    path: &ObjectPath,
    limit: u64,
) -> Result<Option<Object>, Failure> {
    let found = match store.get_opts(path, Default::default()).await {
        Ok(found) => found,
        Err(object_store::Error::NotFound { .. }) => return Ok(None),
        Err(err) => return Err(Failure::Store(err)),
    };
    if found.meta.size > limit {
        return Err(Failure::TooLarge {
            size: Some(found.meta.size),
        });
    }
    let mut file = tempfile::tempfile().map_err(Failure::Local)?;
    let mut len = 0u64;
    let mut body = found.into_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(Failure::Store)?;
        len += chunk.len() as u64;
        if len > limit {
            return Err(Failure::TooLarge { size: None });
        }
        file.write_all(&chunk).map_err(Failure::Local)?;
    }
    Ok(Some(Object { file, len }))
}
