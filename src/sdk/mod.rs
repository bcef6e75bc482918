//! Finding the WASI SDK and saying exactly which one it is.
//!
//! wasi-libc is neither forward nor backward compatible, so the SDK's identity
//! (its `VERSION` file and its compiler's own version) is part of every build key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

pub mod install;
pub mod releases;

/// Why no usable WASI SDK was found.
#[derive(Debug, thiserror::Error)]
pub enum SdkError {
    /// No candidate folder holds the wanted SDK.
    #[error(
        "no WASI SDK {wanted} found; looked at:\n{}\n  run `wasi-externals sdk install {wanted}` (into {}), or install wasi-sdk-{wanted} into /opt/wasi-sdk-{wanted}.0, or pass --wasi-sdk DIR (--wasi-sdk {wanted}=DIR) / set WASI_SDK_PATH",
        .looked.iter().map(|(p, why)| format!("  {}: {why}", p.display())).collect::<Vec<_>>().join("\n"),
        store_dir(*.wanted).map_or_else(|| "the SDK store".to_owned(), |d| d.display().to_string())
    )]
    NotFound {
        /// The SDK major version deps.toml pins.
        wanted: u32,
        /// Every folder looked at, and why it did not qualify.
        looked: Vec<(PathBuf, String)>,
    },
    /// The SDK's major version differs from deps.toml's.
    #[error("the WASI SDK at {path} is version {found}, but deps.toml pins SDK {wanted}")]
    VersionMismatch {
        /// The SDK folder.
        path: PathBuf,
        /// The SDK's version.
        found: String,
        /// The SDK major version deps.toml pins.
        wanted: u32,
    },
    /// The folder lacks a file the SDK needs, or its clang does not run.
    #[error("the WASI SDK at {path} is unusable: {message}")]
    Broken {
        /// The SDK folder.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A file of the SDK cannot be read, or its clang cannot be started.
    #[error("the WASI SDK at {path} is unusable: cannot {what}: {source}")]
    Unreadable {
        /// The SDK folder.
        path: PathBuf,
        /// What could not be done (`read VERSION`, `run …/clang`).
        what: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `--wasi-sdk VERSION=DIR` version does not fit a number.
    #[error("--wasi-sdk {value}: `{version}` is not a major version: {source}")]
    BadVersion {
        /// The value as given.
        value: String,
        /// Its version part.
        version: String,
        /// Why it does not parse.
        #[source]
        source: std::num::ParseIntError,
    },
    /// A `--wasi-sdk` value cannot be understood.
    #[error("--wasi-sdk {value}: {message}")]
    BadArgument {
        /// The value as given.
        value: String,
        /// What is wrong with it.
        message: String,
    },
}

impl SdkError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            SdkError::NotFound { .. } => Code::SdkNotFound,
            SdkError::VersionMismatch { .. } => Code::SdkMismatch,
            SdkError::Broken { .. } | SdkError::Unreadable { .. } => Code::SdkBroken,
            SdkError::BadArgument { .. } | SdkError::BadVersion { .. } => Code::SdkArgument,
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            SdkError::VersionMismatch { wanted, .. } => Some(format!(
                "libraries built with one wasi-libc must not be linked with another: use SDK {wanted} \
                 (--wasi-sdk DIR), change `[sdk] version`, or pass --allow-sdk-mismatch to build anyway"
            )),
            _ => None,
        }
    }
}

/// The `--wasi-sdk` values: plain folders, and `VERSION=DIR` pairs that name
/// the SDK of one major version (so one run can build with several SDKs).
#[derive(Debug, Clone, Default)]
pub struct SdkDirs {
    /// Plain `DIR`s, in the order given.
    pub plain: Vec<PathBuf>,
    /// `N=DIR`: the SDK to use where SDK `N` is wanted.
    pub by_version: BTreeMap<u32, PathBuf>,
}

impl SdkDirs {
    /// Parse `--wasi-sdk` values: `DIR` or `N=DIR` (N a major version such as `25`).
    pub fn parse(values: &[String]) -> Result<SdkDirs, SdkError> {
        let mut dirs = SdkDirs::default();
        for value in values {
            match value.split_once('=') {
                Some((version, dir))
                    if !version.is_empty() && version.chars().all(|c| c.is_ascii_digit()) =>
                {
                    let major = version
                        .parse::<u32>()
                        .map_err(|source| SdkError::BadVersion {
                            value: value.clone(),
                            version: version.to_owned(),
                            source,
                        })?;
                    if dir.is_empty() {
                        return Err(SdkError::BadArgument {
                            value: value.clone(),
                            message: "no folder after `=`".into(),
                        });
                    }
                    if dirs.by_version.insert(major, dir.into()).is_some() {
                        return Err(SdkError::BadArgument {
                            value: value.clone(),
                            message: format!("SDK {major} is given twice"),
                        });
                    }
                }
                _ => dirs.plain.push(value.into()),
            }
        }
        Ok(dirs)
    }

