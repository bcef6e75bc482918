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
use std::time::{Duration, Instant};

/// The file, in a build's work folder, naming the process group of the step that runs.
pub const PGID_FILE: &str = "step.pgid";

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
        command.process_group(0);
        let child = command
            .spawn()
            .map_err(|e| fail(format!("cannot start `{program}`: {e}")))?;
        let status = self.wait(child).map_err(|e| fail(e.to_string()))?;
        let Some(status) = status else {
            let _ = writeln!(self.log, "# interrupted: stopped the step's process group");
            return Err(fail("interrupted".into()));
        };
        if !status.success() {
            let _ = writeln!(self.log, "# failed: {status}");
            return Err(fail(format!("exited with {status}")));
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

/// SIGTERM to the process group `pgid`, then SIGKILL to what is left after a moment.
pub fn stop_group(pgid: u32) {
    let Ok(pgid) = libc::pid_t::try_from(pgid) else {
        return;
    };
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is touched.
    unsafe { libc::kill(-pgid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(2);
    // SAFETY: signal 0 only checks whether the group still exists.
    while Instant::now() < deadline && unsafe { libc::kill(-pgid, 0) } == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: as above.
    unsafe { libc::kill(-pgid, libc::SIGKILL) };
}

/// Stop what is left of a killed run's step in `work`: the process group its
/// `step.pgid` names, but only if a process of that group still works inside
/// `work` (a recycled id never makes us stop a stranger's processes).
pub fn stop_orphans(work: &Path) {
    let Some(pgid) = std::fs::read_to_string(work.join(PGID_FILE))
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok())
    else {
        return;
    };
    if group_works_in(pgid, work) {
        stop_group(pgid);
    }
}

/// Whether a process of group `pgid` has its current folder below `work` (Linux's /proc).
fn group_works_in(pgid: u32, work: &Path) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return false;
    };
    procs.flatten().any(|entry| {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // Fields after the command name, which sits in parentheses: state, ppid, pgrp, …
        let pgrp = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(2))
            .and_then(|field| field.parse::<u32>().ok());
        pgrp == Some(pgid)
            && std::fs::read_link(entry.path().join("cwd")).is_ok_and(|cwd| cwd.starts_with(work))
    })
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
