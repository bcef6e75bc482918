//! `sdk install`: download a WASI SDK release asset, check its sha256 while it
//! streams in, unpack it safely and move it into the SDK store in one rename.
//!
//! Everything happens in a folder named `.install-*` next to the store's SDKs
//! (same file system, so the final rename is atomic); an interrupted install
//! leaves only such a folder, which the next install removes under the lock.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flate2::read::GzDecoder;
use serde::Serialize;

use super::{Sdk, SdkError};
use crate::archive::UnpackError;
use crate::fsutil::{CopyError, FileLock};
use crate::report::{Event, Reporter};

/// Name prefix of the work folders of installs; a later install removes leftovers.
pub const WORK_PREFIX: &str = ".install-";

/// Written into every SDK folder this tool installs: only such a folder is
/// ever replaced by a later install.
pub const MARKER_FILE: &str = ".wasi-externals-sdk";

/// Waits before the 2nd, 3rd and 4th attempt of a download.
const BACKOFF: [Duration; 3] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
];

/// What a hint says when a release is not in the table or has no known checksum.
const OVERRIDE_HINT: &str = "pass --sdk-url URL --sha256 HEX (or set `url` and `sha256` in deps.toml's [sdk] table, `sdk-url` and `sdk-sha256` in a [python.\"X\"] profile)";

