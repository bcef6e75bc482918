//! `verify`: re-hash an installed prefix against its manifest.

use std::path::Path;

use crate::prefix::{Prefix, Verification};
use crate::Error;

/// Re-hash a prefix against its manifest.
pub fn verify(prefix: &Path) -> Result<Verification, Error> {
    Ok(Prefix::new(prefix)?.verify()?)
}
