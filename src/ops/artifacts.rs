//! Commands over what a build produced: verify, package, sbom, bundles.

use std::path::Path;

use crate::bundle::{self, BundleIndex};
use crate::cache::Cache;
use crate::ops::Context;
use crate::package::{self, Package};
use crate::plan::{self, Action};
use crate::prefix::{Prefix, Verification};
use crate::sdk::Sdk;
use crate::Error;

/// Re-hash a prefix against its manifest.
pub fn verify(prefix: &Path) -> Result<Verification, Error> {
    Ok(Prefix::new(prefix)?.verify()?)
}

/// A reproducible `.tar.gz` of a prefix, with its `.sha256` beside it.
pub fn package(prefix: &Path, out: &Path) -> Result<Package, Error> {
    Ok(package::package(&Prefix::new(prefix)?, out)?)
}

/// The SPDX document for the config's pins, and the prefix's files when given.
pub fn sbom(ctx: &Context, prefix: Option<&Path>) -> Result<serde_json::Value, Error> {
    let installed = match prefix {
        Some(dir) => {
            let prefix = Prefix::new(dir)?;
            let manifest = prefix.require_manifest()?;
            Some((prefix.root().to_owned(), manifest))
        }
        None => None,
    };
    let sources = crate::source::SourceStore::open_existing(&ctx.cache.sources())?;
    let prefix = installed
        .as_ref()
        .map(|(root, manifest)| (root.as_path(), manifest));
    Ok(crate::sbom::document(
        &ctx.config,
        &ctx.recipes()?,
        sources.as_ref(),
        prefix,
    )?)
}

/// Write an offline bundle; with `builds_for`, include the cached outputs built with that SDK.
pub fn bundle_export(
    ctx: &Context,
    out: &Path,
    builds_for: Option<&Path>,
) -> Result<BundleIndex, Error> {
    let _lock = ctx.cache.lock(ctx.reporter)?;
    let mut keys = Vec::new();
    if let Some(dir) = builds_for {
        let sdk = Sdk::inspect(dir)?;
        let pins = ctx.config.select(&[])?;
        for plan in plan::plan(&ctx.config, &ctx.recipes()?, &pins, &sdk, &ctx.cache, false)? {
            match plan.action {
                Action::UseCached => keys.push(plan.key),
                Action::Build => {
                    return Err(Error::NotBuilt {
                        dep: plan.pin.name,
                        sdk: dir.to_owned(),
                    })
                }
                Action::Skip => {}
            }
        }
    }
    Ok(bundle::export(&ctx.config, &ctx.cache, &keys, out)?)
}

/// Check a bundle completely, then add it to the cache.
pub fn bundle_import(
    cache: &Cache,
    file: &Path,
    reporter: &dyn crate::report::Reporter,
) -> Result<BundleIndex, Error> {
    let lock = cache.lock(reporter)?;
    Ok(bundle::import(file, cache, &lock)?)
}
