//! The remote cache inside commands: looked up after the local cache and
//! before building or fetching, filled after building.
//!
//! The remote never makes a build fail unless `--remote-cache-required`: a
//! corrupt, oversized or untrusted object is ignored with a warning (and the
//! dep built), a remote that is down is reported once and not asked again in
//! this run. With `--remote-cache-required` every one of those is an error,
//! and an S3 bucket that does not exist is one before any work starts.

use std::cell::Cell;

use serde::Serialize;

use crate::cache::remote::{self, RemoteCache, RemoteError, RemoteMode};
use crate::cache::stats::RunStats;
use crate::cache::CacheLock;
use crate::config::DepPin;
use crate::key::BuildKey;
use crate::ops::Session;
use crate::plan::{Action, DepPlan};
use crate::report::Event;
use crate::source::SourceStore;
use crate::Error;

/// The object holding the pinned sources of `pin`.
fn source_name(pin: &DepPin) -> Option<String> {
    pin.locked()
        .map(|(commit, _)| format!("sources/{}-{commit}.pack", pin.name))
}

/// One command's use of the remote cache (inactive when none is configured).
pub(crate) struct Remote<'a> {
    session: &'a Session<'a>,
    cache: Option<RemoteCache>,
    required: bool,
    /// Set after the first failure to reach the remote: it is not asked again.
    down: Cell<bool>,
}

impl<'a> Remote<'a> {
    /// The remote the command line, the environment or deps.toml names; none with `--offline`.
    pub fn open(session: &'a Session<'a>) -> Result<Remote<'a>, Error> {
        let inactive = |required| Remote {
            session,
            cache: None,
            required,
            down: Cell::new(false),
        };
        let Some(settings) = session.remote()? else {
            return Ok(inactive(false));
        };
        if session.offline {
            let message = "note: --offline: the remote cache is not used";
            session.reporter.event(Event::Note { message });
            return Ok(inactive(false));
        }
        let timeout = std::time::Duration::from_secs(session.config()?.source.timeout_seconds);
        let cache = RemoteCache::open(settings, timeout)?;
        if settings.required {
            cache
                .check()
                .map_err(|source| Error::RemoteRequired { source })?;
        }
        Ok(Remote {
            session,
            cache: Some(cache),
            required: settings.required,
            down: Cell::new(false),
        })
    }

    /// The remote, unless none is configured or it failed earlier in this run.
    fn active(&self) -> Option<&RemoteCache> {
        self.cache.as_ref().filter(|_| !self.down.get())
    }

    fn writable(&self) -> Option<&RemoteCache> {
        self.active().filter(|r| r.mode() == RemoteMode::ReadWrite)
    }

    /// Warn about `err` and go on, or fail when the remote is required.
    fn failed(&self, remote: &RemoteCache, err: RemoteError) -> Result<(), Error> {
        if self.required {
            return Err(Error::RemoteRequired { source: err });
        }
        if err.is_unreachable() {
            self.down.set(true);
            remote.with_stats(|s| s.unreachable = true);
        }
        if err.is_rejection() {
            remote.with_stats(|s| s.rejected += 1);
        }
        let message = match err.is_unreachable() {
            true => format!("warning: {err}; working locally"),
            false => format!("warning: {err}; ignored"),
        };
        self.session
            .reporter
            .event(Event::Note { message: &message });
        remote.with_stats(|s| s.warnings.push(message.clone()));
        Ok(())
    }

    /// Download the builds that `plans` would compile; those found become [`Action::UseCached`].
    pub fn fill_builds(&self, lock: &CacheLock, plans: &mut [DepPlan]) -> Result<(), Error> {
        if let Some(remote) = self.active() {
            let keys: Vec<&BuildKey> = plans
                .iter()
                .filter(|p| p.action == Action::Build)
                .map(|p| &p.key)
                .collect();
            remote::prefetch_builds(remote, &keys);
        }
        for plan in plans.iter_mut().filter(|p| p.action == Action::Build) {
            let hit = match self.active() {
                Some(remote) => {
                    match remote::download_build(remote, &self.session.cache, lock, &plan.key) {
                        Ok(found) => found,
                        Err(err) => self.failed(remote, err).map(|()| false)?,
                    }
                }
                None => false,
            };
            if let Some(remote) = &self.cache {
                remote.with_stats(|s| if hit { s.hits += 1 } else { s.misses += 1 });
            }
            if hit {
                plan.action = Action::UseCached;
                let message = format!(
                    "{}: downloaded build {} from {}",
                    plan.pin.name,
                    plan.key.short(),
                    self.cache.as_ref().map_or("", |r| r.url())
                );
                self.session
                    .reporter
                    .event(Event::Note { message: &message });
            }
        }
        Ok(())
    }

    /// Download the pinned sources of `pins` that `store` lacks.
    pub fn fill_sources(
        &self,
        lock: &CacheLock,
        store: &SourceStore,
        pins: &[&DepPin],
    ) -> Result<(), Error> {
        let missing: Vec<&&DepPin> = pins.iter().filter(|p| !store.has_pinned(p)).collect();
        if let Some(remote) = self.active() {
            let names: Vec<String> = missing.iter().filter_map(|pin| source_name(pin)).collect();
            remote.prefetch(&names);
        }
        for pin in missing {
            let (Some(remote), Some(name)) = (self.active(), source_name(pin)) else {
                continue;
            };
            if let Err(err) = self.download_source(remote, lock, store, pin, &name) {
                self.failed(remote, err)?;
            }
        }
        Ok(())
    }

    fn download_source(
        &self,
        remote: &RemoteCache,
        lock: &CacheLock,
        store: &SourceStore,
        pin: &DepPin,
        name: &str,
    ) -> Result<(), RemoteError> {
        let Some(pack) = remote.get(name)? else {
            return Ok(());
        };
        let mut reader = pack
            .reader()
            .map_err(|e| remote.local("read the download", e))?;
        let scratch = self
            .session
            .cache
            .scratch(lock)
            .map_err(|e| remote.local("make a scratch folder", e))?;
        store
            .add_pack(pin, &mut reader, remote.max_object_size(), scratch.path())
            .map_err(|e| remote.rejected(name, &e))?;
        remote.with_stats(|s| s.sources_down += 1);
        Ok(())
    }

    /// Upload the builds with `keys` and the sources of `pins` (read-write mode only).
    pub fn upload(
        &self,
        store: &SourceStore,
        keys: &[&BuildKey],
        pins: &[&DepPin],
    ) -> Result<(), Error> {
        for key in keys {
            let Some(remote) = self.writable() else {
                return Ok(());
            };
            if let Err(err) = remote::upload_build(remote, &self.session.cache, key) {
                self.failed(remote, err)?;
            }
        }
        for pin in pins {
            let Some(remote) = self.writable() else {
                return Ok(());
            };
            if let Err(err) = self.upload_source(remote, store, pin) {
                self.failed(remote, err)?;
            }
        }
        Ok(())
    }

    /// Upload the pack of `pin` unless the remote has it (or the store lacks the sources).
    fn upload_source(
        &self,
        remote: &RemoteCache,
        store: &SourceStore,
        pin: &DepPin,
    ) -> Result<(), RemoteError> {
        let Some(name) = source_name(pin).filter(|_| store.has_pinned(pin)) else {
            return Ok(());
        };
        if remote.exists(&name)? {
            return Ok(());
        }
        let pack = store
            .pack_of(pin)
            .map_err(|e| remote.local("pack the sources", e))?;
        remote.put(&name, pack)?;
        remote.with_stats(|s| s.sources_up += 1);
        Ok(())
    }

    /// Save this run's counters for `cache stats`; the counters, when a remote was configured.
    pub fn finish(&self, command: &str) -> Option<RunStats> {
        let remote = self.cache.as_ref()?;
        let mut stats = remote.stats();
        stats.command = command.to_owned();
        let _ = stats.save(self.session.cache.root());
        Some(stats)
    }
}