    /// The folders the user named for SDK `wanted`: its `N=DIR`, else the plain ones.
    fn explicit_for(&self, wanted: u32) -> Vec<PathBuf> {
        match self.by_version.get(&wanted) {
            Some(dir) => vec![dir.clone()],
            None => self.plain.clone(),
        }
    }

    /// Every folder given, plain or paired.
    pub fn all(&self) -> Vec<PathBuf> {
        let paired = self.by_version.values().cloned();
        self.plain.iter().cloned().chain(paired).collect()
    }
}

/// Where `sdk install` puts SDKs: `<data dir>/wasi-externals/sdks` (`$XDG_DATA_HOME` on Linux).
pub fn store_root() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("wasi-externals").join("sdks"))
}

/// The store's folder for SDK `major`: `<store>/wasi-sdk-<N>`.
pub fn store_dir(major: u32) -> Option<PathBuf> {
    store_root().map(|root| root.join(format!("wasi-sdk-{major}")))
}

/// Folders in `dir` whose names start with `prefix`, sorted.
fn entries_starting_with(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect();
    found.sort();
    found
}

/// The places searched without `--wasi-sdk`, for SDK `wanted`: `$WASI_SDK_PATH`,
/// `/opt/wasi-sdk-<N>.0*`, the store's `wasi-sdk-<N>`, `/opt/wasi-sdk`.
fn searched(wanted: u32) -> Vec<(PathBuf, FoundBy)> {
    let mut candidates: Vec<(PathBuf, FoundBy)> = Vec::new();
    if let Some(dir) = std::env::var_os("WASI_SDK_PATH").filter(|v| !v.is_empty()) {
        candidates.push((dir.into(), FoundBy::EnvVar));
    }
    let versioned = entries_starting_with(Path::new("/opt"), &format!("wasi-sdk-{wanted}.0"));
    candidates.extend(versioned.into_iter().map(|p| (p, FoundBy::Opt)));
    if let Some(dir) = store_dir(wanted) {
        candidates.push((dir, FoundBy::Store));
    }
    candidates.push(("/opt/wasi-sdk".into(), FoundBy::Opt));
    candidates
}

/// Where an SDK was found; serialised as `--wasi-sdk`, `$WASI_SDK_PATH`, `/opt` or `store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FoundBy {
    /// A folder `--wasi-sdk` named.
    #[serde(rename = "--wasi-sdk")]
    Flag,
    /// `$WASI_SDK_PATH`.
    #[serde(rename = "$WASI_SDK_PATH")]
    EnvVar,
    /// `/opt/wasi-sdk*`.
    #[serde(rename = "/opt")]
    Opt,
    /// This tool's SDK store.
    #[serde(rename = "store")]
    Store,
}

impl FoundBy {
    /// The name `sdk list` shows.
    pub fn as_str(self) -> &'static str {
        match self {
            FoundBy::Flag => "--wasi-sdk",
            FoundBy::EnvVar => "$WASI_SDK_PATH",
            FoundBy::Opt => "/opt",
            FoundBy::Store => "store",
        }
    }

    /// A folder the user named, which must work if it exists.
    fn is_explicit(self) -> bool {
        matches!(self, FoundBy::Flag | FoundBy::EnvVar)
    }
}

impl std::fmt::Display for FoundBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// An SDK `sdk list` found, and where.
#[derive(Debug, Clone, Serialize)]
pub struct FoundSdk {
    /// The SDK's folder.
    pub path: PathBuf,
    /// `VERSION`'s first line, e.g. `25.0`.
    pub version: String,
    /// The major version: `VERSION`'s first number.
    pub major: u32,
    /// The LLVM version `clang --version` reports, e.g. `19.1.7`.
    pub llvm_version: Option<String>,
    /// First line of `clang --version`.
    pub clang: String,
    /// How it was found.
    pub found_by: Vec<FoundBy>,
}

/// A folder that looks like an SDK but is unusable.
#[derive(Debug, Clone, Serialize)]
pub struct BrokenSdk {
    /// The folder.
    pub path: PathBuf,
    /// How it was found.
    pub found_by: FoundBy,
    /// Why it cannot be used.
    pub problem: String,
}

