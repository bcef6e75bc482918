//! The license texts of a pinned source tree, for `sbom --licenses DIR`: a
//! release that links the externals statically (CPython's `wasi package`) must
//! carry them, and the SPDX document alone names licenses, not their texts.
//!
//! The texts are the top-level files whose names start with `LICENSE`,
//! `LICENCE`, `COPYING` or `COPYRIGHT` (any case), read from the pinned tree in
//! the source cache, never from a checkout that could have been edited. The
//! tree is upstream's and so untrusted: names must be plain file names, and a
//! text larger than [`MAX_LICENSE_BYTES`] is refused.

use gix::ObjectId;

use super::{SourceError, SourceStore};
use crate::config::DepPin;

/// The largest license text accepted (the largest real one, GPLv3, is 35 KB).
pub const MAX_LICENSE_BYTES: usize = 1 << 20;

/// The name prefixes that mark a license text.
const PREFIXES: [&str; 4] = ["LICENSE", "LICENCE", "COPYING", "COPYRIGHT"];

/// One license text of a dependency.
#[derive(Debug, Clone)]
pub struct LicenseFile {
    /// The file's name at the top of the source tree, e.g. `LICENSE` or `COPYING.GPLv2`.
    pub name: String,
    /// Its bytes, as stored.
    pub text: Vec<u8>,
}

/// Whether a top-level tree entry's name marks a license text, and is safe to write as a file name.
fn is_license_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    plain && PREFIXES.iter().any(|p| upper.starts_with(p))
}

impl SourceStore {
    /// The license texts at the top of `pin`'s pinned tree, sorted by name
    /// (empty when it has none, as sqlite's amalgamation). The pin must be
    /// locked and its sources in the store (`fetch`).
    pub fn license_files(&self, pin: &DepPin) -> Result<Vec<LicenseFile>, SourceError> {
        let (_, tree) = pin.locked().ok_or_else(|| SourceError::NotLocked {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
        })?;
        let repo = self.repo();
        let context = || format!("license files of {} (tree {tree})", pin.name);
        let object = repo
            .find_object(tree)
            .map_err(|e| SourceError::git(context(), e))?;
        let tree_ref = object
            .try_into_tree()
            .map_err(|e| SourceError::git(context(), e))?;
        let mut wanted: Vec<(String, ObjectId)> = Vec::new();
        for entry in tree_ref.iter() {
            let entry = entry.map_err(|e| SourceError::git(context(), e))?;
            let name = entry.filename().to_string();
            if entry.mode().is_blob() && is_license_name(&name) {
                wanted.push((name, entry.oid().to_owned()));
            }
        }
        wanted.sort();
        wanted
            .into_iter()
            .map(|(name, id)| {
                let blob = repo
                    .find_object(id)
                    .map_err(|e| SourceError::git(context(), e))?;
                if blob.data.len() > MAX_LICENSE_BYTES {
                    return Err(SourceError::git(
                        context(),
                        format!("{name} holds {} bytes, more than a license text may ({MAX_LICENSE_BYTES})", blob.data.len()),
                    ));
                }
                Ok(LicenseFile {
                    name,
                    text: blob.data.clone(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::is_license_name;

    #[test]
    fn license_names_are_plain_and_prefixed() {
        for name in [
            "LICENSE",
            "COPYING.GPLv2",
            "License.txt",
            "COPYRIGHT.txt",
            "LICENCE",
        ] {
            assert!(is_license_name(name), "{name}");
        }
        for name in [
            "README",
            "zlib.h",
            ".LICENSE",
            "LICENSE/x",
            "LICENSE\n",
            "COPYING 2",
            "",
        ] {
            assert!(!is_license_name(name), "{name:?}");
        }
    }
}
