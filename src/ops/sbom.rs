//! `sbom`: the SPDX document of the pinned sources and, given a prefix, its files.

use std::path::Path;

use crate::ops::Session;
use crate::prefix::Prefix;
use crate::Error;

/// The SPDX document for the config's pins, and the prefix's files when given.
///
/// `out`, the file the document is going to (`-o`), is checked first: never
/// inside the prefix or the cache.
pub fn sbom(
    session: &Session,
    prefix: Option<&Path>,
    out: Option<&Path>,
) -> Result<crate::sbom::SpdxDocument, Error> {
    let config = session.profile()?;
    if let Some(out) = out {
        let mut places = vec![("cache", session.cache.root())];
        places.extend(prefix.map(|p| ("prefix", p)));
        super::check_output(out, &places)?;
    }
    let installed = match prefix {
        Some(dir) => {
            let prefix = Prefix::new(dir)?;
            let manifest = prefix.require_manifest()?;
            Some((prefix.root().to_owned(), manifest))
        }
        None => None,
    };
    let sources = crate::source::SourceStore::open_existing(&session.cache.sources())?;
    let prefix = installed
        .as_ref()
        .map(|(root, manifest)| (root.as_path(), manifest));
    Ok(crate::sbom::document(
        config,
        &session.recipe_book()?,
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
pub fn licenses(session: &Session, dir: &Path) -> Result<Vec<DepLicenses>, Error> {
    let pins = session.profile()?.select(&[])?;
    // Held until every text is read: `cache gc` must not move the store meanwhile.
    let _lock = session.cache.lock(session.reporter)?;
    let store = session.open_sources()?;
    store.fetch(
        &pins,
        &session.remotes()?,
        session.offline,
        session.reporter,
        &session.interrupt,
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
