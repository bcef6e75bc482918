//! `deps.toml`: which sources to fetch, which SDK to build them with.
//!
//! The file is read with serde for validation (unknown keys and bad ids are
//! errors with a line and column) and rewritten by `lock` with `toml_edit`, so
//! comments and layout survive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::gitref::{CommitId, TagName, TreeId};
use crate::names::TargetTriple;

/// Where cpython-source-deps lives when the config does not say.
pub const DEFAULT_SOURCE_URL: &str = "https://github.com/python/cpython-source-deps";

/// Why deps.toml could not be read, understood or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The config file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown or missing keys.
    #[error("{path} is not valid: {message}")]
    Parse {
        /// The config file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A dependency's tag, commit or tree is malformed.
    #[error("{path}: [{}] {source}", crate::names::escape(.table))]
    BadRef {
        /// The config file.
        path: PathBuf,
        /// The dependency's table, e.g. `deps.zlib` or `python."3.14".deps.zstd`.
        table: String,
        /// What is wrong.
        #[source]
        source: crate::gitref::BadRef,
    },
    /// The file is not valid TOML or has unknown or missing keys (the parser's own error).
    #[error("{path} is not valid: {}", .source.to_string().trim_end())]
    Toml {
        /// The config file.
        path: PathBuf,
        /// The TOML parser's error.
        #[source]
        source: toml::de::Error,
    },
    /// The file is not valid TOML, read for `lock` to write pins.
    #[error("{path} is not valid: {source}")]
    Edit {
        /// The config file.
        path: PathBuf,
        /// The TOML editor's error.
        #[source]
        source: toml_edit::TomlError,
    },
    /// `[cache] trusted-keys` holds a malformed key.
    #[error("{path} is not valid: {source}")]
    Key {
        /// The config file.
        path: PathBuf,
        /// What is wrong with the key.
        #[source]
        source: crate::cache::remote::KeyError,
    },
    /// `[cache] max-object-size` is not a size.
    #[error("{path} is not valid: [cache] max-object-size: {source}")]
    Size {
        /// The config file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: crate::cache::remote::SizeError,
    },
    /// One dependency's table is invalid (e.g. a malformed commit id).
    #[error("{path}: [{}] {}", crate::names::escape(.table), crate::names::escape(.message))]
    InvalidDep {
        /// The config file.
        path: PathBuf,
        /// The dependency's table, e.g. `deps.zlib` or `python."3.14".deps.zstd`.
        table: String,
        /// What is wrong.
        message: String,
    },
    /// A `[python."X"]` profile is invalid.
    #[error("{path}: [python.\"{}\"] {message}", crate::names::escape(.name))]
    InvalidProfile {
        /// The config file.
        path: PathBuf,
        /// The profile's Python version.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// `--python X` names a profile the config lacks.
    #[error("unknown Python version `{}` (--python): {path} has profiles for {known}", crate::names::escape(.name))]
    UnknownProfile {
        /// The config file.
        path: PathBuf,
        /// The version asked for.
        name: String,
        /// The profiles the config defines, comma-separated, or `none`.
        known: String,
        /// What to do: add a table for it (only when its name would parse), or pick a known one.
        hint: String,
    },
    /// A command named a dependency the config does not pin.
    #[error("unknown dependency `{}` (known in {path}: {known})", crate::names::escape(.name))]
    UnknownDep {
        /// The config file.
        path: PathBuf,
        /// The name that was asked for.
        name: String,
        /// The dependencies the config does pin, comma-separated.
        known: String,
    },
    /// The file cannot be written (by `lock`).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The config file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl ConfigError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            ConfigError::Read { .. } => Code::ConfigRead,
            ConfigError::Parse { .. }
            | ConfigError::Toml { .. }
            | ConfigError::Edit { .. }
            | ConfigError::Key { .. }
            | ConfigError::Size { .. } => Code::ConfigParse,
            ConfigError::InvalidDep { .. } | ConfigError::BadRef { .. } => Code::ConfigInvalidDep,
            ConfigError::UnknownDep { .. } => Code::UnknownDep,
            ConfigError::InvalidProfile { .. } => Code::ConfigInvalidProfile,
            ConfigError::UnknownProfile { .. } => Code::UnknownPython,
            ConfigError::Write { .. } => Code::ConfigWrite,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::UnknownProfile { hint, .. } => Some(hint.clone()),
            _ => None,
        }
    }
}

