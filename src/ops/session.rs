//! [`Session`]: what every command works with, whether or not a deps.toml is at hand.
//!
//! Half the commands (`env`, `verify`, `package`, `cache list`, `sdk list`,
//! `bundle import`, `recipes`, …) must work without a deps.toml, the others
//! need it. A session therefore holds what the command line gives (the cache,
//! the overlays, the remote flags, `--python`, `--offline`, `--source`) and
//! reads deps.toml only when a command first asks for [`Session::config`],
//! [`Session::profile`] or [`Session::profiles`]. The rules about `--python`
//! ("only `build` takes several", every profile checked before any work) live
//! here once.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use crate::cache::remote::{
    KeyError, KeyProblem, PublicKey, RemoteMode, RemoteSettings, SecretKey, DEFAULT_MAX_OBJECT_SIZE,
};
use crate::cache::Cache;
use crate::config::{CacheSettings, Config, ConfigError};
use crate::plan::PlanError;
use crate::recipe::RecipeBook;
use crate::report::Reporter;
use crate::source::{Remotes, SourceStore};
use crate::Error;

/// The variable holding a signing key itself (`NAME:BASE64`), for CI secrets.
pub const SIGNING_KEY_VAR: &str = "WASI_EXTERNALS_SIGNING_KEY";

/// `--recipes` / `--patches`: overlay folders that replace the config's.
#[derive(Debug, Clone, Default)]
pub struct Overlays {
    /// `DIR/<dep>.toml` replaces the built-in recipe of `<dep>`.
    pub recipes: Option<PathBuf>,
    /// `DIR/<dep>/<name>.patch` replaces or adds a patch.
    pub patches: Option<PathBuf>,
}

impl Overlays {
    /// The overlay folders in effect: the command line's (made absolute), else the config's.
    pub fn resolve(&self, config: Option<&Config>) -> (Option<PathBuf>, Option<PathBuf>) {
        let absolute = |dir: &PathBuf| std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
        (
            self.recipes
                .as_ref()
                .map(absolute)
                .or_else(|| config.and_then(|c| c.recipes.clone())),
            self.patches
                .as_ref()
                .map(absolute)
                .or_else(|| config.and_then(|c| c.patches.clone())),
        )
    }
}

/// The remote cache as the command line (or the environment) names it; laid
/// over deps.toml's `[cache]` table by [`RemoteFlags::settings`].
#[derive(Debug, Clone, Default)]
pub struct RemoteFlags {
    /// `--remote-cache URL` (or `WASI_EXTERNALS_REMOTE_CACHE`); empty counts as none.
    pub url: Option<String>,
    /// `--remote-cache-mode`.
    pub mode: Option<RemoteMode>,
    /// `--remote-cache-required`.
    pub required: bool,
    /// `--remote-max-object-size`.
    pub max_object_size: Option<u64>,
    /// `--signing-key FILE`; without it the key may come from [`SIGNING_KEY_VAR`].
    pub signing_key: Option<PathBuf>,
    /// `--trusted-key KEY` (repeatable), added to `[cache] trusted-keys`.
    pub trusted_keys: Vec<String>,
}

impl RemoteFlags {
    /// The remote in effect: the command line's (or the environment's), else the config's.
    pub fn settings(&self, config: &CacheSettings) -> Result<Option<RemoteSettings>, KeyError> {
        let from_flag = self.url.clone().filter(|u| !u.is_empty());
        let default_mode = match from_flag {
            Some(_) => RemoteMode::ReadWrite,
            None => config.mode.unwrap_or(RemoteMode::Read),
        };
        let Some(url) = from_flag.or_else(|| config.remote.clone()) else {
            return Ok(None);
        };
        let mut trusted_keys = config.trusted_keys.clone();
        for (i, key) in self.trusted_keys.iter().enumerate() {
            trusted_keys.push(PublicKey::parse(key, &format!("--trusted-key #{}", i + 1))?);
        }
        Ok(Some(RemoteSettings {
            url,
            mode: self.mode.unwrap_or(default_mode),
            required: self.required,
            max_object_size: self
                .max_object_size
                .or(config.max_object_size)
                .unwrap_or(DEFAULT_MAX_OBJECT_SIZE),
            signing_key: signing_key(self.signing_key.as_deref())?.map(Arc::new),
            trusted_keys,
        }))
    }
}

