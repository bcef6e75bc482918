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
//! Credentials come from the backend's usual environment variables (S3) or
//! the URL's user information (HTTP basic authentication), and are never
//! printed: every URL and error passes through [`crate::redact`].
//! Every object is read chunk by chunk into an unnamed temporary file, up to
//! a size cap; nothing is sized by what the server announces.

mod builds;
mod object;
pub mod sign;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};

use super::stats::RunStats;
use crate::redact::{self, Cleaned};
pub use builds::{download_build, prefetch_builds, upload_build};
pub use object::{parse_size, Object, SizeError, DEFAULT_MAX_OBJECT_SIZE};
pub use sign::{KeyError, KeyProblem, PublicKey, SecretKey};

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
    /// `s3://bucket/prefix`, `http(s)://[user:password@]host/path` or `file:///path`.
    pub url: String,
    /// Download only, or upload too.
    pub mode: RemoteMode,
    /// Fail instead of falling back to local work when the remote cannot be used.
    pub required: bool,
    /// The largest object downloaded, in bytes; a larger one is refused.
    pub max_object_size: u64,
    /// Signs each build this machine uploads.
    pub signing_key: Option<Arc<SecretKey>>,
    /// When not empty, only builds signed by one of these are installed.
    pub trusted_keys: Vec<PublicKey>,
}

impl RemoteSettings {
    /// `url` with the defaults: no signing, no trusted keys, the default size cap.
    pub fn new(url: impl Into<String>, mode: RemoteMode, required: bool) -> RemoteSettings {
        RemoteSettings {
            url: url.into(),
            mode,
            required,
            max_object_size: DEFAULT_MAX_OBJECT_SIZE,
            signing_key: None,
            trusted_keys: Vec::new(),
        }
    }
}

/// Why the remote cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The URL's scheme or form is not one this tool speaks.
    #[error("remote cache `{url}` is not supported: {reason}")]
    BadUrl {
        /// The URL, credentials removed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `file://` remote's folder cannot be created.
    #[error("remote cache `{url}` is not supported: {source}")]
    Folder {
        /// The URL.
        url: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The storage client could not be built (e.g. a bad region or endpoint).
    #[error("cannot set up the remote cache {url}: {source}")]
    Setup {
        /// The URL, credentials removed.
        url: String,
        /// The storage library's error, credentials removed.
        #[source]
        source: Cleaned,
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
        /// The storage library's error, credentials removed.
        #[source]
        source: Cleaned,
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
    /// A downloaded object failed a check that has a typed cause (its tar, record, files or pack).
    #[error("remote cache {url}: {object} was rejected: {source}")]
    Rejected {
        /// The URL, credentials removed.
        url: String,
        /// The object's path in the store.
        object: String,
        /// What check it failed, and why.
        #[source]
        source: Cleaned,
    },
    /// An object is larger than the configured cap.
    #[error("remote cache {url}: {object} was rejected: {} the limit of {limit} bytes; raise `[cache] max-object-size` (or --remote-max-object-size) if it is expected", match .size { Some(size) => format!("its {size} bytes exceed"), None => "its body ran past".to_owned() })]
    TooLarge {
        /// The URL, credentials removed.
        url: String,
        /// The object's path in the store.
        object: String,
        /// The size the server announced, if it did.
        size: Option<u64>,
        /// The cap in bytes.
        limit: u64,
    },
    /// `trusted-keys` are set and a build is not signed by one of them.
    #[error("remote cache {url}: {object} is {}; only builds signed by a trusted key ({keys}) are installed", if *.signed { "signed, but by no trusted key" } else { "not signed" })]
    Untrusted {
        /// The URL, credentials removed.
        url: String,
        /// The pointer object.
        object: String,
        /// Whether it carried any signature.
        signed: bool,
        /// The trusted keys' names.
        keys: String,
    },
    /// What was downloaded could not be stored in the local cache.
    #[error("remote cache {url}: cannot {what} in the local cache: {source}")]
    Local {
        /// The URL, credentials removed.
        url: String,
        /// What was being done.
        what: String,
        /// The underlying error, credentials removed.
        #[source]
        source: Cleaned,
    },
}

impl RemoteError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            RemoteError::BadUrl { .. } | RemoteError::Folder { .. } => Code::RemoteUrl,
            RemoteError::Setup { .. }
            | RemoteError::Runtime { .. }
            | RemoteError::Transfer { .. }
            | RemoteError::Corrupt { .. }
            | RemoteError::Rejected { .. }
            | RemoteError::TooLarge { .. }
            | RemoteError::Untrusted { .. }
            | RemoteError::Local { .. } => Code::Remote,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            RemoteError::BadUrl { .. } => {
                Some("use s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH".into())
            }
            // These are mostly shown as warnings (the build goes on locally),
            // so what to do stays in their message.
            RemoteError::Folder { .. }
            | RemoteError::Setup { .. }
            | RemoteError::Runtime { .. }
            | RemoteError::Transfer { .. }
            | RemoteError::Corrupt { .. }
            | RemoteError::Rejected { .. }
            | RemoteError::TooLarge { .. }
            | RemoteError::Untrusted { .. }
            | RemoteError::Local { .. } => None,
        }
    }
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

    /// Whether the remote served something this run refused.
    pub fn is_rejection(&self) -> bool {
        matches!(
            self,
            RemoteError::Corrupt { .. }
                | RemoteError::TooLarge { .. }
                | RemoteError::Untrusted { .. }
        )
    }
}

