//! What the remote cache did in the last run: kept in the cache folder for `cache stats`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::remote::RemoteMode;

/// The file in the cache folder holding the last run's [`RunStats`].
pub const STATS_FILE: &str = "remote-stats.json";

/// Counters of one run that used the remote cache.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunStats {
    /// The remote, without user information.
    pub url: String,
    /// `read` or `read-write`.
    pub mode: String,
    /// The command that ran: `build`, `fetch` or `cache push`.
    pub command: String,
    /// Builds the local cache lacked and the remote had (and that passed every check).
    pub hits: u64,
    /// Builds neither cache had, or whose remote copy was rejected.
    pub misses: u64,
    /// Remote objects refused as corrupt or incomplete.
    pub rejected: u64,
    /// Build entries downloaded.
    pub builds_down: u64,
    /// Build entries uploaded.
    pub builds_up: u64,
    /// Source packs downloaded.
    pub sources_down: u64,
    /// Source packs uploaded.
    pub sources_up: u64,
    /// Bytes downloaded.
    pub bytes_down: u64,
    /// Bytes uploaded.
    pub bytes_up: u64,
    /// Whether the remote failed during the run (and local work took over).
    pub unreachable: bool,
    /// The warnings printed about the remote.
    pub warnings: Vec<String>,
    /// Seconds since the Unix epoch when the run ended.
    pub finished_at: u64,
}

impl RunStats {
    /// Zero counters for a run against `url`.
    pub fn new(url: &str, mode: RemoteMode) -> RunStats {
        RunStats {
            url: url.to_owned(),
            mode: match mode {
                RemoteMode::Read => "read",
                RemoteMode::ReadWrite => "read-write",
            }
            .to_owned(),
            ..RunStats::default()
        }
    }

    /// Where the last run's counters live in the cache at `root`.
    pub fn path(root: &Path) -> PathBuf {
        root.join(STATS_FILE)
    }

    /// Replace the cache's last-run counters with these.
    pub fn save(&mut self, root: &Path) -> std::io::Result<()> {
        self.finished_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomically(&Self::path(root), &json)
    }

    /// The last run's counters, if a run with a remote cache has finished.
    pub fn load(root: &Path) -> Option<RunStats> {
        let bytes = std::fs::read(Self::path(root)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}
