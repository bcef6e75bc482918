//! A remote cache shared by a fleet of machines: built outputs and source packs
//! in an object store (S3, plain HTTP/WebDAV, or a folder through `file://`).
//!
//! Layout below the configured prefix:
//!
//! - `builds/<key>/<sha256>.tar`: one cached build (`builds/<key>/record.json`
//!   and `builds/<key>/files/…`, the entries a bundle would hold), named by the
//!   sha256 of the tar itself, so an object never changes once written;
//! - `builds/<key>.sha256`: the pointer, the sha256 of the published tar; it is
//!   written after the tar, so every pointer names a complete object;
//! - `sources/<dep>-<commit>.pack`: a git pack of the pinned commit's objects.
//!
//! Concurrent writers of one key: each writes its tar under its own content
//! name and then the pointer, last writer wins. Every pointer a reader can see
//! names a tar that was completely written before it, and builds are
//! reproducible, so racing builders write the same bytes to the same names.
//! Everything read back is untrusted: hashes, entries and records are checked
//! as `bundle import` checks them before anything reaches the local cache.
//!
//! The object store is asynchronous; [`RemoteCache`] runs it on a small
//! current-thread runtime, so the rest of the tool stays blocking.
//! Credentials come only from the backend's usual environment variables and
//! are never printed: URLs are shown without their user information.

mod builds;

use std::sync::Arc;
use std::time::Duration;

use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};

use super::stats::RunStats;
pub use builds::{download_build, prefetch_builds, upload_build};

/// Whether this machine may write to the remote cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteMode {
    /// Download only.
    Read,
    /// Download, and upload what this machine built.
    ReadWrite,
}

/// Where the remote cache is and how to use it.
#[derive(Debug, Clone)]
pub struct RemoteSettings {
    /// `s3://bucket/prefix`, `http(s)://host/path` or `file:///path`.
    pub url: String,
    /// Download only, or upload too.
    pub mode: RemoteMode,
    /// Fail instead of falling back to local work when the remote cannot be used.
    pub required: bool,
}

/// Why the remote cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The URL's scheme or form is not one this tool speaks.
    #[error(
        "remote cache `{url}` is not supported: {reason} (use s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH)"
    )]
    BadUrl {
        /// The URL, credentials removed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The storage client could not be built (e.g. a bad region or endpoint).
    #[error("cannot set up the remote cache {url}: {source}")]
    Setup {
        /// The URL, credentials removed.
        url: String,
        /// The storage library's error.
        #[source]
        source: object_store::Error,
    },
    /// The async runtime that drives the transfers could not start.
    #[error("cannot start the remote cache's runtime: {source}")]
    Runtime {
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A download or upload failed.
    #[error("remote cache {url}: cannot {action} {object}: {source}")]
    Transfer {
        /// The URL, credentials removed.
        url: String,
        /// `get`, `put`, `list`…
        action: &'static str,
        /// The object's path in the store.
        object: String,
        /// The storage library's error.
        #[source]
        source: object_store::Error,
    },
    /// A downloaded object failed its hash or format check.
    #[error("remote cache {url}: {object} was rejected: {problem}")]
    Corrupt {
        /// The URL, credentials removed.
        url: String,
        /// The object's path in the store.
        object: String,
        /// What check it failed.
        problem: String,
    },
    /// What was downloaded could not be stored in the local cache.
    #[error("remote cache {url}: cannot {what} in the local cache: {message}")]
    Local {
        /// The URL, credentials removed.
        url: String,
        /// What was being done.
        what: String,
        /// The underlying error.
        message: String,
    },
}

impl RemoteError {
    /// Whether the remote itself failed (down, refused, timed out), as opposed
    /// to serving something bad or a local problem.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            RemoteError::Transfer { .. } | RemoteError::Setup { .. }
        )
    }
}

