//! Progress events: the library says what happens, the CLI decides how to show it.

/// Something worth telling a person (or a log) while long work runs.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Another process holds a lock we need; we wait for it.
    WaitingForLock {
        what: &'a str,
    },
    FetchStarted {
        url: &'a str,
        tags: &'a [String],
    },
    FetchFinished {
        url: &'a str,
        seconds: f64,
    },
    /// This location failed; the next mirror (if any) is tried.
    SourceUnreachable {
        url: &'a str,
        error: &'a str,
    },
    BuildStarted {
        dep: &'a str,
    },
    /// `status` is `built`, `cached`, `failed` or `skipped`.
    BuildFinished {
        dep: &'a str,
        status: &'a str,
        seconds: f64,
    },
    /// A line of general information, such as a warning.
    Note {
        message: &'a str,
    },
}

/// Receives [`Event`]s; implementations must tolerate calls from several threads.
pub trait Reporter: Sync {
    fn event(&self, event: Event<'_>);
}
