//! Git commit ids, tree ids and tag names as types, parsed where they enter:
//! deps.toml, `lock`'s answers, prefix manifests and every JSON the tool
//! writes and reads back. A `CommitId` cannot be passed where a `TreeId` is
//! meant, and nothing downstream parses hex again (or `expect`s it to parse).
//! Serialised, each is the same text as before: 40 lowercase hex digits, or
//! the tag name.

use std::fmt;

use gix::ObjectId;
use serde::{Deserialize, Serialize};

/// Text that is not a full object id or not a usable tag name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} `{text}` {problem}")]
pub struct BadRef {
    /// "commit", "tree" or "tag".
    pub what: &'static str,
    /// The refused text (at most 100 characters of it).
    pub text: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

fn parse_id(what: &'static str, text: &str) -> Result<ObjectId, BadRef> {
    let bad = |problem| BadRef {
        what,
        text: text.chars().take(100).collect(),
        problem,
    };
    if text.len() != 40 {
        return Err(bad("must be a full 40-digit hex object id"));
    }
    ObjectId::from_hex(text.as_bytes()).map_err(|_| bad("is not a hex object id"))
}

macro_rules! object_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(ObjectId);

        impl $name {
            /// Accept `text` only if it is 40 hex digits.
            pub fn parse(text: &str) -> Result<$name, BadRef> {
                parse_id($what, text).map($name)
            }

            /// The first 12 hex digits, for tables people read.
            pub fn short(self) -> String {
                self.0.to_hex_with_len(12).to_string()
            }

            /// The id as gix uses it.
            pub fn id(self) -> ObjectId {
                self.0
            }
        }

        impl From<ObjectId> for $name {
            fn from(id: ObjectId) -> $name {
                $name(id)
            }
        }

        impl From<$name> for ObjectId {
            fn from(id: $name) -> ObjectId {
                id.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadRef;
            fn try_from(text: String) -> Result<$name, BadRef> {
                $name::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl PartialEq<ObjectId> for $name {
            fn eq(&self, other: &ObjectId) -> bool {
                self.0 == *other
            }
        }
    };
}

object_id!(
    /// A commit's id: what a tag points to, and what `lock` pins.
    CommitId,
    "commit"
);
object_id!(
    /// A tree's id: the content a pinned commit must have.
    TreeId,
    "tree"
);

/// A git tag name as deps.toml pins it: a valid ref name part (no whitespace
/// or control characters, none of `~^:?*[\`, no `..` or `@{`, not starting
/// with `-` or `/`, not ending with `/`, `.` or `.lock`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TagName(String);

impl TagName {
    /// Accept `text` only if git would take it as a tag name.
    pub fn parse(text: &str) -> Result<TagName, BadRef> {
        let bad = |problem| BadRef {
            what: "tag",
            text: text.chars().take(100).collect(),
            problem,
        };
        if text.is_empty() {
            return Err(bad("is not a valid tag name: it is empty"));
        }
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c))
        {
            return Err(bad(
                "is not a valid tag name: it holds whitespace or one of ~^:?*[\\",
            ));
        }
        if text.contains("..") || text.contains("@{") || text.contains("//") {
            return Err(bad("is not a valid tag name: it holds `..`, `@{` or `//`"));
        }
        if text.starts_with(['-', '/', '.'])
            || text.ends_with(['/', '.'])
            || text.ends_with(".lock")
            || text.contains("/.")
        {
            return Err(bad(
                "is not a valid tag name: it starts with `-`, `/` or `.`, or ends with `/`, `.` or `.lock`",
            ));
        }
        Ok(TagName(text.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for TagName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for TagName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for TagName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TagName {
    type Error = BadRef;
    fn try_from(text: String) -> Result<TagName, BadRef> {
        TagName::parse(&text)
    }
}

impl From<TagName> for String {
    fn from(tag: TagName) -> String {
        tag.0
    }
}

impl fmt::Display for TagName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl PartialEq<str> for TagName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for TagName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_full_hex_and_keep_their_text() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let commit = CommitId::parse(hex).unwrap();
        assert_eq!(commit.to_string(), hex);
        assert_eq!(
            serde_json::to_string(&commit).unwrap(),
            format!("\"{hex}\"")
        );
        let upper = CommitId::parse(&hex.to_uppercase()).unwrap();
        assert_eq!(upper, commit);
        for bad in ["", "0123", &format!("{hex}0"), &hex.replace('a', "g")] {
            let err = TreeId::parse(bad).unwrap_err();
            assert!(err.to_string().starts_with("tree `"), "{err}");
        }
        assert!(serde_json::from_str::<TreeId>("\"abc\"").is_err());
    }

    #[test]
    fn tag_names_follow_git() {
        for good in ["zlib-1.3.1", "sqlite-3.50.4.0", "v1/x", "openssl-3.0.20"] {
            assert_eq!(TagName::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "", "a b", "x..y", "-x", "/x", "x/", "x.lock", "x~1", "a:b", "x@{1}", "a\tb", ".x",
            "a/.b", "a//b", "x.",
        ] {
            assert!(TagName::parse(bad).is_err(), "{bad}");
        }
        let tag: TagName = serde_json::from_str("\"zlib-1.3.1\"").unwrap();
        assert_eq!(tag, "zlib-1.3.1");
    }
}
