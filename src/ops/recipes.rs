//! `recipes` and `init`: what would build each dep, and a starter deps.toml.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::plan::PlanError;
use crate::recipe::{Recipe, RecipeBook};
use crate::Error;

/// The shipped pins, with comments: what `init` writes.
pub const STARTER_CONFIG: &str = include_str!("../../deps.toml");

/// One dep's effective recipe.
#[derive(Debug, Serialize)]
pub struct RecipeEntry {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// `built-in`, or the overlay file's path.
    pub origin: String,
    /// sha256 of the recipe's bytes: what the build key hashes.
    pub sha256: String,
    /// The tag the config pins, if it pins this dep.
    pub tag: Option<String>,
    /// Why it cannot be built, for `unsupported` recipes.
    pub unsupported: Option<String>,
}

/// Every dep the config pins or a recipe exists for, with its effective recipe's origin and hash.
pub fn recipes(config: Option<&Config>, book: &RecipeBook) -> Result<Vec<RecipeEntry>, Error> {
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
                origin: recipe.origin.to_string(),
                sha256: crate::fsutil::sha256_bytes(recipe.text.as_bytes()),
                unsupported: recipe.unsupported_reason().map(str::to_owned),
                dep,
            })
        })
        .collect()
}

/// The effective recipe of `dep`, as text and origin.
pub fn recipe(book: &RecipeBook, dep: &str) -> Result<Recipe, Error> {
    Ok(book.recipe(dep).map_err(PlanError::from)?)
}

/// Write the starter deps.toml to `path`; an existing file is kept unless `force`.
pub fn init(path: &Path, force: bool) -> Result<PathBuf, Error> {
    let write_err = |source| Error::WriteOutput {
        path: path.to_owned(),
        source,
    };
    if force {
        crate::fsutil::write_atomically(path, STARTER_CONFIG.as_bytes()).map_err(write_err)?;
    } else {
        // create_new: never overwrite, even a file that appears while we write.
        let mut file = match std::fs::File::create_new(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::ConfigExists {
                    path: path.to_owned(),
                })
            }
            Err(err) => return Err(write_err(err)),
        };
        file.write_all(STARTER_CONFIG.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(write_err)?;
    }
    Ok(std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_parses_and_every_pin_has_a_builtin_recipe() {
        let config = Config::parse(Path::new("deps.toml"), STARTER_CONFIG).unwrap();
        let pythons: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        assert_eq!(pythons, ["3.13", "3.14", "3.15"]);
        let profiles = pythons.iter().map(|p| config.for_python(p).unwrap());
        for config in std::iter::once(config.clone()).chain(profiles) {
            let entries = recipes(Some(&config), &RecipeBook::builtin()).unwrap();
            for pin in config.deps.values() {
                let table = pin.profile.as_deref().unwrap_or("top level");
                assert!(pin.locked().is_some(), "{} ({table}) is pinned", pin.name);
                let entry = entries.iter().find(|e| e.dep == pin.name).unwrap();
                assert_eq!(entry.origin, "built-in");
            }
        }
        let with_zstd = |p: &str| config.for_python(p).unwrap().deps.contains_key("zstd");
        assert!(!with_zstd("3.13") && with_zstd("3.14") && with_zstd("3.15"));
    }
}
