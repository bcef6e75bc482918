//! The plan: for each dependency, what identifies its build and what must happen.
//!
//! Pure: computed from the config, the recipes, the patches and the SDK's
//! identity. `build --dry-run` prints it; `build` executes it.

use std::path::PathBuf;

use serde::Serialize;

use crate::cache::Cache;
use crate::config::{Config, DepPin};
use crate::key::BuildKey;
use crate::recipe::{BuildPlan, Recipe, RecipeError};
use crate::sdk::Sdk;

/// Bump when the builders change in a way that changes their output.
pub const BUILD_FORMAT: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Recipe(#[from] RecipeError),
    #[error("recipe {recipe} names patch `{patch}`, but {path} does not exist")]
    MissingPatch {
        recipe: PathBuf,
        patch: String,
        path: PathBuf,
    },
    #[error("{path} is not named by recipe {recipe}; list it under `patches` (or a quirk's) or delete it")]
    UnusedPatch { recipe: PathBuf, path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{dep}` cannot be built for {target}: {reason}")]
    Unsupported {
        dep: String,
        target: String,
        reason: String,
    },
}

/// What a build of one dependency will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The cache holds an output with this key: install it, compile nothing.
    UseCached,
    /// Compile it.
    Build,
    /// No WASI port; skipped with the recipe's reason.
    Skip,
}

/// One dependency's planned build.
#[derive(Debug, Clone)]
pub struct DepPlan {
    pub pin: DepPin,
    pub recipe: Recipe,
    pub build: BuildPlan,
    /// Patches in application order: file name and content.
    pub patches: Vec<(String, Vec<u8>)>,
    /// Hash of everything that can change the output.
    pub key: BuildKey,
    pub action: Action,
}

impl DepPlan {
    pub fn reason(&self) -> String {
        match self.action {
            Action::UseCached => format!("cache holds build {}", self.key.short()),
            Action::Build => format!("no cached build {}", self.key.short()),
            Action::Skip => self
                .recipe
                .unsupported_reason()
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

/// Plan the builds of `pins` with `sdk`; `named` is true when the user listed them explicitly.
pub fn plan(
    config: &Config,
    pins: &[&DepPin],
    sdk: &Sdk,
    cache: &Cache,
    named: bool,
) -> Result<Vec<DepPlan>, PlanError> {
    pins.iter()
        .map(|pin| {
            let recipe = Recipe::load(&config.recipes_dir, &pin.name)?;
            if let (Some(reason), true) = (recipe.unsupported_reason(), named) {
                return Err(PlanError::Unsupported {
                    dep: pin.name.clone(),
                    target: config.sdk.target.clone(),
                    reason: reason.to_owned(),
                });
            }
            let build = recipe.plan_for(pin.version());
            let patches = load_patches(config, &recipe, &pin.name, &build.settings.patches)?;
            let key = build_key(pin, &recipe, &patches, sdk, &config.sdk.target);
            let action = if recipe.unsupported_reason().is_some() {
                Action::Skip
            } else if cache.has_build(&key) {
                Action::UseCached
            } else {
                Action::Build
            };
            Ok(DepPlan {
                pin: (*pin).clone(),
                recipe,
                build,
                patches,
                key,
                action,
            })
        })
        .collect()
}

fn load_patches(
    config: &Config,
    recipe: &Recipe,
    dep: &str,
    wanted: &[String],
) -> Result<Vec<(String, Vec<u8>)>, PlanError> {
    let dir = config.patches_dir.join(dep);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".patch") && !recipe.all_patches().any(|p| p == name) {
                return Err(PlanError::UnusedPatch {
                    recipe: recipe.path.clone(),
                    path: entry.path(),
                });
            }
        }
    }
    wanted
        .iter()
        .map(|name| {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => Ok((name.clone(), bytes)),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    Err(PlanError::MissingPatch {
                        recipe: recipe.path.clone(),
                        patch: name.clone(),
                        path,
                    })
                }
                Err(source) => Err(PlanError::Read { path, source }),
            }
        })
        .collect()
}

/// sha256 over the build format, the source, the recipe, the patches, the SDK and the target.
fn build_key(
    pin: &DepPin,
    recipe: &Recipe,
    patches: &[(String, Vec<u8>)],
    sdk: &Sdk,
    target: &str,
) -> BuildKey {
    let (commit, tree) = pin
        .locked()
        .map_or((String::new(), String::new()), |(c, t)| {
            (c.to_string(), t.to_string())
        });
    let identity = serde_json::json!({
        "format": BUILD_FORMAT,
        "dep": pin.name,
        "tag": pin.tag,
        "commit": commit,
        "tree": tree,
        "recipe": crate::fsutil::sha256_bytes(recipe.text.as_bytes()),
        "patches": patches.iter().map(|(name, bytes)| (name.clone(), crate::fsutil::sha256_bytes(bytes))).collect::<Vec<_>>(),
        "sdk": sdk.identity,
        "target": target,
    });
    let digest = crate::fsutil::sha256_bytes(identity.to_string().as_bytes());
    BuildKey::parse(&digest).unwrap_or_else(|_| unreachable!("a sha256 in hex is a build key"))
}
