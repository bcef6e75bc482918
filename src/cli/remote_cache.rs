//! The remote cache's global options.

use std::path::PathBuf;
use std::sync::Arc;

use wasi_externals::cache::remote::{
    parse_size, KeyError, KeyProblem, PublicKey, RemoteMode, RemoteSettings, SecretKey,
    DEFAULT_MAX_OBJECT_SIZE,
};
use wasi_externals::config::CacheSettings;

/// The variable holding a signing key itself (`NAME:BASE64`), for CI secrets.
const SIGNING_KEY_VAR: &str = "WASI_EXTERNALS_SIGNING_KEY";

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
    /// The remote in effect: the command line's (or the environment's), else the config's.
    pub fn settings(self, config: &CacheSettings) -> Result<Option<RemoteSettings>, KeyError> {
        let from_flag = self.remote_cache.filter(|u| !u.is_empty());
        let default_mode = match from_flag {
            Some(_) => RemoteMode::ReadWrite,
            None => config.mode.unwrap_or(RemoteMode::Read),
        };
        let Some(url) = from_flag.or_else(|| config.remote.clone()) else {
            return Ok(None);
        };
        let mut trusted_keys = config.trusted_keys.clone();
        for (i, key) in self.trusted_key.iter().enumerate() {
            trusted_keys.push(PublicKey::parse(key, &format!("--trusted-key #{}", i + 1))?);
        }
        Ok(Some(RemoteSettings {
            url,
            mode: match self.remote_cache_mode {
                Some(Mode::Read) => RemoteMode::Read,
                Some(Mode::ReadWrite) => RemoteMode::ReadWrite,
                None => default_mode,
            },
            required: self.remote_cache_required,
            max_object_size: self
                .remote_max_object_size
                .or(config.max_object_size)
                .unwrap_or(DEFAULT_MAX_OBJECT_SIZE),
            signing_key: signing_key(self.signing_key)?.map(Arc::new),
            trusted_keys,
        }))
    }
}

/// The key from `--signing-key FILE`, else from WASI_EXTERNALS_SIGNING_KEY.
fn signing_key(file: Option<PathBuf>) -> Result<Option<SecretKey>, KeyError> {
    if let Some(file) = file {
        let what = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| KeyError {
            what: what.clone(),
            kind: "secret",
            problem: KeyProblem::Read(e),
        })?;
        return SecretKey::parse(&text, &what).map(Some);
    }
    match std::env::var(SIGNING_KEY_VAR) {
        Ok(text) if !text.trim().is_empty() => SecretKey::parse(&text, SIGNING_KEY_VAR).map(Some),
        _ => Ok(None),
    }
}
