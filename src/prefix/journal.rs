//! One dependency's install as a roll-forward transaction.
//!
//! Every file of the dep is first staged beside its place under a
//! `.wasi-externals-tmp-*` name and flushed to disk. Then [`JOURNAL_FILE`] is
//! written atomically: the staged names and where each goes, the stale files
//! to remove, and the complete new manifest. Writing it is the one step that
//! commits the install. Only then are the staged files renamed into place,
//! the stale ones removed, the manifest and `config.site` rewritten and the
//! journal deleted.
//!
//! A crash before the journal exists leaves only temporary files, which the
//! next holder of the prefix lock removes: the old state. A crash after it
//! exists is finished by the next holder of the lock, which replays the
//! journal to the end *before* removing temporary files (the staged files are
//! named by the journal): the new state. Replaying is idempotent: a move
//! whose staged file is gone and whose target already has the journal's
//! sha256 was done. A journal is input like a manifest: every path in it is
//! checked to stay inside the prefix before anything is changed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Manifest, ManifestError, Prefix, PrefixError};
use crate::fsutil::{self, TEMP_PREFIX};
use crate::relpath::RelPath;

/// The journal of a committed install whose files are being moved into place.
pub(super) const JOURNAL_FILE: &str = ".wasi-externals-install.json";

/// The journal format this version writes and reads.
pub(super) const JOURNAL_FORMAT: u32 = 1;

/// Test hook: abort the process after this many renames of an install (or of
/// its replay), so that tests can crash it between two renames for real.
const CRASH_HOOK: &str = "WASI_EXTERNALS_TEST_CRASH_AFTER_RENAMES";

/// `.wasi-externals-install.json`: what an install that was committed still has to do.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InstallJournal {
    /// [`JOURNAL_FORMAT`].
    pub format: u32,
    /// The dependency being installed, as in deps.toml.
    pub dep: String,
    /// Each staged file and where it goes, in order.
    pub moves: Vec<Move>,
    /// Files the dep's earlier install had and this one lacks.
    pub stale: Vec<RelPath>,
    /// The complete manifest once the install is done.
    pub manifest: Manifest,
}

/// One staged file to rename into place.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Move {
    /// The staged file's name, in the folder of `to` (a `.wasi-externals-tmp-*` name).
    pub staged: String,
    /// Where it goes, relative to the prefix.
    pub to: RelPath,
    /// sha256 of its content: how a replay knows a move whose staged file is gone was done.
    pub sha256: String,
}

impl Move {
    /// The staged file's path relative to the prefix: `staged` beside `to`.
    fn staged_path(&self) -> PathBuf {
        Path::new(self.to.as_str()).with_file_name(&self.staged)
    }
}

impl Prefix {
    /// Commit an install: flush the staged files' folders, then write its journal
    /// atomically. On an error no journal was written (the caller's staged files go).
    pub(super) fn commit_install(&self, journal: &InstallJournal) -> Result<(), PrefixError> {
        self.sync_folders(journal)?;
        let path = self.root.join(JOURNAL_FILE);
        let mut json = serde_json::to_vec_pretty(journal).expect("journals serialize");
        json.push(b'\n');
        fsutil::write_atomically(&path, &json).map_err(self.io(&path))
    }

    /// Carry out a committed install to the end and delete its journal.
    /// Folders are flushed so that a power loss cannot undo a step the journal no longer names.
    pub(super) fn apply_install(&self, journal: &InstallJournal) -> Result<(), PrefixError> {
        fsutil::sync_dir(&self.root).map_err(self.io(&self.root))?;
        let crash_after = std::env::var(CRASH_HOOK)
            .ok()
            .and_then(|n| n.parse::<usize>().ok());
        for (done, step) in journal.moves.iter().enumerate() {
            self.apply_move(&journal.dep, step)?;
            if crash_after == Some(done + 1) {
                std::process::abort();
            }
        }
        for stale in &journal.stale {
            let path = self.root.join(stale.as_str());
            super::wipe::remove_if_present(&path).map_err(self.io(&path))?;
        }
        self.sync_folders(journal)?;
        self.write_manifest(&journal.manifest)?;
        let path = self.root.join(JOURNAL_FILE);
        std::fs::remove_file(&path).map_err(self.io(&path))?;
        fsutil::sync_dir(&self.root).map_err(self.io(&self.root))
    }

    /// Flush every folder the journal's moves and stale files are in.
    fn sync_folders(&self, journal: &InstallJournal) -> Result<(), PrefixError> {
        let files = journal.moves.iter().map(|m| &m.to).chain(&journal.stale);
        let folders: std::collections::BTreeSet<PathBuf> = files
            .filter_map(|f| self.root.join(f.as_str()).parent().map(Path::to_owned))
            .collect();
        for dir in folders.iter().filter(|d| d.is_dir()) {
            fsutil::sync_dir(dir).map_err(self.io(dir))?;
        }
        Ok(())
    }