/// What a prefetch found for one object, kept until its [`RemoteCache::get`].
enum Prefetched {
    Found(Object),
    Missing,
    Failed(RemoteError),
}

/// A connected remote cache; every call blocks until the transfer is done.
pub struct RemoteCache {
    /// The configured URL without credentials, for messages.
    url: String,
    mode: RemoteMode,
    store: Arc<dyn ObjectStore>,
    /// Every object name is below this.
    base: ObjectPath,
    /// Whether the store is S3 (whose bucket can be checked).
    is_s3: bool,
    limit: u64,
    signing_key: Option<Arc<SecretKey>>,
    trusted_keys: Vec<PublicKey>,
    runtime: tokio::runtime::Runtime,
    stats: Mutex<RunStats>,
    /// What [`RemoteCache::prefetch`] found, failures included, until each `get`.
    prefetched: Mutex<HashMap<String, Prefetched>>,
}

impl RemoteCache {
    /// Set up the client for `settings.url`; connects lazily. `timeout` bounds one request.
    pub fn open(settings: &RemoteSettings, timeout: Duration) -> Result<RemoteCache, RemoteError> {
        let url = redact::url(&settings.url);
        let (store, base) = connect(&settings.url, &url, timeout)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| RemoteError::Runtime { source })?;
        Ok(RemoteCache {
            stats: Mutex::new(RunStats::new(&url, settings.mode)),
            prefetched: Default::default(),
            is_s3: settings.url.starts_with("s3://"),
            url,
            mode: settings.mode,
            store,
            base,
            limit: settings.max_object_size,
            signing_key: settings.signing_key.clone(),
            trusted_keys: settings.trusted_keys.clone(),
            runtime,
        })
    }

    /// The URL, without credentials.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Download only, or upload too.
    pub fn mode(&self) -> RemoteMode {
        self.mode
    }

    /// The largest object this run downloads, in bytes.
    pub fn max_object_size(&self) -> u64 {
        self.limit
    }

    /// The key that signs uploads, if any.
    pub fn signing_key(&self) -> Option<&SecretKey> {
        self.signing_key.as_deref()
    }

    /// The keys a build must be signed by (none: hashes alone are trusted).
    pub fn trusted_keys(&self) -> &[PublicKey] {
        &self.trusted_keys
    }

    /// Check that the store answers at all (for S3: that the bucket exists),
    /// so that a required remote that cannot work fails before any work.
    pub fn check(&self) -> Result<(), RemoteError> {
        if !self.is_s3 {
            return Ok(());
        }
        let base = Some(&self.base);
        self.runtime
            .block_on(self.store.list_with_delimiter(base))
            .map(|_| ())
            .map_err(|source| self.transfer("list", "the bucket", source))
    }

    /// The object `name`, or `None` when the remote has no such object; a
    /// failure or a missing object met by a prefetch is reported without asking again.
    pub fn get(&self, name: &str) -> Result<Option<Object>, RemoteError> {
        if let Some(found) = self.lock_prefetched().remove(name) {
            return match found {
                Prefetched::Found(object) => Ok(Some(object)),
                Prefetched::Missing => Ok(None),
                Prefetched::Failed(err) => Err(err),
            };
        }
        let path = self.path(name);
        let fetched = self
            .runtime
            .block_on(object::fetch(self.store.as_ref(), &path, self.limit));
        let object = fetched.map_err(|failure| self.fetch_error(name, failure))?;
        if let Some(object) = &object {
            self.with_stats(|s| s.bytes_down += object.len());
        }
        Ok(object)
    }

    /// Download `names` with overlapping transfers and keep what each gave
    /// (the object, its absence, or the failure) for the next [`RemoteCache::get`].
    pub fn prefetch(&self, names: &[String]) {
        let limit = self.limit;
        let outcomes = self.runtime.block_on(async {
            let mut transfers = tokio::task::JoinSet::new();
            for name in names {
                let (store, path, name) = (Arc::clone(&self.store), self.path(name), name.clone());
                transfers.spawn(async move {
                    let fetched = object::fetch(store.as_ref(), &path, limit).await;
                    (name, fetched)
                });
            }
            let mut outcomes = Vec::new();
            while let Some(joined) = transfers.join_next().await {
                outcomes.extend(joined.ok());
            }
            outcomes
        });
        let mut kept = self.lock_prefetched();
        for (name, fetched) in outcomes {
            let outcome = match fetched {
                Ok(Some(object)) => {
                    self.with_stats(|s| s.bytes_down += object.len());
                    Prefetched::Found(object)
                }
                Ok(None) => Prefetched::Missing,
                Err(failure) => Prefetched::Failed(self.fetch_error(&name, failure)),
            };
            kept.insert(name, outcome);
        }
    }

    /// The first `max` bytes of a prefetched object, left in place for its `get`.
    pub fn prefetched_head(&self, name: &str, max: usize) -> Option<Vec<u8>> {
        match self.lock_prefetched().get(name)? {
            Prefetched::Found(object) => object.head(max).ok(),
            _ => None,
        }
    }

    fn lock_prefetched(&self) -> MutexGuard<'_, HashMap<String, Prefetched>> {
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
        change(&mut self.stats.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// This run's counters so far.
    pub fn stats(&self) -> RunStats {
        self.stats.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// An error about the object `name`, naming the remote.
    pub fn corrupt(&self, name: &str, problem: impl Into<String>) -> RemoteError {
        RemoteError::Corrupt {
            url: self.url.clone(),
            object: name.to_owned(),
            problem: problem.into(),
        }
    }

    /// The object `name` failed a check whose cause is `source`.
    pub fn rejected(&self, name: &str, source: &(dyn std::error::Error + 'static)) -> RemoteError {
        RemoteError::Rejected {
            url: self.url.clone(),
            object: name.to_owned(),
            source: Cleaned::new(source),
        }
    }

    /// The pointer `name` is not signed by a trusted key.
    pub fn untrusted(&self, name: &str, signed: bool) -> RemoteError {
        let keys: Vec<&str> = self.trusted_keys.iter().map(|k| k.name()).collect();
        RemoteError::Untrusted {
            url: self.url.clone(),
            object: name.to_owned(),
            signed,
            keys: keys.join(", "),
        }
    }

    /// A local failure while adding what the remote sent.
    pub fn local(&self, what: &str, source: impl std::error::Error + 'static) -> RemoteError {
        RemoteError::Local {
            url: self.url.clone(),
            what: what.to_owned(),
            source: Cleaned::new(&source),
        }
    }

    fn fetch_error(&self, name: &str, failure: object::Failure) -> RemoteError {
        match failure {
            object::Failure::Store(source) => self.transfer("download", name, source),
            object::Failure::TooLarge { size } => RemoteError::TooLarge {
                url: self.url.clone(),
                object: name.to_owned(),
                size,
                limit: self.limit,
            },
            object::Failure::Local(e) => self.local(&format!("keep {name}"), e),
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
            source: Cleaned::new(&source),
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
    let setup = |source: object_store::Error| RemoteError::Setup {
        url: shown.to_owned(),
        source: Cleaned::new(&source),
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
            let (plain, auth) = split_credentials(url).map_err(&bad)?;
            let mut options = client_options(timeout).with_allow_http(scheme == "http");
            if let Some(auth) = auth {
                options = options.with_default_headers(auth);
            }
            let store = object_store::http::HttpBuilder::new()
                .with_url(plain.trim_end_matches('/'))
                .with_client_options(options)
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
            std::fs::create_dir_all(dir).map_err(|source| RemoteError::Folder {
                url: shown.to_owned(),
                source,
            })?;
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

/// `http(s)://user:password@host/…` → the URL without them, and the headers
/// that send them as HTTP basic authentication (user and password
/// percent-decoded, as in a browser).
fn split_credentials(
    url: &str,
) -> Result<(String, Option<reqwest::header::HeaderMap>), &'static str> {
    let (scheme, rest) = url.split_once("://").ok_or("no scheme")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return Ok((url.to_owned(), None));
    };
    let (user, password) = rest[..at].split_once(':').unwrap_or((&rest[..at], ""));
    let pair = format!("{}:{}", percent_decode(user)?, percent_decode(password)?);
    let value = format!(
        "Basic {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, pair)
    );
    let mut value: reqwest::header::HeaderValue = value
        .parse()
        .map_err(|_| "the user information holds characters a header cannot")?;
    value.set_sensitive(true);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Ok((format!("{scheme}://{}", &rest[at + 1..]), Some(headers)))
}

/// `%41` → `A`; the result must be UTF-8.
fn percent_decode(text: &str) -> Result<String, &'static str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .ok_or("a bad %-escape in the user information")?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .map_err(|_| "a bad %-escape in the user information")?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the user information is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_an_http_url_become_a_basic_auth_header() {
        let (plain, headers) = split_credentials("http://me:p%40ss@127.0.0.1:8/c/").unwrap();
        assert_eq!(plain, "http://127.0.0.1:8/c/");
        let value = headers.unwrap()[reqwest::header::AUTHORIZATION].clone();
        assert!(value.is_sensitive());
        // base64("me:p@ss")
        assert_eq!(value.to_str().unwrap(), "Basic bWU6cEBzcw==");
        let (plain, headers) = split_credentials("https://host/a@b").unwrap();
        assert_eq!(
            (plain.as_str(), headers.is_none()),
            ("https://host/a@b", true)
        );
        assert!(split_credentials("http://u:%zz@h/").is_err());
    }

    #[test]
    fn unknown_schemes_and_relative_files_are_refused() {
        for url in [
            "ftp://x/y",
            "no-scheme",
            "file://relative/dir",
            "s3:///prefix",
        ] {
            let settings = RemoteSettings::new(url, RemoteMode::Read, false);
            let err = RemoteCache::open(&settings, Duration::from_secs(1))
                .err()
                .unwrap();
            assert!(matches!(err, RemoteError::BadUrl { .. }), "{url}: {err}");
        }
    }
}
