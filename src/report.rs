//! Progress events: the library says what happens, the CLI decides how to show it.

/// What a build did with one dependency; with `--dry-run`, what it would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildStatus {
    /// Compiled now and installed.
    Built,
    /// Installed from the cache; nothing compiled.
    Cached,
    /// Not buildable for WASI (the recipe says why).
    Skipped,
    /// The build failed; the prefix keeps what it had for this dep.
    Failed,
    /// `--dry-run`: would compile.
    Build,
    /// `--dry-run`: would install from the cache.
    UseCache,
    /// `--dry-run`: would skip.
    Skip,
}

impl BuildStatus {
    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildStatus::Built => "built",
            BuildStatus::Cached => "cached",
            BuildStatus::Skipped => "skipped",
            BuildStatus::Failed => "failed",
            BuildStatus::Build => "build",
            BuildStatus::UseCache => "use-cache",
            BuildStatus::Skip => "skip",
        }
    }
}

/// Something worth telling a person (or a log) while long work runs.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Another process holds a lock we need; we wait for it.
    WaitingForLock {
        /// What the lock protects, for people.
        what: &'a str,
    },
    /// Fetching tags from a location started.
    FetchStarted {
        /// The source location.
        url: &'a str,
        /// The tags being fetched.
        tags: &'a [crate::gitref::TagName],
    },
    /// Fetching from a location finished.
    FetchFinished {
        /// The source location.
        url: &'a str,
        /// Wall-clock time in seconds.
        seconds: f64,
    },
    /// This location failed; the next mirror (if any) is tried.
    SourceUnreachable {
        /// The source location.
        url: &'a str,
        /// Why it could not be reached.
        error: &'a str,
    },
    /// A dependency's build started.
    BuildStarted {
        /// The dependency's name, as in deps.toml.
        dep: &'a str,
    },
    /// A dependency's build ended: built, cached, failed or skipped.
    BuildFinished {
        /// The dependency's name, as in deps.toml.
        dep: &'a str,
        /// How it ended.
        status: BuildStatus,
        /// Wall-clock time in seconds.
        seconds: f64,
    },
    /// A download started (again, after a retry); `bytes` is its announced size.
    DownloadStarted {
        /// What is downloaded.
        url: &'a str,
        /// `Content-Length`, when the server says.
        bytes: Option<u64>,
    },
    /// More of a download arrived.
    DownloadProgress {
        /// What is downloaded.
        url: &'a str,
        /// Bytes received so far in this attempt.
        bytes: u64,
    },
    /// A download arrived in full (its checksum is checked next).
    DownloadFinished {
        /// What was downloaded.
        url: &'a str,
        /// Its size.
        bytes: u64,
        /// Wall-clock time in seconds.
        seconds: f64,
    },
    /// A line of general information, such as a warning.
    Note {
        /// The text to show.
        message: &'a str,
    },
}

/// Receives [`Event`]s; implementations must tolerate calls from several threads.
pub trait Reporter: Sync {
    /// Called for every event, possibly from several threads at once.
    fn event(&self, event: Event<'_>);
}

/// A [`Reporter`] that drops every event: for library users who want results only.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Reporter for Silent {
    fn event(&self, _event: Event<'_>) {}
}
