//! An SPDX 2.3 document describing the dependencies, shaped like CPython's
//! `Misc/externals.spdx.json`: one package per dependency with where it came
//! from, its checksums, its license and the patches applied, plus the built
//! files when a prefix is given.

use std::path::Path;

use serde::Serialize;
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

/// An SPDX 2.3 JSON document.
///
/// Fields are declared in the order of their JSON names, so the output keeps
/// the sorted key order it had when the document was built as a
/// `serde_json::Value` (a test checks this).
#[derive(Debug, Clone, Serialize)]
pub struct SpdxDocument {
    /// Always `SPDXRef-DOCUMENT`.
    #[serde(rename = "SPDXID")]
    pub spdx_id: &'static str,
    /// When and by what the document was made.
    #[serde(rename = "creationInfo")]
    pub creation_info: CreationInfo,
    /// Always `CC0-1.0`.
    #[serde(rename = "dataLicense")]
    pub data_license: &'static str,
    /// A URI unique to this set of pins.
    #[serde(rename = "documentNamespace")]
    pub document_namespace: String,
    /// The files built into the prefix, when one is given.
    pub files: Vec<SpdxFile>,
    /// The `LicenseRef-` licenses the packages use.
    #[serde(
        rename = "hasExtractedLicensingInfos",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extracted_licenses: Vec<ExtractedLicense>,
    /// Always `wasi-externals`.
    pub name: &'static str,
    /// One package per dependency.
    pub packages: Vec<Package>,
    /// The document describes each package; each file is generated from one.
    pub relationships: Vec<Relationship>,
    /// Always `SPDX-2.3`.
    #[serde(rename = "spdxVersion")]
    pub spdx_version: &'static str,
}

/// When and by what a document was made.
#[derive(Debug, Clone, Serialize)]
pub struct CreationInfo {
    /// RFC 3339, seconds.
    pub created: String,
    /// `Tool: wasi-externals-<version>`.
    pub creators: Vec<&'static str>,
}

/// One dependency's source.
#[derive(Debug, Clone, Serialize)]
pub struct Package {
    /// `SPDXRef-PACKAGE-<dep>`.
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    /// The git tree id (SHA1) and, when known, the tag archive's sha256.
    pub checksums: Vec<Checksum>,
    /// Tag, commit, tree, archive and patches, in words.
    pub comment: String,
    /// Always `NOASSERTION`.
    #[serde(rename = "copyrightText")]
    pub copyright_text: &'static str,
    /// `git+<url>.git@<commit>`, or `NOASSERTION` for a local mirror.
    #[serde(rename = "downloadLocation")]
    pub download_location: String,
    /// The package URL.
    #[serde(rename = "externalRefs")]
    pub external_refs: Vec<ExternalRef>,
    /// Always false: the files are not listed per package.
    #[serde(rename = "filesAnalyzed")]
    pub files_analyzed: bool,
    /// The SPDX license expression.
    #[serde(rename = "licenseConcluded")]
    pub license_concluded: String,
    /// The same expression.
    #[serde(rename = "licenseDeclared")]
    pub license_declared: String,
    /// The upstream project (zlib-ng when it stands in for zlib).
    pub name: String,
    /// Always `SOURCE`.
    #[serde(rename = "primaryPackagePurpose")]
    pub primary_package_purpose: &'static str,
    /// The dependency's version.
    #[serde(rename = "versionInfo")]
    pub version_info: String,
}

/// One file built into the prefix.
#[derive(Debug, Clone, Serialize)]
pub struct SpdxFile {
    /// `SPDXRef-FILE-<path>`.
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    /// SHA1 (which SPDX requires) and sha256.
    pub checksums: Vec<Checksum>,
    /// Always `NOASSERTION`.
    #[serde(rename = "copyrightText")]
    pub copyright_text: &'static str,
    /// `./<path in the prefix>`.
    #[serde(rename = "fileName")]
    pub file_name: String,
    /// The package's license.
    #[serde(rename = "licenseConcluded")]
    pub license_concluded: String,
}