/// Every SDK in `given` (`--wasi-sdk`), `$WASI_SDK_PATH`, `/opt/wasi-sdk*` and the store, each once.
pub fn find_all(given: &[PathBuf]) -> (Vec<FoundSdk>, Vec<BrokenSdk>) {
    let mut candidates: Vec<(PathBuf, FoundBy)> =
        given.iter().map(|d| (d.clone(), FoundBy::Flag)).collect();
    if let Some(dir) = std::env::var_os("WASI_SDK_PATH").filter(|v| !v.is_empty()) {
        candidates.push((dir.into(), FoundBy::EnvVar));
    }
    candidates.extend(
        entries_starting_with(Path::new("/opt"), "wasi-sdk")
            .into_iter()
            .map(|p| (p, FoundBy::Opt)),
    );
    if let Some(root) = store_root() {
        candidates.extend(
            entries_starting_with(&root, "wasi-sdk-")
                .into_iter()
                .map(|p| (p, FoundBy::Store)),
        );
    }
    let (mut found, mut broken) = (Vec::<(PathBuf, FoundSdk)>::new(), Vec::new());
    for (dir, origin) in candidates {
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if let Some((_, seen)) = found.iter_mut().find(|(r, _)| *r == real) {
            if !seen.found_by.contains(&origin) {
                seen.found_by.push(origin);
            }
            continue;
        }
        match Sdk::inspect(&dir) {
            Ok(sdk) => found.push((real, sdk.found(origin))),
            Err(err) if dir.exists() => broken.push(BrokenSdk {
                path: dir,
                found_by: origin,
                problem: short_reason(&err),
            }),
            Err(_) => {}
        }
    }
    (found.into_iter().map(|(_, f)| f).collect(), broken)
}

/// A WASI SDK folder that passed inspection.
#[derive(Debug, Clone)]
pub struct Sdk {
    /// The SDK's folder.
    pub root: PathBuf,
    /// First line of `VERSION`, e.g. `25.0`.
    pub version: String,
    /// The major version: `VERSION`'s first number.
    pub major: u32,
    /// `VERSION` in full plus `clang --version`: two SDKs that differ in either never share a build.
    pub identity: String,
    /// First line of `clang --version`.
    pub clang: String,
}

impl Sdk {
    /// Find SDK `wanted`: in the folders `--wasi-sdk` names for it, else in
    /// `$WASI_SDK_PATH`, `/opt/wasi-sdk-<N>.0*`, the store and `/opt/wasi-sdk`.
    ///
    /// Among several candidates one of the wanted major version wins; failing
    /// that, the first usable one is returned, so that [`Sdk::check_version`]
    /// can say what is wrong (or build anyway with `--allow-sdk-mismatch`).
    pub fn discover(dirs: &SdkDirs, wanted: u32) -> Result<Sdk, SdkError> {
        let explicit = dirs.explicit_for(wanted);
        let candidates: Vec<(PathBuf, FoundBy)> = if explicit.is_empty() {
            searched(wanted)
        } else {
            explicit.into_iter().map(|d| (d, FoundBy::Flag)).collect()
        };
        let mut looked = Vec::new();
        let mut usable: Vec<Sdk> = Vec::new();
        for (dir, origin) in &candidates {
            match Sdk::inspect(dir) {
                Ok(sdk) if sdk.major == wanted => return Ok(sdk),
                Ok(sdk) => {
                    looked.push((dir.clone(), format!("({origin}) version {}", sdk.version)));
                    usable.push(sdk);
                }
                // A folder the user named explicitly that is broken is an error, not a reason to look elsewhere.
                Err(err @ SdkError::Broken { .. }) if dir.exists() && origin.is_explicit() => {
                    return Err(err)
                }
                Err(err) => {
                    looked.push((dir.clone(), format!("({origin}) {}", short_reason(&err))))
                }
            }
        }
        usable
            .into_iter()
            .next()
            .ok_or(SdkError::NotFound { wanted, looked })
    }

    /// This SDK as `sdk list` shows it.
    fn found(&self, origin: FoundBy) -> FoundSdk {
        FoundSdk {
            path: self.root.clone(),
            version: self.version.clone(),
            major: self.major,
            llvm_version: llvm_version(&self.clang),
            clang: self.clang.clone(),
            found_by: vec![origin],
        }
    }

