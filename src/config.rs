//! `deps.toml`: which sources to fetch, which SDK to build them with.
//!
//! The file is read with serde for validation (unknown keys and bad ids are
//! errors with a line and column) and rewritten by `lock` with `toml_edit`, so
//! comments and layout survive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use serde::Deserialize;

/// Where cpython-source-deps lives when the config does not say.
pub const DEFAULT_SOURCE_URL: &str = "https://github.com/python/cpython-source-deps";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: [deps.{dep}] {message}")]
    InvalidDep {
        path: PathBuf,
        dep: String,
        message: String,
    },
    #[error("unknown dependency `{name}` (known in {path}: {known})")]
    UnknownDep {
        path: PathBuf,
        name: String,
        known: String,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The parsed, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; relative paths inside it are relative to its folder.
    pub path: PathBuf,
    pub source: SourceSettings,
    pub sdk: SdkSettings,
    pub deps: BTreeMap<String, DepPin>,
    /// Overlay folder whose `<dep>.toml` files replace the built-in recipes.
    pub recipes: Option<PathBuf>,
    /// Overlay folder whose `<dep>/<name>.patch` files replace or add to the built-in patches.
    pub patches: Option<PathBuf>,
    /// `[cache]`: the remote cache shared by a fleet.
    pub cache: CacheSettings,
}

/// `[cache]` of deps.toml.
#[derive(Debug, Clone, Default)]
pub struct CacheSettings {
    /// `remote = "s3://bucket/prefix"` (or `http(s)://…`, `file:///…`); never with credentials.
    pub remote: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SourceSettings {
    pub url: String,
    /// Tried in order when the previous location cannot be reached.
    pub mirrors: Vec<String>,
    /// Upper bound for one network request, so a stalled server cannot hang a fetch.
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone)]
pub struct SdkSettings {
    /// WASI SDK major version; part of every build's identity.
    pub version: u32,
    pub target: String,
}

/// One dependency as pinned in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepPin {
    pub name: String,
    pub tag: String,
    /// `None` until `lock` has run.
    pub commit: Option<ObjectId>,
    pub tree: Option<ObjectId>,
    /// SPDX license expression of the upstream project.
    pub license: Option<String>,
    /// sha256 of GitHub's `archive/refs/tags/<tag>.tar.gz`, for SBOMs.
    pub archive_sha256: Option<String>,
}

impl DepPin {
    /// The upstream version: the tag without its `<name>-` prefix.
    pub fn version(&self) -> &str {
        version_of_tag(&self.tag)
    }

    /// Commit and tree, when both are pinned.
    pub fn locked(&self) -> Option<(ObjectId, ObjectId)> {
        Some((self.commit?, self.tree?))
    }
}

