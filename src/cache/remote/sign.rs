//! Signed fleet entries, as in Nix's binary caches.
//!
//! Hashes alone say an object arrived as it was written, not who wrote it:
//! anyone who can write to the bucket could serve any bytes to a whole fleet.
//! So a builder signs each build it pushes with an ed25519 key, and a consumer
//! that lists `trusted-keys` installs only builds signed by one of them.
//!
//! Keys are written as Nix writes them: `NAME:BASE64`, where the secret key's
//! bytes are its 32-byte seed followed by the 32-byte public key (a bare seed
//! is accepted too) and the public key's bytes are the 32-byte public key.
//! The signed text is `wasi-externals-build-1;KEY;SHA256`: the build key and
//! the sha256 of its tar, so a signature cannot be moved to another build.
//! Signatures travel in the pointer object, one `sig NAME:BASE64` line each
//! after the sha256 line.

use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::key::BuildKey;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A key file or string that is not `NAME:BASE64` of the right length.
#[derive(Debug, thiserror::Error)]
#[error("{what} is not a valid {kind} key: {problem}")]
pub struct KeyError {
    /// Where the key came from (a file, a variable, deps.toml), never the key.
    pub what: String,
    /// `secret` or `public`.
    pub kind: &'static str,
    /// What is wrong.
    #[source]
    pub problem: KeyProblem,
}

/// What is wrong with a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyProblem {
    /// Its text is malformed.
    #[error("{0}")]
    Malformed(String),
    /// Its file cannot be read.
    #[error("cannot read it: {0}")]
    Read(#[source] std::io::Error),
    /// Its bytes are not an ed25519 public key.
    #[error("{0}")]
    NotAKey(#[source] ed25519_dalek::SignatureError),
}

impl KeyError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        crate::code::Code::RemoteKey
    }

    /// What to do about it (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        Some("a key is NAME:BASE64, as `wasi-externals cache keygen NAME` writes it".into())
    }
}

/// A builder's secret key and its name.
pub struct SecretKey {
    name: String,
    key: SigningKey,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.name)
    }
}

/// A key whose signatures a consumer trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    name: String,
    key: VerifyingKey,
}

/// `NAME:BASE64` → (name, bytes); `what` names the source in errors.
fn split(text: &str, what: &str, kind: &'static str) -> Result<(String, Vec<u8>), KeyError> {
    let error = |problem: &str| KeyError {
        what: what.to_owned(),
        kind,
        problem: KeyProblem::Malformed(problem.to_owned()),
    };
    let (name, b64) = text
        .trim()
        .rsplit_once(':')
        .ok_or_else(|| error("no `:`"))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_graphic() && c != ':') {
        return Err(error(
            "the name must be printable ASCII without spaces or `:`",
        ));
    }
    let bytes = B64.decode(b64).map_err(|_| error("not base64"))?;
    Ok((name.to_owned(), bytes))
}

impl SecretKey {
    /// Parse `NAME:BASE64(seed || public)` (or a bare 32-byte seed).
    pub fn parse(text: &str, what: &str) -> Result<SecretKey, KeyError> {
        let (name, bytes) = split(text, what, "secret")?;
        let error = |problem: &str| KeyError {
            what: what.to_owned(),
            kind: "secret",
            problem: KeyProblem::Malformed(problem.to_owned()),
        };
        let seed: [u8; 32] = match bytes.len() {
            32 | 64 => bytes[..32].try_into().expect("32 bytes"),
            n => return Err(error(&format!("{n} bytes, not 64"))),
        };
        let key = SigningKey::from_bytes(&seed);
        if bytes.len() == 64 && bytes[32..] != key.verifying_key().to_bytes() {
            return Err(error("its public half does not belong to its seed"));
        }
        Ok(SecretKey { name, key })
    }

    /// A new key named `name` from the system's random source.
    pub fn generate(name: &str) -> std::io::Result<SecretKey> {
        let mut seed = [0u8; 32];
        std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut seed)?;
        let text = format!("{name}:{}", B64.encode(seed));
        SecretKey::parse(&text, "the new key").map_err(std::io::Error::other)
    }

    /// The secret key as text (for a key file).
    pub fn to_text(&self) -> String {
        let mut bytes = self.key.to_bytes().to_vec();
        bytes.extend_from_slice(&self.key.verifying_key().to_bytes());
        format!("{}:{}", self.name, B64.encode(bytes))
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// The `sig` line for build `key` whose tar has sha256 `sha`.
    pub fn sign(&self, key: &BuildKey, sha: &str) -> String {
        let signature = self.key.sign(message(key, sha).as_bytes());
        format!("sig {}:{}", self.name, B64.encode(signature.to_bytes()))
    }
}