/// The parsed, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; relative paths inside it are relative to its folder.
    pub path: PathBuf,
    /// Where sources are fetched from (`[source]`).
    pub source: SourceSettings,
    /// The WASI SDK to build with (`[sdk]`).
    pub sdk: SdkSettings,
    /// Every pinned dependency, by name (`[deps.<name>]`).
    pub deps: BTreeMap<String, DepPin>,
    /// Overlay folder whose `<dep>.toml` files replace the built-in recipes.
    pub recipes: Option<PathBuf>,
    /// Overlay folder whose `<dep>/<name>.patch` files replace or add to the built-in patches.
    pub patches: Option<PathBuf>,
    /// `[python."X"]` tables: each Python version's SDK and pins, by version.
    pub profiles: BTreeMap<String, Profile>,
    /// The profile `sdk` and `deps` were resolved for (`--python`); `None`: the top-level tables.
    pub python: Option<String>,
    /// `[cache]`: the remote cache shared by a fleet.
    pub cache: CacheSettings,
}

/// `[cache]` of deps.toml.
#[derive(Debug, Clone, Default)]
pub struct CacheSettings {
    /// `remote = "s3://bucket/prefix"` (or `http(s)://…`, `file:///…`); never with credentials.
    pub remote: Option<String>,
    /// `mode = "read" | "read-write"`; a remote from deps.toml is read-only unless it says so.
    pub mode: Option<crate::cache::remote::RemoteMode>,
    /// `max-object-size = 268435456` or `"256MiB"`: the largest remote object downloaded.
    pub max_object_size: Option<u64>,
    /// `trusted-keys = ["NAME:BASE64", …]`: install only remote builds signed by one of these.
    pub trusted_keys: Vec<crate::cache::remote::PublicKey>,
}

/// A `[python."X"]` table: the SDK that Python version is built with and the
/// pins where it differs from (or adds to) the top-level `[deps]`.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The SDK (version and target) this Python version is built with.
    pub sdk: SdkSettings,
    /// Only the profile's own pins; [`Config::for_python`] lays them over `[deps]`.
    pub deps: BTreeMap<String, DepPin>,
}

/// The `[source]` table: where to fetch from.
#[derive(Debug, Clone)]
pub struct SourceSettings {
    /// The git repository holding the tags.
    pub url: String,
    /// Tried in order when the previous location cannot be reached.
    pub mirrors: Vec<String>,
    /// Upper bound for one network request, so a stalled server cannot hang a fetch.
    pub timeout_seconds: u64,
    /// `low-speed-limit`: bytes per second below which a fetch counts as stalled (0: never).
    pub low_speed_limit: u64,
    /// `low-speed-seconds`: how long a fetch may stay below that before the next mirror is tried.
    pub low_speed_seconds: u64,
}

/// The `[sdk]` table: which WASI SDK and target to build with.
#[derive(Debug, Clone)]
pub struct SdkSettings {
    /// WASI SDK major version; part of every build's identity.
    pub version: u32,
    /// The target triple to build for, e.g. `wasm32-wasip1`.
    pub target: TargetTriple,
    /// Where `sdk install` downloads this SDK from instead of the shipped table's
    /// URL (a mirror, or a build of one's own): `[sdk] url`, or a profile's `sdk-url`.
    pub url: Option<String>,
    /// The sha256 `sdk install` expects instead of the shipped table's:
    /// `[sdk] sha256`, or a profile's `sdk-sha256`.
    pub sha256: Option<String>,
}

/// One dependency as pinned in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepPin {
    /// The dependency's name (`[deps.<name>]`).
    pub name: String,
    /// The git tag pinned in deps.toml.
    pub tag: TagName,
    /// `None` until `lock` has run.
    pub commit: Option<CommitId>,
    /// The tree the commit must have; `None` until `lock` has run.
    pub tree: Option<TreeId>,
    /// SPDX license expression of the upstream project.
    pub license: Option<String>,
    /// sha256 of GitHub's `archive/refs/tags/<tag>.tar.gz`: `lock`, `fetch`
    /// and `build` refuse a tree whose archive hashes otherwise; SBOMs carry it.
    pub archive_sha256: Option<String>,
    /// The profile whose table defines this pin (`None`: the top-level `[deps]`); `lock` writes there.
    pub profile: Option<String>,
}

