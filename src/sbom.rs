//! An SPDX 2.3 document describing the dependencies, shaped like CPython's
//! `Misc/externals.spdx.json`: one package per dependency with where it came
//! from, its checksums, its license and the patches applied, plus the built
//! files when a prefix is given.

use std::path::Path;

use serde_json::{json, Value};
use sha1::Digest;

use crate::config::{Config, DepPin};
use crate::fsutil;
use crate::prefix::Manifest;
use crate::recipe::{PatchError, RecipeBook, RecipeError};
use crate::source::{SourceError, SourceStore};

/// Why an SBOM could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    /// A recipe is missing or invalid.
    #[error(transparent)]
    Recipe(#[from] RecipeError),
    /// A patch is missing or unreadable.
    #[error(transparent)]
    Patch(#[from] PatchError),
    /// A file (e.g. the manifest) cannot be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file that could not be read.
        path: std::path::PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The tag archive could not be made from the cached sources.
    #[error(transparent)]
    Archive(#[from] SourceError),
    /// A dependency has no pinned commit.
    #[error("`{dep}` is not locked; an SBOM needs the pinned commit")]
    NotLocked {
        /// The unlocked dependency.
        dep: String,
    },
}

impl SbomError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            SbomError::Recipe(e) => e.code(),
            SbomError::Patch(e) => e.code(),
            SbomError::Archive(e) => e.code(),
            SbomError::Read { .. } | SbomError::NotLocked { .. } => Code::Sbom,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            SbomError::Recipe(e) => e.hint(),
            SbomError::Patch(e) => e.hint(),
            SbomError::Archive(e) => e.hint(),
            SbomError::NotLocked { .. } => Some("run `wasi-externals lock`".into()),
            SbomError::Read { .. } => None,
        }
    }
}