/// A connected remote cache; every call blocks until the transfer is done.
pub struct RemoteCache {
    /// The configured URL without user information, for messages.
    url: String,
    mode: RemoteMode,
    store: Arc<dyn ObjectStore>,
    /// Every object name is below this.
    base: ObjectPath,
    runtime: tokio::runtime::Runtime,
    stats: std::sync::Mutex<RunStats>,
    /// Objects [`RemoteCache::prefetch`] downloaded, until their `get`.
    prefetched: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl RemoteCache {
    /// Set up the client for `settings.url`; connects lazily. `timeout` bounds one request.
    pub fn open(settings: &RemoteSettings, timeout: Duration) -> Result<RemoteCache, RemoteError> {
        let url = redact(&settings.url);
        let (store, base) = connect(&settings.url, &url, timeout)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| RemoteError::Runtime { source })?;
        Ok(RemoteCache {
            stats: std::sync::Mutex::new(RunStats::new(&url, settings.mode)),
            prefetched: Default::default(),
            url,
            mode: settings.mode,
            store,
            base,
            runtime,
        })
    }

    /// The URL, without user information.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Download only, or upload too.
    pub fn mode(&self) -> RemoteMode {
        self.mode
    }

    /// The object `name`, or `None` when the remote has no such object.
    pub fn get(&self, name: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        if let Some(bytes) = self.lock_prefetched().remove(name) {
            return Ok(Some(bytes));
        }
        let path = self.path(name);
        let result = self.runtime.block_on(async {
            match self.store.get(&path).await {
                Ok(found) => found.bytes().await.map(Some),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(err) => Err(err),
            }
        });
        let bytes = result.map_err(|source| self.transfer("download", name, source))?;
        if let Some(bytes) = &bytes {
            self.with_stats(|s| s.bytes_down += bytes.len() as u64);
        }
        Ok(bytes.map(|b| b.to_vec()))
    }

    /// Download `names` with overlapping transfers and keep what exists for
    /// the next [`RemoteCache::get`] of each. A failure is not reported here:
    /// that `get` meets it again and reports it.
    pub fn prefetch(&self, names: &[String]) {
        let found = self.runtime.block_on(async {
            let mut transfers = tokio::task::JoinSet::new();
            for name in names {
                let (store, path, name) = (Arc::clone(&self.store), self.path(name), name.clone());
                transfers.spawn(async move {
                    let bytes = match store.get(&path).await {
                        Ok(found) => found.bytes().await.ok(),
                        Err(_) => None,
                    };
                    (name, bytes)
                });
            }
            let mut found = Vec::new();
            while let Some(Ok((name, Some(bytes)))) = transfers.join_next().await {
                found.push((name, bytes.to_vec()));
            }
            found
        });
        let bytes: u64 = found.iter().map(|(_, b)| b.len() as u64).sum();
        self.with_stats(|s| s.bytes_down += bytes);
        self.lock_prefetched().extend(found);
    }

    /// A prefetched object, left in place for its `get`.
    pub fn prefetched(&self, name: &str) -> Option<Vec<u8>> {
        self.lock_prefetched().get(name).cloned()
    }

