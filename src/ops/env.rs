use std::path::Path;

use serde::Serialize;

use crate::prefix::Prefix;
use crate::Error;

/// What CPython's `configure` needs to use a prefix.
#[derive(Debug, Serialize)]
pub struct Handover {
    /// `NAME=value` configure variables (`ZLIB_CFLAGS`, …) and `PKG_CONFIG_LIBDIR`.
    pub variables: Vec<(String, String)>,
    /// Plain configure options, e.g. `--with-system-libmpdec`.
    pub options: Vec<String>,
}

/// Read the prefix's manifest and `.pc` files and say how to hand them to CPython.
pub fn env(prefix: &Path) -> Result<Handover, Error> {
    let prefix = Prefix::new(prefix)?;
    let manifest = prefix.require_manifest()?;
    let variables = prefix.handover(&manifest)?;
    let options = if variables.iter().any(|(k, _)| k == "LIBMPDEC_LIBS") {
        vec!["--with-system-libmpdec".to_owned()]
    } else {
        Vec::new()
    };
    Ok(Handover { variables, options })
}
