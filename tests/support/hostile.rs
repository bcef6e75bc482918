//! Hand-made bundles: any entry path, any entry type, any index, for testing what import refuses.

use std::path::{Path, PathBuf};

use tar::{EntryType, Header};

use super::fixture::sha256;

/// A fixed, old mtime for every entry (1980-01-01), as a bundle made long ago would carry.
pub const OLD_MTIME: u64 = 315_532_800;

/// The smallest valid deps.toml: no deps, so a bundle needs no git packs.
pub const EMPTY_CONFIG: &str = "[sdk]\nversion = 24\ntarget = \"wasm32-wasi\"\n";

/// One entry of a hand-made archive.
enum Item {
    File(Vec<u8>),
    Dir,
    Symlink(String),
    HardLink(String),
    CharDevice,
}

/// A bundle written entry by entry: names go into the tar header as raw bytes,
/// so `..`, absolute paths and links are possible. `bundle.json` lists every
/// regular file with its real sha256 unless told otherwise.
pub struct HostileBundle {
    items: Vec<(String, Item)>,
    builds: Vec<String>,
    listed: Vec<(String, String)>,
}

impl Default for HostileBundle {
    fn default() -> Self {
        HostileBundle::new()
    }
}

impl HostileBundle {
    /// A bundle holding only [`EMPTY_CONFIG`] as its deps.toml.
    pub fn new() -> HostileBundle {
        HostileBundle {
            items: Vec::new(),
            builds: Vec::new(),
            listed: Vec::new(),
        }
        .file("deps.toml", EMPTY_CONFIG.as_bytes())
    }

    /// A regular file, listed in the index with its sha256.
    pub fn file(mut self, path: &str, bytes: &[u8]) -> Self {
        self.listed.push((path.to_owned(), sha256(bytes)));
        self.items
            .push((path.to_owned(), Item::File(bytes.to_vec())));
        self
    }

    /// A regular file the index does not list.
    pub fn unlisted_file(mut self, path: &str, bytes: &[u8]) -> Self {
        self.items
            .push((path.to_owned(), Item::File(bytes.to_vec())));
        self
    }

    pub fn dir(mut self, path: &str) -> Self {
        self.items.push((path.to_owned(), Item::Dir));
        self
    }

    /// A symlink, listed in the index with `sha` (what reading through it would give).
    pub fn symlink(mut self, path: &str, target: &Path, sha: &str) -> Self {
        self.listed.push((path.to_owned(), sha.to_owned()));
        let target = target.display().to_string();
        self.items.push((path.to_owned(), Item::Symlink(target)));
        self
    }

    pub fn hard_link(mut self, path: &str, target: &str, sha: &str) -> Self {
        self.listed.push((path.to_owned(), sha.to_owned()));
        self.items
            .push((path.to_owned(), Item::HardLink(target.to_owned())));
        self
    }

    pub fn char_device(mut self, path: &str) -> Self {
        self.listed.push((path.to_owned(), sha256(b"")));
        self.items.push((path.to_owned(), Item::CharDevice));
        self
    }

    /// Name `key` in the index's `builds`.
    pub fn build_key(mut self, key: &str) -> Self {
        self.builds.push(key.to_owned());
        self
    }

    /// A build record for `key` at `at` (e.g. `builds/<key>/record.json`) listing `files`.
    pub fn record(self, at: &str, dep: &str, key: &str, files: &[(&str, &str)]) -> Self {
        let files: Vec<_> = files
            .iter()
            .map(|(path, sha)| serde_json::json!({ "path": path, "sha256": sha }))
            .collect();
        let record = serde_json::json!({ "dep": dep, "key": key, "files": files });
        self.file(at, record.to_string().as_bytes())
    }

    /// Every file of a real cached output (`cache/builds/<key>`), under `builds/<key>/`.
    pub fn copy_build(mut self, key: &str, cached: &Path) -> Self {
        for rel in walk(cached) {
            let bytes = std::fs::read(cached.join(&rel)).unwrap();
            self = self.file(&format!("builds/{key}/{}", rel.display()), &bytes);
        }
        self.build_key(key)
    }

    /// Write the archive: `bundle.json` first, then the entries in the order given.
    pub fn write(&self, out: &Path) {
        let entries: Vec<_> = self
            .listed
            .iter()
            .map(|(path, sha)| serde_json::json!({ "path": path, "size": 0, "sha256": sha }))
            .collect();
        let index = serde_json::json!({
            "format": 1, "deps": {}, "builds": self.builds, "entries": entries,
        });
        let mut tar = tar::Builder::new(std::fs::File::create(out).unwrap());
        let json = serde_json::to_vec_pretty(&index).unwrap();
        append(&mut tar, "bundle.json", EntryType::Regular, &json, None);
        for (path, item) in &self.items {
            match item {
                Item::File(bytes) => append(&mut tar, path, EntryType::Regular, bytes, None),
                Item::Dir => append(&mut tar, path, EntryType::Directory, &[], None),
                Item::Symlink(to) => append(&mut tar, path, EntryType::Symlink, &[], Some(to)),
                Item::HardLink(to) => append(&mut tar, path, EntryType::Link, &[], Some(to)),
                Item::CharDevice => append(&mut tar, path, EntryType::Char, &[], None),
            }
        }
        tar.finish().unwrap();
    }
}

/// One entry with `name` copied byte for byte into the header (no checks, unlike `set_path`).
fn append(
    tar: &mut tar::Builder<std::fs::File>,
    name: &str,
    kind: EntryType,
    data: &[u8],
    link: Option<&str>,
) {
    let mut header = Header::new_gnu();
    assert!(name.len() < 100, "short names only: {name}");
    let raw = &mut header.as_old_mut().name;
    raw[..name.len()].copy_from_slice(name.as_bytes());
    if let Some(link) = link {
        let raw = &mut header.as_old_mut().linkname;
        raw[..link.len()].copy_from_slice(link.as_bytes());
    }
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(if kind == EntryType::Directory {
        0o755
    } else {
        0o644
    });
    header.set_mtime(OLD_MTIME);
    header.set_cksum();
    tar.append(&header, data).unwrap();
}

/// Every file below `root` (not folders), relative and sorted.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                go(root, &entry.path(), out);
            } else {
                out.push(entry.path().strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    let mut out = Vec::new();
    if root.exists() {
        go(root, root, &mut out);
    }
    out.sort();
    out
}

/// Every file, symlink and folder below `root` with its content (or link target):
/// to prove that something changed nothing.
pub fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                out.push((format!("{rel}/"), Vec::new()));
                go(root, &path, out);
            } else if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.push((
                    format!("{rel} ->"),
                    target.display().to_string().into_bytes(),
                ));
            } else {
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    if root.exists() {
        go(root, root, &mut out);
    }
    out.sort();
    out
}
