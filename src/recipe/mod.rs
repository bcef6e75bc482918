//! `recipes/<dep>.toml`: how one dependency is built, as data.
//!
//! A recipe names a build style the tool knows (`configure`, `make`,
//! `amalgamation`, `unsupported`) and the flags, files and pkg-config
//! metadata around it. Version-specific needs are `[[quirks]]` selected by
//! version globs, so a new version of a known style needs no Rust change.
//!
//! Another project can stand in for a dep: `[deps.zlib] tag = "zlib-ng-2.2.4"`
//! holds zlib-ng, a different code base with its own build and versions. Such a
//! tag gets the recipe named after its project (`recipes/zlib-ng.toml`), which
//! says in `[package] stands-in-for` which deps it may replace; its quirks
//! then match zlib-ng's versions, never zlib's.

mod book;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::names::{is_identifier, ModuleName, VarName};
use crate::relpath::NormalPath;

pub use book::{Origin, Patch, PatchError, RecipeBook};

/// Why a recipe could not be found, read or accepted.
#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    /// No built-in recipe and no overlay file for the dependency.
    #[error(
        "no recipe for `{dep}`: it is not built in ({}){}",
        .builtin.join(", "),
        .overlay.as_ref().map_or_else(
            String::new,
            |dir| format!(" and {} does not exist", dir.join(format!("{dep}.toml")).display()),
        )
    )]
    Missing {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The recipe overlay folder, if one is configured.
        overlay: Option<PathBuf>,
        /// The deps with a built-in recipe.
        builtin: Vec<&'static str>,
    },
    /// A configured overlay folder does not exist.
    #[error("the {what} overlay folder {} does not exist", .path.display())]
    NoOverlay {
        /// `recipes` or `patches`.
        what: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
    },
    /// An overlay file cannot be read.
    #[error("cannot read {}", .path.display())]
    Read {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A tag holds another project, whose recipe may not replace this dep.
    #[error(
        "`[deps.{dep}]` pins tag `{tag}`, which holds {project}; the {origin} recipe for {project} stands in for {} only",
        if .stands_in_for.is_empty() { "no other dep".to_owned() } else { .stands_in_for.join(", ") }
    )]
    NotAStandIn {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The tag it pins.
        tag: crate::gitref::TagName,
        /// The project the tag holds (and the recipe's name).
        project: String,
        /// Where that recipe came from.
        origin: Origin,
        /// The deps that recipe may replace.
        stands_in_for: Vec<String>,
    },
    /// The recipe is not TOML of a recipe's shape.
    #[error("the {origin} recipe is not valid: {}{}", .section.as_ref().map_or_else(String::new, |s| format!("in [{s}]: ")), .source.to_string().trim_end())]
    Toml {
        /// Where the recipe came from.
        origin: Origin,
        /// The table whose settings are wrong, if it is one.
        section: Option<&'static str>,
        /// The TOML parser's error.
        #[source]
        source: toml::de::Error,
    },
    /// The recipe does not parse or fails validation.
    #[error("the {origin} recipe is not valid: {message}")]
    Invalid {
        /// Where the recipe came from.
        origin: Origin,
        /// What is wrong with it.
        message: String,
    },
}

impl RecipeError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            RecipeError::Missing { .. } => Code::RecipeMissing,
            RecipeError::NoOverlay { .. } => Code::OverlayMissing,
            RecipeError::Read { .. } => Code::OverlayRead,
            RecipeError::NotAStandIn { .. }
            | RecipeError::Toml { .. }
            | RecipeError::Invalid { .. } => Code::RecipeInvalid,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            RecipeError::Missing { overlay: None, .. } => {
                Some("add one with `recipes = \"DIR\"` in deps.toml or --recipes DIR".into())
            }
            RecipeError::NotAStandIn { dep, project, .. } => Some(format!(
                "pin a {dep} tag, or add `{dep}` to `[package] stands-in-for` in an overlay of recipes/{project}.toml"
            )),
            RecipeError::Missing { .. }
            | RecipeError::NoOverlay { .. }
            | RecipeError::Read { .. }
            | RecipeError::Toml { .. }
            | RecipeError::Invalid { .. } => None,
        }
    }
}

