//! [`Error`]: the one error type every command returns, so the CLI can print
//! any failure the same way and `--json` can name it with a stable code.

use std::path::PathBuf;

use crate::code::Code;

use crate::bundle::BundleError;
use crate::cache::remote::RemoteError;
use crate::cache::CacheError;
use crate::compile::BuildError;
use crate::config::ConfigError;
use crate::package::PackageError;
use crate::plan::PlanError;
use crate::prefix::PrefixError;
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
    #[error("`{dep}` has no cached build for the SDK at {}", .sdk.display())]
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
    #[error("`lock` needs the network to ask the source what each tag points to")]
    OfflineLock,
    /// `outdated` was asked to run offline.
    #[error("`outdated` needs the network to list the source's tags")]
    OfflineOutdated,
    /// `lock --check`: pins differ from what the source has now.
    #[error(
        "{} is out of date with the source:\n{}",
        .path.display(), .details.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
    )]
    LockOutdated {
        /// The file or folder concerned.
        path: PathBuf,
        /// One line per pin that differs from the source.
        details: Vec<String>,
    },
    /// `init` would overwrite an existing config.
    #[error("{} already exists", .path.display())]
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
    #[error("{} already exists", .path.display())]
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
    #[error("no writable remote cache")]
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

    /// Every `source()` below this error, outermost first, as text (the
    /// "Caused by:" lines and `--json`'s `causes`).
    pub fn causes(&self) -> Vec<String> {
        let mut causes = Vec::new();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            causes.push(cause.to_string());
            next = cause.source();
        }
        causes
    }

    /// A stable, machine-readable name for `--json` output; each module's
    /// error names its own.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The error's [`Code`].
    pub fn kind(&self) -> Code {
        match self {
            Error::Config(e) => e.code(),
            Error::Source(e) => e.code(),
            Error::Cache(e) => e.code(),
            Error::Plan(e) => e.code(),
            Error::Sdk(e) => e.code(),
            Error::SdkInstall(e) => e.code(),
            Error::Prefix(e) => e.code(),
            Error::Build(e) => e.code(),
            Error::Package(e) => e.code(),
            Error::Sbom(e) => e.code(),
            Error::Bundle(e) => e.code(),
            Error::Remote(e) => e.code(),
            Error::NotBuilt { .. } => Code::NotBuilt,
            Error::WriteOutput { .. } => Code::Write,
            Error::OutputInside { .. } => Code::OutputInside,
            Error::Interrupted => Code::Interrupted,
            Error::OfflineLock => Code::OfflineLock,
            Error::OfflineOutdated => Code::OfflineOutdated,
            Error::LockOutdated { .. } => Code::LockOutdated,
            Error::DestinationExists { .. } => Code::DestinationExists,
            Error::ConfigExists { .. } => Code::ConfigExists,
            Error::SeveralPythons { .. } => Code::SeveralPythons,
            Error::RemoteRequired { .. } => Code::RemoteRequired,
            Error::RemoteKey(e) => e.code(),
            Error::NoRemoteCache => Code::NoRemoteCache,
            Error::NoRemoteStats { .. } => Code::NoRemoteStats,
        }
    }

    /// What to do about it, if the tool knows (the `hint:` line and `--json`'s `hint`).
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Config(e) => e.hint(),
            Error::Source(e) => e.hint(),
            Error::Cache(e) => e.hint(),
            Error::Plan(e) => e.hint(),
            Error::Sdk(e) => e.hint(),
            Error::SdkInstall(e) => e.hint(),
            Error::Prefix(e) => e.hint(),
            Error::Build(e) => e.hint(),
            Error::Package(e) => e.hint(),
            Error::Sbom(e) => e.hint(),
            Error::Bundle(e) => e.hint(),
            Error::Remote(e) | Error::RemoteRequired { source: e } => e.hint(),
            Error::NotBuilt { .. } => Some("run `wasi-externals build` with it first".into()),
            Error::RemoteKey(e) => e.hint(),
            Error::OfflineLock | Error::OfflineOutdated => Some("drop --offline".into()),
            Error::LockOutdated { .. } => Some(
                "run `wasi-externals lock` to update the pins if the change is expected".into(),
            ),
            Error::ConfigExists { .. } => {
                Some("keep it, or pass --force to replace it with the starter config".into())
            }
            Error::DestinationExists { .. } => Some("remove it or choose another folder".into()),
            Error::NoRemoteCache => Some(
                "set `[cache] remote` in deps.toml, --remote-cache or \
                 WASI_EXTERNALS_REMOTE_CACHE, with --remote-cache-mode read-write"
                    .into(),
            ),
            Error::WriteOutput { .. }
            | Error::OutputInside { .. }
            | Error::Interrupted
            | Error::SeveralPythons { .. }
            | Error::NoRemoteStats { .. } => None,
        }
    }
}
