//! Turning what a build installed into a clean, relocatable output, and keeping it in the cache.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::cache::Cache;
use crate::pkgconfig;
use crate::plan::DepPlan;

/// Written last into a cached output: its presence means the output is complete.
pub const RECORD_FILE: &str = "record.json";

/// A built output: the files it holds with their hashes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildRecord {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The build key: a hash of everything that can change the output.
    pub key: String,
    /// The files in the output, with their sha256.
    pub files: Vec<FileEntry>,
}

/// One file of an output or a prefix, with its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the prefix, with `/` separators.
    pub path: String,
    /// sha256 of the bytes, in lower-case hex.
    pub sha256: String,
}

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
            Ok(FileEntry {
                sha256: crate::fsutil::sha256_file(&staged.join(&rel))?,
                path: rel.to_string_lossy().replace('\\', "/"),
            })
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let record = BuildRecord {
        dep: plan.pin.name.clone(),
        key: plan.key.clone(),
        files,
    };
    let dest = cache.build_output(&plan.key);
    std::fs::create_dir_all(cache.builds())?;
    let temp = tempfile::Builder::new()
        .prefix(".incoming-")
        .tempdir_in(cache.builds())?;
    std::fs::rename(staged, temp.path().join("files"))?;
    std::fs::copy(log, temp.path().join("build.log"))?;
    let json = serde_json::to_vec_pretty(&record).expect("records serialize");
    std::fs::write(temp.path().join(RECORD_FILE), json)?;
    if dest.exists() {
        std::fs::remove_dir_all(&dest)?;
    }
    std::fs::rename(temp.keep(), &dest)?;
    Ok(())
}

/// Read the record of a cached output.
pub fn load_record(cache: &Cache, key: &str) -> std::io::Result<BuildRecord> {
    let bytes = std::fs::read(cache.build_output(key).join(RECORD_FILE))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