/// A recipe as written, plus the bytes it came from (they are part of the build's identity).
#[derive(Debug, Clone)]
pub struct Recipe {
    /// The recipe's name: its file name without `.toml` (`zlib`, `zlib-ng`);
    /// its patches are in `patches/<name>/`.
    pub name: String,
    /// Built in, or the overlay file it was read from.
    pub origin: Origin,
    /// The recipe as written (what the build key hashes).
    pub text: String,
    /// The `[package]` table: pkg-config module, license, CPython variable.
    pub package: Package,
    style: Style,
    settings: Settings,
    install: Vec<Install>,
    pkg_config: PkgConfig,
    quirks: Vec<Quirk>,
}

/// What CPython sees of a dependency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// Prefix of CPython's configure variables (`ZLIB` → `ZLIB_CFLAGS`, `ZLIB_LIBS`).
    pub cpython_variable: Option<VarName>,
    /// The pkg-config module CPython's configure asks for.
    pub pkg_config: ModuleName,
    /// SPDX license id of the upstream project.
    pub license: Option<String>,
    /// The deps whose tags this recipe's project may replace (zlib-ng: `zlib`),
    /// when it is not a dep of its own name.
    #[serde(default)]
    pub stands_in_for: Vec<String>,
}

/// `[build]` as written: its own keys, and every other key for [`Settings`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawBuild {
    style: StyleName,
    reason: Option<String>,
    #[serde(default)]
    install: Vec<Install>,
    #[serde(default)]
    sources: Vec<String>,
    library: Option<String>,
    pkg_config: Option<PkgConfig>,
    /// Style `configure`: the program and leading arguments that configure
    /// (default `./configure`; OpenSSL's is `perl Configure`).
    configure_command: Option<Vec<String>>,
    /// Style `configure`: the make targets that install under DESTDIR (default `install`).
    install_targets: Option<Vec<String>>,
    /// Parsed into [`Settings`], which refuses unknown keys (serde's `flatten` cannot).
    #[serde(flatten)]
    settings: toml::Table,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum StyleName {
    Configure,
    Make,
    Amalgamation,
    Unsupported,
}

/// Settings that quirks may extend.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
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
    /// Files to copy, relative to the build tree.
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

/// A `.pc` file to write when upstream installs none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratedPc {
    /// `Description:` of the generated `.pc` file.
    pub description: String,
    /// `Libs:` of the generated `.pc` file.
    pub libs: String,
    /// `Cflags:` of the generated `.pc` file.
    #[serde(default)]
    pub cflags: String,
}

/// A quirk as written: its own keys, and every other key for [`Settings`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawQuirk {
    versions: Vec<String>,
    license: Option<String>,
    /// Why the quirk exists: for people, not used by the build.
    #[serde(rename = "why")]
    _why: Option<String>,
    #[serde(flatten)]
    settings: toml::Table,
}

