//! Showing progress and errors to people (and errors to machines with --json).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use wasi_externals::report::{BuildStatus, Event, Reporter};

/// Status lines on stderr, with live spinners when stderr is a terminal.
pub struct TerminalReporter {
    silent: bool,
    verbose: u8,
    bars: MultiProgress,
    active: Mutex<HashMap<String, ProgressBar>>,
}

impl TerminalReporter {
    pub fn new(silent: bool, verbose: u8) -> TerminalReporter {
        let target = if !silent && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        TerminalReporter {
            silent,
            verbose,
            bars: MultiProgress::with_draw_target(target),
            active: Mutex::new(HashMap::new()),
        }
    }

    fn line(&self, verb: &str, message: &str) {
        if !self.silent {
            let message = wasi_externals::redact::text(message);
            self.bars.suspend(|| eprintln!("{verb:>12} {message}"));
        }
    }

    fn start(&self, key: String, message: String) {
        let bar = self.bars.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"),
        );
        bar.set_message(message);
        bar.enable_steady_tick(Duration::from_millis(120));
        self.active.lock().expect("not poisoned").insert(key, bar);
    }

    /// A byte-counting bar for a download (a spinner when its size is unknown);
    /// drawn only when stderr is a terminal.
    fn start_download(&self, url: &str, bytes: Option<u64>) {
        let key = format!("download {url}");
        self.stop(&key);
        let (bar, template) = match bytes {
            Some(total) => (
                ProgressBar::new(total),
                "{spinner} downloading {msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} downloading {msg} {bytes} {bytes_per_sec}",
            ),
        };
        let bar = self.bars.add(bar);
        bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
        bar.set_message(url.rsplit('/').next().unwrap_or(url).to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        self.active.lock().expect("not poisoned").insert(key, bar);
    }

    fn stop(&self, key: &str) {
        if let Some(bar) = self.active.lock().expect("not poisoned").remove(key) {
            bar.finish_and_clear();
            self.bars.remove(&bar);
        }
    }

    /// A build's spinner ends in one line: built, cached, skipped or failed.
    fn build_finished(&self, dep: &str, status: BuildStatus, seconds: f64) {
        self.stop(&format!("build {dep}"));
        let verb = match status {
            BuildStatus::Built | BuildStatus::Build => "Built",
            BuildStatus::Cached | BuildStatus::UseCache => "Cached",
            BuildStatus::Skipped | BuildStatus::Skip => "Skipped",
            BuildStatus::Failed => "Failed",
        };
        self.line(verb, &format!("{dep} ({seconds:.1}s)"));
    }

    /// Remove every live spinner, e.g. before printing an error.
    pub fn clear(&self) {
        for (_, bar) in self.active.lock().expect("not poisoned").drain() {
            bar.finish_and_clear();
        }
    }
}

impl Reporter for TerminalReporter {
    fn event(&self, event: Event<'_>) {
        match event {
            Event::WaitingForLock { what } => {
                self.line("Blocking", &format!("waiting for the lock on {what}"))
            }
            Event::FetchStarted { url, tags } => {
                if self.verbose > 0 {
                    self.line("Fetching", &format!("{} from {url}", tags.join(", ")));
                }
                self.start(
                    format!("fetch {url}"),
                    format!("fetching {} tag(s) from {url}", tags.len()),
                );
            }
            Event::FetchFinished { url, seconds } => {
                self.stop(&format!("fetch {url}"));
                self.line("Fetched", &format!("from {url} in {seconds:.2}s"));
            }
            Event::SourceUnreachable { url, error } => {
                self.stop(&format!("fetch {url}"));
                self.line("Unreachable", &format!("{url}: {error}"));
            }
            Event::BuildStarted { dep } => {
                if self.verbose > 0 {
                    self.line("Building", dep);
                }
                self.start(format!("build {dep}"), format!("building {dep}"));
            }
            Event::BuildFinished {
                dep,
                status,
                seconds,
            } => self.build_finished(dep, status, seconds),
            Event::DownloadStarted { url, bytes } => {
                if self.verbose > 0 {
                    self.line("Downloading", url);
                }
                self.start_download(url, bytes);
            }
            Event::DownloadProgress { url, bytes } => {
                let active = self.active.lock().expect("not poisoned");
                if let Some(bar) = active.get(&format!("download {url}")) {
                    bar.set_position(bytes);
                }
            }
            Event::DownloadFinished {
                url,
                bytes,
                seconds,
            } => {
                self.stop(&format!("download {url}"));
                let mib = bytes as f64 / (1024.0 * 1024.0);
                let message = format!("{url} ({mib:.1} MiB in {seconds:.1}s)");
                self.line("Downloaded", &message);
            }
            Event::Note { message } => self.line("Note", message),
        }
    }
}

