//! Where recipes and patches come from.
//!
//! Every recipe and patch of this repository is compiled into the binary, so a
//! bare `wasi-externals` builds from any folder. Overlay folders (`recipes =` /
//! `patches =` in deps.toml, or `--recipes` / `--patches`) replace them file by
//! file: `<recipes>/<dep>.toml` replaces that dep's recipe, and
//! `<patches>/<dep>/<name>.patch` replaces the built-in patch of that name (or
//! adds one). The build key hashes the effective bytes, wherever they came from.
//!
//! A pin usually gets the recipe of its dep's name. A tag holding another
//! project (`[deps.zlib] tag = "zlib-ng-2.2.4"`) gets that project's recipe
//! (`zlib-ng.toml`) and patches (`patches/zlib-ng/`), when one exists and
//! declares it may stand in for the dep ([`RecipeBook::recipe_for`]).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{Recipe, RecipeError};
use crate::config::DepPin;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_recipes.rs"));
}

/// Where one recipe or patch came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary from the repository's `recipes/` or `patches/`.
    BuiltIn,
    /// A file in an overlay folder.
    Overlay(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::Overlay(path) => write!(f, "{}", path.display()),
        }
    }
}

/// `built-in`, or the overlay file's path, as [`fmt::Display`] spells it.
impl serde::Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One patch as it will be applied: its name, bytes and origin.
#[derive(Debug, Clone)]
pub struct Patch {
    /// The file name, e.g. `wasi-locks.patch`.
    pub name: String,
    /// The patch as it will be applied.
    pub bytes: Vec<u8>,
    /// Built in, or the overlay file.
    pub origin: Origin,
}

/// Patch problems found while resolving a recipe's patches.
#[derive(Debug, thiserror::Error)]
pub enum PatchError {
    /// A recipe names a patch that exists nowhere.
    #[error("recipe {recipe} names patch `{patch}`, but neither {} nor the built-in patches have it", .path.display())]
    Missing {
        /// The recipe concerned.
        recipe: Origin,
        /// The patch name the recipe gives.
        patch: String,
        /// The overlay file concerned.
        path: PathBuf,
    },
    /// An overlay patch that no recipe names (it would be silently ignored).
    #[error("{} is not named by the recipe for `{dep}` ({recipe})", .path.display())]
    Unused {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The recipe concerned.
        recipe: Origin,
        /// The overlay file concerned.
        path: PathBuf,
    },
    /// An overlay patch cannot be read.
    #[error("cannot read {}", .path.display())]
    Read {
        /// The overlay file concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl PatchError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            PatchError::Read { .. } => Code::OverlayRead,
            PatchError::Missing { .. } | PatchError::Unused { .. } => Code::Patch,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            PatchError::Unused { .. } => {
                Some("list it under `patches` (or a quirk's) or delete it".into())
            }
            _ => None,
        }
    }
}

/// The effective recipes and patches: built-ins, replaced by overlay files.
#[derive(Debug, Clone, Default)]
pub struct RecipeBook {
    recipes: Option<PathBuf>,
    patches: Option<PathBuf>,
}

impl RecipeBook {
    /// Built-ins only.
    pub fn builtin() -> RecipeBook {
        RecipeBook::default()
    }

    /// Built-ins, replaced by the files of the overlay folders that are given.
    pub fn with_overlays(
        recipes: Option<PathBuf>,
        patches: Option<PathBuf>,
    ) -> Result<RecipeBook, RecipeError> {
        for (dir, what) in [(&recipes, "recipes"), (&patches, "patches")] {
            if let Some(dir) = dir.as_ref().filter(|d| !d.is_dir()) {
                return Err(RecipeError::NoOverlay {
                    what,
                    path: dir.clone(),
                });
            }
        }
        Ok(RecipeBook { recipes, patches })
    }

    /// The recipe overlay folder, if any.
    pub fn recipes_overlay(&self) -> Option<&Path> {
        self.recipes.as_deref()
    }

