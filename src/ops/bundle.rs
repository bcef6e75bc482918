//! `bundle export` and `bundle import`: moving sources and builds to a machine without a network.

use std::path::Path;

use crate::bundle::{self, BundleIndex};
use crate::cache::Cache;
use crate::ops::Context;
use crate::plan::{self, Action};
use crate::sdk::Sdk;
use crate::Error;

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
