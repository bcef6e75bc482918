//! The remote cache's global options.

use wasi_externals::cache::remote::{RemoteMode, RemoteSettings};

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
    /// A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH
    /// [default: `[cache] remote` in deps.toml]. Credentials come only from the backend's
    /// environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "WASI_EXTERNALS_REMOTE_CACHE"
    )]
    remote_cache: Option<String>,
    /// Download only (`read`), or also upload what this machine builds.
    #[arg(long, global = true, value_enum, default_value = "read-write")]
    remote_cache_mode: Mode,
    /// Fail when the remote cache cannot be reached, instead of working locally.
    #[arg(long, global = true)]
    remote_cache_required: bool,
}

impl Args {
    /// The remote in effect: the command line's (or the environment's), else the config's.
    pub fn settings(self, config_remote: Option<String>) -> Option<RemoteSettings> {
        let url = self
            .remote_cache
            .filter(|u| !u.is_empty())
            .or(config_remote)?;
        Some(RemoteSettings {
            url,
            mode: match self.remote_cache_mode {
                Mode::Read => RemoteMode::Read,
                Mode::ReadWrite => RemoteMode::ReadWrite,
            },
            required: self.remote_cache_required,
        })
    }
}
