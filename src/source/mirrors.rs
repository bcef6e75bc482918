//! Talking to cpython-source-deps or one of its mirrors.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gix::protocol::transport::client::blocking_io::{self, http};
use gix::remote::fetch::{Shallow, Tags};
use gix::remote::Direction;

use super::watchdog::{self, LowSpeed, Stopped};
use super::SourceError;
use crate::config::SourceSettings;

/// The locations to fetch from, in the order they are tried.
#[derive(Debug, Clone)]
pub struct Remotes {
    urls: Vec<String>,
    /// Upper bound for one network request.
    pub timeout: Duration,
    /// A fetch slower than this is given up for the next location.
    pub low_speed: LowSpeed,
}

impl Remotes {
    /// The configured source (or `url_override`), then its mirrors.
    pub fn new(settings: &SourceSettings, url_override: Option<&str>) -> Remotes {
        let primary = url_override.unwrap_or(&settings.url).to_owned();
        let mut urls = vec![primary];
        urls.extend(
            settings
                .mirrors
                .iter()
                .filter(|m| !urls.contains(m))
                .cloned()
                .collect::<Vec<_>>(),
        );
        Remotes {
            urls,
            timeout: Duration::from_secs(settings.timeout_seconds),
            low_speed: LowSpeed {
                bytes_per_second: settings.low_speed_limit,
                window: Duration::from_secs(settings.low_speed_seconds),
            },
        }
    }

    /// The locations in the order they are tried.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.urls.iter().map(String::as_str)
    }
}

/// Why one remote did not deliver.
pub(super) enum Attempt {
    /// It could not be reached or the transfer broke: the next mirror may do.
    Unreachable(String),
    /// It answered, and the answer is a problem no mirror should paper over.
    Failed(SourceError),
}

/// Fetch `refs/tags/<tag>` for every tag, depth 1, into `repo`, giving up
/// when the transfer stays slower than `remotes.low_speed`.
pub(super) fn fetch_tags(
    repo: &gix::Repository,
    url: &str,
    tags: &[String],
    remotes: &Remotes,
    interrupt: &AtomicBool,
) -> Result<(), Attempt> {
    let pack_dir = repo.objects.store_ref().path().join("pack");
    let sync = repo.clone().into_sync();
    let (url, tags, timeout) = (url.to_owned(), tags.to_vec(), remotes.timeout);
    let attempt = move |stop: Arc<AtomicBool>| {
        fetch_tags_now(&sync.to_thread_local(), &url, &tags, timeout, &stop)
    };
    match watchdog::guarded(&pack_dir, remotes.low_speed, interrupt, attempt) {
        Ok(result) => result,
        Err(Stopped::Interrupted) => Err(Attempt::Failed(SourceError::Interrupted)),
        Err(Stopped::TooSlow(why)) => Err(Attempt::Unreachable(why)),
    }
}

/// [`fetch_tags`] on this thread; `interrupt` stops receiving the pack.
fn fetch_tags_now(
    repo: &gix::Repository,
    url: &str,
    tags: &[String],
    timeout: Duration,
    interrupt: &AtomicBool,
) -> Result<(), Attempt> {
    let unreachable = |err: gix::Error| match out_of_space(&err) {
        true => Attempt::Failed(SourceError::NoSpace {
            path: repo.path().to_owned(),
            source: error_chain(&err).into(),
        }),
        false => Attempt::Unreachable(error_chain(&err)),
    };
    let remote = remote_for(repo, url, tags)?;
    let prepare = list_refs(repo, &remote, url, timeout).map_err(unreachable)?;
    missing_tags(url, tags, &prepare.ref_map().mappings)?;
    prepare
        .with_shallow(Shallow::DepthAtRemote(1.try_into().expect("non-zero")))
        .receive(gix::progress::Discard, interrupt)
        .map_err(|err| {
            if interrupt.load(std::sync::atomic::Ordering::Relaxed) {
                Attempt::Failed(SourceError::Interrupted)
            } else {
                unreachable(err)
            }
        })?;
    Ok(())
}

/// Ask `url` whether it has every tag, as `git ls-remote` would: refs only, no objects.
pub(super) fn probe_tags(
    repo: &gix::Repository,
    url: &str,
    tags: &[String],
    timeout: Duration,
) -> Result<(), Attempt> {
    let unreachable = |err: gix::Error| Attempt::Unreachable(error_chain(&err));
    let remote = remote_for(repo, url, tags)?;
    let prepare = list_refs(repo, &remote, url, timeout).map_err(unreachable)?;
    missing_tags(url, tags, &prepare.ref_map().mappings)
}

