//! Names read from files: CPython configure variables, pkg-config modules,
//! dependency names and target triples.
//!
//! Each of them ends up in a shell (`env` is `eval`ed, `config.site` is
//! sourced), in a file name (`lib/pkgconfig/<module>.pc`) or in a folder name
//! (the default prefix holds the target). Recipes, deps.toml, the prefix's
//! manifest and its install journal are all parsed into these types, so a
//! value that is not a plain name never gets past the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A value that is not the kind of name it should be.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{}` {problem}", crate::names::escape(.text))]
pub struct BadName {
    /// The refused text, as given (at most 200 characters).
    pub text: String,
    /// What it should be.
    pub problem: &'static str,
}

impl BadName {
    fn new(text: &str, problem: &'static str) -> BadName {
        BadName {
            text: text.chars().take(200).collect(),
            problem,
        }
    }
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), for printing names read from files.
pub fn escape(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a shell and make variable name.
pub fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A CPython configure variable prefix, e.g. `LIBLZMA` (`LIBLZMA_CFLAGS`, `LIBLZMA_LIBS`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VarName(String);

impl VarName {
    /// Accept `text` only if it matches `[A-Za-z_][A-Za-z0-9_]*`.
    pub fn parse(text: &str) -> Result<VarName, BadName> {
        if is_identifier(text) {
            Ok(VarName(text.to_owned()))
        } else {
            Err(BadName::new(
                text,
                "is not a variable name ([A-Za-z_][A-Za-z0-9_]*)",
            ))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A pkg-config module name, e.g. `liblzma`: letters, digits and `_.+-`, not `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ModuleName(String);

impl ModuleName {
    /// Accept `text` only if it is a plain module name (it names `lib/pkgconfig/<text>.pc`).
    pub fn parse(text: &str) -> Result<ModuleName, BadName> {
        let plain = !text.is_empty()
            && text.len() <= 100
            && text.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c));
        if plain {
            Ok(ModuleName(text.to_owned()))
        } else {
            Err(BadName::new(
                text,
                "is not a pkg-config module name (letters, digits, `_.+-`)",
            ))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A dependency's name as in `[deps.<name>]`: letters, digits, `-` and `_`.
pub fn is_dep_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A WASI target triple such as `wasm32-wasip1`, `wasm32-wasip2` or
/// `wasm32-wasip1-threads`: `wasm32-` or `wasm64-` and then parts of lower-case
/// letters and digits joined by `-`. It names folders (the default prefix, the
/// SDK's sysroot) and is passed to compilers, so nothing else is accepted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TargetTriple(String);

impl TargetTriple {
    /// Accept `text` only if it is a plain wasm target triple.
    pub fn parse(text: &str) -> Result<TargetTriple, BadName> {
        let mut parts = text.split('-');
        let arch = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        let plain = matches!(arch, "wasm32" | "wasm64")
            && !rest.is_empty()
            && text.len() <= 64
            && rest.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            });
        if plain {
            Ok(TargetTriple(text.to_owned()))
        } else {
            Err(BadName::new(
                text,
                "is not a WASI target triple (e.g. wasm32-wasip1, wasm32-wasip2, wasm32-wasip1-threads)",
            ))
        }
    }

    /// The triple as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for TargetTriple {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for TargetTriple {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

macro_rules! name_newtype {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = BadName;
            fn try_from(text: String) -> Result<$name, BadName> {
                $name::parse(&text)
            }
        }
        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

name_newtype!(VarName);
name_newtype!(ModuleName);
name_newtype!(TargetTriple);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_parse() {
        assert!(VarName::parse("LIBLZMA").is_ok());
        for bad in ["", "1X", "X=1;touch PWNED;Y", "A B", "X\n"] {
            assert!(VarName::parse(bad).is_err(), "{bad}");
        }
        assert!(ModuleName::parse("libmpdec").is_ok());
        assert!(ModuleName::parse("sqlite3").is_ok());
        for bad in ["", ".", "..", "../../../tmp/evil", "a/b", "a b", "-x"] {
            assert!(ModuleName::parse(bad).is_err(), "{bad}");
        }
        for good in [
            "wasm32-wasi",
            "wasm32-wasip1",
            "wasm32-wasip2",
            "wasm32-wasip1-threads",
            "wasm32-unknown-wasip1",
        ] {
            assert_eq!(TargetTriple::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "wasm32",
            "wasm32-",
            "wasm32-wasi/../../../../x",
            "wasm32-wasi/x",
            "x86_64-linux-gnu",
            "wasm32-wasi p1",
            "wasm32--wasi",
            "wasm32-WASI",
        ] {
            assert!(TargetTriple::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("3.14"), "3.14");
        assert_eq!(escape("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        let err = VarName::parse("X\u{1b}]0;t\u{7}").unwrap_err().to_string();
        assert!(!err.chars().any(char::is_control), "{err}");
    }
}
