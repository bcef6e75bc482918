//! One function per command: what the CLI calls, and what tests call without a process.

mod build;
mod bundle;
mod doctor;
mod env;
mod fetch;
mod init;
mod lock;
mod package;
mod recipes;
mod remote_cache;
mod sbom;
mod sdk;
mod status;
mod verify;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub use build::{
    build, build_profiles, default_prefix, BuildOptions, BuildReport, BuildStatus, DepReport,
};
pub use bundle::{bundle_export, bundle_import};
pub use doctor::{doctor, Check, CheckStatus, DoctorOptions, LOW_DISK_SPACE};
pub use env::{env, Handover};
pub use fetch::{fetch, FetchOptions};
pub use init::{init, STARTER_CONFIG};
pub use lock::{lock, LockEntry, LockOptions, LockReport};
pub use package::package;
pub use recipes::{recipe, recipes, RecipeEntry};
pub use remote_cache::{cache_push, PushReport};
pub use sbom::sbom;
pub use sdk::{sdk_install, SdkInstallOptions};
pub use status::{status, DepStatus};
pub use verify::verify;

use crate::cache::Cache;
use crate::config::Config;
use crate::plan::PlanError;
use crate::recipe::RecipeBook;
use crate::report::Reporter;
use crate::source::{Remotes, SourceStore};
use crate::Error;

/// What every command needs: the configuration, the cache, and how to talk to the user.
pub struct Context<'a> {
    /// The loaded deps.toml (with overlay folders resolved).
    pub config: Config,
    /// The cache of sources and builds.
    pub cache: Cache,
    /// Replaces `[source] url` (from `--source` or `WASI_EXTERNALS_SOURCE`).
    pub source_override: Option<String>,
    /// Never open a network connection.
    pub offline: bool,
    /// The remote cache (`--remote-cache`, `WASI_EXTERNALS_REMOTE_CACHE` or `[cache] remote`).
    pub remote: Option<crate::cache::remote::RemoteSettings>,
    /// Receives progress events.
    pub reporter: &'a dyn Reporter,
    /// Set on Ctrl-C; long work checks it and stops without touching the prefix.
    pub interrupt: Arc<AtomicBool>,
}

impl Context<'_> {
    /// Where to fetch from: `--source` or `[source] url`, then the mirrors.
    pub fn remotes(&self) -> Remotes {
        Remotes::new(&self.config.source, self.source_override.as_deref())
    }

    /// The built-in recipes and patches, replaced by the config's overlay folders.
    pub fn recipes(&self) -> Result<RecipeBook, Error> {
        let book =
            RecipeBook::with_overlays(self.config.recipes.clone(), self.config.patches.clone())
                .map_err(PlanError::from)?;
        Ok(book)
    }

    /// Open the cached sources repository (created if missing).
    pub fn open_sources(&self) -> Result<SourceStore, Error> {
        Ok(SourceStore::open(&self.cache.sources())?)
    }
}
