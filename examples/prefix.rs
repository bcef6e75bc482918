//! Build a prefix with the library API and print the hand-over for CPython's configure.
//!
//! ```sh
//! cargo run --example prefix -- deps.toml cross-build/externals [/opt/wasi-sdk-24.0]
//! ```

use std::path::PathBuf;

use wasi_externals::cache::Cache;
use wasi_externals::ops::{self, BuildOptions, Session};
use wasi_externals::report::Silent;
use wasi_externals::sdk::SdkDirs;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(config), Some(prefix)) = (args.next(), args.next()) else {
        return Err("usage: prefix DEPS.TOML PREFIX [WASI_SDK]".into());
    };
    // deps.toml is read when the build first needs it; a fleet's remote
    // cache would be `.with_remote(RemoteFlags { url: Some(…), ..Default::default() })`.
    let session =
        Session::new(Cache::new(Cache::default_root()?), &Silent).with_config_file(config);
    let report = ops::build(
        &session,
        &BuildOptions {
            deps: Vec::new(), // all
            prefix: Some(prefix.clone()),
            wasi_sdk: SdkDirs {
                plain: args.next().into_iter().collect(),
                ..SdkDirs::default()
            },
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            allow_sdk_mismatch: false,
            dry_run: false,
            force: false,
        },
    )?;
    for dep in &report.deps {
        println!("# {} {}: {:?}", dep.dep, dep.version, dep.status);
    }
    for (key, value) in ops::env(&prefix, &SdkDirs::default())?.variables {
        println!("{key}={value}");
    }
    Ok(())
}