    /// Every dep with a recipe: built-in or in the overlay folder.
    pub fn deps(&self) -> BTreeSet<String> {
        let mut deps: BTreeSet<String> = builtin::RECIPES
            .iter()
            .map(|(dep, _)| (*dep).to_owned())
            .collect();
        if let Some(dir) = &self.recipes {
            let files = std::fs::read_dir(dir).into_iter().flatten().flatten();
            deps.extend(files.filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                name.strip_suffix(".toml").map(str::to_owned)
            }));
        }
        deps
    }

    /// The recipe that builds `pin`: the one named after the project its tag
    /// holds when that is not the dep (`zlib-ng-2.2.4` → `zlib-ng`) and such a
    /// recipe exists, which must then list the dep in `stands-in-for`; else the
    /// dep's own recipe.
    pub fn recipe_for(&self, pin: &DepPin) -> Result<Recipe, RecipeError> {
        let project = pin.project();
        if project == pin.name || !self.has_recipe(project) {
            return self.recipe(&pin.name);
        }
        let recipe = self.recipe(project)?;
        if !recipe.package.stands_in_for.contains(&pin.name) {
            return Err(RecipeError::NotAStandIn {
                dep: pin.name.clone(),
                tag: pin.tag.clone(),
                project: project.to_owned(),
                origin: recipe.origin,
                stands_in_for: recipe.package.stands_in_for,
            });
        }
        Ok(recipe)
    }

    /// Whether a recipe named `name` exists (built in or in the overlay folder).
    fn has_recipe(&self, name: &str) -> bool {
        builtin::RECIPES.iter().any(|(n, _)| *n == name)
            || self
                .recipes
                .as_ref()
                .is_some_and(|dir| dir.join(format!("{name}.toml")).exists())
    }

    /// The effective recipe named `dep`: the overlay file if there is one, else the built-in.
    pub fn recipe(&self, dep: &str) -> Result<Recipe, RecipeError> {
        if let Some(dir) = &self.recipes {
            let path = dir.join(format!("{dep}.toml"));
            match std::fs::read_to_string(&path) {
                Ok(text) => return Ok(Recipe::parse(Origin::Overlay(path), text)?.named(dep)),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(RecipeError::Read { path, source }),
            }
        }
        match builtin::RECIPES.iter().find(|(name, _)| *name == dep) {
            Some((_, text)) => Ok(Recipe::parse(Origin::BuiltIn, (*text).to_owned())?.named(dep)),
            None => Err(RecipeError::Missing {
                dep: dep.to_owned(),
                overlay: self.recipes.clone(),
                builtin: builtin::RECIPES.iter().map(|(d, _)| *d).collect(),
            }),
        }
    }

    /// The patches `wanted` by `recipe` (from `patches/<recipe's name>/`), in
    /// order; overlay patches the recipe never names are refused.
    pub fn patches(&self, recipe: &Recipe, wanted: &[String]) -> Result<Vec<Patch>, PatchError> {
        let dep = recipe.name.as_str();
        let overlay = self.patches.as_ref().map(|dir| dir.join(dep));
        if let Some(dir) = &overlay {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".patch") && !recipe.all_patches().any(|p| p == name) {
                    return Err(PatchError::Unused {
                        dep: dep.to_owned(),
                        recipe: recipe.origin.clone(),
                        path: entry.path(),
                    });
                }
            }
        }
        wanted
            .iter()
            .map(|name| self.patch(dep, overlay.as_deref(), recipe, name))
            .collect()
    }

    fn patch(
        &self,
        dep: &str,
        overlay: Option<&Path>,
        recipe: &Recipe,
        name: &str,
    ) -> Result<Patch, PatchError> {
        if let Some(path) = overlay.map(|dir| dir.join(name)) {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    return Ok(Patch {
                        name: name.to_owned(),
                        bytes,
                        origin: Origin::Overlay(path),
                    })
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(PatchError::Read { path, source }),
            }
        }
        builtin::PATCHES
            .iter()
            .find(|(d, n, _)| *d == dep && *n == name)
            .map(|(_, _, bytes)| Patch {
                name: name.to_owned(),
                bytes: bytes.to_vec(),
                origin: Origin::BuiltIn,
            })
            .ok_or_else(|| PatchError::Missing {
                recipe: recipe.origin.clone(),
                patch: name.to_owned(),
                path: overlay.map_or_else(
                    || PathBuf::from(format!("patches/{dep}/{name}")),
                    |dir| dir.join(name),
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_recipe_parses_and_its_patches_exist() {
        let book = RecipeBook::builtin();
        for dep in book.deps() {
            let recipe = book.recipe(&dep).unwrap();
            assert_eq!(recipe.origin, Origin::BuiltIn);
            let names: Vec<String> = recipe.all_patches().map(str::to_owned).collect();
            assert_eq!(recipe.name, dep);
            let patches = book.patches(&recipe, &names).unwrap();
            assert!(patches.iter().all(|p| !p.bytes.is_empty()), "{dep}");
        }
        assert!(book.deps().contains("zlib"));
    }

    #[test]
    fn an_overlay_file_replaces_only_its_dep() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[package]\npkg-config = \"zlib\"\n[build]\nstyle = \"configure\"\ndefines = [\"OVERLAID\"]\n";
        std::fs::write(dir.path().join("zlib.toml"), text).unwrap();
        let book = RecipeBook::with_overlays(Some(dir.path().to_owned()), None).unwrap();
        let zlib = book.recipe("zlib").unwrap();
        assert_eq!(zlib.origin, Origin::Overlay(dir.path().join("zlib.toml")));
        assert_eq!(zlib.text, text);
        assert_eq!(book.recipe("bzip2").unwrap().origin, Origin::BuiltIn);
    }

    #[test]
    fn a_missing_overlay_folder_is_an_error() {
        let err = RecipeBook::with_overlays(Some("/nonexistent/recipes".into()), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/recipes"), "{err}");
    }
}
