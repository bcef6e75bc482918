//! One function per command: what the CLI calls, and what tests call without a process.
//!
//! Every command takes a [`Session`] (the cache, the reporter, the command
//! line's choices, and deps.toml read when first needed) and returns a value
//! the CLI renders; the CLI itself only parses arguments and prints.

mod build;
mod bundle;
mod cache;
mod doctor;
mod env;
mod fetch;
mod init;
mod lock;
mod outdated;
mod package;
mod recipes;
mod remote_cache;
mod sbom;
mod sdk;
mod session;
mod status;
mod verify;

pub use build::{
    build, build_profiles, default_prefix, BuildOptions, BuildReport, BuildStatus, DepReport,
};
pub use bundle::{bundle_export, bundle_import};
pub use cache::{cache_clean, cache_gc, cache_keygen, cache_list, cache_stats, KeyPair};
pub use doctor::{doctor, Check, CheckStatus, DoctorOptions, LOW_DISK_SPACE};
pub use env::{env, Handover};
pub use fetch::{fetch, FetchOptions};
pub use init::{init, STARTER_CONFIG};
pub use lock::{lock, LockEntry, LockOptions, LockReport};
pub use outdated::{outdated, OutdatedEntry, OutdatedReport};
pub use package::{check_output, package};
pub use recipes::{recipe, recipes, RecipeEntry};
pub use remote_cache::{cache_push, PushReport};
pub use sbom::{licenses, sbom, DepLicenses};
pub use sdk::{sdk_install, sdk_list, sdk_path, ChosenSdk, SdkInstallOptions, SdkListing};
pub use session::{Overlays, RemoteFlags, Session, SIGNING_KEY_VAR};
pub use status::{status, DepStatus};
pub use verify::verify;
