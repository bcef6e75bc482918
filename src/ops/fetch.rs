use std::path::PathBuf;

use crate::ops::Context;
use crate::source::Fetched;
use crate::Error;

/// What [`fetch()`] fetches.
pub struct FetchOptions {
    /// Fetch only these deps; all when empty.
    pub deps: Vec<String>,
    /// Also check each dep out into `<into>/<dep>`.
    pub into: Option<PathBuf>,
}

/// Make the pinned sources available in the cache (and optionally as plain folders).
pub fn fetch(ctx: &Context, options: &FetchOptions) -> Result<Vec<Fetched>, Error> {
    let pins = ctx.config.select(&options.deps)?;
    let lock = ctx.cache.lock(ctx.reporter)?;
    let store = ctx.open_sources()?;
    let remote = super::remote_cache::Remote::open(ctx)?;
    remote.fill_sources(&lock, &store, &pins)?;
    remote.finish("fetch");
    let fetched = store.fetch(
        &pins,
        &ctx.remotes(),
        ctx.offline,
        ctx.reporter,
        &ctx.interrupt,
    )?;
    if let Some(into) = &options.into {
        for pin in &pins {
            let dest = into.join(&pin.name);
            if dest.exists() {
                return Err(Error::DestinationExists { path: dest });
            }
            store.checkout(pin, &dest, &ctx.interrupt)?;
        }
    }
    Ok(fetched)
}
