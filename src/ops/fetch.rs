//! `fetch`: the pinned sources into the cache (from the remote cache when it
//! has them), each proved to be the pinned commit and tree.

use std::path::PathBuf;

use crate::ops::Session;
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
pub fn fetch(session: &Session, options: &FetchOptions) -> Result<Vec<Fetched>, Error> {
    let pins = session.profile()?.select(&options.deps)?;
    let lock = session.cache.lock(session.reporter)?;
    let store = session.open_sources()?;
    let remote = super::remote_cache::Remote::open(session)?;
    remote.fill_sources(&lock, &store, &pins)?;
    remote.finish("fetch");
    let fetched = store.fetch(
        &pins,
        &session.remotes()?,
        session.offline,
        session.reporter,
        &session.interrupt,
    )?;
    store.verify_archives(&pins)?;
    if let Some(into) = &options.into {
        for pin in &pins {
            let dest = into.join(&pin.name);
            if dest.exists() {
                return Err(Error::DestinationExists { path: dest });
            }
            store.checkout(pin, &dest, &session.interrupt)?;
        }
    }
    Ok(fetched)
}