/// The key from `--signing-key FILE`, else from [`SIGNING_KEY_VAR`].
fn signing_key(file: Option<&Path>) -> Result<Option<SecretKey>, KeyError> {
    if let Some(file) = file {
        let what = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|e| KeyError {
            what: what.clone(),
            kind: "secret",
            problem: KeyProblem::Read(e),
        })?;
        return SecretKey::parse(&text, &what).map(Some);
    }
    match std::env::var(SIGNING_KEY_VAR) {
        Ok(text) if !text.trim().is_empty() => SecretKey::parse(&text, SIGNING_KEY_VAR).map(Some),
        _ => Ok(None),
    }
}

/// deps.toml as read once: the whole file and the `--python` profiles.
struct Loaded {
    config: Config,
    /// One per distinct `--python` (in the order given), else the top-level tables alone.
    profiles: Vec<Config>,
}

/// What every command needs: the cache, how to talk to the user, the command
/// line's choices, and (read when first asked for) deps.toml.
pub struct Session<'a> {
    /// The cache of sources and builds.
    pub cache: Cache,
    /// Receives progress events.
    pub reporter: &'a dyn Reporter,
    /// Set on Ctrl-C; long work checks it and stops without touching the prefix.
    pub interrupt: Arc<AtomicBool>,
    /// Never open a network connection.
    pub offline: bool,
    /// Replaces `[source] url` (from `--source` or `WASI_EXTERNALS_SOURCE`).
    pub source_override: Option<String>,
    config_path: PathBuf,
    pythons: Vec<String>,
    overlays: Overlays,
    remote: RemoteFlags,
    loaded: OnceLock<Loaded>,
    remote_settings: OnceLock<Option<RemoteSettings>>,
}

impl<'a> Session<'a> {
    /// A session on `cache` with the defaults: `deps.toml` in the working
    /// folder, no `--python`, no overlays, no remote flags, online.
    pub fn new(cache: Cache, reporter: &'a dyn Reporter) -> Session<'a> {
        Session {
            cache,
            reporter,
            interrupt: Arc::default(),
            offline: false,
            source_override: None,
            config_path: PathBuf::from("deps.toml"),
            pythons: Vec::new(),
            overlays: Overlays::default(),
            remote: RemoteFlags::default(),
            loaded: OnceLock::new(),
            remote_settings: OnceLock::new(),
        }
    }

    /// Read the config from `path` (`--config`).
    pub fn with_config_file(mut self, path: impl Into<PathBuf>) -> Session<'a> {
        self.config_path = path.into();
        self.loaded = OnceLock::new();
        self.remote_settings = OnceLock::new();
        self
    }