/// The SPDX document for every pinned dependency (and, with `manifest`, the prefix's files).
///
/// `sources` is the cache's source store: when deps.toml does not give
/// GitHub's archive sha256 for a tag, it is computed in process from the
/// pinned commit exactly as GitHub makes the archive (see
/// [`crate::source::archive`]).
pub fn document(
    config: &Config,
    book: &RecipeBook,
    sources: Option<&SourceStore>,
    prefix: Option<(&Path, &Manifest)>,
) -> Result<Value, SbomError> {
    let mut packages = Vec::new();
    let mut files = Vec::new();
    let mut relationships = Vec::new();
    let mut extracted = Vec::new();
    // An SBOM is published: the source URL goes in without credentials.
    let source_url = crate::redact::url(&config.source.url);
    let base = source_url.trim_end_matches('/').trim_end_matches(".git");
    for pin in config.deps.values() {
        let (commit, tree) = pin.locked().ok_or_else(|| SbomError::NotLocked {
            dep: pin.name.clone(),
        })?;
        let recipe = book.recipe_for(pin)?;
        let build = recipe.plan_for(pin.version());
        // The upstream project: the dep, or the project standing in for it (zlib-ng for zlib).
        let project = recipe.name.as_str();
        let license = pin
            .license
            .clone()
            .or(build.license.clone())
            .unwrap_or_else(|| "NOASSERTION".into());
        if license.starts_with("LicenseRef-")
            && !extracted.iter().any(|e: &Value| e["licenseId"] == license)
        {
            extracted.push(json!({
                "licenseId": license,
                "extractedText": format!("See the license files of {project} {} in the source tree.", pin.version()),
                "name": license.trim_start_matches("LicenseRef-"),
            }));
        }
        let id = format!("SPDXRef-PACKAGE-{}", spdx_id_part(&pin.name));
        let mut checksums = vec![json!({ "algorithm": "SHA1", "checksumValue": tree.to_string() })];
        let archive = match (&pin.archive_sha256, sources) {
            (Some(sha), _) => Some(sha.clone()),
            (None, Some(store)) => archive_sha256(store, pin)?,
            (None, None) => None,
        };
        if let Some(sha) = &archive {
            checksums.push(json!({ "algorithm": "SHA256", "checksumValue": sha }));
        }
        let patches: Vec<String> = book
            .patches(&recipe, &build.settings.patches)?
            .iter()
            .map(|patch| {
                format!(
                    "patches/{}/{} ({}, sha256 {})",
                    project,
                    patch.name,
                    patch.origin,
                    fsutil::sha256_bytes(&patch.bytes)
                )
            })
            .collect();
        let mut comment = format!(
            "Tag {} of {base}: commit {commit}, tree {tree} (the SHA1 checksum is the git tree id).",
            pin.tag
        );
        if archive.is_some() {
            comment.push_str(&format!(
                " The SHA256 checksum is of {base}/archive/refs/tags/{}.tar.gz.",
                pin.tag
            ));
        }
        if project != pin.name {
            comment.push_str(&format!(" {project} stands in for the dep `{}`.", pin.name));
        }
        comment.push_str(&if patches.is_empty() {
            " No patches applied.".to_owned()
        } else {
            format!(" Patches applied: {}.", patches.join(", "))
        });
        packages.push(json!({
            "SPDXID": id,
            "name": project,
            "versionInfo": pin.version(),
            "downloadLocation": download_location(base, &commit.to_string()),
            "checksums": checksums,
            "licenseConcluded": license,
            "licenseDeclared": license,
            "copyrightText": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "SOURCE",
            "externalRefs": [{
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": format!("pkg:generic/{project}@{}?vcs_url=git%2B{}.git%40{commit}", pin.version(), base),
            }],
            "comment": comment,
        }));
        relationships.push(json!({
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": id,
        }));
        if let Some((root, installed)) =
            prefix.and_then(|(root, m)| Some((root, m.deps.get(&pin.name)?)))
        {
            for file in &installed.files {
                // SPDX requires a SHA1 of every file; the manifest keeps sha256 only.
                let sha1 = std::fs::read(root.join(&file.path))
                    .map(|bytes| hex::encode(sha1::Sha1::digest(bytes)))
                    .map_err(|source| SbomError::Read {
                        path: root.join(&file.path),
                        source,
                    })?;
                let file_id = format!("SPDXRef-FILE-{}", spdx_id_part(file.path.as_str()));
                files.push(json!({
                    "SPDXID": file_id,
                    "fileName": format!("./{}", file.path),
                    "checksums": [
                        { "algorithm": "SHA1", "checksumValue": sha1 },
                        { "algorithm": "SHA256", "checksumValue": file.sha256 },
                    ],
                    "licenseConcluded": license,
                    "copyrightText": "NOASSERTION",
                }));
                relationships.push(json!({
                    "spdxElementId": file_id,
                    "relationshipType": "GENERATED_FROM",
                    "relatedSpdxElement": id,
                }));
            }
        }
    }
    let pins: Vec<String> = config.deps.values().map(pin_line).collect();
    let namespace = format!(
        "https://spdx.org/spdxdocs/wasi-externals-{}",
        &fsutil::sha256_bytes(pins.join("\n").as_bytes())[..32]
    );
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "wasi-externals",
        "documentNamespace": namespace,
        "creationInfo": {
            "created": creation_time(),
            "creators": [concat!("Tool: wasi-externals-", env!("CARGO_PKG_VERSION"))],
        },
        "packages": packages,
        "files": files,
        "relationships": relationships,
    });
    if !extracted.is_empty() {
        doc["hasExtractedLicensingInfos"] = Value::Array(extracted);
    }
    Ok(doc)
}

/// SPDX accepts only network locations: a local mirror is reported as NOASSERTION (the comment names it).
fn download_location(base: &str, commit: &str) -> String {
    if ["https://", "http://", "ssh://", "git://"]
        .iter()
        .any(|s| base.starts_with(s))
    {
        format!("git+{base}.git@{commit}")
    } else {
        "NOASSERTION".into()
    }
}

fn pin_line(pin: &DepPin) -> String {
    format!("{} {} {:?}", pin.name, pin.tag, pin.commit)
}

/// SPDX ids allow letters, digits, `.` and `-`.
fn spdx_id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `SOURCE_DATE_EPOCH` when set (reproducible documents), else now.
fn creation_time() -> String {
    let time = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or_else(std::time::SystemTime::now, |s| {
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(s)
        });
    humantime::format_rfc3339_seconds(time).to_string()
}

/// sha256 of the tag archive, made in process from the cached objects when
/// deps.toml does not pin it; `None` when the store lacks the pinned tree or
/// the tree's archive is not reproduced here (`export-ignore`).
fn archive_sha256(sources: &SourceStore, pin: &DepPin) -> Result<Option<String>, SbomError> {
    let Some((commit, _)) = pin.locked().filter(|_| sources.has_pinned(pin)) else {
        return Ok(None);
    };
    Ok(sources.archive_sha256_if_reproducible(pin, commit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_spdx_safe() {
        assert_eq!(
            spdx_id_part("lib/pkgconfig/zlib.pc"),
            "lib-pkgconfig-zlib.pc"
        );
    }
}
