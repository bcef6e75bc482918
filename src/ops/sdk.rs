//! `sdk install`: which SDK version, from where, with which sha256; then the install.

use std::time::Duration;

use crate::config::{Config, SdkSettings};
use crate::report::Reporter;
use crate::sdk::install::{self, InstallError, InstallRequest, Installed};
use crate::sdk::{releases, store_root};
use crate::Error;

/// What `sdk install` was asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct SdkInstallOptions {
    /// `N`: the SDK major version; `None`: the config's (`--python`'s profile or `[sdk]`).
    pub version: Option<u32>,
    /// `--sdk-url`: replaces the config's and the shipped table's URL.
    pub url: Option<String>,
    /// `--sha256`: replaces the config's and the shipped table's checksum.
    pub sha256: Option<String>,
    /// `--offline`: succeed only if the SDK is already installed.
    pub offline: bool,
    /// `--max-size`: the largest download accepted [default: 4 GiB].
    pub max_size: Option<u64>,
}

/// Install the SDK `options` and `config` name into the SDK store.
///
/// `config` is deps.toml as `--python` selects it (`None` when there is none and
/// a version was given). The URL and sha256 come from the command line, else
/// from the config's settings for that version, else from the shipped table.
pub fn sdk_install(
    config: Option<&Config>,
    options: &SdkInstallOptions,
    reporter: &dyn Reporter,
) -> Result<Installed, Error> {
    let request = resolve(config, options)?;
    let root = store_root().ok_or(InstallError::NoStore)?;
    Ok(install::install(&root, &request, reporter)?)
}

/// The version, URL, sha256 and timeout to install with.
fn resolve(config: Option<&Config>, options: &SdkInstallOptions) -> Result<InstallRequest, Error> {
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
        offline: options.offline,
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