    /// Rename one staged file into place; done already if it is gone and its target matches.
    fn apply_move(&self, dep: &str, step: &Move) -> Result<(), PrefixError> {
        let from = self.root.join(step.staged_path());
        let to = self.root.join(step.to.as_str());
        match std::fs::rename(&from, &to) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                match fsutil::sha256_file(&to) {
                    Ok(sha) if sha == step.sha256 => Ok(()),
                    _ => Err(self.bad_journal(
                        JournalError::Gone {
                            staged: from,
                            to,
                            sha256: step.sha256.clone(),
                            dep: dep.to_owned(),
                        },
                        "",
                    )),
                }
            }
            Err(source) => Err(PrefixError::Io { path: to, source }),
        }
    }

    /// Finish an install a killed run had committed; `false` when none was pending.
    /// A journal that cannot be read or leaves the prefix is refused before any change.
    pub(super) fn finish_install(&self) -> Result<bool, PrefixError> {
        let path = self.root.join(JOURNAL_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(source) => return Err(PrefixError::Io { path, source }),
        };
        let current = self.manifest()?;
        let journal = parse(&bytes, current.as_ref())
            .map_err(|problem| self.bad_journal(problem, "; nothing was changed"))?;
        self.apply_install(&journal)?;
        Ok(true)
    }

    fn bad_journal(&self, problem: JournalError, outcome: &'static str) -> PrefixError {
        PrefixError::BadJournal {
            path: self.root.join(JOURNAL_FILE),
            prefix: self.root.clone(),
            problem,
            outcome,
        }
    }
}

/// Read a journal and check it against the prefix's `current` manifest: every
/// path stays inside the prefix, it moves only files of its own dep, removes
/// only files its dep owns, and leaves every other dep's entry as it is.
/// Why an install journal is refused.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Not JSON of the journal's shape.
    #[error("it is not a wasi-externals install journal: {0}")]
    NotAJournal(#[source] serde_json::Error),
    /// Another format.
    #[error("its format {0} is not the one this wasi-externals reads ({JOURNAL_FORMAT})")]
    Format(u32),
    /// Its manifest is refused.
    #[error("its manifest is refused: {0}")]
    Manifest(#[source] ManifestError),
    /// Its manifest lacks its dep.
    #[error("its manifest lacks the dep it installs, `{}`", crate::names::escape(.0))]
    LacksDep(String),
    /// A staged name that is not a temporary file's.
    #[error("its staged file `{}` is not a plain `{TEMP_PREFIX}*` file name", crate::names::escape(&.0.chars().take(200).collect::<String>()))]
    StagedName(String),
    /// A move to a file of another dep.
    #[error("it moves {to}, which is not a file of `{dep}`")]
    Foreign {
        /// The target.
        to: RelPath,
        /// The journal's dep.
        dep: String,
    },
    /// Its manifest changes other deps.
    #[error("its manifest changes deps other than `{0}`")]
    OthersChanged(String),
    /// Its manifest names another SDK or target.
    #[error("its manifest names another SDK or target than the prefix's")]
    OtherSdk,
    /// It removes a file another dep owns.
    #[error("it would remove {stale}, which `{owner}` owns, not `{dep}`")]
    RemovesOthers {
        /// The file.
        stale: RelPath,
        /// Its owner.
        owner: String,
        /// The journal's dep.
        dep: String,
    },
    /// It removes a file its dep does not own.
    #[error("it would remove {stale}, which `{dep}` does not own in the prefix's manifest")]
    RemovesUnowned {
        /// The file.
        stale: RelPath,
        /// The journal's dep.
        dep: String,
    },
    /// A staged file is gone and its target does not hold its content.
    #[error(
        "its staged file {} is gone and {} does not hold the content it names \
         (sha256 {sha256}); the files of `{dep}` may be mixed",
        .staged.display(), .to.display()
    )]
    Gone {
        /// The staged file.
        staged: PathBuf,
        /// Its target.
        to: PathBuf,
        /// The content it names.
        sha256: String,
        /// The journal's dep.
        dep: String,
    },
}

fn parse(bytes: &[u8], current: Option<&Manifest>) -> Result<InstallJournal, JournalError> {
    let journal: InstallJournal =
        serde_json::from_slice(bytes).map_err(JournalError::NotAJournal)?;
    if journal.format != JOURNAL_FORMAT {
        return Err(JournalError::Format(journal.format));
    }
    // The manifest's own checks (a journal's manifest is input like any other).
    let json = serde_json::to_vec(&journal.manifest)
        .map_err(|e| JournalError::Manifest(ManifestError::Json(e)))?;
    Manifest::from_json(&json).map_err(JournalError::Manifest)?;
    let Some(mine) = journal.manifest.deps.get(&journal.dep) else {
        return Err(JournalError::LacksDep(journal.dep.clone()));
    };
    for step in &journal.moves {
        if !is_temp_name(&step.staged) {
            return Err(JournalError::StagedName(step.staged.clone()));
        }
        if !mine.files.iter().any(|f| f.path == step.to) {
            return Err(JournalError::Foreign {
                to: step.to.clone(),
                dep: journal.dep.clone(),
            });
        }
    }
    check_others_untouched(&journal, current)?;
    check_stale(&journal, current)?;
    Ok(journal)
}