/// Version-specific additions, e.g. a patch that only old releases need.
#[derive(Debug, Clone)]
struct Quirk {
    /// Globs over the version (`5.2.*`, `3.40.1.0`).
    versions: Vec<String>,
    /// The license of these versions, when it differs from `[package] license`.
    license: Option<String>,
    settings: Settings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecipe {
    package: Package,
    build: RawBuild,
    #[serde(default)]
    quirks: Vec<RawQuirk>,
}

/// How a dependency builds, with the quirks for one version applied.
#[derive(Debug, Clone)]
pub enum Style {
    /// `COMMAND ARGS && make TARGETS && make INSTALL-TARGETS DESTDIR=…`.
    Configure {
        /// The program and its leading arguments, e.g. `./configure` or `perl Configure`.
        command: Vec<String>,
        /// What `make` installs with, e.g. `install` or OpenSSL's `install_dev`.
        install_targets: Vec<String>,
    },
    /// `make VARS TARGETS`, then copy `install` files.
    Make,
    /// Compile `sources` into `library`, then copy `install` files.
    Amalgamation {
        /// C files to compile, relative to the source tree.
        sources: Vec<String>,
        /// The static library to write, e.g. `libsqlite3.a`.
        library: String,
    },
    /// Cannot be built for WASI; `reason` says why.
    Unsupported {
        /// Why it cannot be built for WASI.
        reason: String,
    },
}

/// A recipe resolved for one version: everything a builder needs.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    /// How it builds.
    pub style: Style,
    /// Flags, defines, environment and patches, with the quirks applied.
    pub settings: Settings,
    /// Files to copy into the output.
    pub install: Vec<Install>,
    /// The pkg-config file CPython looks for.
    pub pkg_config: PkgConfig,
    /// SPDX license expression of this version.
    pub license: Option<String>,
}

impl Recipe {
    /// Parse and validate a recipe's text.
    pub fn parse(origin: Origin, text: String) -> Result<Recipe, RecipeError> {
        let invalid = |message: String| RecipeError::Invalid {
            origin: origin.clone(),
            message,
        };
        let toml_error = |section, source| RecipeError::Toml {
            origin: origin.clone(),
            section,
            source,
        };
        let raw: RawRecipe = toml::from_str(&text).map_err(|e| toml_error(None, e))?;
        let settings = |table: toml::Table, section: &'static str| {
            table
                .try_into::<Settings>()
                .map_err(|e| toml_error(Some(section), e))
        };
        let quirks = raw
            .quirks
            .into_iter()
            .map(|q| {
                Ok(Quirk {
                    versions: q.versions,
                    license: q.license,
                    settings: settings(q.settings, "[quirks]")?,
                })
            })
            .collect::<Result<Vec<_>, RecipeError>>()?;
        let build = raw.build;
        let recipe = Recipe {
            name: String::new(),
            style: style_of(&build, &invalid)?,
            settings: settings(build.settings, "build")?,
            install: build.install,
            pkg_config: build.pkg_config.unwrap_or_default(),
            package: raw.package,
            quirks,
            origin: origin.clone(),
            text,
        };
        recipe.validate(&invalid)?;
        Ok(recipe)
    }

    /// The same recipe, named `name` (its file name without `.toml`).
    pub(crate) fn named(mut self, name: &str) -> Recipe {
        name.clone_into(&mut self.name);
        self
    }

    /// Patch file names the recipe refers to for any version.
    pub fn all_patches(&self) -> impl Iterator<Item = &str> {
        self.settings
            .patches
            .iter()
            .chain(self.quirks.iter().flat_map(|q| q.settings.patches.iter()))
            .map(String::as_str)
    }

    /// The recipe with the quirks matching `version` folded in.
    pub fn plan_for(&self, version: &str) -> BuildPlan {
        let mut settings = self.settings.clone();
        let mut license = self.package.license.clone();
        for quirk in self
            .quirks
            .iter()
            .filter(|q| q.versions.iter().any(|g| glob_match(g, version)))
        {
            if quirk.license.is_some() {
                license.clone_from(&quirk.license);
            }
            settings.extend(quirk.settings.clone());
        }
        BuildPlan {
            style: self.style.clone(),
            settings,
            install: self.install.clone(),
            pkg_config: self.pkg_config.clone(),
            license,
        }
    }

    /// What consumers of the static library must link besides it (`Libs.private`),
    /// e.g. the SDK's `-lwasi-emulated-signal`: `doctor` checks the sysroot has them.
    pub fn libs_private(&self) -> &[String] {
        &self.pkg_config.libs_private
    }

    /// Why this dependency cannot be built, if it cannot.
    pub fn unsupported_reason(&self) -> Option<&str> {
        match &self.style {
            Style::Unsupported { reason } => Some(reason),
            _ => None,
        }
    }
}