/// What `cache push` uploaded.
#[derive(Debug, Serialize)]
pub struct PushReport {
    /// The remote cache, credentials removed.
    pub url: String,
    /// Build entries uploaded.
    pub builds: usize,
    /// Source packs uploaded.
    pub sources: usize,
    /// The transfer counters of this push.
    pub stats: RunStats,
}

/// Upload every local build and the pinned sources of every dep the store holds.
pub fn cache_push(session: &Session) -> Result<PushReport, Error> {
    let config = session.profile()?;
    let remote = Remote::open(session)?;
    let Some(active) = remote.cache.as_ref() else {
        return Err(Error::NoRemoteCache);
    };
    if active.mode() != RemoteMode::ReadWrite {
        return Err(Error::NoRemoteCache);
    }
    let remote = Remote {
        required: true,
        ..remote
    };
    let lock = session.cache.lock(session.reporter)?;
    let store = session.open_sources()?;
    let listing = session.cache.list();
    let keys: Vec<&BuildKey> = listing.builds.iter().map(|b| &b.key).collect();
    let pins: Vec<&DepPin> = config.deps.values().collect();
    remote.upload(&store, &keys, &pins)?;
    drop(lock);
    let stats = remote.finish("cache push").unwrap_or_default();
    Ok(PushReport {
        url: stats.url.clone(),
        builds: stats.builds_up as usize,
        sources: stats.sources_up as usize,
        stats,
    })
}
