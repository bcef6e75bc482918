//! The one place external build processes are started: every command's argv,
//! folder and environment go into the dep's log, so a failure can be rerun by hand.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

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
    pub message: String,
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
        let fail = |message: String| StepFailure {
            step: step.clone(),
            message,
        };
        if self.interrupt.load(Ordering::SeqCst) {
            return Err(fail("interrupted".into()));
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
        let out = self.log.try_clone().map_err(|e| fail(e.to_string()))?;
        let err = self.log.try_clone().map_err(|e| fail(e.to_string()))?;
        command.stdout(out).stderr(err);
        let status = command
            .status()
            .map_err(|e| fail(format!("cannot start `{program}`: {e}")))?;
        if self.interrupt.load(Ordering::SeqCst) {
            return Err(fail("interrupted".into()));
        }
        if !status.success() {
            let _ = writeln!(self.log, "# failed: {status}");
            return Err(fail(format!("exited with {status}")));
        }
        Ok(())
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