/// A checksum of a package or file.
#[derive(Debug, Clone, Serialize)]
pub struct Checksum {
    /// Which hash.
    pub algorithm: Algorithm,
    /// Its hex value.
    #[serde(rename = "checksumValue")]
    pub checksum_value: String,
}

/// The hashes this document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    /// Git's tree ids, and SPDX's required file hash.
    Sha1,
    /// Tag archives and built files.
    Sha256,
}

impl Checksum {
    fn new(algorithm: Algorithm, value: impl Into<String>) -> Checksum {
        Checksum {
            algorithm,
            checksum_value: value.into(),
        }
    }
}

/// A package URL reference.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalRef {
    /// Always `PACKAGE-MANAGER`.
    #[serde(rename = "referenceCategory")]
    pub reference_category: &'static str,
    /// `pkg:generic/<project>@<version>?vcs_url=…`.
    #[serde(rename = "referenceLocator")]
    pub reference_locator: String,
    /// Always `purl`.
    #[serde(rename = "referenceType")]
    pub reference_type: &'static str,
}

/// How two elements relate.
#[derive(Debug, Clone, Serialize)]
pub struct Relationship {
    /// The element related to.
    #[serde(rename = "relatedSpdxElement")]
    pub related_spdx_element: String,
    /// How.
    #[serde(rename = "relationshipType")]
    pub relationship_type: RelationshipType,
    /// The element that relates.
    #[serde(rename = "spdxElementId")]
    pub spdx_element_id: String,
}

/// The relationships this document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RelationshipType {
    /// The document describes a package.
    Describes,
    /// A file is built from a package.
    GeneratedFrom,
}

/// A `LicenseRef-` license, described by pointing at the source tree.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractedLicense {
    /// A pointer to the license files.
    #[serde(rename = "extractedText")]
    pub extracted_text: String,
    /// `LicenseRef-…`.
    #[serde(rename = "licenseId")]
    pub license_id: String,
    /// The id without `LicenseRef-`.
    pub name: String,
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
) -> Result<SpdxDocument, SbomError> {
    // An SBOM is published: the source URL goes in without credentials.
    let source_url = crate::redact::url(&config.source.url);
    let base = source_url.trim_end_matches('/').trim_end_matches(".git");
    let mut doc = SpdxDocument {
        spdx_id: DOCUMENT_ID,
        creation_info: CreationInfo {
            created: creation_time(),
            creators: vec![concat!("Tool: wasi-externals-", env!("CARGO_PKG_VERSION"))],
        },
        data_license: "CC0-1.0",
        document_namespace: namespace(config),
        files: Vec::new(),
        extracted_licenses: Vec::new(),
        name: "wasi-externals",
        packages: Vec::new(),
        relationships: Vec::new(),
        spdx_version: "SPDX-2.3",
    };
    for pin in config.deps.values() {
        let package = package(pin, book, sources, base, &mut doc.extracted_licenses)?;
        doc.relationships.push(Relationship::new(
            DOCUMENT_ID,
            RelationshipType::Describes,
            &package.spdx_id,
        ));
        if let Some((root, installed)) =
            prefix.and_then(|(root, m)| Some((root, m.deps.get(&pin.name)?)))
        {
            for file in &installed.files {
                let file = spdx_file(root, file, &package.license_concluded)?;
                doc.relationships.push(Relationship::new(
                    &file.spdx_id,
                    RelationshipType::GeneratedFrom,
                    &package.spdx_id,
                ));
                doc.files.push(file);
            }
        }
        doc.packages.push(package);
    }
    Ok(doc)
}

const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";

impl Relationship {
    fn new(from: &str, kind: RelationshipType, to: &str) -> Relationship {
        Relationship {
            related_spdx_element: to.to_owned(),
            relationship_type: kind,
            spdx_element_id: from.to_owned(),
        }
    }
}

/// A URI unique to the set of pins.
fn namespace(config: &Config) -> String {
    let pins: Vec<String> = config.deps.values().map(pin_line).collect();
    format!(
        "https://spdx.org/spdxdocs/wasi-externals-{}",
        &fsutil::sha256_bytes(pins.join("\n").as_bytes())[..32]
    )
}

