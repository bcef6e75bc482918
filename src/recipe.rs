//! `recipes/<dep>.toml`: how one dependency is built, as data.
//!
//! A recipe names a build style the tool knows (`configure`, `make`,
//! `amalgamation`, `unsupported`) and the flags, files and pkg-config
//! metadata around it. Version-specific needs are `[[quirks]]` selected by
//! version globs, so a new version of a known style needs no Rust change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    #[error("no recipe for `{dep}`: expected {path}")]
    Missing { dep: String, path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid recipe: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// A recipe as written, plus the bytes it came from (they are part of the build's identity).
#[derive(Debug, Clone)]
pub struct Recipe {
    pub path: PathBuf,
    pub text: String,
    pub package: Package,
    build: BuildSection,
    quirks: Vec<Quirk>,
}

/// What CPython sees of a dependency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// Prefix of CPython's configure variables (`ZLIB` → `ZLIB_CFLAGS`, `ZLIB_LIBS`).
    pub cpython_variable: Option<String>,
    /// The pkg-config module CPython's configure asks for.
    pub pkg_config: String,
    /// SPDX license id of the upstream project.
    pub license: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct BuildSection {
    style: StyleName,
    reason: Option<String>,
    #[serde(flatten)]
    settings: Settings,
    #[serde(default)]
    install: Vec<Install>,
    #[serde(default)]
    sources: Vec<String>,
    library: Option<String>,
    pkg_config: Option<PkgConfig>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum StyleName {
    Configure,
    Make,
    Amalgamation,
    Unsupported,
}

/// The keys of [`Settings`]; serde's `flatten` cannot refuse unknown keys, so we check them.
const SETTINGS_KEYS: &[&str] = &[
    "configure-args",
    "make-vars",
    "make-targets",
    "cflags",
    "defines",
    "env",
    "replace-config-sub",
    "patches",
];

/// Settings that quirks may extend.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Settings {
    /// Arguments for `./configure` (style `configure`).
    #[serde(default)]
    pub configure_args: Vec<String>,
    /// Variables for `make` (`NAME=value` arguments).
    #[serde(default)]
    pub make_vars: BTreeMap<String, String>,
    /// Targets for the build `make`; empty means the default target.
    #[serde(default)]
    pub make_targets: Vec<String>,
    /// Extra compiler flags, after the tool's own.
    #[serde(default)]
    pub cflags: Vec<String>,
    /// Preprocessor defines (`NAME` or `NAME=value`).
    #[serde(default)]
    pub defines: Vec<String>,
    /// Extra environment for every step.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Files in the source tree to replace with the SDK's `share/misc/config.sub`.
    #[serde(default)]
    pub replace_config_sub: Vec<String>,
    /// Patches from `patches/<dep>/`, applied with `patch -p1` in this order.
    #[serde(default)]
    pub patches: Vec<String>,
}

/// Files to copy from the build tree into the installed output.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Install {
    pub files: Vec<String>,
    /// Folder below the prefix: `include` or `lib`.
    pub to: String,
}

/// The pkg-config file CPython looks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PkgConfig {
    /// Write the file (upstream installs none); `Libs:` and `Cflags:` as given.
    pub generate: Option<GeneratedPc>,
    /// Appended to `Libs.private`, e.g. the WASI emulation libraries a static library needs.
    #[serde(default)]
    pub libs_private: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratedPc {
    pub description: String,
    pub libs: String,
    #[serde(default)]
    pub cflags: String,
}

/// Version-specific additions, e.g. a patch that only old releases need.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Quirk {
    /// Globs over the version (`5.2.*`, `3.40.1.0`).
    versions: Vec<String>,
    /// The license of these versions, when it differs from `[package] license`.
    license: Option<String>,
    #[serde(flatten)]
    settings: Settings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecipe {
    package: Package,
    build: BuildSection,
    #[serde(default)]
    quirks: Vec<Quirk>,
}

/// How a dependency builds, with the quirks for one version applied.
#[derive(Debug, Clone)]
pub enum Style {
    /// `./configure ARGS && make && make install DESTDIR=…`.
    Configure,
    /// `make VARS TARGETS`, then copy `install` files.
    Make,
    /// Compile `sources` into `library`, then copy `install` files.
    Amalgamation {
        sources: Vec<String>,
        library: String,
    },
    /// Cannot be built for WASI; `reason` says why.
    Unsupported { reason: String },
}

/// A recipe resolved for one version: everything a builder needs.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    pub style: Style,
    pub settings: Settings,
    pub install: Vec<Install>,
    pub pkg_config: PkgConfig,
    /// SPDX license expression of this version.
    pub license: Option<String>,
}

