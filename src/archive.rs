//! The one tar unpacker for archives read from outside: bundles, remote cache
//! entries and WASI SDK releases.
//!
//! Every entry is checked before anything is written: its path must be plain
//! and relative, it may not lie below a link, its kind must be one the
//! archive's [`Rules`] allow, and links (when allowed at all) must stay inside
//! the archive's single top-level folder. Modes lose their set-id and sticky
//! bits, owners and extended attributes are not restored, and entries read into
//! memory are capped. The three callers differ only in their [`Rules`] and in
//! what a visitor says about each entry, so a check added here guards them all.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use tar::EntryType;

use crate::relpath::{BadPath, NormalPath};

/// The most an entry read into memory ([`Visit::Read`]) may hold.
pub const MAX_READ: u64 = 64 * 1024 * 1024;

/// Which links an archive may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// None: only regular files and folders (bundles, cache entries).
    Refused,
    /// Symlinks and hard links whose targets stay inside the single top-level
    /// folder (SDK releases, whose `clang++` links to `clang`).
    InsideTop,
}

/// What an archive may hold, and how its entries are named in messages.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The archive in a message, e.g. "a bundle".
    pub container: &'static str,
    /// Which links are allowed.
    pub links: Links,
    /// Whether every entry must lie in one top-level folder.
    pub single_top: bool,
    /// Whether entry names may start with `./` (as `tar -C dir .` writes them).
    pub dot_prefix: bool,
}

/// What to do with an entry that passed the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Write it below the target folder.
    Unpack,
    /// Keep its content in memory (at most [`MAX_READ`] bytes), not on disk.
    Read,
}

/// Why an entry was refused.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Refusal {
    /// Its name is not a plain relative path.
    #[error("{}", .0.problem)]
    Path(#[source] BadPath),
    /// A kind the rules do not allow.
    #[error("is {kind}: {container} holds only {allowed}")]
    Kind {
        /// "a symlink", "a device", …
        kind: &'static str,
        /// The archive, as in [`Rules::container`].
        container: &'static str,
        /// What the archive may hold.
        allowed: &'static str,
    },
    /// A folder on its way is a link, so its real place is not what its name says.
    #[error("lies below the link `{}`", .0.display())]
    BelowLink(PathBuf),
    /// A link entry without a target.
    #[error("is a link without a target")]
    NoTarget,
    /// A link whose target leaves the top-level folder.
    #[error("is a link to `{}`, outside the top-level folder", .0.display())]
    LinkOutside(PathBuf),
    /// A symlink target with `..` after a name (which a link on the way could redirect).
    #[error("is a link to `{}`, with `..` after a name", .0.display())]
    DotDotAfterName(PathBuf),
    /// The tar library found the entry would be written outside the folder.
    #[error("would be written outside the folder it is unpacked into")]
    Outside,
    /// An entry kept in memory is larger than [`MAX_READ`].
    #[error("is larger than {MAX_READ} bytes")]
    TooLarge,
    /// The caller does not expect this entry.
    #[error("is not {expected}")]
    Unexpected {
        /// What the caller expects, e.g. "a file of build …".
        expected: String,
    },
}

