//! [`Code`]: every stable error code `--json` prints, in one list.
//!
//! A leaf module: each module's error enum names its codes here, and
//! [`crate::Error`] gathers those enums, so the codes cannot live beside
//! `Error` without every module importing the module that imports it.

/// Declares [`Code`] and the one list of every code, [`Code::ALL`].
macro_rules! codes {
    ($($variant:ident => $name:literal,)*) => {
        /// Every stable error code `--json` can print; docs/schemas/error.v1.schema.json
        /// lists exactly [`Code::ALL`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as `--json` prints it.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
        }
    };
}

codes! {
    Archive => "archive",
    ArchiveMismatch => "archive-mismatch",
    Build => "build",
    Bundle => "bundle",
    BundleCorrupt => "bundle-corrupt",
    BundleUnsafe => "bundle-unsafe",
    Cache => "cache",
    Checkout => "checkout",
    ConfigExists => "config-exists",
    ConfigInvalidDep => "config-invalid-dep",
    ConfigInvalidProfile => "config-invalid-profile",
    ConfigParse => "config-parse",
    ConfigRead => "config-read",
    ConfigWrite => "config-write",
    DestinationExists => "destination-exists",
    Git => "git",
    Interrupted => "interrupted",
    LockOutdated => "lock-outdated",
    NoRemoteCache => "no-remote-cache",
    NoRemoteStats => "no-remote-stats",
    NoSpace => "no-space",
    NotBuilt => "not-built",
    NotLocked => "not-locked",
    OfflineLock => "offline-lock",
    OfflineMissing => "offline-missing",
    OfflineOutdated => "offline-outdated",
    OutputInside => "output-inside",
    OverlayMissing => "overlay-missing",
    OverlayRead => "overlay-read",
    Package => "package",
    Patch => "patch",
    Prefix => "prefix",
    PrefixEmpty => "prefix-empty",
    PrefixMixed => "prefix-mixed",
    PrefixOtherSdk => "prefix-other-sdk",
    RecipeInvalid => "recipe-invalid",
    RecipeMissing => "recipe-missing",
    Remote => "remote",
    RemoteKey => "remote-key",
    RemoteRequired => "remote-required",
    RemoteUrl => "remote-url",
    Sbom => "sbom",
    SdkArchive => "sdk-archive",
    SdkArgument => "sdk-argument",
    SdkBroken => "sdk-broken",
    SdkChecksum => "sdk-checksum",
    SdkDownload => "sdk-download",
    SdkInstall => "sdk-install",
    SdkMismatch => "sdk-mismatch",
    SdkNoChecksum => "sdk-no-checksum",
    SdkNoRelease => "sdk-no-release",
    SdkNotFound => "sdk-not-found",
    SdkOffline => "sdk-offline",
    SdkTooLarge => "sdk-too-large",
    SdkUnsafe => "sdk-unsafe",
    SeveralPythons => "several-pythons",
    SourceUnreachable => "source-unreachable",
    TagMoved => "tag-moved",
    TagNotFound => "tag-not-found",
    TreeMismatch => "tree-mismatch",
    UnknownDep => "unknown-dep",
    UnknownPython => "unknown-python",
    Unsupported => "unsupported",
    Write => "write",
}
