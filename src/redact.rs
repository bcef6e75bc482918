//! The one place secrets are taken out of text before it leaves the process.
//!
//! URLs carry credentials in two places: the user information
//! (`https://user:token@host/…`) and the query (`?X-Amz-Signature=…`,
//! `?token=…`, `&sig=…`). Libraries put whole URLs into their error messages,
//! so cleaning the URL a command shows is not enough: every text that may hold
//! a URL (an error and each of its causes, a warning, a stats file, an SBOM, a
//! `--json` result) passes through [`text`] on its way out. [`Cleaned`] turns
//! an error chain into one whose every message is clean, so an error that
//! keeps a library's error as its `#[source]` cannot leak through a cause.

use std::fmt;

/// Query parameters whose values are secrets (compared ASCII case-insensitively).
const SECRET_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "auth",
    "authorization",
    "sig",
    "signature",
    "key",
    "api_key",
    "apikey",
    "password",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "sas",
    "code",
];

/// What replaces a secret value.
const HIDDEN: &str = "REDACTED";

/// Whether a query parameter named `name` carries a secret.
fn is_secret_param(name: &str) -> bool {
    SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// `url` without user information and with every secret query value replaced.
pub fn url(url: &str) -> String {
    let Some(sep) = url.find("://") else {
        return strip_params(url);
    };
    let (scheme, rest) = (&url[..sep], &url[sep + 3..]);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    format!("{scheme}://{host}{}", strip_params(&rest[authority_end..]))
}

/// Secret `name=value` pairs after `?`, `&` or `;` get their value replaced.
fn strip_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['?', '&', ';']) {
        out.push_str(&rest[..=pos]);
        rest = &rest[pos + 1..];
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        if is_secret_param(name) && after.starts_with('=') {
            let value_end = after[1..]
                .find(|c: char| matches!(c, '&' | ';' | '#') || ends_url(c))
                .map_or(after.len(), |i| i + 1);
            out.push_str(name);
            out.push('=');
            out.push_str(HIDDEN);
            rest = &after[value_end..];
        } else {
            out.push_str(name);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Characters that end a URL written inside free text.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')' | ']')
}

/// `text` with every URL in it cleaned by [`url`], and secret query
/// parameters removed even where no scheme precedes them.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(sep) = rest.find("://") {
        let start = rest[..sep]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + 1);
        let end = rest[sep..].find(ends_url).map_or(rest.len(), |i| sep + i);
        out.push_str(&strip_params(&rest[..start]));
        out.push_str(&url(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(&strip_params(rest));
    out
}

/// An error chain with every message passed through [`text`]: keeps the
/// shape (each cause is still a `source()`), drops the secrets.
#[derive(Debug, Clone)]
pub struct Cleaned {
    message: String,
    source: Option<Box<Cleaned>>,
}

impl Cleaned {
    /// The clean copy of `err` and all its causes.
    pub fn new(err: &(dyn std::error::Error + 'static)) -> Cleaned {
        Cleaned {
            message: text(&err.to_string()),
            source: err.source().map(|cause| Box::new(Cleaned::new(cause))),
        }
    }

    /// A clean error from a plain message.
    pub fn message(message: &str) -> Cleaned {
        Cleaned {
            message: text(message),
            source: None,
        }
    }
}

impl fmt::Display for Cleaned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Cleaned {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|c| c as _)
    }
}

/// An error and each of its causes, cleaned, one per line after the first
/// (a cause whose text the message already holds is not repeated).
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = text(&err.to_string());
    let mut cause = err.source();
    while let Some(err) = cause {
        let line = text(&err.to_string());
        if !out.contains(&line) {
            out.push_str("\n  caused by: ");
            out.push_str(&line);
        }
        cause = err.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_information_is_removed() {
        assert_eq!(
            url("https://me:s3cret@cache.example/x/y"),
            "https://cache.example/x/y"
        );
        assert_eq!(url("http://tok@h:8080"), "http://h:8080");
        assert_eq!(url("s3://bucket/prefix"), "s3://bucket/prefix");
        assert_eq!(url("http://host/a@b"), "http://host/a@b");
    }

    #[test]
    fn secret_query_parameters_lose_their_values_whatever_their_case() {
        let signed = "https://b.s3.example/k?X-Amz-Credential=AKIA%2F1&X-Amz-Date=2026&x-amz-signature=abc123&X-AMZ-SECURITY-TOKEN=zz";
        let clean = url(signed);
        for secret in ["AKIA", "abc123", "zz"] {
            assert!(!clean.contains(secret), "{clean}");
        }
        assert!(clean.contains("X-Amz-Date=2026"), "{clean}");
        for name in [
            "token",
            "Access_Token",
            "sig",
            "signature",
            "key",
            "password",
        ] {
            let clean = url(&format!("http://h/p?a=1&{name}=SECRET#f"));
            assert_eq!(clean, format!("http://h/p?a=1&{name}={HIDDEN}#f"));
        }
        assert_eq!(url("http://h/p?keyring=1"), "http://h/p?keyring=1");
    }

    #[test]
    fn urls_inside_free_text_are_cleaned() {
        let message = "error sending request for url (http://user:pw@127.0.0.1:9/c/x?token=T): 500, see \"https://a:b@h/\"";
        let clean = text(message);
        assert_eq!(
            clean,
            format!("error sending request for url (http://127.0.0.1:9/c/x?token={HIDDEN}): 500, see \"https://h/\"")
        );
        assert_eq!(
            text("path?sig=abc and more"),
            format!("path?sig={HIDDEN} and more")
        );
        assert_eq!(text("no urls here: a@b"), "no urls here: a@b");
    }

    #[test]
    fn every_cause_of_a_chain_is_cleaned() {
        let inner = std::io::Error::other("GET http://u:pw@h/x?token=T failed");
        let cleaned = Cleaned::new(&inner);
        assert!(!cleaned.to_string().contains("pw"));
        let outer = crate::redact::Cleaned {
            message: "outer".into(),
            source: Some(Box::new(cleaned)),
        };
        let all = chain(&outer);
        assert!(
            all.contains("caused by: GET http://h/x?token=REDACTED failed"),
            "{all}"
        );
        assert!(!all.contains("pw") && !all.contains("=T"), "{all}");
    }
}