/// Why an archive could not be unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The archive cannot be read (truncated, not a tar, not gzip).
    #[error("cannot read it: {0}")]
    Read(#[source] std::io::Error),
    /// An entry is refused.
    #[error("entry `{entry}` {refusal}")]
    Refused {
        /// The entry's name as the archive spells it.
        entry: String,
        /// Why.
        #[source]
        refusal: Refusal,
    },
    /// An entry could not be written.
    #[error("cannot write `{entry}`: {source}")]
    Write {
        /// The entry's name as the archive spells it.
        entry: String,
        /// Where it was being written.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file outside the single top-level folder.
    #[error("`{0}` is not inside a top-level folder")]
    NotInFolder(String),
    /// Two top-level entries where one is expected.
    #[error("it has more than one top-level entry (`{first}` and `{entry}`)")]
    SeveralTops {
        /// The first top-level folder.
        first: String,
        /// The entry outside it.
        entry: String,
    },
    /// No entries at all where a top-level folder is expected.
    #[error("it holds no files")]
    Empty,
}

impl UnpackError {
    /// Whether an entry was refused as unsafe (not a read or write failure).
    pub fn is_refusal(&self) -> bool {
        matches!(self, UnpackError::Refused { .. })
    }
}

/// What an unpacked archive gave besides its files.
#[derive(Debug, Default)]
pub struct Unpacked {
    /// The single top-level folder (joined to the target) when [`Rules::single_top`].
    pub top: Option<PathBuf>,
    /// The entries the visitor asked to [`Visit::Read`], by name.
    pub read: BTreeMap<String, Vec<u8>>,
}

/// Unpack the tar `reader` into the folder `into`, checking every entry
/// against `rules` and asking `visit` (with the entry's plain path and kind)
/// whether to write it, keep it in memory, or refuse it.
///
/// With [`Links::InsideTop`], every symlink below the top folder is checked
/// again after unpacking (a hard link to a symlink is a copy of the link at
/// another depth, which the checks of the entries cannot see).
pub fn unpack<R: Read>(
    reader: R,
    into: &Path,
    rules: &Rules,
    mut visit: impl FnMut(&NormalPath, EntryType) -> Result<Visit, Refusal>,
) -> Result<Unpacked, UnpackError> {
    let mut archive = tar::Archive::new(reader);
    archive.set_preserve_permissions(false);
    archive.set_preserve_ownerships(false);
    archive.set_unpack_xattrs(false);
    let mut out = Unpacked::default();
    let mut top: Option<String> = None;
    for entry in archive.entries().map_err(UnpackError::Read)? {
        let mut entry = entry.map_err(UnpackError::Read)?;
        let kind = entry.header().entry_type();
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let refused = |refusal| UnpackError::Refused {
            entry: name.clone(),
            refusal,
        };
        let Some(path) = entry_path(&name, rules).map_err(refused)? else {
            continue; // `./` itself
        };
        if rules.single_top {
            check_top(&mut top, &path, kind, &name)?;
        }
        check_entry(&entry, &path, rules, into).map_err(refused)?;
        match visit(&path, kind).map_err(refused)? {
            Visit::Read => {
                let bytes = read_capped(&mut entry).map_err(|e| match e {
                    Some(source) => UnpackError::Write {
                        entry: name.clone(),
                        path: into.join(path.as_str()),
                        source,
                    },
                    None => refused(Refusal::TooLarge),
                })?;
                out.read.insert(path.to_string(), bytes);
            }
            Visit::Unpack => write(&mut entry, into, &name, &path)?,
        }
    }
    if rules.single_top {
        let top = into.join(top.ok_or(UnpackError::Empty)?);
        if rules.links == Links::InsideTop {
            links_stay_inside(&top)?;
        }
        out.top = Some(top);
    }
    Ok(out)
}

fn write<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    into: &Path,
    name: &str,
    path: &NormalPath,
) -> Result<(), UnpackError> {
    let written = entry.unpack_in(into).map_err(|source| UnpackError::Write {
        entry: name.to_owned(),
        path: into.join(path.as_str()),
        source,
    })?;
    if written {
        Ok(())
    } else {
        Err(UnpackError::Refused {
            entry: name.to_owned(),
            refusal: Refusal::Outside,
        })
    }
}

