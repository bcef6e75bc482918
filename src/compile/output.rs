//! Turning what a build installed into a clean, relocatable output, and keeping it in the cache.

use std::path::{Path, PathBuf};

use crate::cache::{BuildRecord, Cache, FileEntry};
use crate::pkgconfig;
use crate::plan::DepPlan;
use crate::relpath::RelPath;

/// Why what a build installed is not a usable output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder of the staged output cannot be read or changed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// No `.pc` file for the recipe's pkg-config module.
    #[error("the build installed no lib/pkgconfig/{0}.pc; add `[build.pkg-config.generate]` to the recipe")]
    NoPkgConfig(String),
    /// No static library.
    #[error("the build installed no static library (lib/*.a)")]
    NoLibrary,
}

/// Keep headers, static libraries and pkg-config files; make the `.pc` files relocatable.
pub fn finish(plan: &DepPlan, staged: &Path, install_prefix: &str) -> Result<(), OutputError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| OutputError::Io { path, source }
    };
    let files = crate::fsutil::list_files(staged).map_err(io(staged))?;
    for file in &files {
        let text = file.to_string_lossy();
        let keep = text.starts_with("include/")
            || (text.starts_with("lib/")
                && file.extension().is_some_and(|e| e == "a")
                && file.components().count() == 2)
            || (text.starts_with("lib/pkgconfig/") && file.extension().is_some_and(|e| e == "pc"));
        if !keep {
            std::fs::remove_file(staged.join(file)).map_err(io(file))?;
        }
    }
    let pc_dir = staged.join("lib/pkgconfig");
    let pc_conf = &plan.build.pkg_config;
    let wanted = pc_dir.join(format!("{}.pc", plan.recipe.package.pkg_config));
    if let Some(generated) = &pc_conf.generate {
        std::fs::create_dir_all(&pc_dir).map_err(io(&pc_dir))?;
        let text = pkgconfig::generate(
            plan.recipe.package.pkg_config.as_str(),
            &generated.description,
            plan.pin.version(),
            &generated.libs,
            &generated.cflags,
        );
        std::fs::write(&wanted, text).map_err(io(&wanted))?;
    }
    for pc in crate::fsutil::list_files(&pc_dir).map_err(io(&pc_dir))? {
        let path = pc_dir.join(pc);
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let extra = if path == wanted {
            pc_conf.libs_private.as_slice()
        } else {
            &[]
        };
        std::fs::write(&path, pkgconfig::relocate(&text, install_prefix, extra))
            .map_err(io(&path))?;
    }
    if !wanted.is_file() {
        return Err(OutputError::NoPkgConfig(
            plan.recipe.package.pkg_config.to_string(),
        ));
    }
    let remaining = crate::fsutil::list_files(staged).map_err(io(staged))?;
    if !remaining
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "a"))
    {
        return Err(OutputError::NoLibrary);
    }
    crate::fsutil::set_all_mtimes(staged, super::SOURCE_DATE_EPOCH).map_err(io(staged))
}

/// Move a finished output into the cache under the plan's key, record last.
pub fn store(cache: &Cache, plan: &DepPlan, staged: &Path, log: &Path) -> std::io::Result<()> {
    let files = crate::fsutil::list_files(staged)?
        .into_iter()
        .map(|rel| {
            let text = rel.to_string_lossy().replace('\\', "/");
            Ok(FileEntry {
                sha256: crate::fsutil::sha256_file(&staged.join(&rel))?,
                path: RelPath::parse(&text)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            })
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let record = BuildRecord {
        dep: plan.pin.name.clone(),
        key: plan.key.clone(),
        files,
    };
    cache.store(&record, staged, log)
}