impl PublicKey {
    /// Parse `NAME:BASE64(public)`.
    pub fn parse(text: &str, what: &str) -> Result<PublicKey, KeyError> {
        let (name, bytes) = split(text, what, "public")?;
        let error = |problem: KeyProblem| KeyError {
            what: what.to_owned(),
            kind: "public",
            problem,
        };
        let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
            error(KeyProblem::Malformed(format!(
                "{} bytes, not 32",
                bytes.len()
            )))
        })?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|e| error(KeyProblem::NotAKey(e)))?;
        Ok(PublicKey { name, key })
    }

    /// The key as text, for `trusted-keys`.
    pub fn to_text(&self) -> String {
        format!("{}:{}", self.name, B64.encode(self.key.to_bytes()))
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The text a builder signs for build `key` with tar sha256 `sha`.
fn message(key: &BuildKey, sha: &str) -> String {
    format!("wasi-externals-build-1;{key};{sha}")
}

/// The pointer object's text: the tar's sha256, then the signatures.
pub fn pointer_text(sha: &str, signatures: &[String]) -> String {
    let mut text = format!("{sha}\n");
    for sig in signatures {
        text.push_str(sig);
        text.push('\n');
    }
    text
}

/// A pointer object, parsed: the sha256 line, then `sig NAME:BASE64` lines.
#[derive(Debug)]
pub struct Pointer {
    /// The sha256 of the tar it names (not yet checked to be hex).
    pub sha: String,
    signatures: Vec<(String, String)>,
}

impl Pointer {
    /// Split a pointer's text into its sha256 and signatures (unknown lines are ignored).
    pub fn parse(text: &str) -> Pointer {
        let mut lines = text.lines();
        let sha = lines.next().unwrap_or("").trim().to_owned();
        let signatures = lines
            .filter_map(|line| line.trim().strip_prefix("sig "))
            .filter_map(|sig| sig.trim().rsplit_once(':'))
            .map(|(name, b64)| (name.to_owned(), b64.to_owned()))
            .collect();
        Pointer { sha, signatures }
    }

    /// The name of the first trusted key with a valid signature for `key`.
    pub fn signed_by<'k>(&self, key: &BuildKey, trusted: &'k [PublicKey]) -> Option<&'k str> {
        let message = message(key, &self.sha);
        trusted.iter().find_map(|public| {
            self.signatures
                .iter()
                .filter(|(name, _)| *name == public.name)
                .filter_map(|(_, b64)| B64.decode(b64).ok())
                .filter_map(|bytes| Signature::from_slice(&bytes).ok())
                .any(|sig| public.key.verify_strict(message.as_bytes(), &sig).is_ok())
                .then_some(public.name.as_str())
        })
    }

    /// Whether the pointer carries any signature line.
    pub fn is_signed(&self) -> bool {
        !self.signatures.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> BuildKey {
        BuildKey::parse(&format!("{n:x}").repeat(64)).unwrap()
    }

    #[test]
    fn a_signature_holds_for_its_key_and_sha_only() {
        let secret = SecretKey::generate("ci-1").unwrap();
        let again = SecretKey::parse(&secret.to_text(), "file").unwrap();
        let trusted = [PublicKey::parse(&again.public().to_text(), "cfg").unwrap()];
        let sha = "a".repeat(64);
        let text = pointer_text(&sha, &[secret.sign(&key(1), &sha)]);
        let pointer = Pointer::parse(&text);
        assert_eq!(pointer.signed_by(&key(1), &trusted), Some("ci-1"));
        assert_eq!(pointer.signed_by(&key(2), &trusted), None);
        let moved = Pointer::parse(&text.replacen(&sha, &"b".repeat(64), 1));
        assert_eq!(moved.signed_by(&key(1), &trusted), None);
        let other = [SecretKey::generate("ci-1").unwrap().public()];
        assert_eq!(pointer.signed_by(&key(1), &other), None);
        assert!(!Pointer::parse(&format!("{sha}\n")).is_signed());
    }

    #[test]
    fn malformed_keys_are_refused_without_echoing_them() {
        for text in ["nocolon", ":AAAA", "n:!!!", "n:AAAA", "a b:AAAA"] {
            let err = SecretKey::parse(text, "WASI_EXTERNALS_SIGNING_KEY").unwrap_err();
            assert!(
                err.to_string().contains("WASI_EXTERNALS_SIGNING_KEY"),
                "{err}"
            );
            assert!(PublicKey::parse(text, "x").is_err());
        }
        let secret = SecretKey::generate("k").unwrap().to_text();
        let mut bad = secret.clone();
        bad.replace_range(bad.len() - 4.., "AAA=");
        assert!(SecretKey::parse(&bad, "f").is_err());
        let err = SecretKey::parse(&secret[..secret.len() - 8], "f").unwrap_err();
        assert!(!err.to_string().contains(&secret[2..20]), "{err}");
    }
}
