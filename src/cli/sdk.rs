use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use wasi_externals::config::{Config, ConfigError};
use wasi_externals::ops::{self, SdkInstallOptions};
use wasi_externals::report::Reporter;
use wasi_externals::sdk::{self, BrokenSdk, FoundSdk, Sdk, SdkDirs};

use super::Output;

/// The WASI SDKs on this machine, which one a build would use, and installing one
///
/// Example:
///
///   wasi-externals sdk list
///   wasi-externals --python 3.14 sdk path
///   wasi-externals sdk install 25
#[derive(clap::Subcommand)]
#[command(verbatim_doc_comment)]
pub enum Command {
    /// List every WASI SDK found, and which profiles want it
    ///
    /// Looks at $WASI_SDK_PATH, /opt/wasi-sdk*, the SDK store and the
    /// --wasi-sdk folders; shows each one's version, path and LLVM version.
    ///
    /// Example:
    ///
    ///   wasi-externals sdk list --wasi-sdk 25=$HOME/wasi-sdk-25
    #[command(verbatim_doc_comment)]
    List {
        /// More folders to look at: DIR or N=DIR (repeatable).
        #[arg(long, value_name = "[N=]DIR")]
        wasi_sdk: Vec<String>,
    },
    /// Print the folder of the SDK `build` would use
    ///
    /// With --python X: for that profile. Without one found, says which
    /// version is missing and where it was looked for.
    ///
    /// Example:
    ///
    ///   CC="$(wasi-externals --python 3.13 sdk path)/bin/clang"
    #[command(verbatim_doc_comment)]
    Path {
        /// The SDK to use: DIR, or N=DIR for SDK N (repeatable), as `build` takes it.
        #[arg(long, value_name = "[N=]DIR")]
        wasi_sdk: Vec<String>,
    },
    /// Download an official WASI SDK release into the SDK store
    ///
    /// The version is N, else the --python profile's, else deps.toml's
    /// [sdk] version. The URL and sha256 come from the release table built
    /// into this program (sdks.toml), replaced by deps.toml ([sdk] url and
    /// sha256; sdk-url and sdk-sha256 in a [python."X"] profile) and by
    /// --sdk-url / --sha256. The sha256 is checked before anything is
    /// unpacked, and the SDK appears in the store in one step. An SDK that
    /// is already there is kept as it is. Proxies: HTTPS_PROXY, NO_PROXY.
    ///
    /// Example:
    ///
    ///   wasi-externals sdk install 25
    ///   wasi-externals --python 3.14 sdk install
    ///   wasi-externals sdk install 24 --sdk-url https://mirror.example/wasi-sdk-24.0-x86_64-linux.tar.gz
    #[command(verbatim_doc_comment)]
    Install {
        /// The SDK major version, e.g. 25 [default: the --python profile's, else `[sdk] version`].
        #[arg(value_name = "N")]
        version: Option<u32>,
        /// Download from this URL instead (a mirror, or a build of one's own).
        #[arg(long, value_name = "URL")]
        sdk_url: Option<String>,
        /// The sha256 the download must have (64 hex digits); needed where none is known.
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// The largest download accepted, e.g. 500MiB [default: 4GiB]; a bigger or endless one is refused.
        #[arg(long, value_name = "SIZE", value_parser = wasi_externals::cache::remote::parse_size)]
        max_size: Option<u64>,
    },
}

/// One found SDK and the profiles that want its major version.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    sdk: FoundSdk,
    /// Profiles whose `sdk` is this major version; `default` for the top-level `[sdk]`.
    wanted_by: Vec<String>,
}

/// A version deps.toml wants that no SDK found has.
#[derive(Serialize)]
struct Missing {
    version: u32,
    wanted_by: Vec<String>,
    /// Where `build` would look for it first in the SDK store.
    store: Option<PathBuf>,
}

#[derive(Serialize)]
struct Listing {
    sdks: Vec<Listed>,
    missing: Vec<Missing>,
    broken: Vec<BrokenSdk>,
    /// Where installed SDKs are kept: `<store>/wasi-sdk-<N>`.
    store: Option<PathBuf>,
}

#[derive(Serialize)]
struct Chosen {
    python: Option<String>,
    path: PathBuf,
    version: String,
    target: String,
}

/// What `sdk` subcommands need from the global options.
pub struct Globals<'a> {
    pub config_path: &'a Path,
    pub python: &'a [String],
    pub offline: bool,
    pub reporter: &'a dyn Reporter,
}