    /// Use the profiles of these Python versions (`--python`, repeats dropped).
    pub fn with_pythons(mut self, pythons: Vec<String>) -> Session<'a> {
        let mut seen = std::collections::BTreeSet::new();
        self.pythons = pythons
            .into_iter()
            .filter(|p| seen.insert(p.clone()))
            .collect();
        self.loaded = OnceLock::new();
        self
    }

    /// Replace the config's recipe and patch overlays.
    pub fn with_overlays(mut self, overlays: Overlays) -> Session<'a> {
        self.overlays = overlays;
        self.loaded = OnceLock::new();
        self
    }

    /// Lay these remote cache flags over deps.toml's `[cache]`.
    pub fn with_remote(mut self, remote: RemoteFlags) -> Session<'a> {
        self.remote = remote;
        self.remote_settings = OnceLock::new();
        self
    }

    /// The config file's path, as given.
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The one `--python` given, if any; several are an error (only `build` takes several).
    pub fn python(&self) -> Result<Option<&str>, Error> {
        match self.pythons.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            several => Err(Error::SeveralPythons {
                count: several.len(),
            }),
        }
    }

    /// The whole deps.toml, with the overlay folders in effect; an error when there is none.
    pub fn config(&self) -> Result<&Config, Error> {
        Ok(&self.load()?.config)
    }

    /// The profile the command works on: the one `--python`'s, else the top-level tables.
    pub fn profile(&self) -> Result<&Config, Error> {
        match self.profiles()? {
            [one] => Ok(one),
            several => Err(Error::SeveralPythons {
                count: several.len(),
            }),
        }
    }

    /// Every `--python` profile (each checked), else the top-level tables alone.
    pub fn profiles(&self) -> Result<&[Config], Error> {
        Ok(&self.load()?.profiles)
    }

    /// [`Session::profile`], or `None` when there is no deps.toml (other problems are errors).
    pub fn optional_profile(&self) -> Result<Option<&Config>, Error> {
        unless_missing(self.profile())
    }

    /// [`Session::config`], or `None` when there is no deps.toml (other problems are errors).
    pub fn optional_config(&self) -> Result<Option<&Config>, Error> {
        unless_missing(self.config())
    }

    /// The remote cache in effect: `--remote-cache` and friends (or the
    /// environment) laid over deps.toml's `[cache]`; `None` when neither names one.
    pub fn remote(&self) -> Result<Option<&RemoteSettings>, Error> {
        if let Some(settings) = self.remote_settings.get() {
            return Ok(settings.as_ref());
        }
        let settings = self.remote.settings(&self.config()?.cache)?;
        Ok(self.remote_settings.get_or_init(|| settings).as_ref())
    }

    /// Where to fetch from: `--source` or `[source] url`, then the mirrors.
    pub fn remotes(&self) -> Result<Remotes, Error> {
        let config = self.config()?;
        Ok(Remotes::new(
            &config.source,
            self.source_override.as_deref(),
        ))
    }

    /// The built-in recipes and patches, replaced by the overlay folders in
    /// effect (the command line's, else deps.toml's when there is one).
    pub fn recipe_book(&self) -> Result<RecipeBook, Error> {
        let (recipes, patches) = self.overlays.resolve(self.optional_config()?);
        Ok(RecipeBook::with_overlays(recipes, patches).map_err(PlanError::from)?)
    }

    /// Open the cached sources repository (created if missing).
    pub fn open_sources(&self) -> Result<SourceStore, Error> {
        Ok(SourceStore::open(&self.cache.sources())?)
    }

    /// The selected profile read afresh, without the remote flags and without
    /// keeping it: for `doctor`, to which a broken deps.toml is a finding.
    pub fn read_profile(&self) -> Result<Config, Error> {
        let config = self.read_config()?;
        Ok(match self.python()? {
            Some(python) => config.for_python(python)?,
            None => config,
        })
    }

    /// deps.toml, read and checked once, with every profile.
    fn load(&self) -> Result<&Loaded, Error> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let config = self.read_config()?;
        // Every profile is checked (an unknown one is an error listing the known ones) before any work.
        let profiles = match self.pythons.as_slice() {
            [] => vec![config.clone()],
            pythons => pythons
                .iter()
                .map(|python| config.for_python(python))
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(self.loaded.get_or_init(|| Loaded { config, profiles }))
    }

    /// deps.toml with the overlay folders in effect.
    fn read_config(&self) -> Result<Config, Error> {
        let mut config = Config::load(&self.config_path)?;
        (config.recipes, config.patches) = self.overlays.resolve(Some(&config));
        Ok(config)
    }
}

