//! `sdk list`, `sdk path` and `sdk install`: their arguments and how their
//! results are shown; the work is `ops::sdk_*`.

use std::process::ExitCode;

use wasi_externals::ops::{self, SdkInstallOptions, SdkListing, Session};
use wasi_externals::sdk::SdkDirs;

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

pub fn run(
    session: &Session,
    command: Command,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
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
                max_size,
            };
            let installed = ops::sdk_install(session, &options)?;
            output.result(&installed, |i| {
                let what = if i.downloaded {
                    "installed"
                } else {
                    "already installed; nothing downloaded"
                };
                eprintln!("WASI SDK {} {what}: {}", i.version, i.path.display());
                println!("{}", i.path.display());
            });
        }
        Command::List { wasi_sdk } => {
            output.result(&ops::sdk_list(session, &SdkDirs::parse(&wasi_sdk)?)?, show)
        }
        Command::Path { wasi_sdk } => {
            let chosen = ops::sdk_path(session, &SdkDirs::parse(&wasi_sdk)?)?;
            output.result(&chosen, |c| println!("{}", c.path.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(listing: &SdkListing) {
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
