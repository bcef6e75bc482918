//! Turning a verified checkout into a tree autotools and make can build, in
//! the build's own work folder (the cached sources stay the pinned tree).
//!
//! - Every file gets one fixed mtime, or autotools sees `configure.ac` newer
//!   than `aclocal.m4` and tries to rerun automake.
//! - Scripts stored without their executable bit (cpython-source-deps keeps
//!   `configure` and `build-aux/*` of xz and libffi as 100644) get it back.
//! - Stale `config.sub` files are replaced by the SDK's, and patches applied.
//! - The SDK is reached through `work/sdk`, a link whose path holds no space or
//!   other character that configure, make or a `CC` string would split on.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::executor::{Toolchain, SOURCE_DATE_EPOCH};
use super::runner::{Runner, StepFailure};
use crate::plan::DepPlan;

/// A link to the SDK inside the work folder, so its path is as safe as the work folder's.
pub fn sdk_alias(sdk_root: &Path, work: &Path) -> std::io::Result<PathBuf> {
    let alias = work.join("sdk");
    std::os::unix::fs::symlink(sdk_root, &alias)?;
    Ok(alias)
}

/// Fix mtimes and modes, replace `config.sub` files, apply patches.
pub fn source(
    plan: &DepPlan,
    tools: &Toolchain,
    src: &Path,
    work: &Path,
    runner: &mut Runner,
) -> Result<(), StepFailure> {
    let step = |step: &str| {
        let step = step.to_owned();
        move |e: std::io::Error| StepFailure::new(step.clone(), e)
    };
    let fixed = restore_script_modes(src).map_err(step("restore executable bits"))?;
    if fixed > 0 {
        runner.note(&format!(
            "made {fixed} scripts executable (stored without the executable bit)"
        ));
    }
    let settings = &plan.build.settings;
    for file in &settings.replace_config_sub {
        let from = tools.sdk.config_sub();
        runner.note(&format!("replacing {file} with {}", from.display()));
        std::fs::copy(&from, src.join(file))
            .map_err(step(&format!("replace {file} with the SDK's config.sub")))?;
    }
    apply_patches(plan, src, work, runner)?;
    crate::fsutil::set_all_mtimes(src, SOURCE_DATE_EPOCH).map_err(step("set source mtimes"))
}

fn apply_patches(
    plan: &DepPlan,
    src: &Path,
    work: &Path,
    runner: &mut Runner,
) -> Result<(), StepFailure> {
    let dir = work.join("patches");
    for patch in &plan.patches {
        let path = dir.join(&patch.name);
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, &patch.bytes))
            .map_err(|e| StepFailure::new(format!("write patch {}", patch.name), e))?;
        runner.note(&format!("patch {} ({})", patch.name, patch.origin));
        runner.run(
            src,
            "patch",
            &[
                "-p1".into(),
                "--forward".into(),
                "--batch".into(),
                "-i".into(),
                path.display().to_string(),
            ],
        )?;
    }
    Ok(())
}

/// Give every regular file that starts with `#!` its executable bits; returns how many changed.
fn restore_script_modes(dir: &Path) -> std::io::Result<usize> {
    let mut fixed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            fixed += restore_script_modes(&entry.path())?;
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let mode = entry.metadata()?.permissions().mode();
        if mode & 0o111 == 0o111 || !starts_with_shebang(&entry.path())? {
            continue;
        }
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode | 0o111))?;
        fixed += 1;
    }
    Ok(fixed)
}

fn starts_with_shebang(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 2];
    let mut file = std::fs::File::open(path)?;
    let mut read = 0;
    while read < 2 {
        match file.read(&mut head[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(read == 2 && &head == b"#!")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_get_their_executable_bits_and_data_files_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let aux = dir.path().join("build-aux");
        std::fs::create_dir(&aux).unwrap();
        let write = |path: &Path, text: &str| {
            std::fs::write(path, text).unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
        };
        write(&dir.path().join("configure"), "#! /bin/sh\nexit 0\n");
        write(&aux.join("install-sh"), "#!/bin/sh\n");
        write(&dir.path().join("README"), "# not a script\n");
        assert_eq!(restore_script_modes(dir.path()).unwrap(), 2);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("configure")), 0o755);
        assert_eq!(mode(&aux.join("install-sh")), 0o755);
        assert_eq!(mode(&dir.path().join("README")), 0o644);
        assert_eq!(restore_script_modes(dir.path()).unwrap(), 0);
    }
}
