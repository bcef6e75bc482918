//! The plan: for each dependency, what identifies its build and what must happen.
//!
//! Pure: computed from the config, the recipes, the patches and the SDK's
//! identity. `build --dry-run` prints it; `build` executes it.

use serde::Serialize;

use crate::cache::Cache;
use crate::config::{Config, DepPin};
use crate::key::BuildKey;
use crate::recipe::{BuildPlan, Patch, PatchError, Recipe, RecipeBook, RecipeError};
use crate::sdk::Sdk;

/// Bump when the builders change in a way that changes their output.
pub const BUILD_FORMAT: u32 = 1;

/// Why a build could not be planned.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A recipe is missing or invalid.
    #[error(transparent)]
    Recipe(#[from] RecipeError),
    /// A patch is missing, unreadable or unused.
    #[error(transparent)]
    Patch(#[from] PatchError),
    /// The dependency was named explicitly but cannot be built for WASI.
    #[error("`{dep}` cannot be built for {target}: {reason}")]
    Unsupported {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The WASI target triple, e.g. `wasm32-wasip1`.
        target: String,
        /// The recipe's reason.
        reason: String,
    },
}

impl PlanError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            PlanError::Recipe(e) => e.code(),
            PlanError::Patch(e) => e.code(),
            PlanError::Unsupported { .. } => Code::Unsupported,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            PlanError::Recipe(e) => e.hint(),
            PlanError::Patch(e) => e.hint(),
            PlanError::Unsupported { .. } => None,
        }
    }
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
    /// The dependency as pinned.
    pub pin: DepPin,
    /// Its effective recipe.
    pub recipe: Recipe,
    /// The recipe resolved for this version.
    pub build: BuildPlan,
    /// Patches in application order.
    pub patches: Vec<Patch>,
    /// Hash of everything that can change the output.
    pub key: BuildKey,
    /// What the build will do.
    pub action: Action,
}

impl DepPlan {
    /// Why the action was chosen, for people.
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
    book: &RecipeBook,
    pins: &[&DepPin],
    sdk: &Sdk,
    cache: &Cache,
    named: bool,
) -> Result<Vec<DepPlan>, PlanError> {
    pins.iter()
        .map(|pin| {
            let recipe = book.recipe_for(pin)?;
            if let (Some(reason), true) = (recipe.unsupported_reason(), named) {
                return Err(PlanError::Unsupported {
                    dep: pin.name.clone(),
                    target: config.sdk.target.to_string(),
                    reason: reason.to_owned(),
                });
            }
            let build = recipe.plan_for(pin.version());
            let patches = book.patches(&recipe, &build.settings.patches)?;
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

/// sha256 over the build format, the source, the recipe, the patches, the SDK and the target.
fn build_key(
    pin: &DepPin,
    recipe: &Recipe,
    patches: &[Patch],
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
        "patches": patches.iter().map(|p| (p.name.clone(), crate::fsutil::sha256_bytes(&p.bytes))).collect::<Vec<_>>(),
        "sdk": sdk.identity,
        "target": target,
    });
    let digest = crate::fsutil::sha256_bytes(identity.to_string().as_bytes());
    BuildKey::parse(&digest).unwrap_or_else(|_| unreachable!("a sha256 in hex is a build key"))
}
