//! `package`: a reproducible archive of an installed prefix.

use std::path::Path;

use crate::package::{self, PackagedPrefix};
use crate::prefix::Prefix;
use crate::Error;

/// A reproducible `.tar.gz` of a prefix, with its `.sha256` beside it.
pub fn package(prefix: &Path, out: &Path) -> Result<PackagedPrefix, Error> {
    Ok(package::package(&Prefix::new(prefix)?, out)?)
}