/// The package of one pinned dependency; a `LicenseRef-` license it uses is added to `extracted`.
fn package(
    pin: &DepPin,
    book: &RecipeBook,
    sources: Option<&SourceStore>,
    base: &str,
    extracted: &mut Vec<ExtractedLicense>,
) -> Result<Package, SbomError> {
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
    note_license_ref(&license, project, pin.version(), extracted);
    let archive = match (&pin.archive_sha256, sources) {
        (Some(sha), _) => Some(sha.clone()),
        (None, Some(store)) => archive_sha256(store, pin)?,
        (None, None) => None,
    };
    // The tree id is SPDX's SHA1; the tag archive's sha256 when known.
    let checksums = std::iter::once(Checksum::new(Algorithm::Sha1, tree.to_string()))
        .chain(
            archive
                .clone()
                .map(|sha| Checksum::new(Algorithm::Sha256, sha)),
        )
        .collect();
    let patches = patch_lines(&book.patches(&recipe, &build.settings.patches)?, project);
    let commit = commit.to_string();
    let ids = (commit.as_str(), &*tree.to_string());
    Ok(Package {
        spdx_id: format!("SPDXRef-PACKAGE-{}", spdx_id_part(&pin.name)),
        checksums,
        comment: comment(pin, project, base, ids, archive.is_some(), &patches),
        copyright_text: "NOASSERTION",
        download_location: download_location(base, &commit),
        external_refs: vec![ExternalRef {
            reference_category: "PACKAGE-MANAGER",
            reference_locator: format!(
                "pkg:generic/{project}@{}?vcs_url=git%2B{base}.git%40{commit}",
                pin.version()
            ),
            reference_type: "purl",
        }],
        files_analyzed: false,
        license_concluded: license.clone(),
        license_declared: license,
        name: project.to_owned(),
        primary_package_purpose: "SOURCE",
        version_info: pin.version().to_owned(),
    })
}

/// `patches/<project>/<name> (<origin>, sha256 <hex>)` for each patch applied.
fn patch_lines(patches: &[crate::recipe::Patch], project: &str) -> Vec<String> {
    patches
        .iter()
        .map(|patch| {
            let sha256 = fsutil::sha256_bytes(&patch.bytes);
            format!(
                "patches/{project}/{} ({}, sha256 {sha256})",
                patch.name, patch.origin
            )
        })
        .collect()
}

/// Add a `LicenseRef-` license to `extracted` once, pointing at the source tree's license files.
fn note_license_ref(
    license: &str,
    project: &str,
    version: &str,
    extracted: &mut Vec<ExtractedLicense>,
) {
    let Some(name) = license.strip_prefix("LicenseRef-") else {
        return;
    };
    if extracted.iter().any(|e| e.license_id == license) {
        return;
    }
    extracted.push(ExtractedLicense {
        extracted_text: format!("See the license files of {project} {version} in the source tree."),
        license_id: license.to_owned(),
        name: name.to_owned(),
    });
}

