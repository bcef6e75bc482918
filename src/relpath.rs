//! Relative paths read from files we did not write ourselves: bundle indexes,
//! build records, prefix manifests. Checked once, when they are parsed.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// A path that is not a plain relative path (or not one inside a prefix).
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{path}` {problem}")]
pub struct BadPath {
    /// The refused text, as given.
    pub path: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

/// A relative path of plain names separated by `/`: no root, no `.`, no `..`,
/// no empty parts, no `\` or NUL. Joined to a folder, it stays inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NormalPath(String);

impl NormalPath {
    /// Accept `text` only if it is a plain relative path.
    pub fn parse(text: &str) -> Result<NormalPath, BadPath> {
        let bad = |problem| BadPath {
            path: text.chars().take(200).collect(),
            problem,
        };
        if text.is_empty() {
            return Err(bad("is empty, not a plain relative path"));
        }
        if text.starts_with('/') {
            return Err(bad("is absolute, not a plain relative path"));
        }
        if text.contains(['\\', '\0']) {
            return Err(bad("holds `\\` or NUL, not a plain relative path"));
        }
        if text.split('/').any(|part| matches!(part, "" | "." | "..")) {
            return Err(bad(
                "has an empty, `.` or `..` part: not a plain relative path",
            ));
        }
        Ok(NormalPath(text.to_owned()))
    }

    /// The path as text, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its parts.
    pub fn parts(&self) -> std::str::Split<'_, char> {
        self.0.split('/')
    }
}

/// A file inside a prefix or a cached output: a [`NormalPath`] below `include/` or `lib/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RelPath(NormalPath);

impl RelPath {
    /// Accept `text` only if it is a plain relative path below `include/` or `lib/`.
    pub fn parse(text: &str) -> Result<RelPath, BadPath> {
        let path = NormalPath::parse(text)?;
        let mut parts = path.parts();
        let top = parts.next();
        if !matches!(top, Some("include" | "lib")) || parts.next().is_none() {
            return Err(BadPath {
                path: text.to_owned(),
                problem: "is not a file below `include/` or `lib/`",
            });
        }
        Ok(RelPath(path))
    }

    /// The path as text, `/`-separated.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

macro_rules! text_newtype {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = BadPath;
            fn try_from(text: String) -> Result<$name, BadPath> {
                $name::parse(&text)
            }
        }
        impl From<$name> for String {
            fn from(path: $name) -> String {
                path.as_str().to_owned()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl AsRef<Path> for $name {
            fn as_ref(&self) -> &Path {
                Path::new(self.as_str())
            }
        }
    };
}

text_newtype!(NormalPath);
text_newtype!(RelPath);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_below_include_or_lib() {
        for good in ["lib/libz.a", "include/zlib.h", "lib/pkgconfig/zlib.pc"] {
            assert_eq!(RelPath::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "lib",
            "/lib/x.a",
            "../pwned",
            "lib/../../x",
            "lib/./x",
            "lib//x",
            "lib/x/",
            "share/x",
            "lib\\x",
            "./lib/x",
        ] {
            assert!(RelPath::parse(bad).is_err(), "{bad}");
        }
        assert!(NormalPath::parse("deps.toml").is_ok());
        let err = serde_json::from_str::<RelPath>("\"../pwned\"").unwrap_err();
        assert!(err.to_string().contains("`../pwned`"), "{err}");
    }
}