/// The build style with the data it needs, or why the recipe lacks it.
fn style_of(build: &RawBuild, invalid: Invalid) -> Result<Style, RecipeError> {
    if build.style != StyleName::Configure
        && (build.configure_command.is_some() || build.install_targets.is_some())
    {
        return Err(invalid(
            "`configure-command` and `install-targets` are for style `configure`".into(),
        ));
    }
    Ok(match build.style {
        StyleName::Configure => Style::Configure {
            command: configure_command(build.configure_command.as_deref(), invalid)?,
            install_targets: install_targets(build.install_targets.as_deref(), invalid)?,
        },
        StyleName::Make if build.install.is_empty() => {
            return Err(invalid(
                "style `make` needs `[[build.install]]` entries".into(),
            ))
        }
        StyleName::Make => Style::Make,
        StyleName::Amalgamation => match (&build.library, build.sources.is_empty()) {
            (Some(library), false) => Style::Amalgamation {
                sources: build.sources.clone(),
                library: library.clone(),
            },
            _ => {
                return Err(invalid(
                    "style `amalgamation` needs `sources` and `library`".into(),
                ))
            }
        },
        StyleName::Unsupported => match &build.reason {
            Some(reason) => Style::Unsupported {
                reason: reason.clone(),
            },
            None => return Err(invalid("style `unsupported` needs a `reason`".into())),
        },
    })
}

/// The configure command: a program found on `PATH` (a plain name) or a script
/// inside the tree (`./path`), then arguments that are paths inside the tree.
fn configure_command(
    command: Option<&[String]>,
    invalid: Invalid,
) -> Result<Vec<String>, RecipeError> {
    let Some(command) = command else {
        return Ok(vec!["./configure".to_owned()]);
    };
    let Some((program, args)) = command.split_first() else {
        return Err(invalid("`configure-command` must name a program".into()));
    };
    let safe = |p: &str| {
        !p.is_empty()
            && !p.starts_with('-')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.+-/".contains(c))
    };
    let in_tree = |p: &str| safe(p) && NormalPath::parse(p.strip_prefix("./").unwrap_or(p)).is_ok();
    let on_path = safe(program) && !program.contains('/');
    if !(on_path || (program.starts_with("./") && in_tree(program))) {
        return Err(invalid(format!(
            "configure-command program `{program}` must be a plain name (found on PATH) or `./path` inside the source tree"
        )));
    }
    if let Some(bad) = args.iter().find(|a| !in_tree(a)) {
        return Err(invalid(format!(
            "configure-command argument `{bad}` must be a path inside the source tree"
        )));
    }
    Ok(command.to_vec())
}

/// The make targets that install: plain target names.
fn install_targets(
    targets: Option<&[String]>,
    invalid: Invalid,
) -> Result<Vec<String>, RecipeError> {
    let Some(targets) = targets else {
        return Ok(vec!["install".to_owned()]);
    };
    let target_name = |t: &str| {
        !t.is_empty()
            && !t.starts_with('-')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    };
    match targets.iter().find(|t| !target_name(t)) {
        _ if targets.is_empty() => Err(invalid("`install-targets` must name a target".into())),
        Some(bad) => Err(invalid(format!(
            "install target `{bad}` must be a make target name (letters, digits, `_.-`)"
        ))),
        None => Ok(targets.to_vec()),
    }
}

/// `*` matches any run of characters, everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => text.strip_prefix(head).is_some_and(|rest| {
            rest.char_indices()
                .map(|(i, _)| i)
                .chain([rest.len()])
                .any(|i| glob_match(tail, &rest[i..]))
        }),
    }
}

/// Makes [`RecipeError::Invalid`] from what is wrong (the recipe's origin is known where it is made).
type Invalid<'a> = &'a dyn Fn(String) -> RecipeError;

