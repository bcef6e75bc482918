//! `recipes` and `recipes show`: what would build each dep.

use serde::Serialize;

use crate::config::Config;
use crate::ops::Session;
use crate::plan::PlanError;
use crate::recipe::{Origin, Recipe, RecipeBook};
use crate::Error;

/// One dep's effective recipe.
#[derive(Debug, Serialize)]
pub struct RecipeEntry {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// Built in, or an overlay file (`--json`: `built-in` or the file's path).
    pub origin: Origin,
    /// sha256 of the recipe's bytes: what the build key hashes.
    pub sha256: String,
    /// The tag the config pins, if it pins this dep.
    pub tag: Option<crate::gitref::TagName>,
    /// Why it cannot be built, for `unsupported` recipes.
    pub unsupported: Option<String>,
}

/// Every dep the session's profile pins or a recipe exists for, with its
/// effective recipe's origin and hash; without a deps.toml, the built-in
/// recipes (with the `--recipes` / `--patches` overlays).
pub fn recipes(session: &Session) -> Result<Vec<RecipeEntry>, Error> {
    let config = session.optional_profile()?;
    entries(config, &session.recipe_book()?)
}

/// The recipe entries of `book`, with the tags `config` pins.
pub(super) fn entries(
    config: Option<&Config>,
    book: &RecipeBook,
) -> Result<Vec<RecipeEntry>, Error> {
    let mut deps = book.deps();
    if let Some(config) = config {
        deps.extend(config.deps.keys().cloned());
    }
    deps.into_iter()
        .map(|dep| {
            let pin = config.and_then(|c| c.deps.get(&dep));
            let recipe = match pin {
                Some(pin) => book.recipe_for(pin),
                None => book.recipe(&dep),
            }
            .map_err(PlanError::from)?;
            Ok(RecipeEntry {
                tag: pin.map(|pin| pin.tag.clone()),
                origin: recipe.origin.clone(),
                sha256: crate::fsutil::sha256_bytes(recipe.text.as_bytes()),
                unsupported: recipe.unsupported_reason().map(str::to_owned),
                dep,
            })
        })
        .collect()
}

/// The effective recipe of `dep`, as text and origin.
pub fn recipe(session: &Session, dep: &str) -> Result<Recipe, Error> {
    session.optional_profile()?;
    let book = session.recipe_book()?;
    Ok(book.recipe(dep).map_err(PlanError::from)?)
}
