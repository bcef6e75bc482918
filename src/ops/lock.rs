use serde::Serialize;

use crate::ops::Context;
use crate::Error;

/// What [`lock()`] resolves.
pub struct LockOptions {
    /// Lock only these deps; all when empty.
    pub deps: Vec<String>,
    /// Change nothing; fail when a pin differs from what the source has now.
    pub check: bool,
}

/// One dependency's pin, as resolved on the source.
#[derive(Debug, Serialize)]
pub struct LockEntry {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The git tag pinned in deps.toml.
    pub tag: String,
    /// The commit the tag resolves to on the source.
    pub commit: String,
    /// That commit's tree.
    pub tree: String,
    /// The commit pinned before, if any.
    pub previous_commit: Option<String>,
    /// Whether the pin differs from what was pinned before.
    pub changed: bool,
}

/// What [`lock()`] did: its `--json` output.
#[derive(Debug, Serialize)]
pub struct LockReport {
    /// One entry per dependency.
    pub deps: Vec<LockEntry>,
    /// The source the tags were resolved on.
    pub url: Option<String>,
    /// Whether the config file was rewritten.
    pub written: bool,
}

/// Resolve tags on the source and pin their commits and trees in the config.
pub fn lock(ctx: &Context, options: &LockOptions) -> Result<LockReport, Error> {
    if ctx.offline {
        return Err(Error::OfflineLock);
    }
    let pins = ctx.config.select(&options.deps)?;
    let _lock = ctx.cache.lock(ctx.reporter)?;
    let store = ctx.open_sources()?;
    let resolved = store.resolve(&pins, &ctx.remotes(), ctx.reporter, &ctx.interrupt)?;
    let entries: Vec<LockEntry> = pins
        .iter()
        .zip(&resolved)
        .map(|(pin, res)| {
            let previous = pin.commit.map(|c| c.to_string());
            let changed = previous.as_deref() != Some(res.commit.as_str())
                || pin.tree.map(|t| t.to_string()).as_deref() != Some(res.tree.as_str());
            LockEntry {
                dep: pin.name.clone(),
                tag: pin.tag.clone(),
                commit: res.commit.clone(),
                tree: res.tree.clone(),
                previous_commit: previous,
                changed,
            }
        })
        .collect();
    let url = resolved.first().map(|r| r.url.clone());
    if options.check {
        let stale: Vec<&LockEntry> = entries.iter().filter(|e| e.changed).collect();
        if !stale.is_empty() {
            return Err(Error::LockOutdated {
                path: ctx.config.path.clone(),
                details: stale
                    .iter()
                    .map(|e| match &e.previous_commit {
                        Some(old) => format!(
                            "{} ({}): pinned {old}, source has {}",
                            e.dep, e.tag, e.commit
                        ),
                        None => {
                            format!("{} ({}): not locked, source has {}", e.dep, e.tag, e.commit)
                        }
                    })
                    .collect(),
            });
        }
        return Ok(LockReport {
            deps: entries,
            url,
            written: false,
        });
    }
    let updates: Vec<_> = entries
        .iter()
        .filter(|e| e.changed)
        .map(|e| {
            let id = |hex: &str| {
                gix::ObjectId::from_hex(hex.as_bytes()).expect("resolved ids are valid")
            };
            (e.dep.clone(), id(&e.commit), id(&e.tree))
        })
        .collect();
    if !updates.is_empty() {
        ctx.config.write_pins(&updates)?;
    }
    Ok(LockReport {
        written: !updates.is_empty(),
        deps: entries,
        url,
    })
}
