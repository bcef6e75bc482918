//! The install prefix: merging built outputs, the manifest, and what CPython needs to use it.
//!
//! Only complete outputs from the cache are merged, one dependency at a time,
//! each file through a temporary name and a rename. The manifest records what
//! every file is and where it came from; `env` reads it rather than guessing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::build::{BuildRecord, FileEntry};
use crate::cache::Cache;
use crate::fsutil::{self, FileLock};
use crate::key::BuildKey;
use crate::pkgconfig::{self, PcFile};
use crate::plan::DepPlan;
use crate::report::{Event, Reporter};
use crate::sdk::Sdk;

/// The manifest's file name inside the prefix.
pub const MANIFEST_FILE: &str = "wasi-externals.json";

/// The manifest format this version writes and the newest it reads
/// (described by `docs/schemas/manifest.v1.schema.json`).
pub const MANIFEST_FORMAT: u32 = 1;

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
    /// The manifest is not valid JSON of a known format.
    #[error("{path} is not a wasi-externals manifest: {message}")]
    BadManifest {
        /// The file or folder concerned.
        path: PathBuf,
        /// Why it cannot be read.
        message: String,
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
        problem: String,
    },
    /// Nothing was built into the prefix yet.
    #[error("{prefix} has no {MANIFEST_FILE}: build into it first (`wasi-externals build --prefix {prefix}`)")]
    NoManifest {
        /// The prefix without a manifest.
        prefix: PathBuf,
    },
    /// The prefix holds builds of another SDK or target.
    #[error(
        "{prefix} holds libraries built with WASI SDK {found_sdk} for {found_target}; this build uses SDK {sdk} for {target}.\n  \
         wasi-libc versions must not be mixed in one prefix: build into a new prefix"
    )]
    Mixed {
        /// The install prefix.
        prefix: PathBuf,
        /// The SDK version the prefix was built with.
        found_sdk: String,
        /// The target the prefix was built for.
        found_target: String,
        /// The SDK version of this build.
        sdk: String,
        /// The target of this build.
        target: String,
    },
}

/// `wasi-externals.json`: what the prefix holds and where each piece came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of the manifest ([`MANIFEST_FORMAT`]); manifests without it are read as 1.
    #[serde(default = "first_format")]
    pub format: u32,
    /// The WASI SDK version it was built with.
    pub sdk_version: String,
    /// The target it was built for.
    pub target: String,
    /// Installed dependencies by name.
    pub deps: BTreeMap<String, InstalledDep>,
}

/// One installed dependency in the manifest: where it came from and what it installed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstalledDep {
    /// The upstream version: the tag without its `<dep>-` prefix.
    pub version: String,
    /// The git tag pinned in deps.toml.
    pub tag: String,
    /// The commit id (40 hex digits).
    pub commit: String,
    /// The tree id (40 hex digits).
    pub tree: String,
    /// sha256 of the effective recipe the build used.
    pub recipe_sha256: String,
    /// The build key (see [`crate::plan::DepPlan::key`]).
    pub build_key: BuildKey,
    /// The WASI SDK version it was built with.
    pub sdk_version: String,
    /// The target it was built for.
    pub target: String,
    /// The pkg-config module it installs, e.g. `liblzma`.
    pub pkg_config: String,
    /// CPython's configure variable prefix, e.g. `LIBLZMA` (`LIBLZMA_CFLAGS`, `LIBLZMA_LIBS`).
    pub cpython_variable: Option<String>,
    /// SPDX license expression of this version.
    pub license: Option<String>,
    /// Every installed file with its sha256.
    pub files: Vec<FileEntry>,
}