/// A package's comment: its tag, commit and tree, what the checksums are of,
/// what it stands in for, and the patches applied.
fn comment(
    pin: &DepPin,
    project: &str,
    base: &str,
    (commit, tree): (&str, &str),
    has_archive: bool,
    patches: &[String],
) -> String {
    let mut comment = format!(
        "Tag {} of {base}: commit {commit}, tree {tree} (the SHA1 checksum is the git tree id).",
        pin.tag
    );
    if has_archive {
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
    comment
}

/// One file of the prefix, with the SHA1 SPDX requires (the manifest keeps sha256 only).
fn spdx_file(
    root: &Path,
    file: &crate::cache::entry::FileEntry,
    license: &str,
) -> Result<SpdxFile, SbomError> {
    let path = root.join(&file.path);
    let sha1 = std::fs::read(&path)
        .map(|bytes| hex::encode(sha1::Sha1::digest(bytes)))
        .map_err(|source| SbomError::Read { path, source })?;
    Ok(SpdxFile {
        spdx_id: format!("SPDXRef-FILE-{}", spdx_id_part(file.path.as_str())),
        checksums: vec![
            Checksum::new(Algorithm::Sha1, sha1),
            Checksum::new(Algorithm::Sha256, file.sha256.clone()),
        ],
        copyright_text: "NOASSERTION",
        file_name: format!("./{}", file.path),
        license_concluded: license.to_owned(),
    })
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
    // The namespace has always hashed gix's Debug text of the commit
    // (`Some(Sha1(…))`); it stays so, or every document's namespace would change.
    let commit = pin.commit.map(gix::ObjectId::from);
    format!("{} {} {commit:?}", pin.name, pin.tag)
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

    fn sample_package() -> Package {
        Package {
            spdx_id: "SPDXRef-PACKAGE-zlib".into(),
            checksums: vec![Checksum::new(Algorithm::Sha1, "ab")],
            comment: "c".into(),
            copyright_text: "NOASSERTION",
            download_location: "NOASSERTION".into(),
            external_refs: vec![ExternalRef {
                reference_category: "PACKAGE-MANAGER",
                reference_locator: "pkg:generic/zlib@1".into(),
                reference_type: "purl",
            }],
            files_analyzed: false,
            license_concluded: "Zlib".into(),
            license_declared: "Zlib".into(),
            name: "zlib".into(),
            primary_package_purpose: "SOURCE",
            version_info: "1".into(),
        }
    }

    #[test]
    fn fields_serialise_in_sorted_key_order() {
        // The document was a `serde_json::Value` (sorted keys); the typed
        // structs must print the same bytes, so their fields must be sorted too.
        let checksum = Checksum::new(Algorithm::Sha1, "ab");
        let doc = SpdxDocument {
            spdx_id: DOCUMENT_ID,
            creation_info: CreationInfo {
                created: "2026-01-01T00:00:00Z".into(),
                creators: vec!["Tool: t"],
            },
            data_license: "CC0-1.0",
            document_namespace: "n".into(),
            files: vec![SpdxFile {
                spdx_id: "SPDXRef-FILE-lib".into(),
                checksums: vec![checksum],
                copyright_text: "NOASSERTION",
                file_name: "./lib/libz.a".into(),
                license_concluded: "Zlib".into(),
            }],
            extracted_licenses: vec![ExtractedLicense {
                extracted_text: "see".into(),
                license_id: "LicenseRef-x".into(),
                name: "x".into(),
            }],
            name: "wasi-externals",
            packages: vec![sample_package()],
            relationships: vec![Relationship::new(
                DOCUMENT_ID,
                RelationshipType::Describes,
                "SPDXRef-PACKAGE-zlib",
            )],
            spdx_version: "SPDX-2.3",
        };
        let typed = serde_json::to_string_pretty(&doc).unwrap();
        let value = serde_json::to_value(&doc).unwrap();
        assert_eq!(typed, serde_json::to_string_pretty(&value).unwrap());
        assert!(
            typed.contains("\"relationshipType\": \"DESCRIBES\""),
            "{typed}"
        );
        assert!(typed.contains("\"algorithm\": \"SHA1\""), "{typed}");
        assert!(typed.contains("hasExtractedLicensingInfos"), "{typed}");
    }

    #[test]
    fn the_namespace_hashes_the_same_pin_text_as_before() {
        let hex = "df8bfda8e1f047aa9cc594ea4ad921e255e70f17";
        let pin = DepPin {
            name: "zlib".into(),
            tag: crate::gitref::TagName::parse("zlib-1.3.1").unwrap(),
            commit: Some(crate::gitref::CommitId::parse(hex).unwrap()),
            tree: None,
            license: None,
            archive_sha256: None,
            profile: None,
        };
        assert_eq!(pin_line(&pin), format!("zlib zlib-1.3.1 Some(Sha1({hex}))"));
    }

    #[test]
    fn ids_are_spdx_safe() {
        assert_eq!(
            spdx_id_part("lib/pkgconfig/zlib.pc"),
            "lib-pkgconfig-zlib.pc"
        );
    }
}
