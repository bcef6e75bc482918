//! `wasi-externals.json`: what a prefix holds, where each piece came from,
//! and which SDK built it (so another SDK is never mixed in or handed it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cache::FileEntry;
use crate::fsutil;
use crate::key::BuildKey;
use crate::plan::DepPlan;
use crate::sdk::Sdk;

/// The manifest's file name inside the prefix.
pub const MANIFEST_FILE: &str = "wasi-externals.json";

/// The manifest format this version writes and the newest it reads
/// (described by `docs/schemas/manifest.v1.schema.json`).
pub const MANIFEST_FORMAT: u32 = 1;

/// `wasi-externals.json`: what the prefix holds and where each piece came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
    pub target: String,
    /// Installed dependencies by name.
    pub deps: BTreeMap<String, InstalledDep>,
}

impl Manifest {
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

impl InstalledDep {
    /// The manifest's entry for `plan`'s dep, built with `sdk` for `target`.
    pub fn new(plan: &DepPlan, sdk: &Sdk, target: &str, files: Vec<FileEntry>) -> InstalledDep {
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
    pub target: String,
}

impl SdkIdentity {
    /// The identity of `sdk` building for `target`.
    pub fn of(sdk: &Sdk, target: &str) -> SdkIdentity {
        SdkIdentity {
            version: sdk.version.clone(),
            clang: Some(sdk.clang.clone()),
            target: target.to_owned(),
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