/// Render an error once, as cargo and uv do: `error: …`, then a "Caused by:"
/// section with each cause not already in the message, then `hint: …`. With
/// `--json`, one object on stdout with the code, message, every cause and the
/// hint. The message, every cause and the hint pass through the redactor.
pub fn print_error(err: &wasi_externals::Error, json: bool) {
    let error = Rendered::of(err);
    if json {
        let value = serde_json::json!({ "error": {
            "code": err.code(),
            "message": error.message,
            "causes": error.causes,
            "hint": error.hint,
        } });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("serializes")
        );
    } else {
        eprint!(
            "{}",
            shown(&render_error(
                &error.message,
                &error.causes,
                error.hint.as_deref()
            ))
        );
    }
}

/// An error's message, causes and hint, each through the redactor.
struct Rendered {
    message: String,
    causes: Vec<String>,
    hint: Option<String>,
}

impl Rendered {
    fn of(err: &wasi_externals::Error) -> Rendered {
        use wasi_externals::redact::text;
        Rendered {
            message: text(&err.to_string()),
            causes: err.causes().iter().map(|cause| text(cause)).collect(),
            hint: err.hint().map(|hint| text(&hint)),
        }
    }
}

/// Names from files and arguments may hold terminal escapes: show them, don't obey them.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => c.escape_default().collect(),
            c => c.to_string(),
        })
        .collect()
}

/// The terminal form of an error. A cause whose text the message (or an
/// earlier cause) already shows is left out, so old messages that quote their
/// cause do not print it twice.
fn render_error(message: &str, causes: &[String], hint: Option<&str>) -> String {
    let mut text = format!("error: {message}\n");
    let mut shown = message.to_owned();
    let new: Vec<&String> = causes
        .iter()
        .filter(|cause| {
            let fresh = !cause.is_empty() && !shown.contains(cause.as_str());
            shown.push_str(cause);
            fresh
        })
        .collect();
    if !new.is_empty() {
        text.push_str("\nCaused by:\n");
        for (i, cause) in new.iter().enumerate() {
            let mut lines = cause.lines();
            let first = lines.next().unwrap_or_default();
            text.push_str(&format!("  {i}: {first}\n"));
            for line in lines {
                text.push_str(&format!("     {line}\n"));
            }
        }
    }
    if let Some(hint) = hint {
        text.push_str(&format!("\nhint: {hint}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{render_error, shown};

    #[test]
    fn causes_already_in_the_message_are_not_repeated() {
        let causes = ["disk full".to_owned(), "no space left".to_owned()];
        let text = render_error("cannot write x: disk full", &causes, Some("free space"));
        assert_eq!(
            text,
            "error: cannot write x: disk full\n\nCaused by:\n  0: no space left\n\nhint: free space\n"
        );
        let text = render_error("cannot read x", &["line one\nline two".to_owned()], None);
        assert_eq!(
            text,
            "error: cannot read x\n\nCaused by:\n  0: line one\n     line two\n"
        );
    }

    #[test]
    fn causes_are_redacted_like_the_message() {
        let err = wasi_externals::Error::WriteOutput {
            path: "out.tar".into(),
            source: std::io::Error::other("PUT http://me:s3cret@h/x?token=T1 failed"),
        };
        let rendered = super::Rendered::of(&err);
        assert_eq!(rendered.causes.len(), 1, "{:?}", rendered.causes);
        for text in rendered.causes.iter().chain([&rendered.message]) {
            assert!(
                text.contains("http://h/x?token=REDACTED") && !text.contains("s3cret"),
                "{text}"
            );
        }
        assert_eq!(err.code(), "write");
        assert!(rendered.hint.is_none());
    }

    #[test]
    fn terminal_escapes_are_shown_not_obeyed() {
        assert_eq!(shown("a\u{1b}[2Jb\n\tc"), "a\\u{1b}[2Jb\n\tc");
    }
}