pub fn run(
    globals: &Globals<'_>,
    command: Command,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    let (config_path, python) = (globals.config_path, globals.python);
    match command {
        Command::Install {
            version,
            sdk_url,
            sha256,
            max_size,
        } => {
            let options = SdkInstallOptions {
                version,
                url: sdk_url,
                sha256,
                offline: globals.offline,
                max_size,
            };
            install(globals, options, output)
        }
        Command::List { wasi_sdk } => list(config_path, &SdkDirs::parse(&wasi_sdk)?, output),
        Command::Path { wasi_sdk } => {
            let config = super::one_profile(Config::load(config_path)?, python)?;
            let sdk = Sdk::discover(&SdkDirs::parse(&wasi_sdk)?, config.sdk.version)?;
            sdk.check_version(config.sdk.version, false)?;
            let chosen = Chosen {
                python: config.python.clone(),
                path: sdk.root,
                version: sdk.version,
                target: config.sdk.target.to_string(),
            };
            output.result(&chosen, |c| println!("{}", c.path.display()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn install(
    globals: &Globals<'_>,
    options: SdkInstallOptions,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    // With N alone, deps.toml is optional; for its version or a profile, it is needed.
    let config = if options.version.is_some() && globals.python.is_empty() {
        optional_config(globals.config_path)?
    } else {
        Some(super::one_profile(
            Config::load(globals.config_path)?,
            globals.python,
        )?)
    };
    let installed = ops::sdk_install(config.as_ref(), &options, globals.reporter)?;
    output.result(&installed, |i| {
        let what = if i.downloaded {
            "installed"
        } else {
            "already installed; nothing downloaded"
        };
        eprintln!("WASI SDK {} {what}: {}", i.version, i.path.display());
        println!("{}", i.path.display());
    });
    Ok(ExitCode::SUCCESS)
}

/// deps.toml, or `None` when there is none (other errors are errors).
fn optional_config(path: &Path) -> Result<Option<Config>, wasi_externals::Error> {
    match Config::load(path) {
        Ok(config) => Ok(Some(config)),
        Err(ConfigError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(err) => Err(err.into()),
    }
}

/// Major version → the profiles that want it (`default` for the top-level `[sdk]`).
fn wants(config: Option<&Config>) -> std::collections::BTreeMap<u32, Vec<String>> {
    let mut wants = std::collections::BTreeMap::<u32, Vec<String>>::new();
    if let Some(config) = config {
        wants
            .entry(config.sdk.version)
            .or_default()
            .push("default".into());
        for (name, profile) in &config.profiles {
            wants
                .entry(profile.sdk.version)
                .or_default()
                .push(name.clone());
        }
    }
    wants
}

fn list(
    config_path: &Path,
    dirs: &SdkDirs,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    // Works without a deps.toml: then no profile wants anything.
    let config = optional_config(config_path)?;
    let wants = wants(config.as_ref());
    let (found, broken) = sdk::find_all(&dirs.all());
    let missing = wants
        .iter()
        .filter(|(major, _)| !found.iter().any(|f| f.major == **major))
        .map(|(major, by)| Missing {
            version: *major,
            wanted_by: by.clone(),
            store: sdk::store_dir(*major),
        })
        .collect();
    let sdks = found
        .into_iter()
        .map(|sdk| Listed {
            wanted_by: wants.get(&sdk.major).cloned().unwrap_or_default(),
            sdk,
        })
        .collect();
    let listing = Listing {
        sdks,
        missing,
        broken,
        store: sdk::store_root(),
    };
    output.result(&listing, show);
    Ok(ExitCode::SUCCESS)
}

fn show(listing: &Listing) {
    println!("{:<8} {:<8} {:<22} path", "version", "llvm", "wanted by");
    for l in &listing.sdks {
        println!(
            "{:<8} {:<8} {:<22} {} ({})",
            l.sdk.version,
            l.sdk.llvm_version.as_deref().unwrap_or("?"),
            l.wanted_by.join(", "),
            l.sdk.path.display(),
            l.sdk
                .found_by
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for m in &listing.missing {
        let store = m
            .store
            .as_ref()
            .map_or(String::new(), |s| format!(" (into {})", s.display()));
        println!(
            "missing: WASI SDK {} for {}: `wasi-externals sdk install {}`{store}, or pass --wasi-sdk {}=DIR",
            m.version,
            m.wanted_by.join(", "),
            m.version,
            m.version
        );
    }
    for b in &listing.broken {
        println!(
            "unusable: {} ({}): {}",
            b.path.display(),
            b.found_by,
            b.problem
        );
    }
}
