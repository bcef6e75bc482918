//! `init`: write the starter deps.toml, the pins this version ships with.

use std::io::Write;
use std::path::PathBuf;

use crate::ops::Session;
use crate::Error;

/// The shipped pins, with comments: what `init` writes.
pub const STARTER_CONFIG: &str = include_str!("../../deps.toml");

/// Write the starter deps.toml to the session's config path; an existing
/// file is kept unless `force`. Returns the file's absolute path.
pub fn init(session: &Session, force: bool) -> Result<PathBuf, Error> {
    let path = session.config_path();
    let write_err = |source| Error::WriteOutput {
        path: path.to_owned(),
        source,
    };
    if force {
        crate::fsutil::write_through(path, STARTER_CONFIG.as_bytes()).map_err(write_err)?;
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
    use crate::config::Config;
    use crate::ops::recipes::entries;
    use crate::recipe::RecipeBook;
    use std::path::Path;

    #[test]
    fn the_starter_config_parses_and_every_pin_has_a_builtin_recipe() {
        let config = Config::parse(Path::new("deps.toml"), STARTER_CONFIG).unwrap();
        let pythons: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        assert_eq!(pythons, ["3.13", "3.14", "3.15", "3.16"]);
        let profiles = pythons.iter().map(|p| config.for_python(p).unwrap());
        for config in std::iter::once(config.clone()).chain(profiles) {
            let entries = entries(Some(&config), &RecipeBook::builtin()).unwrap();
            for pin in config.deps.values() {
                let table = pin.profile.as_deref().unwrap_or("top level");
                // Locked, or (a tag newer than the checked snapshot) anchored by its archive hash.
                let anchored = pin.locked().is_some() || pin.archive_sha256.is_some();
                assert!(anchored, "{} ({table}) is pinned", pin.name);
                let entry = entries.iter().find(|e| e.dep == pin.name).unwrap();
                assert_eq!(entry.origin, crate::recipe::Origin::BuiltIn);
            }
            assert_eq!(config.deps["sqlite"].tag, "sqlite-3.50.4.0");
            assert_eq!(config.sdk.target.as_str(), "wasm32-wasip1");
        }
        let with_zstd = |p: &str| config.for_python(p).unwrap().deps.contains_key("zstd");
        assert!(!with_zstd("3.13") && with_zstd("3.14") && with_zstd("3.15") && with_zstd("3.16"));
        let sdks: Vec<u32> = pythons
            .iter()
            .map(|p| config.for_python(p).unwrap().sdk.version)
            .collect();
        assert_eq!(sdks, [24, 24, 33, 34]);
    }
}
