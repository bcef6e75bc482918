//! Tar archives read from outside (bundles, remote cache entries): only regular
//! files and folders at plain relative paths may be unpacked from them, so an
//! entry can neither escape the folder it is unpacked into nor plant a link.

use tar::EntryType;

use crate::relpath::{BadPath, NormalPath};

/// An archive entry that may not be unpacked.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// A link, device, FIFO or other kind that is not a file or folder.
    #[error("`{name}` is {what}: {container} holds only regular files and folders")]
    Kind {
        /// The entry's name as the archive spells it.
        name: String,
        /// What kind it is (`a symlink`, …).
        what: &'static str,
        /// The archive, e.g. `a bundle`.
        container: &'static str,
    },
    /// The name is not a plain relative path.
    #[error(transparent)]
    Path(#[from] BadPath),
}

/// Whether an archive entry of `kind` named `name` may be unpacked into a
/// scratch folder; `container` names the archive in the message (e.g. "a bundle").
pub fn check_entry(kind: EntryType, name: &str, container: &'static str) -> Result<(), EntryError> {
    let what = match kind {
        EntryType::Regular => return plain(name),
        EntryType::Directory => return plain(name.strip_suffix('/').unwrap_or(name)),
        EntryType::Symlink => "a symlink",
        EntryType::Link => "a hard link",
        EntryType::Char | EntryType::Block => "a device",
        EntryType::Fifo => "a FIFO",
        _ => "of an unsupported tar type",
    };
    Err(EntryError::Kind {
        name: name.to_owned(),
        what,
        container,
    })
}

fn plain(name: &str) -> Result<(), EntryError> {
    NormalPath::parse(name).map(drop).map_err(EntryError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_and_folders() {
        assert!(check_entry(EntryType::Symlink, "lib/libz.a", "a bundle").is_err());
        assert!(check_entry(EntryType::Link, "lib/libz.a", "a bundle").is_err());
        assert!(check_entry(EntryType::Directory, "builds/", "a bundle").is_ok());
        assert!(check_entry(EntryType::Regular, "lib/libz.a", "a bundle").is_ok());
        assert!(check_entry(EntryType::Regular, "../x", "a bundle").is_err());
    }
}
