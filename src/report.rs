//! Progress events: the library says what happens, the CLI decides how to show it.

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
        tags: &'a [String],
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
    /// `status` is `built`, `cached`, `failed` or `skipped`.
    BuildFinished {
        /// The dependency's name, as in deps.toml.
        dep: &'a str,
        /// `built`, `cached`, `failed` or `skipped`.
        status: &'a str,
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
