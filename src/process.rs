//! Process groups of build steps: stopping them, and finding the orphans of a
//! killed run. Each step runs in a group of its own, named by `step.pgid` in
//! its work folder while it runs.

use std::path::Path;
use std::time::{Duration, Instant};

/// The file, in a build's work folder, naming the process group of the step that runs.
pub const PGID_FILE: &str = "step.pgid";

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