impl Recipe {
    /// Load `<dir>/<dep>.toml`.
    pub fn load(dir: &Path, dep: &str) -> Result<Recipe, RecipeError> {
        let path = dir.join(format!("{dep}.toml"));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(RecipeError::Missing {
                    dep: dep.to_owned(),
                    path,
                })
            }
            Err(source) => return Err(RecipeError::Read { path, source }),
        };
        Self::parse(path, text)
    }

    pub fn parse(path: PathBuf, text: String) -> Result<Recipe, RecipeError> {
        let invalid = |message: String| RecipeError::Invalid {
            path: path.clone(),
            message,
        };
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| invalid(e.to_string().trim_end().to_owned()))?;
        check_keys(
            &table,
            "build",
            &[
                "style",
                "reason",
                "install",
                "sources",
                "library",
                "pkg-config",
            ],
        )
        .map_err(invalid)?;
        check_keys(&table, "quirks", &["versions", "why", "license"]).map_err(invalid)?;
        let raw: RawRecipe = table
            .try_into()
            .map_err(|e: toml::de::Error| invalid(e.to_string().trim_end().to_owned()))?;
        let build = &raw.build;
        match build.style {
            StyleName::Unsupported if build.reason.is_none() => {
                return Err(invalid("style `unsupported` needs a `reason`".into()))
            }
            StyleName::Amalgamation if build.sources.is_empty() || build.library.is_none() => {
                return Err(invalid(
                    "style `amalgamation` needs `sources` and `library`".into(),
                ))
            }
            StyleName::Make if build.install.is_empty() => {
                return Err(invalid(
                    "style `make` needs `[[build.install]]` entries".into(),
                ))
            }
            _ => {}
        }
        Ok(Recipe {
            path,
            text,
            package: raw.package,
            build: raw.build,
            quirks: raw.quirks,
        })
    }

    /// Patch file names the recipe refers to for any version.
    pub fn all_patches(&self) -> impl Iterator<Item = &str> {
        self.build
            .settings
            .patches
            .iter()
            .chain(self.quirks.iter().flat_map(|q| q.settings.patches.iter()))
            .map(String::as_str)
    }

    /// The recipe with the quirks matching `version` folded in.
    pub fn plan_for(&self, version: &str) -> BuildPlan {
        let mut settings = self.build.settings.clone();
        let mut license = self.package.license.clone();
        for quirk in self
            .quirks
            .iter()
            .filter(|q| q.versions.iter().any(|g| glob_match(g, version)))
        {
            if quirk.license.is_some() {
                license.clone_from(&quirk.license);
            }
            let extra = &quirk.settings;
            settings
                .configure_args
                .extend(extra.configure_args.iter().cloned());
            settings.make_vars.extend(extra.make_vars.clone());
            settings
                .make_targets
                .extend(extra.make_targets.iter().cloned());
            settings.cflags.extend(extra.cflags.iter().cloned());
            settings.defines.extend(extra.defines.iter().cloned());
            settings.env.extend(extra.env.clone());
            settings
                .replace_config_sub
                .extend(extra.replace_config_sub.iter().cloned());
            settings.patches.extend(extra.patches.iter().cloned());
        }
        let style = match self.build.style {
            StyleName::Configure => Style::Configure,
            StyleName::Make => Style::Make,
            StyleName::Amalgamation => Style::Amalgamation {
                sources: self.build.sources.clone(),
                library: self.build.library.clone().expect("validated"),
            },
            StyleName::Unsupported => Style::Unsupported {
                reason: self.build.reason.clone().expect("validated"),
            },
        };
        BuildPlan {
            style,
            settings,
            install: self.build.install.clone(),
            pkg_config: self.build.pkg_config.clone().unwrap_or_default(),
            license,
        }
    }

    /// Why this dependency cannot be built, if it cannot.
    pub fn unsupported_reason(&self) -> Option<&str> {
        (self.build.style == StyleName::Unsupported)
            .then(|| self.build.reason.as_deref().expect("validated"))
    }
}

/// Refuse keys in `[section]` (or each `[[section]]`) that are neither `own` nor settings.
fn check_keys(table: &toml::Table, section: &str, own: &[&str]) -> Result<(), String> {
    let tables: Vec<&toml::Table> = match table.get(section) {
        Some(toml::Value::Table(t)) => vec![t],
        Some(toml::Value::Array(items)) => items.iter().filter_map(toml::Value::as_table).collect(),
        _ => Vec::new(),
    };
    for t in tables {
        if let Some(key) = t
            .keys()
            .find(|k| !own.contains(&k.as_str()) && !SETTINGS_KEYS.contains(&k.as_str()))
        {
            let mut known: Vec<&str> = own.iter().chain(SETTINGS_KEYS).copied().collect();
            known.sort_unstable();
            return Err(format!(
                "unknown key `{key}` in [{section}]; known keys: {}",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

/// `*` matches any run of characters, everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len())
                    .any(|skip| glob_match(tail, &text[head.len() + skip..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_select_versions() {
        assert!(glob_match("5.2.*", "5.2.5"));
        assert!(!glob_match("5.2.*", "5.4.1"));
        assert!(glob_match("*", "1.0"));
        assert!(glob_match("3.*.1.0", "3.46.1.0"));
        assert!(!glob_match("3.46.1", "3.46.1.0"));
    }

    #[test]
    fn quirks_apply_only_to_matching_versions() {
        let text = r#"
            [package]
            pkg-config = "liblzma"
            [build]
            style = "configure"
            configure-args = ["--disable-shared"]
            [[quirks]]
            versions = ["5.2.*"]
            replace-config-sub = ["build-aux/config.sub"]
        "#;
        let recipe = Recipe::parse("xz.toml".into(), text.into()).unwrap();
        assert_eq!(
            recipe.plan_for("5.2.5").settings.replace_config_sub,
            ["build-aux/config.sub"]
        );
        assert!(recipe
            .plan_for("5.8.1")
            .settings
            .replace_config_sub
            .is_empty());
    }

    #[test]
    fn misspelt_keys_are_refused() {
        let text = "[package]\npkg-config = \"zlib\"\n[build]\nstyle = \"configure\"\nconfigure-arg = []\n";
        let err = Recipe::parse("zlib.toml".into(), text.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown key `configure-arg`"), "{err}");
    }

    #[test]
    fn unsupported_needs_a_reason() {
        let text = "[package]\npkg-config = \"libffi\"\n[build]\nstyle = \"unsupported\"\n";
        let err = Recipe::parse("libffi.toml".into(), text.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("reason"), "{err}");
    }
}