/// Why `sdk install` failed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// No folder for the SDK store on this system.
    #[error("no data folder for the SDK store on this system")]
    NoStore,
    /// A command-line value or combination cannot be used.
    #[error("{message}")]
    Argument {
        /// What is wrong, naming the value.
        message: String,
    },
    /// `--offline` and the SDK is not installed yet.
    #[error("WASI SDK {version} is not installed at {} and --offline forbids downloading it", .path.display())]
    Offline {
        /// The SDK major version.
        version: u32,
        /// Where it would be installed.
        path: PathBuf,
    },
    /// The shipped table has no asset for this version on this OS and CPU.
    #[error("the shipped release table (sdks.toml) has no WASI SDK {version} for {os}-{arch}")]
    NoRelease {
        /// The SDK major version.
        version: u32,
        /// `linux`, `macos`, …
        os: String,
        /// `x86_64`, `arm64`, …
        arch: String,
    },
    /// No sha256 is known for the asset: nothing is downloaded unchecked.
    #[error("no sha256 is known for {url} (WASI SDK {version}), and nothing is installed unchecked; check the file yourself and pass --sha256 HEX (or set `sha256` in deps.toml's [sdk] table)")]
    UnknownChecksum {
        /// The SDK major version.
        version: u32,
        /// The asset's URL.
        url: String,
    },
    /// The HTTP client could not be set up (e.g. a bad proxy variable).
    #[error("cannot set up the HTTP client for {url}: {source}")]
    Client {
        /// The URL.
        url: String,
        /// The client's error.
        #[source]
        source: reqwest::Error,
    },
    /// The server could not be reached (after retries).
    #[error("cannot download {url} ({attempts} attempt(s)): {source}")]
    Request {
        /// The URL.
        url: String,
        /// How many attempts were made.
        attempts: u32,
        /// The last error.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status}{}", if *.status < 500 { "; check the URL (--sdk-url, [sdk] url) and the version" } else { " (after retries); try again later or pass --sdk-url with a mirror" })]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The body could not be read to its end (after retries).
    #[error(
        "the download of {url} broke off after {bytes} bytes ({attempts} attempt(s)): {source}"
    )]
    Body {
        /// The URL.
        url: String,
        /// Bytes received in the last attempt.
        bytes: u64,
        /// How many attempts were made.
        attempts: u32,
        /// The read error.
        #[source]
        source: std::io::Error,
    },
    /// The body ended before its announced length (after retries).
    #[error(
        "the download of {url} ended after {bytes} of {expected} bytes ({attempts} attempt(s))"
    )]
    Truncated {
        /// The URL.
        url: String,
        /// Bytes received in the last attempt.
        bytes: u64,
        /// `Content-Length`.
        expected: u64,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The download is larger than the cap (`--max-size`); nothing was installed.
    #[error("{url} was refused: {} the limit of {limit} bytes; nothing was installed", match .size { Some(size) => format!("its announced {size} bytes exceed"), None => "its body ran past".to_owned() })]
    TooLarge {
        /// The URL.
        url: String,
        /// The size the server announced, if it did.
        size: Option<u64>,
        /// The cap in bytes.
        limit: u64,
    },
    /// The file's sha256 is not the expected one; nothing was installed.
    #[error("{url} has sha256 {actual}, but {expected} was expected; nothing was installed. If the URL serves another build on purpose, pass its --sha256")]
    Checksum {
        /// The URL.
        url: String,
        /// The sha256 the table, the config or `--sha256` gave.
        expected: String,
        /// The sha256 of what was downloaded.
        actual: String,
    },
    /// The download is not a readable `.tar.gz`, not shaped like a release, or
    /// holds an entry that would land outside the SDK folder or is of a refused kind.
    #[error("the archive from {url} {}: {source}; {}", if source.is_refusal() { "was refused" } else { "cannot be unpacked" }, if source.is_refusal() { "a WASI SDK release holds only files, folders and links inside one top-level folder" } else { "is the URL a WASI SDK release .tar.gz?" })]
    Unpack {
        /// The URL.
        url: String,
        /// Why.
        #[source]
        source: UnpackError,
    },
    /// The unpacked folder is not a usable SDK, or another version.
    #[error("the archive from {url} does not hold a usable WASI SDK {version}: {source}")]
    NotAnSdk {
        /// The URL.
        url: String,
        /// The SDK major version asked for.
        version: u32,
        /// What inspection found.
        #[source]
        source: SdkError,
    },
    /// The SDK's folder exists, is not a usable SDK of that version, and this tool did not install it.
    #[error("{} exists and is not a WASI SDK {version} that wasi-externals installed (it has no {MARKER_FILE}); nothing was changed", .path.display())]
    NotOurs {
        /// The folder.
        path: PathBuf,
        /// The SDK major version asked for.
        version: u32,
    },
    /// The SDK store's file system is full.
    #[error("no space left on the SDK store's file system while writing {}: {source}", .path.display())]
    NoSpace {
        /// The file being written.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file or folder in the store could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl InstallError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        use InstallError as I;
        match self {
            I::NoStore | I::Io { .. } | I::NotOurs { .. } => Code::SdkInstall,
            I::NoSpace { .. } => Code::NoSpace,
            I::TooLarge { .. } => Code::SdkTooLarge,
            I::Argument { .. } => Code::SdkArgument,
            I::Offline { .. } => Code::SdkOffline,
            I::NoRelease { .. } => Code::SdkNoRelease,
            I::UnknownChecksum { .. } => Code::SdkNoChecksum,
            I::Client { .. }
            | I::Request { .. }
            | I::Status { .. }
            | I::Body { .. }
            | I::Truncated { .. } => Code::SdkDownload,
            I::Checksum { .. } => Code::SdkChecksum,
            I::Unpack { source, .. } if source.is_refusal() => Code::SdkUnsafe,
            I::Unpack { .. } | I::NotAnSdk { .. } => Code::SdkArchive,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        use InstallError as I;
        match self {
            I::NoStore => Some("set XDG_DATA_HOME (or HOME)".into()),
            I::NoRelease { .. } => Some(OVERRIDE_HINT.into()),
            I::Offline { .. } => Some("drop --offline".into()),
            I::Client { .. } => Some("check HTTPS_PROXY / HTTP_PROXY / NO_PROXY".into()),
            I::Request { .. } => Some(
                "check the network or the proxy (HTTPS_PROXY, NO_PROXY), or pass --sdk-url with a mirror"
                    .into(),
            ),
            I::Body { .. } | I::Truncated { .. } => {
                Some("try again, or pass --sdk-url with a mirror".into())
            }
            I::Io { .. } => {
                Some("check the permissions and free space of the SDK store".into())
            }
            I::TooLarge { .. } => Some("pass --max-size if it is expected".into()),
            I::NotOurs { .. } => {
                Some("move it away or remove it yourself, then run `sdk install` again".into())
            }
            I::NoSpace { .. } => Some(
                "free space there (or set XDG_DATA_HOME to a larger disk) and run `sdk install` again"
                    .into(),
            ),
            I::Argument { .. }
            | I::UnknownChecksum { .. }
            | I::Status { .. }
            | I::Checksum { .. }
            | I::Unpack { .. }
            | I::NotAnSdk { .. } => None,
        }
    }
}

/// What to install: the version, and where from with which checksum
/// (resolved from `--sdk-url`/`--sha256`, deps.toml and the shipped table).
#[derive(Debug, Clone)]
pub struct InstallRequest {
    /// The SDK major version.
    pub version: u32,
    /// The asset's URL; `None` when nothing names one for this OS and CPU.
    pub url: Option<String>,
    /// The asset's sha256; `None` when none is known.
    pub sha256: Option<String>,
    /// Upper bound for connecting and for each read, so a stalled server cannot hang.
    pub timeout: Duration,
    /// Never download: succeed only if the SDK is there.
    pub offline: bool,
    /// The largest download accepted; a bigger (or endless) body is refused.
    pub max_bytes: u64,
}

/// The default cap on an SDK download: 4 GiB (a release is about 120 MB).
pub const DEFAULT_MAX_DOWNLOAD: u64 = 4 << 30;

/// The outcome of `sdk install` (its `--json` result).
#[derive(Debug, Clone, Serialize)]
pub struct Installed {
    /// The SDK's folder in the store.
    pub path: PathBuf,
    /// First line of its `VERSION`, e.g. `25.0`.
    pub version: String,
    /// Where it was (or would have been) downloaded from.
    pub url: Option<String>,
    /// The sha256 the download was checked against.
    pub sha256: Option<String>,
    /// `false`: it was already installed, nothing was downloaded.
    pub downloaded: bool,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> InstallError + '_ {
    move |source| {
        if is_no_space(&source) {
            InstallError::NoSpace {
                path: path.to_owned(),
                source,
            }
        } else {
            InstallError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// ENOSPC or EDQUOT: the disk (or the user's quota) is full.
fn is_no_space(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::StorageFull
        || matches!(err.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
        || err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>())
            .is_some_and(is_no_space)
}

/// Only `http://` and `https://` are downloaded; anything else is refused before any attempt.
fn check_scheme(url: &str) -> Result<(), InstallError> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "https") => Ok(()),
        _ => Err(InstallError::Argument {
            message: format!(
                "`{}` is not an http:// or https:// URL; `sdk install` downloads only those \
                 (for an SDK already on disk, pass --wasi-sdk DIR instead)",
                crate::names::escape(&crate::redact::url(url))
            ),
        }),
    }
}

/// Whether `dir` is an SDK folder this tool installed (it holds the marker).
fn installed_by_us(dir: &Path) -> bool {
    dir.join(MARKER_FILE)
        .symlink_metadata()
        .is_ok_and(|m| m.is_file())
}

/// The SDK at `dest` when it is usable and of major version `version`.
fn usable(dest: &Path, version: u32) -> Option<Sdk> {
    Sdk::inspect(dest).ok().filter(|sdk| sdk.major == version)
}

/// Install `request.version` into `<store_root>/wasi-sdk-<N>`, unless a usable
/// SDK of that version is already there. Holds the store's lock while it works.
pub fn install(
    store_root: &Path,
    request: &InstallRequest,
    reporter: &dyn Reporter,
) -> Result<Installed, InstallError> {
    let version = request.version;
    let dest = store_root.join(format!("wasi-sdk-{version}"));
    let result = |sdk: Sdk, downloaded| Installed {
        path: sdk.root,
        version: sdk.version,
        url: request.url.as_deref().map(crate::redact::url),
        sha256: request.sha256.clone(),
        downloaded,
    };
    if let Some(sdk) = usable(&dest, version) {
        return Ok(result(sdk, false));
    }
    if request.offline {
        return Err(InstallError::Offline {
            version,
            path: dest,
        });
    }
    let url = request.url.as_deref().ok_or_else(|| {
        let (os, arch) = super::releases::host();
        InstallError::NoRelease {
            version,
            os: os.into(),
            arch: arch.into(),
        }
    })?;
    check_scheme(url)?;
    let sha256 = request
        .sha256
        .as_deref()
        .ok_or_else(|| InstallError::UnknownChecksum {
            version,
            url: crate::redact::url(url),
        })?;
    refuse_foreign(&dest, version)?;
    std::fs::create_dir_all(store_root).map_err(io_error(store_root))?;
    let lock_path = store_root.join(".lock");
    let _lock = FileLock::acquire(&lock_path, || {
        reporter.event(Event::WaitingForLock {
            what: &format!("the SDK store at {}", store_root.display()),
        })
    })
    .map_err(io_error(&lock_path))?;
    // Another install may have finished while we waited.
    if let Some(sdk) = usable(&dest, version) {
        return Ok(result(sdk, false));
    }
    refuse_foreign(&dest, version)?;
    remove_leftovers(store_root)?;
    let sdk = download_and_place(store_root, &dest, version, url, sha256, request, reporter)?;
    Ok(result(sdk, true))
}

/// A folder at `dest` that is not a usable SDK is replaced only if this tool installed it.
fn refuse_foreign(dest: &Path, version: u32) -> Result<(), InstallError> {
    if dest.symlink_metadata().is_ok() && !installed_by_us(dest) {
        return Err(InstallError::NotOurs {
            path: dest.to_owned(),
            version,
        });
    }
    Ok(())
}

/// Work folders of installs that were killed (the caller holds the lock).
fn remove_leftovers(store_root: &Path) -> Result<(), InstallError> {
    let entries = std::fs::read_dir(store_root).map_err(io_error(store_root))?;
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(WORK_PREFIX) {
            let path = entry.path();
            let removed = if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(io_error(&path))?;
        }
    }
    Ok(())
}