/// The entry's content, at most [`MAX_READ`] bytes; `Err(None)` when larger.
fn read_capped(entry: &mut impl Read) -> Result<Vec<u8>, Option<std::io::Error>> {
    let mut bytes = Vec::new();
    entry.take(MAX_READ + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_READ {
        return Err(None);
    }
    Ok(bytes)
}

/// The entry's name as a plain path (a folder's trailing `/` and, when the
/// rules allow it, a leading `./` dropped); `None` for `./` itself.
fn entry_path(name: &str, rules: &Rules) -> Result<Option<NormalPath>, Refusal> {
    let mut text = name.strip_suffix('/').unwrap_or(name);
    if rules.dot_prefix {
        if text == "." {
            return Ok(None);
        }
        text = text.strip_prefix("./").unwrap_or(text);
    }
    NormalPath::parse(text).map(Some).map_err(Refusal::Path)
}

/// Every entry lies in one top-level folder, which is named first.
fn check_top(
    top: &mut Option<String>,
    path: &NormalPath,
    kind: EntryType,
    name: &str,
) -> Result<(), UnpackError> {
    let mut parts = path.parts();
    let first = parts.next().unwrap_or_default();
    let alone = parts.next().is_none();
    match top {
        None if alone && !kind.is_dir() => Err(UnpackError::NotInFolder(name.to_owned())),
        None => {
            *top = Some(first.to_owned());
            Ok(())
        }
        Some(t) if t != first => Err(UnpackError::SeveralTops {
            first: t.clone(),
            entry: name.to_owned(),
        }),
        Some(_) => Ok(()),
    }
}

/// The entry's kind is allowed, no folder on its way is a link, and a link
/// stays inside the top-level folder.
fn check_entry<R: Read>(
    entry: &tar::Entry<'_, R>,
    path: &NormalPath,
    rules: &Rules,
    into: &Path,
) -> Result<(), Refusal> {
    let mut ancestor = into.to_owned();
    let parts: Vec<&str> = path.parts().collect();
    for part in &parts[..parts.len() - 1] {
        ancestor.push(part);
        if ancestor.is_symlink() {
            return Err(Refusal::BelowLink(ancestor));
        }
    }
    let kind = entry.header().entry_type();
    let release_file = rules.links == Links::InsideTop && kind.is_contiguous();
    if kind.is_file() || kind.is_dir() || release_file {
        return Ok(());
    }
    let link = kind.is_symlink() || kind.is_hard_link();
    if rules.links == Links::Refused || !link {
        return Err(refused_kind(kind, rules));
    }
    let target = entry
        .link_name()
        .ok()
        .flatten()
        .ok_or(Refusal::NoTarget)?
        .into_owned();
    if kind.is_hard_link() {
        // Hard link targets are archive paths, like entry names.
        let text = target.to_string_lossy();
        let inside = entry_path(&text, rules).ok().flatten().is_some_and(|t| {
            let mut target_parts = t.parts();
            target_parts.next() == Some(parts[0]) && target_parts.next().is_some()
        });
        return if inside {
            Ok(())
        } else {
            Err(Refusal::LinkOutside(target))
        };
    }
    check_symlink(parts.len(), &target)
}

fn refused_kind(kind: EntryType, rules: &Rules) -> Refusal {
    let name = match kind {
        EntryType::Symlink => "a symlink",
        EntryType::Link => "a hard link",
        EntryType::Char | EntryType::Block => "a device",
        EntryType::Fifo => "a FIFO",
        _ => "of an unsupported tar type",
    };
    Refusal::Kind {
        kind: name,
        container: rules.container,
        allowed: match rules.links {
            Links::Refused => "regular files and folders",
            Links::InsideTop => "files, folders and links inside one top-level folder",
        },
    }
}

/// A symlink at depth `depth` (the top-level folder is depth 1) must have a
/// relative target, with any `..` first (so no link it passes through can
/// change where they lead), that stays inside the top-level folder.
fn check_symlink(depth: usize, target: &Path) -> Result<(), Refusal> {
    use std::path::Component;
    let outside = || Refusal::LinkOutside(target.to_owned());
    // The link's folder, counted from the top-level folder.
    let mut depth = depth - 1;
    let mut named = false;
    for component in target.components() {
        match component {
            Component::RootDir | Component::Prefix(_) => return Err(outside()),
            Component::CurDir => {}
            Component::ParentDir if named => {
                return Err(Refusal::DotDotAfterName(target.to_owned()))
            }
            Component::ParentDir => {
                depth = depth
                    .checked_sub(1)
                    .filter(|&d| d >= 1)
                    .ok_or_else(outside)?;
            }
            Component::Normal(_) => named = true,
        }
    }
    Ok(())
}

/// After unpacking: every symlink below `top` resolves inside it, wherever it came from.
fn links_stay_inside(top: &Path) -> Result<(), UnpackError> {
    let base = top.parent().unwrap_or(top);
    let mut found = Ok(());
    crate::fsutil::walk(top, |path, kind| {
        if !kind.is_symlink() || found.is_err() {
            return Ok(());
        }
        let entry = path.strip_prefix(base).unwrap_or(path);
        let refused = |refusal| UnpackError::Refused {
            entry: entry.display().to_string(),
            refusal,
        };
        found = match std::fs::read_link(path) {
            Ok(target) => check_symlink(entry.components().count(), &target).map_err(refused),
            Err(source) => Err(UnpackError::Write {
                entry: entry.display().to_string(),
                path: path.to_owned(),
                source,
            }),
        };
        Ok(())
    })
    .map_err(|source| UnpackError::Write {
        entry: top.display().to_string(),
        path: top.to_owned(),
        source,
    })?;
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLE: Rules = Rules {
        container: "a bundle",
        links: Links::Refused,
        single_top: false,
        dot_prefix: false,
    };
    const SDK: Rules = Rules {
        container: "a WASI SDK release",
        links: Links::InsideTop,
        single_top: true,
        dot_prefix: true,
    };

    /// A tar with names written as given (the builder would clean them up).
    fn tar_of(entries: &[(&str, EntryType, &str)]) -> Vec<u8> {
        let mut tar = tar::Builder::new(Vec::new());
        for &(name, kind, link) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_mode(0o4755);
            let data: &[u8] = if kind.is_file() { b"x" } else { b"" };
            header.set_size(data.len() as u64);
            let raw = &mut header.as_old_mut();
            raw.name[..name.len()].copy_from_slice(name.as_bytes());
            raw.linkname[..link.len()].copy_from_slice(link.as_bytes());
            header.set_cksum();
            tar.append(&header, data).unwrap();
        }
        tar.into_inner().unwrap()
    }

    fn try_unpack(
        rules: &Rules,
        entries: &[(&str, EntryType, &str)],
    ) -> Result<Unpacked, UnpackError> {
        let dir = tempfile::tempdir().unwrap();
        let tar = tar_of(entries);
        unpack(tar.as_slice(), dir.path(), rules, |_, _| Ok(Visit::Unpack))
    }

    #[test]
    fn bundles_hold_only_plain_files_and_folders() {
        use EntryType::*;
        assert!(try_unpack(
            &BUNDLE,
            &[("builds", Directory, ""), ("builds/x", Regular, "")]
        )
        .is_ok());
        for (entries, problem) in [
            (vec![("lib/libz.a", Symlink, "/etc/passwd")], "is a symlink"),
            (vec![("lib/libz.a", Link, "deps.toml")], "is a hard link"),
            (
                vec![("./deps.toml", Regular, "")],
                "not a plain relative path",
            ),
        ] {
            let err = try_unpack(&BUNDLE, &entries).unwrap_err().to_string();
            assert!(err.contains(problem), "{err}");
        }
    }

    #[test]
    fn sdk_links_stay_inside_the_top_folder() {
        use EntryType::*;
        let sdk = |extra: (&'static str, EntryType, &'static str)| {
            try_unpack(
                &SDK,
                &[
                    ("./", Directory, ""),
                    ("sdk/", Directory, ""),
                    ("sdk/bin/clang", Regular, ""),
                    extra,
                ],
            )
        };
        let ok = sdk(("sdk/bin/clang++", Symlink, "clang")).unwrap();
        assert!(ok.top.unwrap().ends_with("sdk"));
        assert!(sdk(("sdk/lib/x", Symlink, "../bin/clang")).is_ok());
        assert!(sdk(("sdk/bin/cc", Link, "sdk/bin/clang")).is_ok());
        for (bad, problem) in [
            (
                ("sdk/bin/x", Symlink, "../../x"),
                "outside the top-level folder",
            ),
            (
                ("sdk/bin/x", Symlink, "/usr/bin/clang"),
                "outside the top-level folder",
            ),
            (("sdk/bin/x", Symlink, "d/../../x"), "`..` after a name"),
            (("sdk/x", Symlink, ".."), "outside the top-level folder"),
            (
                ("sdk/x", Link, "/etc/passwd"),
                "outside the top-level folder",
            ),
            (("sdk/x", Fifo, ""), "is a FIFO"),
            (("other/x", Regular, ""), "more than one top-level entry"),
        ] {
            let err = sdk(bad).unwrap_err().to_string();
            assert!(err.contains(problem), "{bad:?}: {err}");
        }
    }

    #[test]
    fn no_set_id_modes_and_capped_reads() {
        let dir = tempfile::tempdir().unwrap();
        let tar = tar_of(&[
            ("x", EntryType::Regular, ""),
            ("index", EntryType::Regular, ""),
        ]);
        let out = unpack(tar.as_slice(), dir.path(), &BUNDLE, |path, _| {
            Ok(if path.as_str() == "index" {
                Visit::Read
            } else {
                Visit::Unpack
            })
        })
        .unwrap();
        assert_eq!(out.read["index"], b"x");
        assert!(!dir.path().join("index").exists());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("x"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o7000, 0, "{mode:o}");
    }
}
