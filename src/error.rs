use std::path::PathBuf;

use crate::build::BuildError;
use crate::bundle::BundleError;
use crate::cache::CacheError;
use crate::config::ConfigError;
use crate::package::PackageError;
use crate::plan::PlanError;
use crate::prefix::PrefixError;
use crate::recipe::RecipeError;
use crate::remote::RemoteError;
use crate::sbom::SbomError;
use crate::sdk::SdkError;
use crate::source::SourceError;

/// Every way a command can fail; each variant carries what a person needs to act.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Sdk(#[from] SdkError),
    #[error(transparent)]
    Prefix(#[from] PrefixError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Package(#[from] PackageError),
    #[error(transparent)]
    Sbom(#[from] SbomError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error("`{dep}` has no cached build for the SDK at {}; run `wasi-externals build` with it first", .sdk.display())]
    NotBuilt { dep: String, sdk: PathBuf },
    #[error("cannot write {}: {source}", .path.display())]
    WriteOutput {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "interrupted; the cache and the prefix are as they were before the step that was stopped"
    )]
    Interrupted,
    #[error("`lock` needs the network to ask the source what each tag points to; drop --offline")]
    OfflineLock,
    #[error(
        "{} is out of date with the source:\n{}\n  run `wasi-externals lock` to update the pins if the change is expected",
        .path.display(), .details.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
    )]
    LockOutdated { path: PathBuf, details: Vec<String> },
    #[error("{} already exists; keep it, or pass --force to replace it with the starter config", .path.display())]
    ConfigExists { path: PathBuf },
    #[error("{path} already exists; remove it or choose another folder")]
    DestinationExists { path: PathBuf },
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("the remote cache is required (--remote-cache-required) and failed: {source}")]
    RemoteRequired {
        #[source]
        source: RemoteError,
    },
    #[error(
        "no writable remote cache: set `[cache] remote` in deps.toml, --remote-cache or \
         WASI_EXTERNALS_REMOTE_CACHE, with --remote-cache-mode read-write"
    )]
    NoRemoteCache,
    #[error("no build has used a remote cache with this cache folder yet ({} is missing)", .path.display())]
    NoRemoteStats { path: PathBuf },
}

impl Error {
    /// Whether the user stopped the command (Ctrl-C, SIGTERM): exit code 130, not a failure to report.
    pub fn is_interrupt(&self) -> bool {
        matches!(
            self,
            Error::Interrupted | Error::Source(crate::source::SourceError::Interrupted)
        )
    }

    /// A stable, machine-readable name for `--json` output.
    pub fn code(&self) -> &'static str {
        use crate::source::SourceError as S;
        match self {
            Error::Config(ConfigError::Read { .. }) => "config-read",
            Error::Config(ConfigError::Parse { .. }) => "config-parse",
            Error::Config(ConfigError::InvalidDep { .. }) => "config-invalid-dep",
            Error::Config(ConfigError::UnknownDep { .. }) => "unknown-dep",
            Error::Config(ConfigError::Write { .. }) => "config-write",
            Error::Source(S::OpenCache { .. }) | Error::Cache(_) => "cache",
            Error::Source(S::NotLocked { .. }) => "not-locked",
            Error::Source(S::OfflineMissing { .. }) => "offline-missing",
            Error::Source(S::TagNotFound { .. }) => "tag-not-found",
            Error::Source(S::TagMoved { .. }) => "tag-moved",
            Error::Source(S::TreeMismatch { .. }) => "tree-mismatch",
            Error::Source(S::Unreachable { .. }) => "source-unreachable",
            Error::Source(S::Interrupted) | Error::Interrupted => "interrupted",
            Error::Source(S::Git { .. }) => "git",
            Error::Source(S::NoSpace { .. }) => "no-space",
            Error::Source(S::Checkout { .. }) => "checkout",
            Error::Plan(PlanError::Recipe(RecipeError::Missing { .. })) => "recipe-missing",
            Error::Plan(PlanError::Recipe(RecipeError::NoOverlay { .. })) => "overlay-missing",
            Error::Plan(PlanError::Recipe(_)) => "recipe-invalid",
            Error::Plan(PlanError::Unsupported { .. }) => "unsupported",
            Error::Plan(_) => "patch",
            Error::Sdk(SdkError::NotFound { .. }) => "sdk-not-found",
            Error::Sdk(SdkError::VersionMismatch { .. }) => "sdk-mismatch",
            Error::Sdk(SdkError::Broken { .. }) => "sdk-broken",
            Error::Prefix(PrefixError::Mixed { .. }) => "prefix-mixed",
            Error::Prefix(PrefixError::NoManifest { .. }) => "prefix-empty",
            Error::Prefix(_) => "prefix",
            Error::Build(BuildError::Source(_)) | Error::Build(_) => "build",
            Error::Package(_) => "package",
            Error::Sbom(_) => "sbom",
            Error::Bundle(
                BundleError::Corrupt { .. }
                | BundleError::BadIndex { .. }
                | BundleError::BadRecord { .. },
            ) => "bundle-corrupt",
            Error::Bundle(BundleError::Unsafe { .. }) => "bundle-unsafe",
            Error::Bundle(_) => "bundle",
            Error::NotBuilt { .. } => "not-built",
            Error::WriteOutput { .. } => "write",
            Error::OfflineLock => "offline-lock",
            Error::LockOutdated { .. } => "lock-outdated",
            Error::DestinationExists { .. } => "destination-exists",
            Error::ConfigExists { .. } => "config-exists",
            Error::Remote(RemoteError::BadUrl { .. }) => "remote-url",
            Error::Remote(_) => "remote",
            Error::RemoteRequired { .. } => "remote-required",
            Error::NoRemoteCache => "no-remote-cache",
            Error::NoRemoteStats { .. } => "no-remote-stats",
        }
    }
}
