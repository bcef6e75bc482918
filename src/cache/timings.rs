//! How long each dependency's last build took, kept in the cache folder so that
//! the next run starts the longest build first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file in the cache folder holding the [`Timings`].
pub const TIMINGS_FILE: &str = "timings.json";

/// Seconds of the last successful build, by dependency name.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timings(BTreeMap<String, f64>);

impl Timings {
    /// Where the timings live in the cache at `root`.
    pub fn path(root: &Path) -> PathBuf {
        root.join(TIMINGS_FILE)
    }

    /// The timings kept in the cache at `root`; none when the file is missing or unreadable.
    pub fn load(root: &Path) -> Timings {
        std::fs::read(Self::path(root))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The seconds of `dep`'s last successful build, if one was recorded.
    pub fn get(&self, dep: &str) -> Option<f64> {
        self.0.get(dep).copied()
    }

    /// Note that `dep` just built in `seconds`.
    pub fn record(&mut self, dep: &str, seconds: f64) {
        self.0.insert(dep.to_owned(), seconds);
    }

    /// Replace the timings kept in the cache at `root` with these.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomically(&Self::path(root), &json)
    }
}