/// Download into a work folder, unpack, inspect, then rename into `dest`
/// (moving a broken SDK there aside first).
fn download_and_place(
    store_root: &Path,
    dest: &Path,
    version: u32,
    url: &str,
    sha256: &str,
    request: &InstallRequest,
    reporter: &dyn Reporter,
) -> Result<Sdk, InstallError> {
    let work = tempfile::Builder::new()
        .prefix(&format!("{WORK_PREFIX}{version}-"))
        .tempdir_in(store_root)
        .map_err(io_error(store_root))?;
    let archive = work.path().join("download.tar.gz");
    download(url, sha256, &archive, request, reporter)?;
    let unpacked = work.path().join("unpacked");
    let top = unpack(&archive, &unpacked, url)?;
    let not_an_sdk = |source| InstallError::NotAnSdk {
        url: url.to_owned(),
        version,
        source,
    };
    let sdk = Sdk::inspect(&top).map_err(not_an_sdk)?;
    if sdk.major != version {
        return Err(not_an_sdk(SdkError::Broken {
            path: top.clone(),
            message: format!("its VERSION is {}, not {version}", sdk.version),
        }));
    }
    let marker = top.join(MARKER_FILE);
    let note = format!(
        "installed by wasi-externals from {}\n",
        crate::redact::url(url)
    );
    std::fs::write(&marker, note).map_err(io_error(&marker))?;
    if dest.symlink_metadata().is_ok() {
        let aside = work.path().join("replaced");
        std::fs::rename(dest, &aside).map_err(io_error(dest))?;
    }
    std::fs::rename(&top, dest).map_err(io_error(dest))?;
    drop(work);
    Sdk::inspect(dest).map_err(not_an_sdk)
}

