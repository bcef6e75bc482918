//! Build keys: the names of cached outputs, checked wherever they come from outside.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A key that is not of the form `plan` produces.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{key}` is not a build key (a build key is 64 lowercase hex digits, a sha256)")]
pub struct BadBuildKey {
    /// The refused text, as given.
    pub key: String,
}

/// The sha256 that names one cached build: exactly 64 lowercase hex digits.
///
/// Only [`BuildKey::parse`] (also used by serde) and the planner make one, so
/// a key is always a single plain folder name below `builds/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BuildKey(String);

impl BuildKey {
    /// Accept `text` only if it has the key format.
    pub fn parse(text: &str) -> Result<BuildKey, BadBuildKey> {
        let valid = text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid {
            Ok(BuildKey(text.to_owned()))
        } else {
            Err(BadBuildKey {
                key: text.chars().take(80).collect(),
            })
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 16 digits, for people.
    pub fn short(&self) -> &str {
        &self.0[..16]
    }
}

impl TryFrom<String> for BuildKey {
    type Error = BadBuildKey;

    fn try_from(text: String) -> Result<BuildKey, BadBuildKey> {
        BuildKey::parse(&text)
    }
}

impl From<BuildKey> for String {
    fn from(key: BuildKey) -> String {
        key.0
    }
}

impl fmt::Display for BuildKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<std::path::Path> for BuildKey {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sha256_hex_is_a_key() {
        let good = "0123456789abcdef".repeat(4);
        assert_eq!(BuildKey::parse(&good).unwrap().short(), "0123456789abcdef");
        for bad in [
            "",
            "..",
            "../builds",
            "short",
            &good.to_uppercase(),
            &good[1..],
            &format!("{good}0"),
        ] {
            assert!(BuildKey::parse(bad).is_err(), "{bad}");
        }
        let err = serde_json::from_str::<BuildKey>("\"../x\"").unwrap_err();
        assert!(
            err.to_string().contains("`../x` is not a build key"),
            "{err}"
        );
    }
}