fn first_format() -> u32 {
    1
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

    /// Hold while changing the prefix: two builds into one prefix take turns.
    /// Hold this while changing the prefix. Temporary files of a run that was
    /// killed while installing are removed once the lock is held.
    pub fn lock(&self, reporter: &dyn Reporter) -> Result<FileLock, PrefixError> {
        let path = self.root.join(".wasi-externals.lock");
        let lock = FileLock::acquire(&path, || {
            reporter.event(Event::WaitingForLock {
                what: &format!("the prefix {}", self.root.display()),
            })
        })
        .map_err(self.io(&path))?;
        fsutil::remove_temp_files(&self.root).map_err(self.io(&self.root))?;
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
                let manifest: Manifest =
                    serde_json::from_slice(&bytes).map_err(|e| PrefixError::BadManifest {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                if manifest.format > MANIFEST_FORMAT {
                    return Err(PrefixError::BadManifest {
                        path,
                        message: format!(
                            "format {} is newer than this wasi-externals reads ({MANIFEST_FORMAT}); upgrade it",
                            manifest.format
                        ),
                    });
                }
                Ok(Some(manifest))
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

    /// Refuse to mix libraries of two SDKs or targets in one prefix.
    pub fn check_compatible(&self, sdk: &Sdk, target: &str) -> Result<(), PrefixError> {
        match self.manifest()? {
            Some(m)
                if !m.deps.is_empty() && (m.sdk_version != sdk.version || m.target != target) =>
            {
                Err(PrefixError::Mixed {
                    prefix: self.root.clone(),
                    found_sdk: m.sdk_version,
                    found_target: m.target,
                    sdk: sdk.version.clone(),
                    target: target.to_owned(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Merge the cached output of `plan` into the prefix and record it in the manifest.
    ///
    /// Every file is hashed as it is copied and compared with the output's
    /// record; on any difference nothing of the dep lands in the prefix and
    /// [`PrefixError::CorruptOutput`] says which file was wrong.
    pub fn install(
        &self,
        plan: &DepPlan,
        cache: &Cache,
        sdk: &Sdk,
        target: &str,
    ) -> Result<(), PrefixError> {
        let out = cache.build_output(&plan.key);
        let corrupt = |path: PathBuf, problem: String| PrefixError::CorruptOutput {
            dep: plan.pin.name.clone(),
            key: plan.key.clone(),
            path,
            problem,
        };
        let record = BuildRecord::load(&out, &plan.key)
            .map_err(|e| corrupt(out.join(crate::build::RECORD_FILE), e.to_string()))?;
        let staged = self.stage(&out.join("files"), &record.files, &corrupt)?;
        for (temp, to) in staged {
            temp.persist(&to).map_err(|e| PrefixError::Io {
                path: to.clone(),
                source: e.error,
            })?;
        }
        cache.touch_build(&plan.key);
        let mut manifest = self.manifest()?.unwrap_or_default();
        self.remove_stale(&manifest, &plan.pin.name, &record.files)?;
        manifest.format = MANIFEST_FORMAT;
        manifest.sdk_version = sdk.version.clone();
        manifest.target = target.to_owned();
        manifest.deps.insert(
            plan.pin.name.clone(),
            installed_dep(plan, sdk, target, record.files),
        );
        self.write_manifest(&manifest)
    }

    /// Copy every file of an output next to its place in the prefix, checking its hash.
    fn stage(
        &self,
        from_dir: &Path,
        files: &[FileEntry],
        corrupt: &dyn Fn(PathBuf, String) -> PrefixError,
    ) -> Result<Vec<(tempfile::NamedTempFile, PathBuf)>, PrefixError> {
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
                    let problem = format!("{}: {e}", from.display());
                    return Err(corrupt(from, problem));
                }
                Err(fsutil::CopyError::Write(e)) => return Err(self.io(temp.path())(e)),
            };
            if sha != entry.sha256 {
                let problem = format!(
                    "{} has sha256 {sha}, its record says {}",
                    from.display(),
                    entry.sha256
                );
                return Err(corrupt(from, problem));
            }
            staged.push((temp, to));
        }
        Ok(staged)
    }

    /// Remove the files an earlier install of `dep` had that this one lacks.
    fn remove_stale(
        &self,
        manifest: &Manifest,
        dep: &str,
        files: &[FileEntry],
    ) -> Result<(), PrefixError> {
        let Some(old) = manifest.deps.get(dep) else {
            return Ok(());
        };
        for stale in old
            .files
            .iter()
            .filter(|f| !files.iter().any(|n| n.path == f.path))
        {
            let path = self.root.join(&stale.path);
            if path.exists() {
                std::fs::remove_file(&path).map_err(self.io(&path))?;
            }
        }
        Ok(())
    }

    fn write_manifest(&self, manifest: &Manifest) -> Result<(), PrefixError> {
        let path = self.manifest_path();
        let mut json = serde_json::to_vec_pretty(manifest).expect("manifests serialize");
        json.push(b'\n');
        fsutil::write_atomically(&path, &json).map_err(self.io(&path))?;
        let site = self.root.join("config.site");
        let text = config_site(&self.handover(manifest)?);
        fsutil::write_atomically(&site, text.as_bytes()).map_err(self.io(&site))
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

/// The manifest's entry for `plan`'s dep, built with `sdk` for `target`.
fn installed_dep(plan: &DepPlan, sdk: &Sdk, target: &str, files: Vec<FileEntry>) -> InstalledDep {
    let (commit, tree) = plan
        .pin
        .locked()
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .unwrap_or_default();
    InstalledDep {
        version: plan.pin.version().to_owned(),
        tag: plan.pin.tag.clone(),
        commit,
        tree,
        recipe_sha256: fsutil::sha256_bytes(plan.recipe.text.as_bytes()),
        build_key: plan.key.clone(),
        sdk_version: sdk.version.clone(),
        target: target.to_owned(),
        pkg_config: plan.recipe.package.pkg_config.clone(),
        cpython_variable: plan.recipe.package.cpython_variable.clone(),
        license: plan
            .pin
            .license
            .clone()
            .or_else(|| plan.build.license.clone()),
        files,
    }
}

/// Files a prefix may hold besides those the manifest lists.
const BOOKKEEPING: &[&str] = &[MANIFEST_FILE, "config.site", ".wasi-externals.lock"];

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
    pub fn verify(&self) -> Result<Verification, PrefixError> {
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
fn config_site(vars: &[(String, String)]) -> String {
    let mut text =
        String::from("# Written by wasi-externals: CPython configure variables for this prefix.\n");
    for (key, value) in vars {
        text.push_str(&format!("{key}={}\n", crate::build::shell_quote(value)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_normalized() {
        let flags = "-L/p/lib/pkgconfig/../../lib -lz -I/p/lib/pkgconfig/../../include -L/p/lib";
        assert_eq!(
            normalize_flags(flags.split(' ').map(str::to_owned).collect()),
            ["-L/p/lib", "-lz", "-I/p/include"]
        );
    }
}
