//! The install prefix: merging built outputs, the manifest, and what CPython needs to use it.
//!
//! Only complete outputs from the cache are merged, one dependency at a time,
//! each file through a temporary name and a rename, as one journaled
//! transaction (see the `journal` module). The manifest records what every file is and
//! where it came from; `env` reads it rather than guessing.

mod journal;
mod manifest;
mod wipe;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cache::{Cache, FileEntry};
use crate::fsutil::{self, FileLock};
use crate::key::BuildKey;
use crate::names::TargetTriple;
use crate::pkgconfig::{self, PcFile};
use crate::plan::DepPlan;
use crate::relpath::RelPath;
use crate::report::{Event, Reporter};
use crate::sdk::Sdk;

pub use journal::JournalError;
pub use manifest::{
    InstalledDep, Manifest, ManifestError, SdkIdentity, MANIFEST_FILE, MANIFEST_FORMAT,
};

/// Why a prefix could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum PrefixError {
    /// Reading or writing a file in the prefix failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A dependency without a pinned commit and tree cannot be installed.
    #[error("`{dep}` is not locked; only a pinned commit and tree are installed (run `wasi-externals lock`)")]
    NotLocked {
        /// The dependency.
        dep: String,
    },
    /// The manifest is not valid JSON of a known format.
    #[error("{path} is not a wasi-externals manifest: {source}{note}")]
    BadManifest {
        /// The file or folder concerned.
        path: PathBuf,
        /// Why it cannot be read.
        #[source]
        source: ManifestError,
        /// What to do, after the cause (empty, or ` (…)`).
        note: &'static str,
    },
    /// A cached output does not match its record.
    #[error("the cached output of `{dep}` (build {}) is corrupt: {problem}", .key.short())]
    CorruptOutput {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The build key of the output.
        key: BuildKey,
        /// The file at fault.
        path: PathBuf,
        /// What is wrong, naming the file.
        #[source]
        problem: OutputProblem,
    },
    /// The journal of an interrupted install cannot be replayed safely.
    #[error(
        "{path} cannot be finished: {problem}{outcome}.\n  \
         it is the journal of an install into {prefix} that was cut short; look at it, \
         remove it, then run `wasi-externals verify --prefix {prefix}` and rebuild the \
         dependencies it reports into a fresh prefix"
    )]
    BadJournal {
        /// The journal file.
        path: PathBuf,
        /// The install prefix.
        prefix: PathBuf,
        /// What is wrong with it.
        #[source]
        problem: JournalError,
        /// Whether anything was changed (`; nothing was changed`), or empty.
        outcome: &'static str,
    },
    /// Nothing was built into the prefix yet.
    #[error("{prefix} has no {MANIFEST_FILE}")]
    NoManifest {
        /// The prefix without a manifest.
        prefix: PathBuf,
    },
    /// The prefix holds builds of another SDK or target.
    #[error(
        "{prefix} holds libraries built with WASI SDK {} for {}; this build uses SDK {} for {}.\n  \
         differs: {}\n  \
         wasi-libc versions must not be mixed in one prefix: build into a new prefix, or pass \
         --force to remove what wasi-externals installed there and rebuild it with this SDK",
        .found.version, .found.target, .wanted.version, .wanted.target, .differs.join("; ")
    )]
    Mixed {
        /// The install prefix.
        prefix: PathBuf,
        /// The SDK and target the prefix was built with (from its manifest).
        found: SdkIdentity,
        /// The SDK and target of this build.
        wanted: SdkIdentity,
        /// What differs, one phrase each (version, clang, target).
        differs: Vec<String>,
    },
    /// `env --wasi-sdk` names an SDK other than the one that built the prefix.
    #[error(
        "{prefix} was built with WASI SDK {} ({}), but --wasi-sdk {} is SDK {} ({}).\n  \
         differs: {}\n  \
         libraries built with one wasi-libc must not be linked with another: hand the prefix to \
         the SDK that built it, or rebuild it with this one \
         (`wasi-externals build --prefix {prefix} --wasi-sdk {} --force`)",
        .found.version, .found.clang.as_deref().unwrap_or("clang not recorded"),
        .sdk_dir.display(), .wanted.version, .wanted.clang.as_deref().unwrap_or("?"),
        .differs.join("; "), .sdk_dir.display()
    )]
    OtherSdk {
        /// The install prefix.
        prefix: PathBuf,
        /// The SDK folder given with --wasi-sdk.
        sdk_dir: PathBuf,
        /// The SDK the prefix was built with (from its manifest).
        found: SdkIdentity,
        /// The SDK given.
        wanted: SdkIdentity,
        /// What differs, one phrase each (version, clang).
        differs: Vec<String>,
    },
}

