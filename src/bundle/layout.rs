//! What a bundle may hold: which paths, where (which tar entry types: [`crate::archive`]).
//!
//! An export writes only regular files at plain relative paths:
//! `deps.toml`, `sources/<pack, idx or shallow>` and
//! `builds/<key>/{record.json, build.log, files/<include or lib path>}`, the
//! cache's entries as [`crate::cache::entry`] lays them out.

use crate::cache::entry;
use crate::key::BuildKey;
use crate::relpath::NormalPath;

/// A file the index lists where no export puts files.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` is not where a bundle keeps its files (deps.toml, sources/…, builds/<listed key>/…)"
)]
pub struct Misplaced(pub NormalPath);

/// Whether a file the index lists lies where an export puts such files,
/// and belongs to a build the index names.
pub fn check_listed(path: &NormalPath, builds: &[BuildKey]) -> Result<(), Misplaced> {
    let parts: Vec<&str> = path.parts().collect();
    let fits = match parts.as_slice() {
        ["deps.toml"] => true,
        ["sources", name] => {
            *name == "shallow" || name.ends_with(".pack") || name.ends_with(".idx")
        }
        parts => entry::is_archive_member(parts, builds),
    };
    if fits {
        Ok(())
    } else {
        Err(Misplaced(path.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_in_their_places() {
        let key = BuildKey::parse(&"ab".repeat(32)).unwrap();
        let at = |p: &str| check_listed(&NormalPath::parse(p).unwrap(), std::slice::from_ref(&key));
        assert!(at("deps.toml").is_ok() && at("sources/pack-1.pack").is_ok());
        assert!(at(&format!("builds/{key}/files/lib/libz.a")).is_ok());
        assert!(at(&format!("builds/{key}/pwned")).is_err());
        assert!(at(&format!("builds/{}/record.json", "cd".repeat(32))).is_err());
        assert!(at("sources/a/b.pack").is_err() && at("victim/record.json").is_err());
    }
}
