//! Compiles `recipes/*.toml` and `patches/<dep>/*.patch` into the binary, so a
//! bare `wasi-externals` works from any folder; overlay folders can replace them.
//! Also records the git commit the binary is built from, for `--version`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed=recipes");
    println!("cargo:rerun-if-changed=patches");

    let mut code = String::from("/// Built-in recipes: dep name and TOML text.\n");
    code.push_str("pub(super) const RECIPES: &[(&str, &str)] = &[\n");
    for file in sorted_entries(&root.join("recipes")) {
        let Some(dep) = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".toml"))
        else {
            continue;
        };
        writeln!(
            code,
            "    ({dep:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n\n/// Built-in patches: dep name, file name and bytes.\n");
    code.push_str("pub(super) const PATCHES: &[(&str, &str, &[u8])] = &[\n");
    for dir in sorted_entries(&root.join("patches")) {
        println!("cargo:rerun-if-changed={}", dir.display());
        let dep = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 folder name")
            .to_owned();
        for file in sorted_entries(&dir) {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 file name");
            if name.ends_with(".patch") {
                writeln!(
                    code,
                    "    ({dep:?}, {name:?}, include_bytes!({:?})),",
                    file.display().to_string()
                )
                .unwrap();
            }
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("builtin_recipes.rs"), code).expect("OUT_DIR is writable");

    let commit = git_commit(&root).map_or_else(String::new, |c| format!(" ({c})"));
    println!("cargo:rustc-env=WASI_EXTERNALS_COMMIT={commit}");
}

/// `abc1234 2026-12-03`: the checked-out commit and its date, when `root` is
/// the top of a git work tree (not, e.g., an unpacked sdist inside another
/// repository); `None` without git. Reruns when HEAD or the branch moves.
fn git_commit(root: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    if let Some(head) = git(&["rev-parse", "--path-format=absolute", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(common) = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]) {
            let common = PathBuf::from(common);
            for path in [common.join(&branch), common.join("packed-refs")] {
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
    }
    git(&["log", "-1", "--format=%h %cs", "--abbrev=7"]).filter(|s| !s.is_empty())
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable folder").path())
        .collect();
    entries.sort();
    entries
}
