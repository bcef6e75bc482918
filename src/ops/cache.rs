//! `cache list`, `gc`, `clean`, `stats` and `keygen`: the local cache's
//! commands, none of which needs a deps.toml (`cache push` is in
//! `remote_cache`, beside the rest of the remote cache's use).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::cache::remote::SecretKey;
use crate::cache::stats::RunStats;
use crate::cache::{Listing, Removed};
use crate::ops::Session;
use crate::Error;

/// The cache's size, every cached build and every broken entry.
pub fn cache_list(session: &Session) -> Listing {
    session.cache.list()
}

/// Drop builds unused for `max_age`, broken outputs and leftover folders.
pub fn cache_gc(session: &Session, max_age: Duration) -> Result<Removed, Error> {
    let lock = session.cache.lock(session.reporter)?;
    Ok(session.cache.gc(&lock, max_age)?)
}

/// Remove every build, and with `sources` the fetched sources too.
pub fn cache_clean(session: &Session, sources: bool) -> Result<Removed, Error> {
    let lock = session.cache.lock(session.reporter)?;
    Ok(session.cache.clean(&lock, sources)?)
}

/// What the remote cache did in the last run that used one.
pub fn cache_stats(session: &Session) -> Result<RunStats, Error> {
    let root = session.cache.root();
    RunStats::load(root).ok_or(Error::NoRemoteStats {
        path: RunStats::path(root),
    })
}

/// What `cache keygen` made: its `--json` output.
#[derive(Debug, Serialize)]
pub struct KeyPair {
    /// The key's name.
    pub name: String,
    /// `NAME:BASE64`, for `[cache] trusted-keys`.
    pub public_key: String,
    /// Where the secret key was written.
    pub secret_key_file: PathBuf,
}

/// A new key pair: the secret key into `out` (a new file, 0600), the public key returned.
pub fn cache_keygen(name: &str, out: &Path) -> Result<KeyPair, Error> {
    let write_error = |source| Error::WriteOutput {
        path: out.to_owned(),
        source,
    };
    let secret = SecretKey::generate(name).map_err(write_error)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .map_err(write_error)?;
    writeln!(file, "{}", secret.to_text())
        .and_then(|()| file.sync_all())
        .map_err(write_error)?;
    Ok(KeyPair {
        name: name.to_owned(),
        public_key: secret.public().to_text(),
        secret_key_file: std::path::absolute(out).unwrap_or_else(|_| out.to_owned()),
    })
}