    fn lock_prefetched(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Vec<u8>>> {
        self.prefetched.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the object `name` exists.
    pub fn exists(&self, name: &str) -> Result<bool, RemoteError> {
        let path = self.path(name);
        match self.runtime.block_on(self.store.head(&path)) {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(source) => Err(self.transfer("look up", name, source)),
        }
    }

    /// Write `bytes` as the object `name`, replacing what was there.
    pub fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), RemoteError> {
        let path = self.path(name);
        let len = bytes.len() as u64;
        self.runtime
            .block_on(self.store.put(&path, bytes.into()))
            .map_err(|source| self.transfer("upload", name, source))?;
        self.with_stats(|s| s.bytes_up += len);
        Ok(())
    }

    /// Change this run's counters.
    pub fn with_stats(&self, change: impl FnOnce(&mut RunStats)) {
        change(&mut self.stats.lock().expect("not poisoned"));
    }

    /// This run's counters so far.
    pub fn stats(&self) -> RunStats {
        self.stats.lock().expect("not poisoned").clone()
    }

    /// An error about the object `name`, naming the remote.
    pub fn corrupt(&self, name: &str, problem: impl Into<String>) -> RemoteError {
        RemoteError::Corrupt {
            url: self.url.clone(),
            object: name.to_owned(),
            problem: problem.into(),
        }
    }

    /// A local failure while adding what the remote sent.
    pub fn local(&self, what: &str, message: impl std::fmt::Display) -> RemoteError {
        RemoteError::Local {
            url: self.url.clone(),
            what: what.to_owned(),
            message: message.to_string(),
        }
    }

    fn transfer(
        &self,
        action: &'static str,
        name: &str,
        source: object_store::Error,
    ) -> RemoteError {
        RemoteError::Transfer {
            url: self.url.clone(),
            action,
            object: name.to_owned(),
            source,
        }
    }

    fn path(&self, name: &str) -> ObjectPath {
        name.split('/')
            .fold(self.base.clone(), |path, part| path.join(part))
    }
}

/// The object store for `url` and the prefix inside it.
fn connect(
    url: &str,
    shown: &str,
    timeout: Duration,
) -> Result<(Arc<dyn ObjectStore>, ObjectPath), RemoteError> {
    let bad = |reason: &str| RemoteError::BadUrl {
        url: shown.to_owned(),
        reason: reason.to_owned(),
    };
    let setup = |source| RemoteError::Setup {
        url: shown.to_owned(),
        source,
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("no scheme"))?;
    match scheme {
        "s3" => {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("no bucket"));
            }
            let store = s3(bucket, timeout).map_err(setup)?;
            Ok((Arc::new(store), prefix_path(prefix)))
        }
        "http" | "https" => {
            let store = object_store::http::HttpBuilder::new()
                .with_url(url.trim_end_matches('/'))
                .with_client_options(client_options(timeout).with_allow_http(scheme == "http"))
                .with_retry(retry())
                .build()
                .map_err(setup)?;
            Ok((Arc::new(store), ObjectPath::default()))
        }
        "file" => {
            let dir = std::path::Path::new(rest);
            if !dir.is_absolute() {
                return Err(bad("a file:// URL needs an absolute path (file:///…)"));
            }
            std::fs::create_dir_all(dir).map_err(|e| bad(&e.to_string()))?;
            let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
                .map_err(setup)?
                .with_automatic_cleanup(true);
            Ok((Arc::new(store), ObjectPath::default()))
        }
        _ => Err(bad("unknown scheme")),
    }
}

/// S3 from the usual `AWS_*` variables (keys, `AWS_REGION`, `AWS_ENDPOINT_URL`).
fn s3(bucket: &str, timeout: Duration) -> Result<impl ObjectStore, object_store::Error> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
    let mut builder = object_store::aws::AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_client_options(
            client_options(timeout).with_allow_http(endpoint.starts_with("http://")),
        )
        .with_retry(retry());
    if std::env::var_os("AWS_REGION").is_none() && std::env::var_os("AWS_DEFAULT_REGION").is_none()
    {
        builder = builder.with_region("us-east-1");
    }
    builder.build()
}

fn client_options(timeout: Duration) -> ClientOptions {
    ClientOptions::new()
        .with_timeout(timeout)
        .with_connect_timeout(timeout.min(Duration::from_secs(10)))
        .with_user_agent(
            concat!("wasi-externals/", env!("CARGO_PKG_VERSION"))
                .parse()
                .expect("a valid header value"),
        )
}

/// A remote that is down should cost seconds, not the store's default minutes of retries.
fn retry() -> RetryConfig {
    RetryConfig {
        max_retries: 1,
        retry_timeout: Duration::from_secs(5),
        ..RetryConfig::default()
    }
}

fn prefix_path(prefix: &str) -> ObjectPath {
    prefix
        .split('/')
        .filter(|p| !p.is_empty())
        .fold(ObjectPath::default(), |path, part| path.join(part))
}

/// `scheme://user:secret@host/…` → `scheme://host/…`: never print credentials.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_credentials() {
        assert_eq!(
            redact("https://me:s3cret@cache.example/x/y"),
            "https://cache.example/x/y"
        );
        assert_eq!(redact("s3://bucket/prefix"), "s3://bucket/prefix");
        assert_eq!(redact("http://host/a@b"), "http://host/a@b");
    }

    #[test]
    fn unknown_schemes_and_relative_files_are_refused() {
        for url in [
            "ftp://x/y",
            "no-scheme",
            "file://relative/dir",
            "s3:///prefix",
        ] {
            let settings = RemoteSettings {
                url: url.into(),
                mode: RemoteMode::Read,
                required: false,
            };
            let err = RemoteCache::open(&settings, Duration::from_secs(1))
                .err()
                .unwrap();
            assert!(matches!(err, RemoteError::BadUrl { .. }), "{url}: {err}");
        }
    }
}
