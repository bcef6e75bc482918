//! [`Error`]: the one error type every command returns, so the CLI can print
//! any failure the same way and `--json` can name it with a stable code.

use std::path::PathBuf;

use crate::bundle::BundleError;
use crate::cache::remote::RemoteError;
use crate::cache::CacheError;
use crate::compile::BuildError;
use crate::config::ConfigError;
use crate::package::PackageError;
use crate::plan::PlanError;
use crate::prefix::PrefixError;
use crate::recipe::RecipeError;
use crate::sbom::SbomError;
use crate::sdk::install::InstallError;
use crate::sdk::SdkError;
use crate::source::SourceError;

/// Every way a command can fail; each variant carries what a person needs to act.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// deps.toml could not be read, understood or written.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Fetching or verifying sources failed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The cache could not be used.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A recipe or patch is missing or invalid.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// No usable WASI SDK.
    #[error(transparent)]
    Sdk(#[from] SdkError),
    /// `sdk install` could not download or install the SDK.
    #[error(transparent)]
    SdkInstall(#[from] InstallError),
    /// The prefix could not be read or changed.
    #[error(transparent)]
    Prefix(#[from] PrefixError),
    /// The build machinery itself failed (not one dependency).
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The prefix could not be packaged.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// The SBOM could not be made.
    #[error(transparent)]
    Sbom(#[from] SbomError),
    /// A bundle could not be written or imported.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// `bundle export --with-builds` needs a cached build that does not exist.
    #[error("`{dep}` has no cached build for the SDK at {}; run `wasi-externals build` with it first", .sdk.display())]
    NotBuilt {
        /// The dependency without a cached build.
        dep: String,
        /// The SDK folder that has no cached build.
        sdk: PathBuf,
    },
    /// An output file could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    WriteOutput {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// An output path lies inside the prefix or the cache.
    #[error(
        "{} is inside the {what} {}: this tool keeps its own files there; write the output elsewhere",
        .path.display(), .dir.display()
    )]
    OutputInside {
        /// The output asked for.
        path: PathBuf,
        /// `prefix` or `cache`.
        what: &'static str,
        /// The folder it lies in.
        dir: PathBuf,
    },
    /// Stopped by Ctrl-C or SIGTERM; the cache and the prefix are as they were.
    #[error(
        "interrupted; the cache and the prefix are as they were before the step that was stopped"
    )]
    Interrupted,
    /// `lock` was asked to run offline.
    #[error("`lock` needs the network to ask the source what each tag points to; drop --offline")]
    OfflineLock,
    /// `outdated` was asked to run offline.
    #[error("`outdated` needs the network to list the source's tags; drop --offline")]
    OfflineOutdated,
    /// `lock --check`: pins differ from what the source has now.
    #[error(
        "{} is out of date with the source:\n{}\n  run `wasi-externals lock` to update the pins if the change is expected",
        .path.display(), .details.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
    )]
    LockOutdated {
        /// The file or folder concerned.
        path: PathBuf,
        /// One line per pin that differs from the source.
        details: Vec<String>,
    },
    /// `init` would overwrite an existing config.
    #[error("{} already exists; keep it, or pass --force to replace it with the starter config", .path.display())]
    ConfigExists {
        /// The file or folder concerned.
        path: PathBuf,
    },
    /// `--python` was given several times to a command that takes one.
    #[error("--python is given {count} times; only `build` takes several (one prefix each)")]
    SeveralPythons {
        /// How many times.
        count: usize,
    },
    /// `fetch --into` would overwrite an existing folder.
    #[error("{path} already exists; remove it or choose another folder")]
    DestinationExists {
        /// The file or folder concerned.
        path: PathBuf,
    },
    /// The remote cache's URL or setup is wrong.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// `--remote-cache-required`, and the remote cache failed.
    #[error("the remote cache is required (--remote-cache-required) and failed: {source}")]
    RemoteRequired {
        /// What failed.
        #[source]
        source: RemoteError,
    },
    /// A signing or trusted key is malformed or unreadable.
    #[error(transparent)]
    RemoteKey(#[from] crate::cache::remote::KeyError),
    /// `cache push` without a remote cache in read-write mode.
    #[error(
        "no writable remote cache: set `[cache] remote` in deps.toml, --remote-cache or \
         WASI_EXTERNALS_REMOTE_CACHE, with --remote-cache-mode read-write"
    )]
    NoRemoteCache,
    /// `cache stats` before any run used a remote cache.
    #[error("no build has used a remote cache with this cache folder yet ({} is missing)", .path.display())]
    NoRemoteStats {
        /// The stats file that is missing.
        path: PathBuf,
    },
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
        use InstallError as I;
        match self {
            Error::Config(ConfigError::Read { .. }) => "config-read",
            Error::Config(ConfigError::Parse { .. }) => "config-parse",
            Error::Config(ConfigError::InvalidDep { .. }) => "config-invalid-dep",
            Error::Config(ConfigError::UnknownDep { .. }) => "unknown-dep",
            Error::Config(ConfigError::InvalidProfile { .. }) => "config-invalid-profile",
            Error::Config(ConfigError::UnknownProfile { .. }) => "unknown-python",
            Error::Config(ConfigError::Write { .. }) => "config-write",
            Error::Source(S::OpenCache { .. }) | Error::Cache(_) => "cache",
            Error::Source(S::NotLocked { .. }) => "not-locked",
            Error::Source(S::OfflineMissing { .. }) => "offline-missing",
            Error::Source(S::TagNotFound { .. }) => "tag-not-found",
            Error::Source(S::TagMoved { .. }) => "tag-moved",
            Error::Source(S::TreeMismatch { .. }) => "tree-mismatch",
            Error::Source(S::ArchiveMismatch { .. }) => "archive-mismatch",
            Error::Source(S::Archive { .. }) => "archive",
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
            Error::Sdk(SdkError::BadArgument { .. }) => "sdk-argument",
            Error::SdkInstall(I::NoStore | I::Io { .. } | I::NotOurs { .. }) => "sdk-install",
            Error::SdkInstall(I::NoSpace { .. }) => "no-space",
            Error::SdkInstall(I::Argument { .. }) => "sdk-argument",
            Error::SdkInstall(I::Offline { .. }) => "sdk-offline",
            Error::SdkInstall(I::NoRelease { .. }) => "sdk-no-release",
            Error::SdkInstall(I::UnknownChecksum { .. }) => "sdk-no-checksum",
            Error::SdkInstall(
                I::Client { .. }
                | I::Request { .. }
                | I::Status { .. }
                | I::Body { .. }
                | I::Truncated { .. },
            ) => "sdk-download",
            Error::SdkInstall(I::Checksum { .. }) => "sdk-checksum",
            Error::SdkInstall(I::TooLarge { .. }) => "sdk-too-large",
            Error::SdkInstall(I::Unsafe { .. }) => "sdk-unsafe",
            Error::SdkInstall(I::Archive { .. } | I::NotAnSdk { .. }) => "sdk-archive",
            Error::SeveralPythons { .. } => "several-pythons",
            Error::Prefix(PrefixError::Mixed { .. }) => "prefix-mixed",
            Error::Prefix(PrefixError::OtherSdk { .. }) => "prefix-other-sdk",
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
            Error::OutputInside { .. } => "output-inside",
            Error::OfflineLock => "offline-lock",
            Error::OfflineOutdated => "offline-outdated",
            Error::LockOutdated { .. } => "lock-outdated",
            Error::DestinationExists { .. } => "destination-exists",
            Error::ConfigExists { .. } => "config-exists",
            Error::Remote(RemoteError::BadUrl { .. }) => "remote-url",
            Error::Remote(_) => "remote",
            Error::RemoteRequired { .. } => "remote-required",
            Error::NoRemoteCache => "no-remote-cache",
            Error::RemoteKey(_) => "remote-key",
            Error::NoRemoteStats { .. } => "no-remote-stats",
        }
    }
}
