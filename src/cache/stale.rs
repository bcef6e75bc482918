//! Folders set aside: what a reclaim or a heal could not remove at once is
//! renamed to `.stale-<name>-<pid>` beside it, and `cache gc` removes it later.

use std::path::{Path, PathBuf};

/// The name a folder gets when set aside by this process: `.stale-<name>-<pid>`.
pub fn aside(dir: &Path) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.with_file_name(format!(".stale-{name}-{}", std::process::id()))
}

/// Whether `file_name` is that of `dir` set aside by any process.
pub fn is_aside_of(dir: &Path, file_name: &str) -> bool {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    file_name.starts_with(&format!(".stale-{name}-"))
}

/// Remove a work folder (or a folder of them) that a killed run may have left:
/// stop its orphans, move it aside so nothing still writing into it makes the
/// removal fail, then remove it. What cannot be removed at once stays aside,
/// under a `.stale-` name that `cache gc` removes later. Callers hold the cache lock.
pub fn reclaim_dir(dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    crate::process::stop_orphans(dir);
    for entry in std::fs::read_dir(dir)?.flatten() {
        crate::process::stop_orphans(&entry.path());
    }
    let aside = aside(dir);
    std::fs::rename(dir, &aside)?;
    let _ = std::fs::remove_dir_all(&aside);
    Ok(())
}
