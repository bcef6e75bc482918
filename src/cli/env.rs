//! `env`'s arguments and its three renderings of the hand-over to CPython's
//! configure (export lines, one line of arguments, JSON); the reading is `ops::env`.

use std::path::PathBuf;
use std::process::ExitCode;

use wasi_externals::compile::shell_quote;
use wasi_externals::ops;
use wasi_externals::prefix::option_variable;
use wasi_externals::sdk::SdkDirs;

use super::Output;

/// Print what CPython's configure needs to use a prefix
///
/// CPython's WASI script overrides PKG_CONFIG_* and CONFIG_SITE, so the
/// reliable hand-over is configure arguments after `--`:
///
///   python3 Tools/wasm/wasi.py configure-host -- $(wasi-externals env --prefix P --format args)
///
/// or, keeping quoting intact:
///
///   eval "set -- $(wasi-externals env --prefix P --format args)"
///   python3 Tools/wasm/wasi.py configure-host -- "$@"
///
/// The build also writes P/config.site with the same variables.
///
/// With --wasi-sdk, the SDK that will compile CPython must be the one the
/// prefix was built with (its VERSION and clang, as the manifest records
/// them); another one is refused, since wasi-libc versions must not be mixed.
///
/// Example:
///
///   wasi-externals env --prefix P               # export lines for a shell
///   wasi-externals env --prefix P --format json
///   wasi-externals env --prefix P --wasi-sdk /opt/wasi-sdk-24.0   # refuses another SDK
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The prefix `wasi-externals build` installed into.
    #[arg(long, value_name = "DIR")]
    prefix: PathBuf,
    /// Check that the prefix was built with this WASI SDK (VERSION and clang) and refuse otherwise:
    /// DIR, or N=DIR (repeatable) [default: no check].
    #[arg(long, value_name = "[N=]DIR")]
    wasi_sdk: Vec<String>,
    /// `sh`: export lines; `args`: one line of quoted configure arguments; `json`: a map.
    #[arg(long, value_enum, default_value = "sh")]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Sh,
    Args,
    Json,
}

pub fn run(args: Args, output: &Output) -> Result<ExitCode, wasi_externals::Error> {
    let handover = ops::env(&args.prefix, &SdkDirs::parse(&args.wasi_sdk)?)?;
    match (args.format, output.json) {
        (Format::Json, _) | (_, true) => {
            let mut map = serde_json::Map::new();
            for (key, value) in &handover.variables {
                map.insert(key.clone(), value.clone().into());
            }
            let value = serde_json::json!({ "variables": map, "configure_args": configure_args(&handover) });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).expect("serializes")
            );
        }
        (Format::Sh, false) => {
            // `--with-X=V` as autoconf's own variable `with_X`: configure takes it from the environment.
            let options = handover.options.iter().filter_map(|o| option_variable(o));
            for (key, value) in handover.variables.iter().cloned().chain(options) {
                println!("export {key}={}", shell_quote(&value));
            }
        }
        (Format::Args, false) => println!(
            "{}",
            configure_args(&handover)
                .iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments for after `--`: the variables CPython's configure reads, then plain options.
fn configure_args(handover: &ops::Handover) -> Vec<String> {
    handover
        .variables
        .iter()
        .filter(|(key, _)| key != "PKG_CONFIG_LIBDIR")
        .map(|(key, value)| format!("{key}={value}"))
        .chain(handover.options.iter().cloned())
        .collect()
}