/// `sqlite-3.49.1.0` → `3.49.1.0`: the part after the first `-` that is followed by a digit.
pub fn version_of_tag(tag: &str) -> &str {
    tag.char_indices()
        .find(|&(i, c)| c == '-' && tag[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        .map_or(tag, |(i, _)| &tag[i + 1..])
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    source: RawSource,
    sdk: RawSdk,
    #[serde(default)]
    deps: BTreeMap<String, RawDep>,
    recipes: Option<PathBuf>,
    patches: Option<PathBuf>,
    #[serde(default)]
    cache: RawCache,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCache {
    remote: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSource {
    url: Option<String>,
    #[serde(default)]
    mirrors: Vec<String>,
    timeout_seconds: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSdk {
    version: u32,
    target: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDep {
    tag: String,
    commit: Option<String>,
    tree: Option<String>,
    license: Option<String>,
    archive_sha256: Option<String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| ConfigError::Parse {
            path: path.to_owned(),
            message: err.to_string().trim_end().to_owned(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut deps = BTreeMap::new();
        for (name, dep) in raw.deps {
            let invalid = |message: String| ConfigError::InvalidDep {
                path: path.to_owned(),
                dep: name.clone(),
                message,
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid(
                    "a dependency name may hold only letters, digits, `-` and `_`".into(),
                ));
            }
            if dep.tag.trim().is_empty() || dep.tag.contains(char::is_whitespace) {
                return Err(invalid(format!(
                    "tag `{}` is not a valid tag name",
                    dep.tag
                )));
            }
            let parse_id = |what: &str,
                            value: Option<String>|
             -> Result<Option<ObjectId>, ConfigError> {
                value
                    .map(|hex| {
                        if hex.len() != 40 {
                            return Err(invalid(format!(
                                "{what} `{hex}` must be a full 40-digit hex object id"
                            )));
                        }
                        ObjectId::from_hex(hex.as_bytes())
                            .map_err(|_| invalid(format!("{what} `{hex}` is not a hex object id")))
                    })
                    .transpose()
            };
            let commit = parse_id("commit", dep.commit)?;
            let tree = parse_id("tree", dep.tree)?;
            if tree.is_some() && commit.is_none() {
                return Err(invalid(
                    "a tree is pinned without a commit; run `wasi-externals lock`".into(),
                ));
            }
            deps.insert(
                name.clone(),
                DepPin {
                    name,
                    tag: dep.tag,
                    commit,
                    tree,
                    license: dep.license,
                    archive_sha256: dep.archive_sha256,
                },
            );
        }
        Ok(Config {
            path: path.to_owned(),
            source: SourceSettings {
                url: raw
                    .source
                    .url
                    .unwrap_or_else(|| DEFAULT_SOURCE_URL.to_owned()),
                mirrors: raw.source.mirrors,
                timeout_seconds: raw.source.timeout_seconds.unwrap_or(120),
            },
            sdk: SdkSettings {
                version: raw.sdk.version,
                target: raw.sdk.target,
            },
            deps,
            recipes: raw.recipes.map(|dir| base.join(dir)),
            patches: raw.patches.map(|dir| base.join(dir)),
            cache: cache_settings(path, raw.cache)?,
        })
    }

    /// The pins named in `names`, or all of them when `names` is empty.
    pub fn select(&self, names: &[String]) -> Result<Vec<&DepPin>, ConfigError> {
        if names.is_empty() {
            return Ok(self.deps.values().collect());
        }
        names
            .iter()
            .map(|name| {
                self.deps.get(name).ok_or_else(|| ConfigError::UnknownDep {
                    path: self.path.clone(),
                    name: name.clone(),
                    known: self.deps.keys().cloned().collect::<Vec<_>>().join(", "),
                })
            })
            .collect()
    }

    /// Write resolved commits and trees back into the file, keeping everything else as it was.
    pub fn write_pins(&self, resolved: &[(String, ObjectId, ObjectId)]) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(&self.path).map_err(|source| ConfigError::Read {
            path: self.path.clone(),
            source,
        })?;
        let mut doc: toml_edit::DocumentMut =
            text.parse()
                .map_err(|err: toml_edit::TomlError| ConfigError::Parse {
                    path: self.path.clone(),
                    message: err.to_string(),
                })?;
        for (name, commit, tree) in resolved {
            let dep = &mut doc["deps"][name.as_str()];
            dep["commit"] = toml_edit::value(commit.to_string());
            dep["tree"] = toml_edit::value(tree.to_string());
        }
        crate::fsutil::write_atomically(&self.path, doc.to_string().as_bytes()).map_err(|source| {
            ConfigError::Write {
                path: self.path.clone(),
                source,
            }
        })
    }
}

/// `[cache]`, refusing a remote URL with credentials in it: those belong in the environment.
fn cache_settings(path: &Path, raw: RawCache) -> Result<CacheSettings, ConfigError> {
    if let Some(url) = &raw.remote {
        if crate::remote::redact(url) != *url {
            return Err(ConfigError::Parse {
                path: path.to_owned(),
                message: "[cache] remote holds credentials; remove them and set the backend's \
                          environment variables (e.g. AWS_ACCESS_KEY_ID) instead"
                    .into(),
            });
        }
    }
    Ok(CacheSettings { remote: raw.remote })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "[sdk]\nversion = 24\ntarget = \"wasm32-wasip1\"\n[deps.zlib]\ntag = \"zlib-1.3.1\"\n";

    #[test]
    fn a_dep_with_only_a_tag_is_valid_and_unlocked() {
        let config = Config::parse(Path::new("deps.toml"), MINIMAL).unwrap();
        let zlib = &config.deps["zlib"];
        assert_eq!(zlib.version(), "1.3.1");
        assert_eq!(zlib.locked(), None);
        assert_eq!(config.source.url, DEFAULT_SOURCE_URL);
    }

    #[test]
    fn versions_come_from_tags() {
        assert_eq!(version_of_tag("sqlite-3.49.1.0"), "3.49.1.0");
        assert_eq!(version_of_tag("xz-5.2.5"), "5.2.5");
        assert_eq!(version_of_tag("wasi-thing-2.0"), "2.0");
    }

    #[test]
    fn short_ids_are_refused_with_the_dep_name() {
        let text = format!("{MINIMAL}commit = \"abc\"\n");
        let err = Config::parse(Path::new("deps.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[deps.zlib]") && err.contains("40-digit"),
            "{err}"
        );
    }
}
