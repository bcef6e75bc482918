//! `wasi-externals.json`: what a prefix holds, where each piece came from,
//! and which SDK built it (so another SDK is never mixed in or handed it).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::cache::FileEntry;
use crate::fsutil;
use crate::key::BuildKey;
use crate::names::{is_dep_name, ModuleName, TargetTriple, VarName};
use crate::plan::DepPlan;
use crate::sdk::Sdk;

/// The manifest's file name inside the prefix.
pub const MANIFEST_FILE: &str = "wasi-externals.json";

/// The manifest format this version writes and the newest it reads
/// (described by `docs/schemas/manifest.v1.schema.json`).
pub const MANIFEST_FORMAT: u32 = 1;

/// `wasi-externals.json`: what the prefix holds and where each piece came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of the manifest ([`MANIFEST_FORMAT`]); manifests without it are read as 1.
    #[serde(default = "first_format")]
    pub format: u32,
    /// The WASI SDK version it was built with.
    pub sdk_version: String,
    /// First line of the SDK's `clang --version`: two builds of one SDK
    /// version with different compilers are different SDKs. Absent in
    /// manifests written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_clang: Option<String>,
    /// The target it was built for.
    pub target: TargetTriple,
    /// Installed dependencies by name.
    pub deps: BTreeMap<String, InstalledDep>,
}

/// Why a manifest (of a prefix or of an install journal) is refused.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON of the manifest's shape.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A format this version does not read.
    #[error("format {0} is newer than this wasi-externals reads ({MANIFEST_FORMAT}); upgrade it")]
    Newer(u32),
    /// A dep name that is not one.
    #[error("`{}` is not a dependency name (letters, digits, `-`, `_`)", crate::names::escape(.0))]
    DepName(String),
    /// A file without a sha256.
    #[error("`{dep}`'s file {file} has no sha256 (64 hex digits)")]
    NoSha256 {
        /// The dep.
        dep: String,
        /// The file.
        file: String,
    },
    /// One file owned by two deps.
    #[error("{file} is listed by both `{first}` and `{second}`: no two deps may own one file")]
    TwoOwners {
        /// The file.
        file: String,
        /// One owner.
        first: String,
        /// The other.
        second: String,
    },
}

impl Manifest {
    /// A manifest of no deps, for a prefix `sdk` is about to build into for `target`.
    pub fn empty(sdk: &Sdk, target: &TargetTriple) -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT,
            sdk_version: sdk.version.clone(),
            sdk_clang: Some(sdk.clang.clone()),
            target: target.clone(),
            deps: BTreeMap::new(),
        }
    }

    /// Parse and check a manifest read from a prefix (or from an install
    /// journal): it is input like any other file. Names are parsed into their
    /// types, paths stay below `include/` or `lib/`, hashes are hashes, and no
    /// two deps own one file.
    pub fn from_json(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        let manifest: Manifest = serde_json::from_slice(bytes)?;
        if manifest.format > MANIFEST_FORMAT {
            return Err(ManifestError::Newer(manifest.format));
        }
        manifest.check()?;
        Ok(manifest)
    }

    /// What [`Manifest::from_json`] checks beyond the types.
    fn check(&self) -> Result<(), ManifestError> {
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, dep) in &self.deps {
            if !is_dep_name(name) {
                return Err(ManifestError::DepName(name.clone()));
            }
            for file in &dep.files {
                if !crate::sdk::releases::is_sha256(&file.sha256) {
                    return Err(ManifestError::NoSha256 {
                        dep: name.clone(),
                        file: file.path.to_string(),
                    });
                }
                if let Some(other) = owners.insert(file.path.as_str(), name) {
                    return Err(ManifestError::TwoOwners {
                        file: file.path.to_string(),
                        first: other.to_owned(),
                        second: name.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The dep that owns `path`, if any.
    pub fn owner_of(&self, path: &crate::relpath::RelPath) -> Option<&str> {
        self.deps
            .iter()
            .find(|(_, d)| d.files.iter().any(|f| &f.path == path))
            .map(|(name, _)| name.as_str())
    }

    /// Every file any dep lists.
    pub fn all_files(&self) -> BTreeSet<&str> {
        self.deps
            .values()
            .flat_map(|d| &d.files)
            .map(|f| f.path.as_str())
            .collect()
    }

    /// The SDK and target the prefix's libraries were built with.
    pub fn identity(&self) -> SdkIdentity {
        SdkIdentity {
            version: self.sdk_version.clone(),
            clang: self.sdk_clang.clone(),
            target: self.target.clone(),
        }
    }
}

/// One installed dependency in the manifest: where it came from and what it installed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub target: TargetTriple,
    /// The pkg-config module it installs, e.g. `liblzma`.
    pub pkg_config: ModuleName,
    /// CPython's configure variable prefix, e.g. `LIBLZMA` (`LIBLZMA_CFLAGS`, `LIBLZMA_LIBS`).
    pub cpython_variable: Option<VarName>,
    /// SPDX license expression of this version.
    pub license: Option<String>,
    /// Every installed file with its sha256.
    pub files: Vec<FileEntry>,
}

impl InstalledDep {
    /// The manifest's entry for `plan`'s dep, built with `sdk` for `target`.
    pub fn new(
        plan: &DepPlan,
        sdk: &Sdk,
        target: &TargetTriple,
        files: Vec<FileEntry>,
    ) -> InstalledDep {
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
            target: target.clone(),
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
}

fn first_format() -> u32 {
    1
}

/// Which SDK (version and compiler) and target built a prefix, or would build one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkIdentity {
    /// The SDK's `VERSION`, e.g. `25.0`.
    pub version: String,
    /// First line of `clang --version`; `None` when an old manifest did not record it.
    pub clang: Option<String>,
    /// The target triple.
    pub target: TargetTriple,
}

impl SdkIdentity {
    /// The identity of `sdk` building for `target`.
    pub fn of(sdk: &Sdk, target: &TargetTriple) -> SdkIdentity {
        SdkIdentity {
            version: sdk.version.clone(),
            clang: Some(sdk.clang.clone()),
            target: target.clone(),
        }
    }

    /// What differs between this (recorded) identity and `other`, one phrase each;
    /// empty when they match. An unrecorded clang matches any; with
    /// `with_target` false only the SDK itself is compared.
    pub fn differences(&self, other: &SdkIdentity, with_target: bool) -> Vec<String> {
        let mut found = Vec::new();
        if self.version != other.version {
            found.push(format!("SDK version {} vs {}", self.version, other.version));
        }
        if let (Some(mine), Some(theirs)) = (&self.clang, &other.clang) {
            if mine != theirs {
                found.push(format!("clang `{mine}` vs `{theirs}`"));
            }
        }
        if with_target && self.target != other.target {
            found.push(format!("target {} vs {}", self.target, other.target));
        }
        found
    }
}
