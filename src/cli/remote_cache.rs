//! The remote cache's global options, parsed into [`RemoteFlags`].

use std::path::PathBuf;

use wasi_externals::cache::remote::{parse_size, RemoteMode};
use wasi_externals::ops::RemoteFlags;

/// Whether this machine uploads to the remote cache.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Mode {
    /// Download only.
    Read,
    /// Download, and upload what this machine builds.
    ReadWrite,
}

#[derive(clap::Args)]
pub struct Args {
    /// A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://[USER:PASSWORD@]HOST/PATH or
    /// file:///PATH [default: `[cache] remote` in deps.toml]. S3 credentials come from the backend's
    /// environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION);
    /// an HTTP URL's user and password are sent as basic authentication. Neither is ever printed.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "WASI_EXTERNALS_REMOTE_CACHE"
    )]
    remote_cache: Option<String>,
    /// Download only (`read`), or also upload what this machine builds
    /// [default: `read-write` for --remote-cache, `[cache] mode` or `read` for deps.toml's remote].
    #[arg(long, global = true, value_enum)]
    remote_cache_mode: Option<Mode>,
    /// Fail when the remote cache cannot be used (unreachable, missing bucket, a rejected or
    /// untrusted object), instead of working locally.
    #[arg(long, global = true)]
    remote_cache_required: bool,
    /// The largest remote object to download, e.g. 268435456 or 256MiB
    /// [default: `[cache] max-object-size`, else 1GiB].
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_size)]
    remote_max_object_size: Option<u64>,
    /// Sign every build uploaded with this ed25519 secret key file (`NAME:BASE64`, as
    /// `cache keygen` writes); the key itself may be given in WASI_EXTERNALS_SIGNING_KEY instead.
    #[arg(long, global = true, value_name = "FILE")]
    signing_key: Option<PathBuf>,
    /// Install only remote builds signed by this public key (`NAME:BASE64`); repeatable,
    /// added to `[cache] trusted-keys`.
    #[arg(long, global = true, value_name = "KEY", action = clap::ArgAction::Append)]
    trusted_key: Vec<String>,
}

impl Args {
    /// The flags as given; [`RemoteFlags::settings`] lays them over deps.toml's `[cache]`.
    pub fn flags(self) -> RemoteFlags {
        RemoteFlags {
            url: self.remote_cache,
            mode: self.remote_cache_mode.map(|mode| match mode {
                Mode::Read => RemoteMode::Read,
                Mode::ReadWrite => RemoteMode::ReadWrite,
            }),
            required: self.remote_cache_required,
            max_object_size: self.remote_max_object_size,
            signing_key: self.signing_key,
            trusted_keys: self.trusted_key,
        }
    }
}