/// Why one download attempt failed: worth another try, or not.
enum Failure {
    Retry(InstallError),
    Fatal(InstallError),
}

/// Fetch `url` into `file`, retrying connection errors, 5xx answers and broken
/// bodies with backoff; then check the sha256 computed on the way. A URL's
/// user and password are sent (as basic authentication) but every message
/// shows the URL without them.
fn download(
    url: &str,
    sha256: &str,
    file: &Path,
    request: &InstallRequest,
    reporter: &dyn Reporter,
) -> Result<(), InstallError> {
    let timeout = request.timeout;
    // Proxies come from HTTP(S)_PROXY / NO_PROXY, which reqwest reads by default.
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(30)))
        .timeout(timeout)
        .build()
        .map_err(|source| InstallError::Client {
            url: crate::redact::url(url),
            source: source.without_url(),
        })?;
    let target = Target {
        url,
        shown: crate::redact::url(url),
        max_bytes: request.max_bytes,
    };
    let attempts = BACKOFF.len() as u32 + 1;
    let mut attempt = 1;
    let actual = loop {
        match fetch_once(&client, &target, file, attempt, reporter) {
            Ok(actual) => break actual,
            Err(Failure::Fatal(err)) => return Err(err),
            Err(Failure::Retry(err)) if attempt < attempts => {
                let wait = BACKOFF[attempt as usize - 1];
                let message = format!(
                    "{err}; trying again in {:.1}s (attempt {} of {attempts})",
                    wait.as_secs_f64(),
                    attempt + 1
                );
                reporter.event(Event::Note { message: &message });
                std::thread::sleep(wait);
                attempt += 1;
            }
            Err(Failure::Retry(err)) => return Err(err),
        }
    };
    if !actual.eq_ignore_ascii_case(sha256) {
        return Err(InstallError::Checksum {
            url: target.shown,
            expected: sha256.to_owned(),
            actual,
        });
    }
    Ok(())
}

/// What one download fetches: the real URL, the one shown, and the size cap.
struct Target<'a> {
    url: &'a str,
    shown: String,
    max_bytes: u64,
}

