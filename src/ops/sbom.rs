//! `sbom`: the SPDX document of the pinned sources and, given a prefix, its files.

use std::path::Path;

use crate::ops::Context;
use crate::prefix::Prefix;
use crate::Error;

/// The SPDX document for the config's pins, and the prefix's files when given.
pub fn sbom(ctx: &Context, prefix: Option<&Path>) -> Result<crate::sbom::SpdxDocument, Error> {
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

/// The license texts written for one dependency by [`licenses()`].
#[derive(Debug, serde::Serialize)]
pub struct DepLicenses {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// Its pinned tag.
    pub tag: crate::gitref::TagName,
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
