use serde::Serialize;

use crate::config::DepPin;
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
    /// The profile whose table holds the pin (`None`: the top-level `[deps]`).
    pub python: Option<String>,
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

impl LockEntry {
    /// `zstd`, or `zstd [python 3.14]` for a profile's pin.
    pub fn label(&self) -> String {
        match &self.python {
            None => self.dep.clone(),
            Some(python) => format!("{} [python {python}]", self.dep),
        }
    }
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

/// The pins `lock` handles: the named ones (of the `--python` profile, if
/// any), else with `--python` that profile's, else every table's.
fn pins_to_lock<'a>(ctx: &'a Context, options: &LockOptions) -> Result<Vec<&'a DepPin>, Error> {
    if options.deps.is_empty() && ctx.config.python.is_none() {
        return Ok(ctx.config.all_pins());
    }
    Ok(ctx.config.select(&options.deps)?)
}

/// Resolve tags on the source and pin their commits and trees in the config.
///
/// Without `--python` and dep names, every table is locked: `[deps]` and each
/// `[python."X".deps]`; a tag several tables pin is resolved once.
pub fn lock(ctx: &Context, options: &LockOptions) -> Result<LockReport, Error> {
    if ctx.offline {
        return Err(Error::OfflineLock);
    }
    let pins = pins_to_lock(ctx, options)?;
    let _lock = ctx.cache.lock(ctx.reporter)?;
    let store = ctx.open_sources()?;
    let mut unique: Vec<&DepPin> = Vec::new();
    for pin in &pins {
        if !unique.iter().any(|u| u.tag == pin.tag) {
            unique.push(pin);
        }
    }
    let resolved = store.resolve(&unique, &ctx.remotes(), ctx.reporter, &ctx.interrupt)?;
    let resolved_for = |pin: &DepPin| {
        let index = unique.iter().position(|u| u.tag == pin.tag);
        &resolved[index.expect("every tag was resolved")]
    };
    let entries: Vec<LockEntry> = pins
        .iter()
        .map(|pin| (pin, resolved_for(pin)))
        .map(|(pin, res)| {
            let previous = pin.commit.map(|c| c.to_string());
            let changed = previous.as_deref() != Some(res.commit.as_str())
                || pin.tree.map(|t| t.to_string()).as_deref() != Some(res.tree.as_str());
            LockEntry {
                dep: pin.name.clone(),
                python: pin.profile.clone(),
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
                            e.label(),
                            e.tag,
                            e.commit
                        ),
                        None => format!(
                            "{} ({}): not locked, source has {}",
                            e.label(),
                            e.tag,
                            e.commit
                        ),
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
            (e.python.clone(), e.dep.clone(), id(&e.commit), id(&e.tree))
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
