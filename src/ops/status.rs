//! `status`: what is pinned and what the cache holds, without the network.

use serde::Serialize;

use crate::ops::Session;
use crate::source::SourceStore;
use crate::Error;

/// One dependency's pin and cache state: an element of `status --json`.
#[derive(Debug, Serialize)]
pub struct DepStatus {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The pinned tag.
    pub tag: crate::gitref::TagName,
    /// `None` when the dep is not locked yet.
    pub commit: Option<crate::gitref::CommitId>,
    /// The pinned commit and tree are in the cache.
    pub cached: bool,
}

/// What is pinned and what the cache already holds; never touches the network.
pub fn status(session: &Session) -> Result<Vec<DepStatus>, Error> {
    let config = session.profile()?;
    let store = if session.cache.sources().join("HEAD").exists() {
        Some(SourceStore::open(&session.cache.sources())?)
    } else {
        None
    };
    Ok(config
        .deps
        .values()
        .map(|pin| DepStatus {
            dep: pin.name.clone(),
            tag: pin.tag.clone(),
            commit: pin.commit,
            cached: store.as_ref().is_some_and(|s| s.has_pinned(pin)),
        })
        .collect())
}
