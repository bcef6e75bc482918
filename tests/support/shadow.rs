//! SDK-shaped folders made of symlinks to a real one, with one file left out or replaced.

use std::path::{Component, Path};

/// Mirror `from` into `to` with symlinks, creating real folders only along
/// `leave_out` (a path relative to `from`), which is not linked at all.
pub fn shadow(from: &Path, to: &Path, leave_out: &Path) {
    let mut parts = leave_out.components().filter_map(|c| match c {
        Component::Normal(name) => Some(name.to_owned()),
        _ => None,
    });
    let first = parts.next().expect("a path to leave out");
    let rest: std::path::PathBuf = parts.collect();
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name != first {
            std::os::unix::fs::symlink(entry.path(), to.join(&name)).unwrap();
        } else if !rest.as_os_str().is_empty() {
            shadow(&entry.path(), &to.join(&name), &rest);
        }
    }
}

/// A copy of the SDK at `from` (symlinks) whose VERSION file says `version`.
pub fn with_version(from: &Path, to: &Path, version: &str) {
    shadow(from, to, Path::new("VERSION"));
    std::fs::write(to.join("VERSION"), format!("{version}\n")).unwrap();
}
