//! `sbom`: the SPDX document of the pinned sources and, given a prefix, its files.

use std::path::Path;

use crate::ops::Context;
use crate::prefix::Prefix;
use crate::Error;

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