    /// Read `VERSION` and the compiler's version of the SDK at `root`.
    pub fn inspect(root: &Path) -> Result<Sdk, SdkError> {
        // Builds run their tools from other folders: the SDK's paths must be absolute.
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_owned());
        let broken = |message: String| SdkError::Broken {
            path: root.to_owned(),
            message,
        };
        if !root.is_dir() {
            return Err(broken("not a folder".into()));
        }
        let version_file = root.join("VERSION");
        let version_text =
            std::fs::read_to_string(&version_file).map_err(|source| SdkError::Unreadable {
                path: root.to_owned(),
                what: "read VERSION".into(),
                source,
            })?;
        let version = version_text.lines().next().unwrap_or("").trim().to_owned();
        let major = version
            .split('.')
            .next()
            .and_then(|m| m.parse::<u32>().ok())
            .ok_or_else(|| {
                broken(format!(
                    "VERSION starts with `{version}`, not a version number"
                ))
            })?;
        let clang = root.join("bin/clang");
        let output = Command::new(&clang)
            .arg("--version")
            .output()
            .map_err(|source| SdkError::Unreadable {
                path: root.to_owned(),
                what: format!("run {}", clang.display()),
                source,
            })?;
        if !output.status.success() {
            return Err(broken(format!("{} --version failed", clang.display())));
        }
        for tool in ["llvm-ar", "llvm-ranlib", "llvm-nm"] {
            if !root.join("bin").join(tool).exists() {
                return Err(broken(format!("bin/{tool} is missing")));
            }
        }
        // `InstalledDir:` names the folder: the same SDK elsewhere is the same SDK.
        let clang_version: String = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.starts_with("InstalledDir:"))
            .map(|line| format!("{line}\n"))
            .collect();
        let identity = format!("{version_text}\n{clang_version}");
        Ok(Sdk {
            root: root.to_owned(),
            version,
            major,
            identity,
            clang: clang_version.lines().next().unwrap_or("").trim().to_owned(),
        })
    }

    /// Refuse an SDK of another major version unless the user insists.
    pub fn check_version(
        &self,
        wanted: u32,
        allow_mismatch: bool,
    ) -> Result<Option<String>, SdkError> {
        if self.major == wanted {
            return Ok(None);
        }
        let mismatch = SdkError::VersionMismatch {
            path: self.root.clone(),
            found: self.version.clone(),
            wanted,
        };
        if allow_mismatch {
            Ok(Some(format!(
                "{mismatch} (continuing: --allow-sdk-mismatch)"
            )))
        } else {
            Err(mismatch)
        }
    }

    /// The path of a tool in the SDK, e.g. `clang`.
    pub fn bin(&self, tool: &str) -> PathBuf {
        self.root.join("bin").join(tool)
    }

    /// The SDK's sysroot (wasi-libc headers and libraries).
    pub fn sysroot(&self) -> PathBuf {
        self.root.join("share/wasi-sysroot")
    }

    /// The SDK's `config.sub`, which knows the WASI triples.
    pub fn config_sub(&self) -> PathBuf {
        self.root.join("share/misc/config.sub")
    }
}

/// `Debian clang version 16.0.6 (15)` → `16.0.6`.
fn llvm_version(clang: &str) -> Option<String> {
    let rest = &clang[clang.find("clang version ")? + "clang version ".len()..];
    let version: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (!version.is_empty()).then_some(version)
}

fn short_reason(err: &SdkError) -> String {
    match err {
        SdkError::Broken { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasi_sdk_values_are_folders_or_version_pairs() {
        let values = ["/a".to_owned(), "25=/b=c".to_owned(), "x=/d".to_owned()];
        let dirs = SdkDirs::parse(&values).unwrap();
        assert_eq!(dirs.plain, [PathBuf::from("/a"), PathBuf::from("x=/d")]);
        assert_eq!(dirs.by_version[&25], PathBuf::from("/b=c"));
        assert_eq!(dirs.explicit_for(25), [PathBuf::from("/b=c")]);
        assert_eq!(dirs.explicit_for(24), dirs.plain);
        let twice = SdkDirs::parse(&["25=/a".into(), "25=/b".into()]).unwrap_err();
        assert!(
            twice.to_string().contains("SDK 25 is given twice"),
            "{twice}"
        );
    }

    #[test]
    fn llvm_versions_come_from_clang_banners() {
        assert_eq!(
            llvm_version("Debian clang version 16.0.6 (15)").as_deref(),
            Some("16.0.6")
        );
        assert_eq!(
            llvm_version("clang version 19.1.5-wasi-sdk (https://…)").as_deref(),
            Some("19.1.5")
        );
        assert_eq!(llvm_version("gcc 12"), None);
    }
}