/// `Ok(None)` for the error of a deps.toml that does not exist.
fn unless_missing<T>(result: Result<T, Error>) -> Result<Option<T>, Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::Config(ConfigError::Read { source, .. }))
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Silent;

    const CONFIG: &str = "[sdk]\nversion = 24\ntarget = \"wasm32-wasip1\"\n\
        [deps.zlib]\ntag = \"zlib-1.3.1\"\n\
        [cache]\nremote = \"file:///srv/cache\"\n\
        [python.\"3.13\"]\nsdk = 24\ntarget = \"wasm32-wasip1\"\n\
        [python.\"3.14\"]\nsdk = 25\ntarget = \"wasm32-wasip1\"\n\
        [python.\"3.14\".deps.zstd]\ntag = \"zstd-1.5.7\"\n";

    fn session_in(dir: &Path) -> Session<'static> {
        Session::new(Cache::new(dir.join("cache")), &Silent).with_config_file(dir.join("deps.toml"))
    }

    #[test]
    fn without_a_deps_toml_only_the_commands_that_need_one_fail() {
        let dir = tempfile::tempdir().unwrap();
        let session = session_in(dir.path());
        assert!(session.optional_config().unwrap().is_none());
        assert!(session.optional_profile().unwrap().is_none());
        let err = session.config().unwrap_err();
        assert!(
            matches!(&err, Error::Config(ConfigError::Read { path, .. }) if path.ends_with("deps.toml")),
            "{err}"
        );
        assert!(session.profiles().is_err() && session.remote().is_err());
        // The built-in recipes are there all the same.
        assert!(session.recipe_book().unwrap().recipe("zlib").is_ok());
    }

    #[test]
    fn python_picks_profiles_and_only_one_is_a_profile() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("deps.toml"), CONFIG).unwrap();
        let top = session_in(dir.path());
        assert_eq!(top.profile().unwrap().python, None);
        assert!(!top.profile().unwrap().deps.contains_key("zstd"));
        let pythons = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        let one = session_in(dir.path()).with_pythons(pythons(&["3.14", "3.14"]));
        assert_eq!(one.python().unwrap(), Some("3.14"));
        assert_eq!(one.profile().unwrap().sdk.version, 25);
        assert!(one.profile().unwrap().deps.contains_key("zstd"));
        let two = session_in(dir.path()).with_pythons(pythons(&["3.14", "3.13"]));
        let names: Vec<_> = two
            .profiles()
            .unwrap()
            .iter()
            .map(|c| c.python.clone())
            .collect();
        assert_eq!(names, [Some("3.14".to_owned()), Some("3.13".to_owned())]);
        for err in [two.profile().unwrap_err(), two.python().unwrap_err()] {
            assert!(matches!(err, Error::SeveralPythons { count: 2 }), "{err}");
        }
        let unknown = session_in(dir.path()).with_pythons(pythons(&["3.13", "2.7"]));
        let err = unknown.profiles().unwrap_err();
        assert!(err.to_string().contains("2.7"), "{err}");
    }

    #[test]
    fn remote_flags_lie_over_the_configs_cache_table() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("deps.toml"), CONFIG).unwrap();
        let from_config = session_in(dir.path());
        let settings = from_config.remote().unwrap().unwrap();
        assert_eq!(settings.url, "file:///srv/cache");
        assert_eq!(settings.mode, RemoteMode::Read);
        let flags = RemoteFlags {
            url: Some("file:///elsewhere".into()),
            max_object_size: Some(7),
            ..RemoteFlags::default()
        };
        let from_flags = session_in(dir.path()).with_remote(flags);
        let settings = from_flags.remote().unwrap().unwrap();
        assert_eq!(settings.url, "file:///elsewhere");
        assert_eq!(settings.mode, RemoteMode::ReadWrite);
        assert_eq!(settings.max_object_size, 7);
        let bad_key = RemoteFlags {
            trusted_keys: vec!["not a key".into()],
            ..RemoteFlags::default()
        };
        let refused = session_in(dir.path()).with_remote(bad_key);
        assert!(refused.remote().is_err());
        // A bad remote flag is no concern of a command that never uses the remote.
        assert!(refused.profile().is_ok());
    }
}
