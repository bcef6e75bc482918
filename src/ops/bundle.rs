//! `bundle export` and `bundle import`: moving sources and builds to a machine without a network.

use std::path::Path;

use crate::bundle::{self, BundleIndex};
use crate::ops::Session;
use crate::plan::{self, Action};
use crate::sdk::Sdk;
use crate::Error;

/// Write an offline bundle; with `builds_for`, include the cached outputs built with that SDK.
pub fn bundle_export(
    session: &Session,
    out: &Path,
    builds_for: Option<&Path>,
) -> Result<BundleIndex, Error> {
    let config = session.profile()?;
    super::check_output(out, &[("cache", session.cache.root())])?;
    let _lock = session.cache.lock(session.reporter)?;
    let mut keys = Vec::new();
    if let Some(dir) = builds_for {
        let sdk = Sdk::inspect(dir)?;
        let pins = config.select(&[])?;
        let book = session.recipe_book()?;
        for plan in plan::plan(config, &book, &pins, &sdk, &session.cache, false)? {
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
    Ok(bundle::export(config, &session.cache, &keys, out)?)
}

/// Check a bundle completely, then add it to the cache (no deps.toml needed).
pub fn bundle_import(session: &Session, file: &Path) -> Result<BundleIndex, Error> {
    let lock = session.cache.lock(session.reporter)?;
    Ok(bundle::import(file, &session.cache, &lock)?)
}