impl DepPin {
    /// The upstream version: the tag without its `<name>-` prefix.
    pub fn version(&self) -> &str {
        version_of_tag(&self.tag)
    }

    /// The upstream project the tag holds: the tag without its `-<version>`
    /// (`zlib-ng-2.2.4` → `zlib-ng`). It names the built-in recipe for the
    /// tag when that differs from the dep's own (see [`crate::recipe::RecipeBook::recipe_for`]).
    pub fn project(&self) -> &str {
        project_of_tag(&self.tag)
    }

    /// Commit and tree, when both are pinned.
    pub fn locked(&self) -> Option<(CommitId, TreeId)> {
        Some((self.commit?, self.tree?))
    }
}

/// A pin `lock` writes.
#[derive(Debug, Clone)]
pub struct PinUpdate {
    /// The profile whose table holds the pin; `None` is the top-level `[deps]`.
    pub profile: Option<String>,
    /// The dependency's name.
    pub dep: String,
    /// The commit the tag resolved to.
    pub commit: CommitId,
    /// That commit's tree.
    pub tree: TreeId,
    /// The tag archive's sha256, written when the pin lacked one.
    pub archive_sha256: Option<String>,
}

/// `sqlite-3.49.1.0` → `3.49.1.0`: the part after the first `-` that is followed by a digit.
pub fn version_of_tag(tag: &str) -> &str {
    tag.char_indices()
        .find(|&(i, c)| c == '-' && tag[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        .map_or(tag, |(i, _)| &tag[i + 1..])
}

/// `zlib-ng-2.2.4` → `zlib-ng`: the part before [`version_of_tag`]'s `-` (the whole tag when it has no version).
pub fn project_of_tag(tag: &str) -> &str {
    let version = version_of_tag(tag);
    if version.len() == tag.len() {
        return tag;
    }
    &tag[..tag.len() - version.len() - 1]
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
    python: BTreeMap<String, RawProfile>,
    #[serde(default)]
    cache: RawCache,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    sdk: u32,
    target: TargetTriple,
    #[serde(rename = "sdk-url")]
    sdk_url: Option<String>,
    #[serde(rename = "sdk-sha256")]
    sdk_sha256: Option<String>,
    #[serde(default)]
    deps: BTreeMap<String, RawDep>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCache {
    remote: Option<String>,
    mode: Option<String>,
    max_object_size: Option<toml::Value>,
    #[serde(default)]
    trusted_keys: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSource {
    url: Option<String>,
    #[serde(default)]
    mirrors: Vec<String>,
    timeout_seconds: Option<u64>,
    low_speed_limit: Option<u64>,
    low_speed_seconds: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSdk {
    version: u32,
    target: TargetTriple,
    url: Option<String>,
    sha256: Option<String>,
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
    /// Read and validate the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Validate `text` as a config file; `path` names it in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|source| ConfigError::Toml {
            path: path.to_owned(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let deps = parse_deps(path, None, raw.deps)?;
        let profiles = raw
            .python
            .into_iter()
            .map(|(name, profile)| {
                let parsed = parse_profile(path, &name, profile)?;
                Ok((name, parsed))
            })
            .collect::<Result<_, ConfigError>>()?;
        Ok(Config {
            path: path.to_owned(),
            source: SourceSettings {
                url: raw
                    .source
                    .url
                    .unwrap_or_else(|| DEFAULT_SOURCE_URL.to_owned()),
                mirrors: raw.source.mirrors,
                timeout_seconds: raw.source.timeout_seconds.unwrap_or(120),
                low_speed_limit: raw.source.low_speed_limit.unwrap_or(1024),
                low_speed_seconds: raw.source.low_speed_seconds.unwrap_or(60).max(1),
            },
            sdk: parse_sdk(path, raw.sdk)?,
            deps,
            recipes: raw.recipes.map(|dir| base.join(dir)),
            patches: raw.patches.map(|dir| base.join(dir)),
            cache: cache_settings(path, raw.cache)?,
            profiles,
            python: None,
        })
    }

    /// This config as seen by Python `name`: its profile's SDK and target, and
    /// its pins laid over the top-level `[deps]`.
    pub fn for_python(&self, name: &str) -> Result<Config, ConfigError> {
        let profile = self
            .profiles
            .get(name)
            .ok_or_else(|| ConfigError::UnknownProfile {
                path: self.path.clone(),
                name: name.to_owned(),
                known: self.profile_names(),
                hint: if is_profile_name(name) {
                    format!("add a [python.\"{name}\"] table with `sdk` and `target`, or pick one of those")
                } else {
                    "pick one of those (a Python version such as `3.14`: letters, digits, `.`, `-`, `_`)"
                        .to_owned()
                },
            })?;
        let mut resolved = self.clone();
        resolved.sdk = profile.sdk.clone();
        resolved.deps.extend(profile.deps.clone());
        resolved.python = Some(name.to_owned());
        Ok(resolved)
    }

    /// The profiles' names, comma-separated (`none` when there are none).
    pub fn profile_names(&self) -> String {
        if self.profiles.is_empty() {
            return "none".to_owned();
        }
        let names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
        names.join(", ")
    }

    /// Every pin the file holds: `[deps]`, then each profile's own.
    pub fn all_pins(&self) -> Vec<&DepPin> {
        let profiles = self.profiles.values().flat_map(|p| p.deps.values());
        self.deps.values().chain(profiles).collect()
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

    /// Write resolved commits and trees (and archive hashes) back into the file,
    /// keeping everything else as it was.
    pub fn write_pins(&self, resolved: &[PinUpdate]) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(&self.path).map_err(|source| ConfigError::Read {
            path: self.path.clone(),
            source,
        })?;
        let mut doc: toml_edit::DocumentMut =
            text.parse()
                .map_err(|source: toml_edit::TomlError| ConfigError::Edit {
                    path: self.path.clone(),
                    source,
                })?;
        for update in resolved {
            let name = update.dep.as_str();
            let dep = match &update.profile {
                None => &mut doc["deps"][name],
                Some(p) => &mut doc["python"][p.as_str()]["deps"][name],
            };
            dep["commit"] = toml_edit::value(update.commit.to_string());
            dep["tree"] = toml_edit::value(update.tree.to_string());
            if let Some(sha) = &update.archive_sha256 {
                dep["archive-sha256"] = toml_edit::value(sha.as_str());
            }
        }
        crate::fsutil::write_through(&self.path, doc.to_string().as_bytes()).map_err(|source| {
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
        if crate::redact::url(url) != *url {
            return Err(ConfigError::Parse {
                path: path.to_owned(),
                message: "[cache] remote holds credentials; remove them and set the backend's \
                          environment variables (e.g. AWS_ACCESS_KEY_ID) instead"
                    .into(),
            });
        }
    }
    let invalid = |message: String| ConfigError::Parse {
        path: path.to_owned(),
        message,
    };
    let mode = match raw.mode.as_deref() {
        None => None,
        Some("read") => Some(crate::cache::remote::RemoteMode::Read),
        Some("read-write") => Some(crate::cache::remote::RemoteMode::ReadWrite),
        Some(other) => {
            return Err(invalid(format!(
                "[cache] mode `{}` is not `read` or `read-write`",
                other.escape_debug()
            )))
        }
    };
    let max_object_size = match &raw.max_object_size {
        None => None,
        Some(toml::Value::Integer(n)) if *n > 0 => Some(*n as u64),
        Some(toml::Value::String(text)) => Some(
            crate::cache::remote::parse_size(text).map_err(|source| ConfigError::Size {
                path: path.to_owned(),
                source,
            })?,
        ),
        Some(other) => {
            return Err(invalid(format!(
                "[cache] max-object-size `{other}` is not a positive size (e.g. 268435456 or \"256MiB\")"
            )))
        }
    };
    let trusted_keys = raw
        .trusted_keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            crate::cache::remote::PublicKey::parse(key, &format!("[cache] trusted-keys[{i}]"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| ConfigError::Key {
            path: path.to_owned(),
            source,
        })?;
    Ok(CacheSettings {
        remote: raw.remote,
        mode,
        max_object_size,
        trusted_keys,
    })
}

/// The table a pin lives in, as written in the file: `deps.zlib`, `python."3.14".deps.zstd`.
fn table_name(profile: Option<&str>, dep: &str) -> String {
    match profile {
        None => format!("deps.{dep}"),
        Some(p) => format!("python.\"{p}\".deps.{dep}"),
    }
}

fn parse_sdk(path: &Path, raw: RawSdk) -> Result<SdkSettings, ConfigError> {
    check_download(raw.url.as_deref(), raw.sha256.as_deref(), "", |message| {
        ConfigError::Parse {
            path: path.to_owned(),
            message: format!("[sdk] {message}"),
        }
    })?;
    Ok(SdkSettings {
        version: raw.version,
        target: raw.target,
        url: raw.url,
        sha256: raw.sha256.map(|s| s.to_ascii_lowercase()),
    })
}

/// The SDK download keys (`url`/`sha256`, in profiles `sdk-url`/`sdk-sha256`): a
/// URL with a scheme, and 64 hex digits.
/// `invalid` makes the error from what is wrong.
fn check_download(
    url: Option<&str>,
    sha256: Option<&str>,
    prefix: &str,
    invalid: impl Fn(String) -> ConfigError,
) -> Result<(), ConfigError> {
    if let Some(url) = url.filter(|u| !u.contains("://") || u.contains(char::is_whitespace)) {
        return Err(invalid(format!("{prefix}url `{url}` is not a URL (e.g. https://host/wasi-sdk-25.0-x86_64-linux.tar.gz)")));
    }
    if let Some(sha) = sha256.filter(|s| !crate::sdk::releases::is_sha256(s)) {
        return Err(invalid(format!(
            "{prefix}sha256 `{sha}` is not a sha256 (64 hex digits)"
        )));
    }
    Ok(())
}

/// A profile name: a Python version such as `3.14` (letters, digits, `.`, `-`, `_`).
fn is_profile_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn parse_profile(path: &Path, name: &str, raw: RawProfile) -> Result<Profile, ConfigError> {
    if !is_profile_name(name) {
        return Err(ConfigError::InvalidProfile {
            path: path.to_owned(),
            name: name.to_owned(),
            message: "a profile name (a Python version such as `3.14`) may hold only letters, digits, `.`, `-` and `_`, and starts with a letter or digit".into(),
        });
    }
    let invalid = |message: String| ConfigError::InvalidProfile {
        path: path.to_owned(),
        name: name.to_owned(),
        message,
    };
    check_download(
        raw.sdk_url.as_deref(),
        raw.sdk_sha256.as_deref(),
        "sdk-",
        invalid,
    )?;
    Ok(Profile {
        sdk: SdkSettings {
            version: raw.sdk,
            target: raw.target,
            url: raw.sdk_url,
            sha256: raw.sdk_sha256.map(|s| s.to_ascii_lowercase()),
        },
        deps: parse_deps(path, Some(name), raw.deps)?,
    })
}

fn parse_deps(
    path: &Path,
    profile: Option<&str>,
    raw: BTreeMap<String, RawDep>,
) -> Result<BTreeMap<String, DepPin>, ConfigError> {
    raw.into_iter()
        .map(|(name, dep)| {
            let pin = parse_dep(path, profile, &name, dep)?;
            Ok((name, pin))
        })
        .collect()
}

/// A pin's commit and tree, each when given.
fn parse_ids(
    commit: Option<&str>,
    tree: Option<&str>,
) -> Result<(Option<CommitId>, Option<TreeId>), crate::gitref::BadRef> {
    let commit = commit.map(CommitId::parse).transpose()?;
    Ok((commit, tree.map(TreeId::parse).transpose()?))
}

fn parse_dep(
    path: &Path,
    profile: Option<&str>,
    name: &str,
    dep: RawDep,
) -> Result<DepPin, ConfigError> {
    let invalid = |message: String| ConfigError::InvalidDep {
        path: path.to_owned(),
        table: table_name(profile, name),
        message,
    };
    if !crate::names::is_dep_name(name) {
        return Err(invalid(
            "a dependency name may hold only letters, digits, `-` and `_`".into(),
        ));
    }
    let bad_ref = |source| ConfigError::BadRef {
        path: path.to_owned(),
        table: table_name(profile, name),
        source,
    };
    let tag = TagName::parse(&dep.tag).map_err(bad_ref)?;
    let archive_sha256 = parse_archive_sha256(dep.archive_sha256, &invalid)?;
    let (commit, tree) = parse_ids(dep.commit.as_deref(), dep.tree.as_deref()).map_err(bad_ref)?;
    if tree.is_some() && commit.is_none() {
        return Err(invalid(
            "a tree is pinned without a commit; run `wasi-externals lock`".into(),
        ));
    }
    Ok(DepPin {
        name: name.to_owned(),
        tag,
        commit,
        tree,
        license: dep.license,
        archive_sha256,
        profile: profile.map(str::to_owned),
    })
}

/// A pinned `archive-sha256`: 64 hex digits (kept in lower case), if given.
fn parse_archive_sha256(
    value: Option<String>,
    invalid: &dyn Fn(String) -> ConfigError,
) -> Result<Option<String>, ConfigError> {
    value
        .map(|sha| {
            if sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(sha.to_ascii_lowercase())
            } else {
                Err(invalid(format!(
                    "archive-sha256 `{sha}` must be 64 hex digits (the sha256 of GitHub's tag archive)"
                )))
            }
        })
        .transpose()
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
        assert_eq!(version_of_tag("zlib-ng-2.2.4"), "2.2.4");
    }

    #[test]
    fn projects_come_from_tags() {
        assert_eq!(project_of_tag("zlib-ng-2.2.4"), "zlib-ng");
        assert_eq!(project_of_tag("zlib-1.3.1"), "zlib");
        assert_eq!(project_of_tag("sqlite-3.49.1.0"), "sqlite");
        assert_eq!(project_of_tag("wasi-thing-2.0"), "wasi-thing");
        assert_eq!(project_of_tag("noversion"), "noversion");
        assert_eq!(project_of_tag("trailing-"), "trailing-");
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

    const PROFILES: &str = "[python.\"3.14\"]\nsdk = 25\ntarget = \"wasm32-wasip1\"\n\
        [python.\"3.14\".deps.zstd]\ntag = \"zstd-1.5.7\"\n\
        [python.\"3.14\".deps.zlib]\ntag = \"zlib-1.3.2\"\n";

    #[test]
    fn a_profile_lays_its_sdk_and_pins_over_the_top_level() {
        let text = format!("{MINIMAL}{PROFILES}");
        let config = Config::parse(Path::new("deps.toml"), &text).unwrap();
        assert_eq!(config.deps.len(), 1, "the top level is unchanged");
        let py = config.for_python("3.14").unwrap();
        assert_eq!(
            (py.sdk.version, py.sdk.target.as_str()),
            (25, "wasm32-wasip1")
        );
        assert_eq!(py.deps["zlib"].tag, "zlib-1.3.2");
        assert_eq!(py.deps["zstd"].profile.as_deref(), Some("3.14"));
        assert_eq!(py.python.as_deref(), Some("3.14"));
        assert_eq!(config.all_pins().len(), 3);
        let err = config.for_python("3.99").unwrap_err().to_string();
        assert!(err.contains("3.99") && err.contains("3.14"), "{err}");
    }

    #[test]
    fn profiles_are_validated_like_the_top_level() {
        let bad_commit = format!("{MINIMAL}{PROFILES}commit = \"abc\"\n");
        let err = Config::parse(Path::new("deps.toml"), &bad_commit)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[python.\"3.14\".deps.zlib]") && err.contains("40-digit"),
            "{err}"
        );
        let unknown_key = format!(
            "{MINIMAL}[python.\"3.14\"]\nsdk = 25\ntarget = \"wasm32-wasip1\"\nwasi-sdk = 1\n"
        );
        let err = Config::parse(Path::new("deps.toml"), &unknown_key)
            .unwrap_err()
            .to_string();
        assert!(err.contains("wasi-sdk") && err.contains("line 9"), "{err}");
        let bad_name =
            format!("{MINIMAL}[python.\"../x\"]\nsdk = 25\ntarget = \"wasm32-wasip1\"\n");
        let err = Config::parse(Path::new("deps.toml"), &bad_name)
            .unwrap_err()
            .to_string();
        assert!(err.contains("profile name"), "{err}");
    }
}
