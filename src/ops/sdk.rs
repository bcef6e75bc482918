//! `sdk list`, `sdk path` and `sdk install`: which SDKs this machine has and
//! which one a build would use; for an install, which version, from where,
//! with which sha256.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::config::{Config, SdkSettings};
use crate::ops::Session;
use crate::sdk::install::{self, InstallError, InstallRequest, Installed};
use crate::sdk::{self, releases, store_root, BrokenSdk, FoundSdk, Sdk, SdkDirs};
use crate::Error;

/// One found SDK and the profiles that want its major version.
#[derive(Debug, Serialize)]
pub struct ListedSdk {
    /// The SDK as found.
    #[serde(flatten)]
    pub sdk: FoundSdk,
    /// Profiles whose `sdk` is this major version; `default` for the top-level `[sdk]`.
    pub wanted_by: Vec<String>,
}

/// A version deps.toml wants that no SDK found has.
#[derive(Debug, Serialize)]
pub struct MissingSdk {
    /// The SDK major version.
    pub version: u32,
    /// The profiles that want it (`default` for the top-level `[sdk]`).
    pub wanted_by: Vec<String>,
    /// Where `build` would look for it first in the SDK store.
    pub store: Option<PathBuf>,
}

/// What `sdk list` found: its `--json` output.
#[derive(Debug, Serialize)]
pub struct SdkListing {
    /// Every usable SDK found.
    pub sdks: Vec<ListedSdk>,
    /// The versions deps.toml wants that none of them has.
    pub missing: Vec<MissingSdk>,
    /// Folders that look like an SDK but cannot be used.
    pub broken: Vec<BrokenSdk>,
    /// Where installed SDKs are kept: `<store>/wasi-sdk-<N>`.
    pub store: Option<PathBuf>,
}

/// The SDK `build` would use: the `sdk path` output.
#[derive(Debug, Serialize)]
pub struct ChosenSdk {
    /// The `--python` profile it is for, if any.
    pub python: Option<String>,
    /// The SDK's folder.
    pub path: PathBuf,
    /// Its `VERSION`.
    pub version: String,
    /// The target triple the profile builds for.
    pub target: String,
}

/// Every WASI SDK found in `dirs` and the usual places, with the profiles
/// that want each; works without a deps.toml (then no profile wants any).
pub fn sdk_list(session: &Session, dirs: &SdkDirs) -> Result<SdkListing, Error> {
    let wants = wants(session.optional_config()?);
    let (found, broken) = sdk::find_all(&dirs.all());
    let missing = wants
        .iter()
        .filter(|(major, _)| !found.iter().any(|f| f.major == **major))
        .map(|(major, by)| MissingSdk {
            version: *major,
            wanted_by: by.clone(),
            store: sdk::store_dir(*major),
        })
        .collect();
    let sdks = found
        .into_iter()
        .map(|sdk| ListedSdk {
            wanted_by: wants.get(&sdk.major).cloned().unwrap_or_default(),
            sdk,
        })
        .collect();
    Ok(SdkListing {
        sdks,
        missing,
        broken,
        store: sdk::store_root(),
    })
}

/// Major version → the profiles that want it (`default` for the top-level `[sdk]`).
fn wants(config: Option<&Config>) -> BTreeMap<u32, Vec<String>> {
    let mut wants = BTreeMap::<u32, Vec<String>>::new();
    if let Some(config) = config {
        wants
            .entry(config.sdk.version)
            .or_default()
            .push("default".into());
        for (name, profile) in &config.profiles {
            wants
                .entry(profile.sdk.version)
                .or_default()
                .push(name.clone());
        }
    }
    wants
}

/// The SDK `build` would use for the session's profile, checked to be its version.
pub fn sdk_path(session: &Session, dirs: &SdkDirs) -> Result<ChosenSdk, Error> {
    let config = session.profile()?;
    let sdk = Sdk::discover(dirs, config.sdk.version)?;
    sdk.check_version(config.sdk.version, false)?;
    Ok(ChosenSdk {
        python: config.python.clone(),
        path: sdk.root,
        version: sdk.version,
        target: config.sdk.target.to_string(),
    })
}