impl Recipe {
    /// Refuse values that would reach a shell unquoted or a path outside its folder.
    fn validate(&self, invalid: Invalid) -> Result<(), RecipeError> {
        // `[package]` names are checked as they are parsed (VarName, ModuleName).
        for install in &self.install {
            if install.to.split('/').next() != Some("include")
                && install.to.split('/').next() != Some("lib")
                || NormalPath::parse(&install.to).is_err()
            {
                return Err(invalid(format!(
                    "install `to = \"{}\"` must be `include` or `lib` or a folder below them",
                    install.to
                )));
            }
        }
        let (sources, library): (&[String], Option<&String>) = match &self.style {
            Style::Amalgamation { sources, library } => (sources, Some(library)),
            _ => (&[], None),
        };
        let paths = self
            .install
            .iter()
            .flat_map(|i| &i.files)
            .chain(sources)
            .chain(library);
        if let Some(bad) = paths.clone().find(|p| NormalPath::parse(p).is_err()) {
            return Err(invalid(format!(
                "`{bad}` must be a relative path inside the source tree"
            )));
        }
        let settings =
            std::iter::once(&self.settings).chain(self.quirks.iter().map(|q| &q.settings));
        for settings in settings {
            settings.validate(invalid)?;
        }
        Ok(())
    }
}

impl Settings {
    /// Add a quirk's settings. Destructured, so a new setting cannot be forgotten here.
    fn extend(&mut self, extra: Settings) {
        let Settings {
            configure_args,
            make_vars,
            make_targets,
            cflags,
            defines,
            env,
            replace_config_sub,
            patches,
        } = extra;
        self.configure_args.extend(configure_args);
        self.make_vars.extend(make_vars);
        self.make_targets.extend(make_targets);
        self.cflags.extend(cflags);
        self.defines.extend(defines);
        self.env.extend(env);
        self.replace_config_sub.extend(replace_config_sub);
        self.patches.extend(patches);
    }

