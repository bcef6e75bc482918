//! `outdated`: for each pin, the newer tags the source has for the same dep
//! name. This is how a maintainer learns that cpython-source-deps has a new
//! sqlite: only refs are listed (nothing is fetched or cached), and the exit
//! status fails like `lock --check` so CI can watch for it.

use serde::Serialize;

use crate::config::DepPin;
use crate::gitref::TagName;
use crate::ops::Session;
use crate::version::{split_tag, Version};
use crate::Error;

/// One pin and the newer tags the source has for its dep name.
#[derive(Debug, Serialize)]
pub struct OutdatedEntry {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The profile whose table holds the pin (`None`: the top-level `[deps]`).
    pub python: Option<String>,
    /// The pinned tag.
    pub tag: TagName,
    /// Tags of the same name with a higher version, oldest first.
    pub newer: Vec<TagName>,
}

impl OutdatedEntry {
    /// `zstd`, or `zstd [python 3.14]` for a profile's pin.
    pub fn label(&self) -> String {
        match &self.python {
            None => self.dep.clone(),
            Some(python) => format!("{} [python {python}]", self.dep),
        }
    }
}

/// What [`outdated()`] found: its `--json` output.
#[derive(Debug, Serialize)]
pub struct OutdatedReport {
    /// One entry per pin, in the order of the config's tables.
    pub deps: Vec<OutdatedEntry>,
    /// The source whose tags were listed.
    pub url: String,
    /// Whether any pin has a newer tag (the command then exits non-zero).
    pub outdated: bool,
}

/// List the source's tags and, for each pin (every table's without
/// `--python`, else the profile's), the newer tags of the same dep name.
pub fn outdated(session: &Session) -> Result<OutdatedReport, Error> {
    if session.offline {
        return Err(Error::OfflineOutdated);
    }
    let config = session.profile()?;
    let pins: Vec<&DepPin> = match config.python {
        None => config.all_pins(),
        Some(_) => config.deps.values().collect(),
    };
    let (url, tags) = crate::source::list_tags(&session.remotes()?)?;
    let versions: Vec<(&str, Version, &TagName)> = tags
        .iter()
        .filter_map(|tag| split_tag(tag).map(|(name, version)| (name, version, tag)))
        .collect();
    let deps: Vec<OutdatedEntry> = pins
        .into_iter()
        .map(|pin| OutdatedEntry {
            dep: pin.name.clone(),
            python: pin.profile.clone(),
            tag: pin.tag.clone(),
            newer: newer_tags(&pin.tag, &versions),
        })
        .collect();
    Ok(OutdatedReport {
        outdated: deps.iter().any(|d| !d.newer.is_empty()),
        deps,
        url,
    })
}

/// The tags in `versions` with `tag`'s name and a higher version, in version
/// order; none for a tag without a version (nothing to compare with).
fn newer_tags(tag: &str, versions: &[(&str, Version, &TagName)]) -> Vec<TagName> {
    let Some((name, pinned)) = split_tag(tag) else {
        return Vec::new();
    };
    let mut newer: Vec<(&Version, &TagName)> = versions
        .iter()
        .filter(|(n, version, _)| *n == name && *version > pinned)
        .map(|(_, version, tag)| (version, *tag))
        .collect();
    newer.sort();
    newer.into_iter().map(|(_, tag)| tag.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_tags_are_the_same_name_in_version_order() {
        let tags = [
            "sqlite-3.9.2.0",
            "sqlite-3.50.4.0",
            "sqlite-3.49.1.0",
            "sqlite-3.45.3.0",
            "zlib-1.3.1",
            "zlib-ng-2.2.4",
            "main-thing",
        ];
        let tags: Vec<TagName> = tags.iter().map(|t| TagName::parse(t).unwrap()).collect();
        let versions: Vec<(&str, Version, &TagName)> = tags
            .iter()
            .filter_map(|t| split_tag(t).map(|(n, v)| (n, v, t)))
            .collect();
        assert_eq!(
            newer_tags("sqlite-3.45.3.0", &versions),
            ["sqlite-3.49.1.0", "sqlite-3.50.4.0"].map(|t| TagName::parse(t).unwrap())
        );
        assert!(newer_tags("zlib-1.3.1", &versions).is_empty());
        assert!(newer_tags("zlib-1.2.13", &versions) == [TagName::parse("zlib-1.3.1").unwrap()]);
        assert!(newer_tags("custom", &versions).is_empty());
    }
}