impl PrefixError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            PrefixError::Mixed { .. } => Code::PrefixMixed,
            PrefixError::OtherSdk { .. } => Code::PrefixOtherSdk,
            PrefixError::NoManifest { .. } => Code::PrefixEmpty,
            PrefixError::Io { .. }
            | PrefixError::NotLocked { .. }
            | PrefixError::BadManifest { .. }
            | PrefixError::CorruptOutput { .. }
            | PrefixError::BadJournal { .. } => Code::Prefix,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            PrefixError::NoManifest { prefix } => Some(format!(
                "build into it first (`wasi-externals build --prefix {}`)",
                prefix.display()
            )),
            _ => None,
        }
    }
}

/// What is wrong with a cached output that was to be installed.
#[derive(Debug, thiserror::Error)]
pub enum OutputProblem {
    /// Its record cannot be read or is not valid.
    #[error(transparent)]
    Record(#[from] crate::cache::RecordError),
    /// Its record names another dep.
    #[error("its record is for `{}`, not `{dep}`", crate::names::escape(.record))]
    OtherDep {
        /// The dep the record names.
        record: String,
        /// The dep being installed.
        dep: String,
    },
    /// The prefix's manifest cannot be read.
    #[error(transparent)]
    Manifest(#[from] Box<PrefixError>),
    /// A file listed twice.
    #[error("it lists {0} twice")]
    Twice(String),
    /// A file another dep of the prefix owns.
    #[error("it lists {file}, which `{owner}` owns in this prefix; nothing was installed")]
    Owned {
        /// The file.
        file: String,
        /// Its owner.
        owner: String,
    },
    /// A file cannot be read.
    #[error("{}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file's hash is not the recorded one.
    #[error("{} has sha256 {found}, its record says {recorded}", .path.display())]
    Hash {
        /// The file.
        path: PathBuf,
        /// Its sha256.
        found: String,
        /// The record's.
        recorded: String,
    },
}

/// An install prefix.
pub struct Prefix {
    root: PathBuf,
}

impl Prefix {
    /// The prefix at `root`, made absolute (the manifest and `env` print absolute paths).
    pub fn new(root: &Path) -> Result<Prefix, PrefixError> {
        let root = std::path::absolute(root).map_err(|source| PrefixError::Io {
            path: root.to_owned(),
            source,
        })?;
        Ok(Prefix { root })
    }

    /// The prefix's folder (absolute).
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn io(&self, path: &Path) -> impl FnOnce(std::io::Error) -> PrefixError {
        let path = path.to_owned();
        move |source| PrefixError::Io { path, source }
    }

    /// Hold this while changing the prefix: two builds into one prefix take turns.
    /// Once the lock is held, what a run killed in the prefix left is settled:
    /// an install it had committed is finished first (its journal names staged
    /// temporary files), then the remaining temporary files are removed and a
    /// `--force` removal it had begun is finished.
    pub fn lock(&self, reporter: &dyn Reporter) -> Result<FileLock, PrefixError> {
        let path = self.root.join(".wasi-externals.lock");
        let lock = FileLock::acquire(&path, || {
            reporter.event(Event::WaitingForLock {
                what: &format!("the prefix {}", self.root.display()),
            })
        })
        .map_err(self.io(&path))?;
        self.finish_install()?;
        fsutil::remove_temp_files(&self.root).map_err(self.io(&self.root))?;
        self.finish_wipe()?;
        Ok(lock)
    }

    /// Where the manifest is: `<prefix>/wasi-externals.json`.
    pub fn manifest_path(&self) -> PathBuf {
        self.root.join(MANIFEST_FILE)
    }

    /// The manifest, or `None` for a prefix nothing was installed into.
    pub fn manifest(&self) -> Result<Option<Manifest>, PrefixError> {
        let path = self.manifest_path();
        match std::fs::read(&path) {
            Ok(bytes) => {
                Manifest::from_json(&bytes)
                    .map(Some)
                    .map_err(|source| PrefixError::BadManifest {
                        path,
                        source,
                        note: "",
                    })
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(PrefixError::Io { path, source }),
        }
    }

    /// The manifest, required.
    pub fn require_manifest(&self) -> Result<Manifest, PrefixError> {
        self.manifest()?.ok_or_else(|| PrefixError::NoManifest {
            prefix: self.root.clone(),
        })
    }

    /// Refuse to mix libraries of two SDKs (version or compiler) or targets in one prefix.
    pub fn check_compatible(&self, sdk: &Sdk, target: &TargetTriple) -> Result<(), PrefixError> {
        let Some(manifest) = self.manifest()?.filter(|m| !m.deps.is_empty()) else {
            return Ok(());
        };
        let found = manifest.identity();
        let wanted = SdkIdentity::of(sdk, target);
        let differs = found.differences(&wanted, true);
        if differs.is_empty() {
            return Ok(());
        }
        Err(PrefixError::Mixed {
            prefix: self.root.clone(),
            found,
            wanted,
            differs,
        })
    }

    /// Refuse to hand the prefix to `sdk` when another SDK (version or compiler) built it.
    pub fn check_same_sdk(&self, manifest: &Manifest, sdk: &Sdk) -> Result<(), PrefixError> {
        let found = manifest.identity();
        let wanted = SdkIdentity::of(sdk, &manifest.target);
        let differs = found.differences(&wanted, false);
        if differs.is_empty() {
            return Ok(());
        }
        Err(PrefixError::OtherSdk {
            prefix: self.root.clone(),
            sdk_dir: sdk.root.clone(),
            found,
            wanted,
            differs,
        })
    }

    /// Merge the cached output of `plan` into the prefix and record it in the manifest.
    /// The caller holds the prefix lock.
    ///
    /// Every file is hashed as it is copied and compared with the output's
    /// record; on any difference nothing of the dep lands in the prefix and
    /// [`PrefixError::CorruptOutput`] says which file was wrong. The files
    /// then land as one transaction (see the `journal` module): a crash at any moment
    /// leaves the dep's old files and manifest entry or its new ones.
    pub fn install(
        &self,
        plan: &DepPlan,
        cache: &Cache,
        sdk: &Sdk,
        target: &TargetTriple,
    ) -> Result<(), PrefixError> {
        let entry = cache.entry(&plan.key);
        let corrupt = |path: PathBuf, problem: OutputProblem| PrefixError::CorruptOutput {
            dep: plan.pin.name.clone(),
            key: plan.key.clone(),
            path,
            problem,
        };
        let record = entry
            .record(&plan.key)
            .map_err(|e| corrupt(entry.record_path(), e.into()))?;
        self.check_ownership(&plan.pin.name, &record)
            .map_err(|problem| corrupt(entry.record_path(), problem))?;
        let staged = self.stage(&entry.files_dir(), &record.files, &corrupt)?;
        let journal = self.journal_for(plan, sdk, target, &staged)?;
        self.commit_install(&journal)?;
        for (temp, _) in staged {
            // From here on the journal owns the staged files: keep them on any error.
            if let Err(err) = temp.into_temp_path().keep() {
                std::mem::forget(err.path);
            }
        }
        self.apply_install(&journal)?;
        cache.touch_build(&plan.key);
        Ok(())
    }

    /// An output may only bring files that are its dep's: none that another
    /// dep of the prefix owns, none twice, and its record must name its dep.
    fn check_ownership(
        &self,
        dep: &str,
        record: &crate::cache::BuildRecord,
    ) -> Result<(), OutputProblem> {
        if record.dep != dep {
            return Err(OutputProblem::OtherDep {
                record: record.dep.clone(),
                dep: dep.to_owned(),
            });
        }
        let manifest = self.manifest().map_err(Box::new)?;
        let mut seen = std::collections::BTreeSet::new();
        for file in &record.files {
            if !seen.insert(&file.path) {
                return Err(OutputProblem::Twice(file.path.to_string()));
            }
            match manifest.as_ref().and_then(|m| m.owner_of(&file.path)) {
                Some(owner) if owner != dep => {
                    return Err(OutputProblem::Owned {
                        file: file.path.to_string(),
                        owner: owner.to_owned(),
                    })
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// What installing the `staged` files of `plan` does: moves, stale files, the new manifest.
    fn journal_for(
        &self,
        plan: &DepPlan,
        sdk: &Sdk,
        target: &TargetTriple,
        staged: &[(tempfile::NamedTempFile, &FileEntry)],
    ) -> Result<journal::InstallJournal, PrefixError> {
        let files: Vec<FileEntry> = staged.iter().map(|(_, e)| (*e).clone()).collect();
        let locked = plan.pin.locked().ok_or_else(|| PrefixError::NotLocked {
            dep: plan.pin.name.clone(),
        })?;
        let mut manifest = self
            .manifest()?
            .unwrap_or_else(|| Manifest::empty(sdk, target));
        let stale = stale_files(&manifest, &plan.pin.name, &files);
        manifest.format = MANIFEST_FORMAT;
        manifest.sdk_version = sdk.version.clone();
        manifest.sdk_clang = Some(sdk.clang.clone());
        manifest.target = target.clone();
        let moves = staged
            .iter()
            .map(|(temp, entry)| journal::Move {
                staged: temp_name(temp),
                to: entry.path.clone(),
                sha256: entry.sha256.clone(),
            })
            .collect();
        manifest.deps.insert(
            plan.pin.name.clone(),
            InstalledDep::new(plan, locked, sdk, target, files),
        );
        Ok(journal::InstallJournal {
            format: journal::JOURNAL_FORMAT,
            dep: plan.pin.name.clone(),
            moves,
            stale,
            manifest,
        })
    }

    /// Copy every file of an output next to its place in the prefix, checking
    /// its hash, and flush it to disk (a journal about to name it must not
    /// outlive its content on a power loss).
    fn stage<'a>(
        &self,
        from_dir: &Path,
        files: &'a [FileEntry],
        corrupt: &dyn Fn(PathBuf, OutputProblem) -> PrefixError,
    ) -> Result<Vec<(tempfile::NamedTempFile, &'a FileEntry)>, PrefixError> {
        let mut staged = Vec::new();
        for entry in files {
            let from = from_dir.join(&entry.path);
            let to = self.root.join(&entry.path);
            let parent = to.parent().unwrap_or(&self.root);
            std::fs::create_dir_all(parent).map_err(self.io(parent))?;
            let mut temp = fsutil::temp_file_in(parent).map_err(self.io(parent))?;
            let sha = match fsutil::copy_hashing(&from, temp.as_file_mut()) {
                Ok(sha) => sha,
                Err(fsutil::CopyError::Read(e)) => {
                    let problem = OutputProblem::Read {
                        path: from.clone(),
                        source: e,
                    };
                    return Err(corrupt(from, problem));
                }
                Err(fsutil::CopyError::Write(e)) => return Err(self.io(temp.path())(e)),
            };
            if sha != entry.sha256 {
                let problem = OutputProblem::Hash {
                    path: from.clone(),
                    found: sha,
                    recorded: entry.sha256.clone(),
                };
                return Err(corrupt(from, problem));
            }
            temp.as_file().sync_all().map_err(self.io(temp.path()))?;
            staged.push((temp, entry));
        }
        Ok(staged)
    }

    fn write_manifest(&self, manifest: &Manifest) -> Result<(), PrefixError> {
        let path = self.manifest_path();
        let mut json = serde_json::to_vec_pretty(manifest).expect("manifests serialize");
        json.push(b'\n');
        fsutil::write_atomically(&path, &json).map_err(self.io(&path))?;
        let site = self.root.join("config.site");
        let text = config_site(&self.handover(manifest)?, &self.configure_options(manifest));
        fsutil::write_atomically(&site, text.as_bytes()).map_err(self.io(&site))
    }

    /// Plain configure options for this prefix.
    ///
    /// - libmpdec: `--with-system-libmpdec`, or CPython 3.13 may silently take its bundled copy.
    /// - OpenSSL: CPython finds it by folder, not by variables: `--with-openssl=<prefix>`
    ///   makes configure link `-L<prefix>/lib -lssl -lcrypto` (it overwrites any
    ///   `OPENSSL_LIBS`), and `--with-openssl-rpath=no` keeps an rpath out of a static,
    ///   cross-compiled link. libcrypto's only WASI emulation call (`getpid`) is one
    ///   CPython's WASI build links itself (`-lwasi-emulated-getpid`).
    pub fn configure_options(&self, manifest: &Manifest) -> Vec<String> {
        let has = |pc: &str| manifest.deps.values().any(|d| d.pkg_config.as_str() == pc);
        let mut options = Vec::new();
        if has("libmpdec") {
            options.push("--with-system-libmpdec".to_owned());
        }
        if has("openssl") {
            options.push(format!("--with-openssl={}", self.root.display()));
            options.push("--with-openssl-rpath=no".to_owned());
        }
        options
    }

    /// CPython's configure variables for this prefix, from the installed `.pc` files.
    pub fn handover(&self, manifest: &Manifest) -> Result<Vec<(String, String)>, PrefixError> {
        let mut vars = Vec::new();
        let pc_dir = self.root.join("lib/pkgconfig");
        for dep in manifest.deps.values() {
            let Some(variable) = &dep.cpython_variable else {
                continue;
            };
            let path = pc_dir.join(format!("{}.pc", dep.pkg_config));
            let text = std::fs::read_to_string(&path).map_err(self.io(&path))?;
            let pc = PcFile::parse(&text);
            let dir = pc_dir.display().to_string();
            let cflags = normalize_flags(pc.field_args("Cflags", &dir));
            let libs = normalize_flags(
                [
                    pc.field_args("Libs", &dir),
                    pc.field_args("Libs.private", &dir),
                ]
                .concat(),
            );
            vars.push((format!("{variable}_CFLAGS"), pkgconfig::join_args(&cflags)));
            vars.push((format!("{variable}_LIBS"), pkgconfig::join_args(&libs)));
        }
        vars.push(("PKG_CONFIG_LIBDIR".into(), pc_dir.display().to_string()));
        Ok(vars)
    }
}

/// The files an earlier install of `dep` had that `files` lacks.
fn stale_files(manifest: &Manifest, dep: &str, files: &[FileEntry]) -> Vec<RelPath> {
    let Some(old) = manifest.deps.get(dep) else {
        return Vec::new();
    };
    old.files
        .iter()
        .filter(|f| !files.iter().any(|n| n.path == f.path))
        .map(|f| f.path.clone())
        .collect()
}

/// The file name of a staged file (the journal names it beside its target).
fn temp_name(temp: &tempfile::NamedTempFile) -> String {
    temp.path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files a prefix may hold besides those the manifest lists.
const BOOKKEEPING: &[&str] = &[
    MANIFEST_FILE,
    "config.site",
    ".wasi-externals.lock",
    wipe::JOURNAL_FILE,
    journal::JOURNAL_FILE,
];

/// How a prefix differs from its manifest.
#[derive(Debug, Default, Serialize)]
pub struct Verification {
    /// Listed, present, with other content.
    pub changed: Vec<String>,
    /// Listed, but not present.
    pub missing: Vec<String>,
    /// Present but listed by no dependency.
    pub extra: Vec<String>,
    /// How many listed files were hashed.
    pub checked: usize,
}

impl Verification {
    /// True when every file matches and nothing is missing or extra.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl Prefix {
    /// Re-hash every file against the manifest.
    ///
    /// Verifying takes no lock, so a read-only prefix can be verified; but an
    /// install a crash cut short (its journal is present) is first finished
    /// under the prefix lock, since its files are the new state already committed.
    pub fn verify(&self) -> Result<Verification, PrefixError> {
        if self.root.join(journal::JOURNAL_FILE).exists() {
            let _lock = self.lock(&crate::report::Silent)?;
        }
        let manifest = self.require_manifest()?;
        let mut report = Verification::default();
        let mut listed = std::collections::BTreeSet::new();
        for file in manifest.deps.values().flat_map(|d| &d.files) {
            listed.insert(file.path.to_string());
            report.checked += 1;
            let path = self.root.join(&file.path);
            match fsutil::sha256_file(&path) {
                Ok(sha) if sha == file.sha256 => {}
                Ok(_) => report.changed.push(file.path.to_string()),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    report.missing.push(file.path.to_string())
                }
                Err(source) => return Err(PrefixError::Io { path, source }),
            }
        }
        for rel in fsutil::list_files(&self.root).map_err(self.io(&self.root))? {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !listed.contains(&rel) && !BOOKKEEPING.contains(&rel.as_str()) {
                report.extra.push(rel);
            }
        }
        Ok(report)
    }
}

/// Collapse `a/b/../..`-style paths in `-I`/`-L` flags.
/// Search paths are kept once, at their first place.
fn normalize_flags(flags: Vec<String>) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in &flags {
        let word = ["-I", "-L"]
            .iter()
            .find_map(|flag| {
                word.strip_prefix(flag)
                    .map(|path| format!("{flag}{}", normalize_path(path)))
            })
            .unwrap_or_else(|| word.to_owned());
        if !(word.starts_with("-I") || word.starts_with("-L")) || !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" if !parts.is_empty() => {}
            ".." if parts.last().is_some_and(|p| !p.is_empty() && *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts == [""] {
        "/".into()
    } else {
        parts.join("/")
    }
}

/// A `CONFIG_SITE` file setting the same variables.
fn config_site(vars: &[(String, String)], options: &[String]) -> String {
    let mut text =
        String::from("# Written by wasi-externals: CPython configure variables for this prefix.\n");
    let options = options.iter().filter_map(|o| option_variable(o));
    for (key, value) in vars.iter().cloned().chain(options) {
        text.push_str(&format!("{key}={}\n", crate::compile::shell_quote(&value)));
    }
    text
}

/// The shell variable autoconf sets for a `--with-…` option (`--with-openssl-rpath=no`
/// → `with_openssl_rpath`, `no`; `--with-system-libmpdec` → `yes`): a config.site or
/// the environment that sets it acts as the option.
pub fn option_variable(option: &str) -> Option<(String, String)> {
    let rest = option.strip_prefix("--with-")?;
    let (name, value) = rest.split_once('=').unwrap_or((rest, "yes"));
    Some((format!("with_{}", name.replace('-', "_")), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_options_become_autoconf_variables() {
        let to = |o: &str| option_variable(o).unwrap();
        assert_eq!(
            to("--with-openssl=/p q"),
            ("with_openssl".into(), "/p q".into())
        );
        assert_eq!(
            to("--with-openssl-rpath=no"),
            ("with_openssl_rpath".into(), "no".into())
        );
        assert_eq!(
            to("--with-system-libmpdec"),
            ("with_system_libmpdec".into(), "yes".into())
        );
        assert_eq!(option_variable("--enable-x"), None);
        let site = config_site(
            &[("ZLIB_LIBS".into(), "-lz".into())],
            &["--with-openssl=/p q".into()],
        );
        assert!(
            site.ends_with("ZLIB_LIBS=-lz\nwith_openssl='/p q'\n"),
            "{site}"
        );
    }

    #[test]
    fn flags_are_normalized() {
        let flags = "-L/p/lib/pkgconfig/../../lib -lz -I/p/lib/pkgconfig/../../include -L/p/lib";
        assert_eq!(
            normalize_flags(flags.split(' ').map(str::to_owned).collect()),
            ["-L/p/lib", "-lz", "-I/p/include"]
        );
    }
}