    fn validate(&self, invalid: Invalid) -> Result<(), RecipeError> {
        let names = self.make_vars.keys().chain(self.env.keys());
        if let Some(bad) = names.clone().find(|k| !is_identifier(k)) {
            return Err(invalid(format!(
                "`{bad}` is not a variable name ([A-Za-z_][A-Za-z0-9_]*)"
            )));
        }
        let define_names = self
            .defines
            .iter()
            .map(|d| d.split_once('=').map_or(d.as_str(), |(n, _)| n));
        if let Some(bad) = define_names.clone().find(|n| !is_identifier(n)) {
            return Err(invalid(format!("define `{bad}` is not a macro name")));
        }
        let flags = self.cflags.iter().chain(&self.defines);
        if let Some(bad) = flags.clone().find(|f| f.contains(char::is_whitespace)) {
            return Err(invalid(format!(
                "flag `{bad}` holds white space; configure and make split flags on it"
            )));
        }
        if let Some(bad) = self
            .replace_config_sub
            .iter()
            .find(|p| NormalPath::parse(p).is_err())
        {
            return Err(invalid(format!(
                "`{bad}` must be a relative path inside the source tree"
            )));
        }
        if let Some(bad) = self
            .patches
            .iter()
            .find(|p| p.contains('/') || NormalPath::parse(p).is_err())
        {
            return Err(invalid(format!(
                "patch `{bad}` must be a file name in patches/<dep>/"
            )));
        }
        Ok(())
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
        let recipe = Recipe::parse(Origin::BuiltIn, text.into()).unwrap();
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
        let err = Recipe::parse(Origin::BuiltIn, text.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `configure-arg`"), "{err}");
    }

    #[test]
    fn globs_take_any_unicode_version_without_panicking() {
        assert!(!glob_match("5.4.*", "5.4é"));
        assert!(glob_match("5.4*", "5.4.1é"));
        assert!(glob_match("*é", "5.4.1é"));
        assert!(!glob_match("*.1", "ü"));
    }

    #[test]
    fn values_that_reach_a_shell_or_leave_their_folder_are_refused() {
        let base = "[package]\npkg-config = \"zlib\"\n";
        let cases = [
            ("cpython-variable = \"X;touch owned;Y\"\n[build]\nstyle = \"configure\"\n", "cpython-variable"),
            ("[build]\nstyle = \"configure\"\n[[build.install]]\nfiles = [\"a.h\"]\nto = \"/abs\"\n", "/abs"),
            ("[build]\nstyle = \"configure\"\n[[build.install]]\nfiles = [\"a.h\"]\nto = \"../../../x\"\n", "../../../x"),
            ("[build]\nstyle = \"configure\"\n[[build.install]]\nfiles = [\"../../../etc/hostname\"]\nto = \"include\"\n", "etc/hostname"),
            ("[build]\nstyle = \"configure\"\n[[build.install]]\nfiles = [\"..\"]\nto = \"lib\"\n", "`..`"),
            ("[build]\nstyle = \"configure\"\ndefines = [\"A=1 2\"]\n", "white space"),
            ("[build]\nstyle = \"configure\"\nenv = { \"A;B\" = \"1\" }\n", "A;B"),
            ("[build]\nstyle = \"configure\"\n[[quirks]]\nversions = [\"*\"]\npatches = [\"../x.patch\"]\n", "../x.patch"),
        ];
        for (rest, needle) in cases {
            let err = Recipe::parse(Origin::BuiltIn, format!("{base}{rest}"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{rest}: {err}");
        }
        let err = Recipe::parse(
            Origin::BuiltIn,
            "[package]\npkg-config = \"/abs\"\n[build]\nstyle = \"configure\"\n".into(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("pkg-config"), "{err}");
    }

    #[test]
    fn configure_command_and_install_targets_are_checked() {
        let base = "[package]\npkg-config = \"openssl\"\n[build]\n";
        let parse = |rest: &str| Recipe::parse(Origin::BuiltIn, format!("{base}{rest}"));
        let recipe = parse(
            "style = \"configure\"\nconfigure-command = [\"perl\", \"Configure\"]\ninstall-targets = [\"install_dev\"]\n",
        )
        .unwrap();
        match recipe.plan_for("3.0.20").style {
            Style::Configure {
                command,
                install_targets,
            } => {
                assert_eq!(command, ["perl", "Configure"]);
                assert_eq!(install_targets, ["install_dev"]);
            }
            other => panic!("{other:?}"),
        }
        match parse("style = \"configure\"\n").unwrap().style {
            Style::Configure {
                command,
                install_targets,
            } => assert_eq!(
                (command, install_targets),
                (vec!["./configure".to_owned()], vec!["install".to_owned()])
            ),
            other => panic!("{other:?}"),
        }
        let cases = [
            ("configure-command = []", "must name a program"),
            (
                "configure-command = [\"/usr/bin/perl\", \"Configure\"]",
                "/usr/bin/perl",
            ),
            ("configure-command = [\"perl;rm\"]", "perl;rm"),
            ("configure-command = [\"./../x\"]", "./../x"),
            (
                "configure-command = [\"perl\", \"../Configure\"]",
                "../Configure",
            ),
            ("configure-command = [\"perl\", \"-e\"]", "`-e`"),
            ("install-targets = []", "must name a target"),
            (
                "install-targets = [\"install DESTDIR=/\"]",
                "install DESTDIR=/",
            ),
        ];
        for (line, needle) in cases {
            let err = parse(&format!("style = \"configure\"\n{line}\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{line}: {err}");
        }
        let err = parse("style = \"make\"\ninstall-targets = [\"install\"]\n[[build.install]]\nfiles = [\"a.h\"]\nto = \"include\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("for style `configure`"), "{err}");
    }

    #[test]
    fn unsupported_needs_a_reason() {
        let text = "[package]\npkg-config = \"libffi\"\n[build]\nstyle = \"unsupported\"\n";
        let err = Recipe::parse(Origin::BuiltIn, text.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("reason"), "{err}");
    }
}
