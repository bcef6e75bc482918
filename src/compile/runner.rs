//! The one place external build processes are started: every command's argv,
//! folder and environment go into the dep's log, so a failure can be rerun by hand.
//!
//! Each step runs in a process group of its own, recorded in `<work>/step.pgid`
//! while it runs: Ctrl-C or SIGTERM stops the whole group at once, and a run
//! after a SIGKILL can find and stop orphans before it reuses their folder.

use std::fs::File;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::process::{stop_group, PGID_FILE};

/// Runs the steps of one build with a fixed environment, logging everything.
pub struct Runner<'a> {
    log: File,
    pub log_path: PathBuf,
    env: Vec<(String, String)>,
    jobserver: &'a jobserver::Client,
    interrupt: &'a AtomicBool,
}

/// A failed step: what ran, and why it failed.
#[derive(Debug)]
pub struct StepFailure {
    pub step: String,
    pub problem: StepProblem,
}

/// What went wrong in one build step.
#[derive(Debug, thiserror::Error)]
pub enum StepProblem {
    /// Ctrl-C or SIGTERM stopped it.
    #[error("interrupted")]
    Interrupted,
    /// The program could not be started.
    #[error("cannot start `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The program exited with an error.
    #[error("exited with {0}")]
    Exit(std::process::ExitStatus),
    /// An I/O step (the log, waiting, copying a file in or out) failed.
    #[error("{0}")]
    Io(#[source] std::io::Error),
    /// Copying a named file failed.
    #[error("{}: {source}", .path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// What the build installed is not a usable output.
    #[error(transparent)]
    Output(#[from] super::output::OutputError),
    /// The recipe says this dependency cannot be built (its reason).
    #[error("{0}")]
    Unsupported(String),
}

impl StepFailure {
    /// A failure of `step` because of `problem`.
    pub fn new(step: impl Into<String>, problem: impl Into<StepProblem>) -> StepFailure {
        StepFailure {
            step: step.into(),
            problem: problem.into(),
        }
    }
}

impl From<std::io::Error> for StepProblem {
    fn from(err: std::io::Error) -> Self {
        StepProblem::Io(err)
    }
}

impl<'a> Runner<'a> {
    pub fn new(
        log_path: PathBuf,
        env: Vec<(String, String)>,
        jobserver: &'a jobserver::Client,
        interrupt: &'a AtomicBool,
    ) -> std::io::Result<Runner<'a>> {
        let mut log = File::create(&log_path)?;
        writeln!(
            log,
            "# environment of every step (nothing else is inherited):"
        )?;
        for (key, value) in &env {
            writeln!(log, "#   {key}={}", shell_quote(value))?;
        }
        Ok(Runner {
            log,
            log_path,
            env,
            jobserver,
            interrupt,
        })
    }

    /// Write a line to the log.
    pub fn note(&mut self, message: &str) {
        let _ = writeln!(self.log, "# {message}");
    }

    /// Run `program args…` in `dir`; `make` steps share the jobserver.
    pub fn run(&mut self, dir: &Path, program: &str, args: &[String]) -> Result<(), StepFailure> {
        let step = std::iter::once(program.to_owned())
            .chain(args.iter().map(|a| shell_quote(a)))
            .collect::<Vec<_>>()
            .join(" ");
        let fail = |problem: StepProblem| StepFailure {
            step: step.clone(),
            problem,
        };
        if self.interrupt.load(Ordering::SeqCst) {
            return Err(fail(StepProblem::Interrupted));
        }
        let _ = writeln!(
            self.log,
            "\n$ cd {} && {step}",
            shell_quote(&dir.display().to_string())
        );
        let _ = self.log.flush();
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(dir)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        if program == "make" {
            self.jobserver.configure_make(&mut command);
        }
        let out = self.log.try_clone().map_err(|e| fail(e.into()))?;
        let err = self.log.try_clone().map_err(|e| fail(e.into()))?;
        command.stdout(out).stderr(err);
        command.process_group(0);
        let child = command.spawn().map_err(|source| {
            fail(StepProblem::Spawn {
                program: program.to_owned(),
                source,
            })
        })?;
        let status = self.wait(child).map_err(|e| fail(e.into()))?;
        let Some(status) = status else {
            let _ = writeln!(self.log, "# interrupted: stopped the step's process group");
            return Err(fail(StepProblem::Interrupted));
        };
        if !status.success() {
            let _ = writeln!(self.log, "# failed: {status}");
            return Err(fail(StepProblem::Exit(status)));
        }
        Ok(())
    }
}

impl Runner<'_> {
    /// Wait for `child`, recording its process group; on interrupt stop the group and return `None`.
    fn wait(&mut self, mut child: Child) -> std::io::Result<Option<ExitStatus>> {
        let pgid_file = self.log_path.with_file_name(PGID_FILE);
        std::fs::write(&pgid_file, child.id().to_string())?;
        let result = loop {
            if let Some(status) = child.try_wait()? {
                break Some(status);
            }
            if self.interrupt.load(Ordering::SeqCst) {
                stop_group(child.id());
                child.wait()?;
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let _ = std::fs::remove_file(&pgid_file);
        Ok(result)
    }
}

/// Quote for a POSIX shell when needed, so logged commands can be pasted.
pub fn shell_quote(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}