/// Every dep but the journal's keeps its entry (and the prefix its SDK) as the current manifest has them.
fn check_others_untouched(
    journal: &InstallJournal,
    current: Option<&Manifest>,
) -> Result<(), JournalError> {
    let others = |m: &Manifest| -> Vec<(String, super::InstalledDep)> {
        m.deps
            .iter()
            .filter(|(name, _)| **name != journal.dep)
            .map(|(name, dep)| (name.clone(), dep.clone()))
            .collect()
    };
    let theirs = others(&journal.manifest);
    let ours = current.map(others).unwrap_or_default();
    if theirs != ours {
        return Err(JournalError::OthersChanged(journal.dep.clone()));
    }
    if let Some(current) = current.filter(|_| !ours.is_empty()) {
        let differs = current
            .identity()
            .differences(&journal.manifest.identity(), true);
        if !differs.is_empty() {
            return Err(JournalError::OtherSdk);
        }
    }
    Ok(())
}

/// A stale file is one the dep owned before (the current manifest, unless the
/// journal's was written already) and no other dep owns.
fn check_stale(journal: &InstallJournal, current: Option<&Manifest>) -> Result<(), JournalError> {
    let already_written = current == Some(&journal.manifest);
    for stale in &journal.stale {
        let owners = [current, Some(&journal.manifest)]
            .into_iter()
            .flatten()
            .filter_map(|m| m.owner_of(stale))
            .find(|owner| *owner != journal.dep);
        if let Some(owner) = owners {
            return Err(JournalError::RemovesOthers {
                stale: stale.clone(),
                owner: owner.to_owned(),
                dep: journal.dep.clone(),
            });
        }
        let was_mine = current.and_then(|m| m.owner_of(stale)) == Some(journal.dep.as_str());
        if !was_mine && !already_written {
            return Err(JournalError::RemovesUnowned {
                stale: stale.clone(),
                dep: journal.dep.clone(),
            });
        }
    }
    Ok(())
}

/// A single path part named like this tool's temporary files.
fn is_temp_name(name: &str) -> bool {
    name.len() > TEMP_PREFIX.len()
        && name.starts_with(TEMP_PREFIX)
        && !name.contains(['/', '\\', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_with(staged: &str, to: &str) -> String {
        let key = "0".repeat(64);
        let zlib = format!(
            r#"{{"version":"1.3.1","tag":"zlib-1.3.1","commit":"","tree":"",
                "recipe_sha256":"","build_key":"{key}","sdk_version":"25.0",
                "target":"wasm32-wasip1","pkg_config":"zlib","cpython_variable":"ZLIB",
                "license":null,"files":[{{"path":"{to}","sha256":"{key}"}}]}}"#
        );
        format!(
            r#"{{"format":1,"dep":"zlib","stale":[],
               "moves":[{{"staged":"{staged}","to":"{to}","sha256":"{key}"}}],
               "manifest":{{"sdk_version":"25.0","target":"wasm32-wasip1",
                            "deps":{{"zlib":{zlib}}}}}}}"#
        )
    }

    fn parse_new(bytes: &[u8]) -> Result<InstallJournal, JournalError> {
        parse(bytes, None)
    }

    #[test]
    fn journal_paths_stay_inside_the_prefix() {
        assert!(parse_new(journal_with(".wasi-externals-tmp-a1", "lib/libz.a").as_bytes()).is_ok());
        for (staged, to) in [
            ("../outside", "lib/libz.a"),
            (".wasi-externals-tmp-../../x", "lib/libz.a"),
            ("libz.a", "lib/libz.a"),
            (".wasi-externals-tmp-", "lib/libz.a"),
            (".wasi-externals-tmp-a1", "../outside"),
            (".wasi-externals-tmp-a1", "/etc/passwd"),
            (".wasi-externals-tmp-a1", "lib/../../outside"),
        ] {
            assert!(
                parse_new(journal_with(staged, to).as_bytes()).is_err(),
                "{staged} -> {to}"
            );
        }
        let good = journal_with(".wasi-externals-tmp-a1", "lib/libz.a");
        for (from, to) in [
            (r#""stale":[]"#, r#""stale":["../outside"]"#),
            (r#""pkg_config":"zlib""#, r#""pkg_config":"../../outside""#),
            (r#""dep":"zlib""#, r#""dep":"bzip2""#),
            (r#""stale":[]"#, r#""stale":["include/bzlib.h"]"#),
            (
                r#""cpython_variable":"ZLIB""#,
                r#""cpython_variable":"X=1;touch PWNED;Y""#,
            ),
            (
                r#""target":"wasm32-wasip1","#,
                r#""target":"wasm32-wasi/../../x","#,
            ),
        ] {
            let bad = good.replace(from, to);
            assert_ne!(bad, good);
            assert!(parse_new(bad.as_bytes()).is_err(), "{to}");
        }
    }
}
