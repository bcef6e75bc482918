//! Turning what a build installed into a clean, relocatable output, and keeping it in the cache.

use std::path::Path;

use crate::cache::{BuildRecord, Cache, FileEntry};
use crate::pkgconfig;
use crate::plan::DepPlan;
use crate::relpath::RelPath;

/// Keep headers, static libraries and pkg-config files; make the `.pc` files relocatable.
pub fn finish(plan: &DepPlan, staged: &Path, install_prefix: &str) -> Result<(), String> {
    let files =
        crate::fsutil::list_files(staged).map_err(|e| format!("{}: {e}", staged.display()))?;
    for file in &files {
        let text = file.to_string_lossy();
        let keep = text.starts_with("include/")
            || (text.starts_with("lib/")
                && file.extension().is_some_and(|e| e == "a")
                && file.components().count() == 2)
            || (text.starts_with("lib/pkgconfig/") && file.extension().is_some_and(|e| e == "pc"));
        if !keep {
            std::fs::remove_file(staged.join(file))
                .map_err(|e| format!("{}: {e}", file.display()))?;
        }
    }
    let pc_dir = staged.join("lib/pkgconfig");
    let pc_conf = &plan.build.pkg_config;
    let wanted = pc_dir.join(format!("{}.pc", plan.recipe.package.pkg_config));
    if let Some(generated) = &pc_conf.generate {
        std::fs::create_dir_all(&pc_dir).map_err(|e| e.to_string())?;
        let text = pkgconfig::generate(
            &plan.recipe.package.pkg_config,
            &generated.description,
            plan.pin.version(),
            &generated.libs,
            &generated.cflags,
        );
        std::fs::write(&wanted, text).map_err(|e| e.to_string())?;
    }
    for pc in crate::fsutil::list_files(&pc_dir).map_err(|e| e.to_string())? {
        let path = pc_dir.join(pc);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let extra = if path == wanted {
            pc_conf.libs_private.as_slice()
        } else {
            &[]
        };
        std::fs::write(&path, pkgconfig::relocate(&text, install_prefix, extra))
            .map_err(|e| e.to_string())?;
    }
    if !wanted.is_file() {
        return Err(format!(
            "the build installed no lib/pkgconfig/{}.pc; add `[build.pkg-config.generate]` to the recipe",
            plan.recipe.package.pkg_config
        ));
    }
    let remaining = crate::fsutil::list_files(staged).map_err(|e| e.to_string())?;
    if !remaining
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "a"))
    {
        return Err("the build installed no static library (lib/*.a)".into());
    }
    crate::fsutil::set_all_mtimes(staged, super::SOURCE_DATE_EPOCH).map_err(|e| e.to_string())
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
