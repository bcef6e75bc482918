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
    let sources = ctx.cache.sources();
    let sources = sources.join("HEAD").exists().then_some(sources.as_path());
    let prefix = installed
        .as_ref()
        .map(|(root, manifest)| (root.as_path(), manifest));
    Ok(crate::sbom::document(
        &ctx.config,
        &ctx.recipes()?,
        sources,
        prefix,
    )?)
}

/// The license texts written for one dependency by [`licenses()`].
#[derive(Debug, serde::Serialize)]
pub struct DepLicenses {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// Its pinned tag.
    pub tag: String,
    /// The files written into `DIR/<dep>/` (none when the source tree has no license file).
    pub files: Vec<String>,
}

/// Write the license texts of every pinned dependency into `dir/<dep>/`,
/// fetching the pinned sources the cache lacks first (none with `--offline`).
pub fn licenses(ctx: &Context, dir: &Path) -> Result<Vec<DepLicenses>, Error> {
    let pins = ctx.config.select(&[])?;
    // Held until every text is read: `cache gc` must not move the store meanwhile.
    let _lock = ctx.cache.lock(ctx.reporter)?;
    let store = ctx.open_sources()?;
    store.fetch(
        &pins,
        &ctx.remotes(),
        ctx.offline,
        ctx.reporter,
        &ctx.interrupt,
    )?;
    let write_err = |path: &Path, source| Error::WriteOutput {
        path: path.to_owned(),
        source,
    };
    let mut written = Vec::new();
    for pin in pins {
        let files = store.license_files(pin)?;
        let folder = dir.join(&pin.name);
        std::fs::create_dir_all(&folder).map_err(|e| write_err(&folder, e))?;
        for file in &files {
            let path = folder.join(&file.name);
            crate::fsutil::write_atomically(&path, &file.text).map_err(|e| write_err(&path, e))?;
        }
        written.push(DepLicenses {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
            files: files.into_iter().map(|f| f.name).collect(),
        });
    }
    Ok(written)
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
