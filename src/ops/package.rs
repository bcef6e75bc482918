//! `package`: a reproducible archive of an installed prefix; and the rule
//! every output file of a command follows: never inside the prefix or the cache.

use std::path::{Path, PathBuf};

use crate::ops::Session;
use crate::package::{self, PackagedPrefix};
use crate::prefix::Prefix;
use crate::Error;

/// A reproducible `.tar.gz` of a prefix, with its `.sha256` beside it; never
/// inside the prefix or the session's cache (no deps.toml needed).
pub fn package(session: &Session, prefix: &Path, out: &Path) -> Result<PackagedPrefix, Error> {
    let sum = PathBuf::from(format!("{}.sha256", out.display()));
    let cache_root = session.cache.root();
    for file in [out, sum.as_path()] {
        check_output(file, &[("prefix", prefix), ("cache", cache_root)])?;
    }
    Ok(package::package(&Prefix::new(prefix)?, out)?)
}

/// Refuse to write an output (`package -o`, `sbom -o`, `bundle export`)
/// inside one of `places` (the prefix, the cache): it would overwrite or add
/// to the files this tool keeps there. Symlinks and `..` are resolved first.
pub fn check_output(out: &Path, places: &[(&'static str, &Path)]) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::WriteOutput { path, source }
    };
    let real = crate::fsutil::resolve_path(out).map_err(io(out))?;
    for (what, dir) in places {
        let dir_real = crate::fsutil::resolve_path(dir).map_err(io(dir))?;
        if real.starts_with(&dir_real) {
            return Err(Error::OutputInside {
                path: out.to_owned(),
                what,
                dir: dir.to_path_buf(),
            });
        }
    }
    Ok(())
}
