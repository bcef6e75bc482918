//! `env`: how to hand a built prefix to CPython's configure (variables and
//! options), checked against the SDK that will compile CPython.

use std::path::Path;

use serde::Serialize;

use crate::prefix::{Manifest, Prefix};
use crate::sdk::{Sdk, SdkDirs};
use crate::Error;

/// What CPython's `configure` needs to use a prefix.
#[derive(Debug, Serialize)]
pub struct Handover {
    /// `NAME=value` configure variables (`ZLIB_CFLAGS`, …) and `PKG_CONFIG_LIBDIR`.
    pub variables: Vec<(String, String)>,
    /// Plain configure options, e.g. `--with-system-libmpdec`, `--with-openssl=<prefix>`.
    pub options: Vec<String>,
}

/// Read the prefix's manifest and `.pc` files and say how to hand them to CPython.
///
/// With `--wasi-sdk` folders (`wasi_sdk` not empty) the SDK they name must be
/// the one the prefix was built with (version and clang): libraries of one
/// wasi-libc must not be linked with another.
pub fn env(prefix: &Path, wasi_sdk: &SdkDirs) -> Result<Handover, Error> {
    let prefix = Prefix::new(prefix)?;
    let manifest = prefix.require_manifest()?;
    if let Some(sdk) = given_sdk(&manifest, wasi_sdk)? {
        prefix.check_same_sdk(&manifest, &sdk)?;
    }
    let variables = prefix.handover(&manifest)?;
    let options = prefix.configure_options(&manifest);
    Ok(Handover { variables, options })
}

/// The SDK `--wasi-sdk` names for the prefix's SDK version: its `N=DIR`, else
/// a plain `DIR`, else whatever was given (which then fails the check by name).
fn given_sdk(manifest: &Manifest, wasi_sdk: &SdkDirs) -> Result<Option<Sdk>, Error> {
    let given = wasi_sdk.all();
    if given.is_empty() {
        return Ok(None);
    }
    let major = manifest
        .sdk_version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(0);
    let dirs = if wasi_sdk.by_version.contains_key(&major) || !wasi_sdk.plain.is_empty() {
        wasi_sdk.clone()
    } else {
        SdkDirs {
            plain: given,
            ..SdkDirs::default()
        }
    };
    Ok(Some(Sdk::discover(&dirs, major)?))
}
