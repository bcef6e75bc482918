//! Finding the WASI SDK and saying exactly which one it is.
//!
//! wasi-libc is neither forward nor backward compatible, so the SDK's identity
//! (its `VERSION` file and its compiler's own version) is part of every build key.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why no usable WASI SDK was found.
#[derive(Debug, thiserror::Error)]
pub enum SdkError {
    /// No candidate folder holds the wanted SDK.
    #[error(
        "no WASI SDK {wanted} found; looked at:\n{}\n  install wasi-sdk-{wanted} (e.g. into /opt/wasi-sdk-{wanted}.0) or pass --wasi-sdk DIR / set WASI_SDK_PATH",
        .looked.iter().map(|(p, why)| format!("  {}: {why}", p.display())).collect::<Vec<_>>().join("\n")
    )]
    NotFound {
        /// The SDK major version deps.toml pins.
        wanted: u32,
        /// Every folder looked at, and why it did not qualify.
        looked: Vec<(PathBuf, String)>,
    },
    /// The SDK's major version differs from deps.toml's.
    #[error(
        "the WASI SDK at {path} is version {found}, but deps.toml pins SDK {wanted}\n  \
         libraries built with one wasi-libc must not be linked with another: use SDK {wanted} \
         (--wasi-sdk DIR), change `[sdk] version`, or pass --allow-sdk-mismatch to build anyway"
    )]
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
}

impl Sdk {
    /// Search `explicit`, `$WASI_SDK_PATH`, `/opt/wasi-sdk-<N>.0*`, `/opt/wasi-sdk`, in that order.
    pub fn discover(explicit: Option<&Path>, wanted: u32) -> Result<Sdk, SdkError> {
        let mut candidates: Vec<(PathBuf, &str)> = Vec::new();
        if let Some(dir) = explicit {
            candidates.push((dir.to_owned(), "--wasi-sdk"));
        }
        if let Some(dir) = std::env::var_os("WASI_SDK_PATH").filter(|v| !v.is_empty()) {
            candidates.push((dir.into(), "$WASI_SDK_PATH"));
        }
        let mut versioned: Vec<PathBuf> = std::fs::read_dir("/opt")
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("wasi-sdk-{wanted}.0")))
            })
            .collect();
        versioned.sort();
        candidates.extend(versioned.into_iter().map(|p| (p, "/opt")));
        candidates.push(("/opt/wasi-sdk".into(), "/opt"));

        let mut looked = Vec::new();
        for (index, (dir, origin)) in candidates.iter().enumerate() {
            let explicit_choice = index == 0 && (explicit.is_some() || *origin == "$WASI_SDK_PATH");
            match Sdk::inspect(dir) {
                Ok(sdk) => return Ok(sdk),
                // A folder the user named explicitly that is broken is an error, not a reason to look elsewhere.
                Err(err @ SdkError::Broken { .. }) if explicit_choice && dir.exists() => {
                    return Err(err)
                }
                Err(err) => {
                    looked.push((dir.clone(), format!("({origin}) {}", short_reason(&err))))
                }
            }
        }
        Err(SdkError::NotFound { wanted, looked })
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
        let version_text = std::fs::read_to_string(&version_file)
            .map_err(|e| broken(format!("cannot read VERSION: {e}")))?;
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
            .map_err(|e| broken(format!("cannot run {}: {e}", clang.display())))?;
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

fn short_reason(err: &SdkError) -> String {
    match err {
        SdkError::Broken { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