/// What `sdk install` was asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct SdkInstallOptions {
    /// `N`: the SDK major version; `None`: the config's (`--python`'s profile or `[sdk]`).
    pub version: Option<u32>,
    /// `--sdk-url`: replaces the config's and the shipped table's URL.
    pub url: Option<String>,
    /// `--sha256`: replaces the config's and the shipped table's checksum.
    pub sha256: Option<String>,
    /// `--max-size`: the largest download accepted [default: 4 GiB].
    pub max_size: Option<u64>,
}

/// Install the SDK `options` and the session's profile name into the SDK store.
///
/// With a version and no `--python`, deps.toml is optional; otherwise it is
/// needed (for its version, or the profile's). The URL and sha256 come from
/// the command line, else from the config's settings for that version, else
/// from the shipped table. `--offline` (the session's) installs nothing new.
pub fn sdk_install(session: &Session, options: &SdkInstallOptions) -> Result<Installed, Error> {
    let config = if options.version.is_some() && session.python()?.is_none() {
        session.optional_config()?
    } else {
        Some(session.profile()?)
    };
    let request = resolve(config, options, session.offline)?;
    let root = store_root().ok_or(InstallError::NoStore)?;
    Ok(install::install(&root, &request, session.reporter)?)
}

/// The version, URL, sha256 and timeout to install with.
fn resolve(
    config: Option<&Config>,
    options: &SdkInstallOptions,
    offline: bool,
) -> Result<InstallRequest, Error> {
    let argument = |message: String| Error::from(InstallError::Argument { message });
    let version = match (options.version, config) {
        (Some(n), Some(c)) if c.python.is_some() && c.sdk.version != n => {
            return Err(argument(format!(
                "sdk install {n} --python {}: that profile pins SDK {}; give one of the two",
                c.python.as_deref().unwrap_or_default(),
                c.sdk.version
            )))
        }
        (Some(n), _) => n,
        (None, Some(c)) => c.sdk.version,
        (None, None) => {
            return Err(argument(
                "sdk install: give the SDK version (e.g. `sdk install 25`) or --python X, or run it next to a deps.toml".into(),
            ))
        }
    };
    if let Some(sha) = options
        .sha256
        .as_deref()
        .filter(|s| !releases::is_sha256(s))
    {
        return Err(argument(format!(
            "--sha256 {sha}: not a sha256 (64 hex digits)"
        )));
    }
    let configured = config.and_then(|c| settings_for(c, version));
    let (os, arch) = releases::host();
    let table = releases::find(version, os, arch);
    let url = options
        .url
        .clone()
        .or_else(|| configured.and_then(|s| s.url.clone()))
        .or_else(|| table.as_ref().map(|r| r.url.clone()));
    // A mirror serves the same bytes: the table's sha256 still applies to it.
    let sha256 = options
        .sha256
        .clone()
        .or_else(|| configured.and_then(|s| s.sha256.clone()))
        .or_else(|| table.and_then(|r| r.sha256))
        .map(|s| s.to_ascii_lowercase());
    let timeout = config.map_or(120, |c| c.source.timeout_seconds).max(1);
    Ok(InstallRequest {
        version,
        url,
        sha256,
        timeout: Duration::from_secs(timeout),
        offline,
        max_bytes: options
            .max_size
            .unwrap_or(crate::sdk::install::DEFAULT_MAX_DOWNLOAD),
    })
}

/// The config's `[sdk]` (or, failing that, a profile's) settings for SDK `version`.
fn settings_for(config: &Config, version: u32) -> Option<&SdkSettings> {
    let has_keys =
        |s: &&SdkSettings| s.version == version && (s.url.is_some() || s.sha256.is_some());
    std::iter::once(&config.sdk)
        .chain(config.profiles.values().map(|p| &p.sdk))
        .find(has_keys)
}