/// One GET of `target` into `file`; the sha256 of what arrived.
fn fetch_once(
    client: &reqwest::blocking::Client,
    target: &Target,
    file: &Path,
    attempt: u32,
    reporter: &dyn Reporter,
) -> Result<String, Failure> {
    let started = Instant::now();
    let url = target.shown.as_str();
    let mut response = request(client, target, attempt)?;
    let expected = response.content_length();
    reporter.event(Event::DownloadStarted {
        url,
        bytes: expected,
    });
    let mut out = std::fs::File::create(file).map_err(|e| Failure::Fatal(io_error(file)(e)))?;
    let mut body = (&mut response).take(target.max_bytes + 1);
    let (bytes, sha256) = receive(&mut body, &mut out, url, file, reporter, attempt)?;
    if bytes > target.max_bytes {
        return Err(Failure::Fatal(InstallError::TooLarge {
            url: url.to_owned(),
            size: None,
            limit: target.max_bytes,
        }));
    }
    if let Some(expected) = expected.filter(|&e| bytes < e) {
        return Err(Failure::Retry(InstallError::Truncated {
            url: url.to_owned(),
            bytes,
            expected,
            attempts: attempt,
        }));
    }
    out.flush().map_err(|e| Failure::Fatal(io_error(file)(e)))?;
    reporter.event(Event::DownloadFinished {
        url,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    });
    Ok(sha256)
}

/// Send the GET of `target`: a response whose status is success and whose
/// announced size (if any) is within the cap. A server error may be retried.
fn request(
    client: &reqwest::blocking::Client,
    target: &Target,
    attempt: u32,
) -> Result<reqwest::blocking::Response, Failure> {
    let url = target.shown.as_str();
    let response = client.get(target.url).send().map_err(|source| {
        Failure::Retry(InstallError::Request {
            url: url.to_owned(),
            attempts: attempt,
            source: source.without_url(),
        })
    })?;
    let status = response.status();
    if !status.is_success() {
        let err = InstallError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        };
        return Err(if status.is_server_error() {
            Failure::Retry(err)
        } else {
            Failure::Fatal(err)
        });
    }
    if let Some(size) = response
        .content_length()
        .filter(|&size| size > target.max_bytes)
    {
        return Err(Failure::Fatal(InstallError::TooLarge {
            url: url.to_owned(),
            size: Some(size),
            limit: target.max_bytes,
        }));
    }
    Ok(response)
}

/// Receive the body into `out` through [`crate::fsutil::stream_hashing`],
/// reporting progress; (bytes, sha256). A broken body is worth a retry, a
/// failed write is not.
fn receive(
    body: &mut impl Read,
    out: &mut std::fs::File,
    url: &str,
    file: &Path,
    reporter: &dyn Reporter,
    attempt: u32,
) -> Result<(u64, String), Failure> {
    let mut copied = 0u64;
    let progress = |bytes| {
        copied = bytes;
        reporter.event(Event::DownloadProgress { url, bytes });
    };
    crate::fsutil::stream_hashing(body, out, progress).map_err(|err| match err {
        CopyError::Read(source) => Failure::Retry(InstallError::Body {
            url: url.to_owned(),
            bytes: copied,
            attempts: attempt,
            source,
        }),
        CopyError::Write(e) => Failure::Fatal(io_error(file)(e)),
    })
}

/// Unpack the `.tar.gz` at `archive` into `into`, refusing any entry that could
/// land outside it; the path of the single top-level folder.
fn unpack(archive: &Path, into: &Path, url: &str) -> Result<PathBuf, InstallError> {
    let file = std::fs::File::open(archive).map_err(io_error(archive))?;
    std::fs::create_dir_all(into).map_err(io_error(into))?;
    let rules = crate::archive::Rules {
        container: "a WASI SDK release",
        links: crate::archive::Links::InsideTop,
        single_top: true,
        dot_prefix: true,
    };
    let tar = GzDecoder::new(std::io::BufReader::new(file));
    let unpacked =
        crate::archive::unpack(tar, into, &rules, |_, _| Ok(crate::archive::Visit::Unpack))
            .map_err(|source| match source {
                UnpackError::Write { path, source, .. } if is_no_space(&source) => {
                    io_error(&path)(source)
                }
                source => InstallError::Unpack {
                    url: url.to_owned(),
                    source,
                },
            })?;
    Ok(unpacked.top.unwrap_or_else(|| into.to_owned()))
}