/// Every tag `url` advertises (names without `refs/tags/`), as `git ls-remote --tags` would.
pub(super) fn tag_names(
    repo: &gix::Repository,
    url: &str,
    timeout: Duration,
) -> Result<Vec<String>, Attempt> {
    let unreachable = |err: gix::Error| Attempt::Unreachable(error_chain(&err));
    let remote = repo
        .remote_at(url)
        .and_then(|remote| {
            remote
                .with_fetch_tags(Tags::None)
                .with_refspecs(["+refs/tags/*:refs/tags/*"], Direction::Fetch)
        })
        .map_err(|err| {
            Attempt::Failed(SourceError::git(
                format!("invalid source `{url}`"),
                error_chain(&err),
            ))
        })?;
    let prepare = list_refs(repo, &remote, url, timeout).map_err(unreachable)?;
    let mut names: Vec<String> = prepare
        .ref_map()
        .mappings
        .iter()
        .filter_map(|mapping| mapping.remote.as_name())
        .filter_map(|name| {
            name.to_string()
                .strip_prefix("refs/tags/")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// A connection that has read the refs `url` advertises, ready to fetch.
type Refs<'repo> =
    gix::remote::fetch::Prepare<'static, 'repo, Box<dyn blocking_io::Transport + Send>>;

/// Connect to `remote` (each HTTP read bounded by `timeout`) and read its refs.
fn list_refs<'repo>(
    repo: &gix::Repository,
    remote: &gix::Remote<'repo>,
    url: &str,
    timeout: Duration,
) -> gix::Result<Refs<'repo>> {
    let mut connection = remote.connect(Direction::Fetch)?;
    if url.starts_with("http://") || url.starts_with("https://") {
        connection.set_transport_options(Box::new(http_options(repo, url, timeout)));
    }
    connection.prepare_fetch(gix::progress::Discard, Default::default())
}

/// A remote at `url` that fetches exactly `refs/tags/<tag>` of every tag.
fn remote_for<'r>(
    repo: &'r gix::Repository,
    url: &str,
    tags: &[String],
) -> Result<gix::Remote<'r>, Attempt> {
    let refspecs: Vec<String> = tags
        .iter()
        .map(|tag| format!("+refs/tags/{tag}:refs/tags/{tag}"))
        .collect();
    repo.remote_at(url)
        .and_then(|remote| {
            remote
                .with_fetch_tags(Tags::None)
                .with_refspecs(refspecs.iter().map(String::as_str), Direction::Fetch)
        })
        .map_err(|err| {
            Attempt::Failed(SourceError::git(
                format!("invalid source `{url}`"),
                error_chain(&err),
            ))
        })
}

/// [`SourceError::TagNotFound`] for the tags the remote did not advertise.
fn missing_tags(
    url: &str,
    tags: &[String],
    mappings: &[gix::remote::fetch::refmap::Mapping],
) -> Result<(), Attempt> {
    let advertised: Vec<String> = mappings
        .iter()
        .filter_map(|mapping| mapping.remote.as_name().map(|name| name.to_string()))
        .collect();
    let missing: Vec<String> = tags
        .iter()
        .filter(|tag| !advertised.contains(&format!("refs/tags/{tag}")))
        .cloned()
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Attempt::Failed(SourceError::TagNotFound {
        url: crate::redact::url(url),
        tags: missing,
    }))
}

/// The repository's HTTP defaults plus a bound on every request, so a stalled server cannot hang us.
fn http_options(repo: &gix::Repository, url: &str, timeout: Duration) -> http::Options {
    let mut options = repo
        .transport_options(url, None)
        .ok()
        .flatten()
        .and_then(|any| any.downcast::<http::Options>().ok())
        .map(|boxed| *boxed)
        .unwrap_or_default();
    let backend = http::reqwest::Options {
        configure_client: Some(Box::new(
            move |builder: reqwest::blocking::ClientBuilder| {
                Ok(builder
                    .timeout(timeout)
                    .connect_timeout(timeout.min(Duration::from_secs(20))))
            },
        )),
        configure_request: None,
    };
    options.user_agent = Some(concat!("wasi-externals/", env!("CARGO_PKG_VERSION")).into());
    options.backend = Some(Arc::new(Mutex::new(backend)));
    options
}

/// Whether the cache's disk is full (or over quota): no mirror can help with that.
fn out_of_space(err: &gix::Error) -> bool {
    err.iter_errors().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>();
        io.is_some_and(|e| {
            e.kind() == std::io::ErrorKind::StorageFull
                || e.kind() == std::io::ErrorKind::QuotaExceeded
        }) || cause.to_string().contains("No space left on device")
    })
}

/// An error and its causes on one line: gix errors nest the useful part deep.
fn error_chain(err: &gix::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.iter_errors() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    crate::redact::text(&parts.join(": "))
}
