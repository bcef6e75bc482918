//! `build` and `env` end to end: the real compiler, real programs linked against
//! the prefix, run under wasmtime.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::fixture::{
    build_args, manifest_files, mirror_url, pkg_config_flags, sdk, statuses, Project, LATEST_TAGS,
};
use crate::support::roundtrip::{compile_and_run, handover, round_trips, split, PROGRAMS};

/// A copy of the test SDK whose clang logs every call but `--version` (the SDK's identity) in `<sdk>/calls`.
fn counting_sdk(dir: &Path) -> PathBuf {
    let copy = dir.join("counting-sdk");
    assert!(Command::new("cp")
        .arg("-a")
        .arg(sdk())
        .arg(&copy)
        .status()
        .unwrap()
        .success());
    let clang = copy.join("bin/clang");
    std::fs::rename(&clang, copy.join("bin/clang.real")).unwrap();
    std::fs::write(
        &clang,
        "#!/bin/sh\nd=$(dirname \"$(readlink -f \"$0\")\")\n\
         case \"$*\" in --version) ;; *) echo \"$*\" >> \"$d/../calls\" ;; esac\n\
         exec \"$d/clang.real\" \"$@\"\n",
    )
    .unwrap();
    assert!(Command::new("chmod")
        .arg("755")
        .arg(&clang)
        .status()
        .unwrap()
        .success());
    copy
}

#[test]
fn everything_builds_links_and_round_trips_under_wasmtime() {
    let project = Project::locked(LATEST_TAGS);
    let prefix = project.path("prefix");
    let sdk_dir = sdk().display().to_string();
    let (ok, report) = project.json(&build_args(prefix.to_str().unwrap(), &sdk_dir));
    assert!(ok, "{report}");
    let status = statuses(&report);
    assert_eq!(status["libffi"], "skipped");
    assert!(
        ["zlib", "bzip2", "xz", "mpdecimal", "sqlite"]
            .iter()
            .all(|d| status[*d] == "built"),
        "{status:?}"
    );
    let files = manifest_files(&prefix);
    for pc in ["zlib", "bzip2", "liblzma", "sqlite3", "libmpdec"] {
        assert!(
            files.contains_key(&format!("lib/pkgconfig/{pc}.pc")),
            "{pc}.pc installed"
        );
    }

    // Each library, used only through what `env` says.
    let vars = handover(&project, &prefix);
    assert!(vars["LIBMPDEC_LIBS"].contains("-lwasi-emulated-signal"));
    let bin = project.path("bin");
    round_trips(&project, &prefix, PROGRAMS, &bin);

    // Relocatable: move the prefix, then let pkg-config alone locate it.
    let moved = project.path("moved-prefix");
    std::fs::rename(&prefix, &moved).unwrap();
    let flags = pkg_config_flags(&moved.join("lib/pkgconfig"), &["zlib", "libmpdec"]);
    assert!(
        flags.contains(&moved.join("lib").display().to_string()),
        "{flags}"
    );
    compile_and_run("zlib_roundtrip.c", &split(&flags), &bin, &["1.3.1"]);
    assert_eq!(
        handover(&project, &moved)["ZLIB_CFLAGS"],
        format!("-I{}/include", moved.display())
    );

    // Warm: a fresh prefix from the cache runs no compiler and gets the same bytes.
    let counting = counting_sdk(project.dir.path());
    let probe = Command::new(counting.join("bin/clang"))
        .args(["-E", "-x", "c", "/dev/null", "-o", "/dev/null"])
        .status()
        .unwrap();
    assert!(
        probe.success() && counting.join("calls").exists(),
        "the counter counts"
    );
    std::fs::remove_file(counting.join("calls")).unwrap();
    let again = project.path("prefix-again");
    let (ok, report) = project.json(&build_args(
        again.to_str().unwrap(),
        counting.to_str().unwrap(),
    ));
    assert!(ok, "{report}");
    assert!(!counting.join("calls").exists(), "a warm build ran clang");
    assert!(
        report["deps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] != "built"),
        "{report}"
    );
    assert_eq!(manifest_files(&again), files);
}

#[test]
fn a_failing_recipe_leaves_the_prefix_alone_and_the_others_land() {
    let deps = [
        ("zlib", "zlib-1.3.1"),
        ("bzip2", "bzip2-1.0.8"),
        ("libffi", "libffi-3.4.4"),
    ];
    let project = Project::with_own_recipes(&mirror_url(), &deps);
    let recipes = project.path("recipes");
    project.ok(&["lock"]);
    let prefix = project.path("prefix");
    let sdk_dir = sdk().display().to_string();
    let prefix_arg = prefix.to_str().unwrap();

    // A good zlib first, then a broken recipe for the next version of the build.
    project.ok(&[&build_args(prefix_arg, &sdk_dir)[..], &["zlib"]].concat());
    let before = manifest_files(&prefix);
    let zlib_recipe = recipes.join("zlib.toml");
    let broken = std::fs::read_to_string(&zlib_recipe).unwrap().replace(
        "env = {",
        "cflags = [\"-fno-such-flag-for-this-test\"]\nenv = {",
    );
    std::fs::write(&zlib_recipe, broken).unwrap();

    let err = project.fails(&build_args(prefix_arg, &sdk_dir));
    assert!(err.contains("`zlib` failed"), "{err}");
    assert!(
        err.contains("no-such-flag-for-this-test") && err.contains("build.log"),
        "log tail and path: {err}"
    );
    let after = manifest_files(&prefix);
    assert_eq!(
        after.get("lib/libz.a"),
        before.get("lib/libz.a"),
        "the old zlib stays as it was"
    );
    assert!(after.contains_key("lib/libbz2.a"), "bzip2 still landed");

    let err = project.fails(&[&build_args(prefix_arg, &sdk_dir)[..], &["libffi"]].concat());
    assert!(
        err.contains("cannot be built") && err.contains("no WASI port"),
        "{err}"
    );
}

#[test]
fn sdk_problems_say_what_was_found_where() {
    let project = Project::locked(&[("bzip2", "bzip2-1.0.8")]);
    let err = project.fails(&build_args("p", "/nonexistent/sdk"));
    assert!(
        err.contains("/nonexistent/sdk") && err.contains("not a folder"),
        "{err}"
    );

    let sdk_dir = sdk().display().to_string();
    let wrong = project
        .config_text()
        .replace("[sdk]\nversion = ", "[sdk]\nversion = 1");
    project.set_config(&wrong);
    let err = project.fails(&build_args("p", &sdk_dir));
    assert!(
        err.contains("--allow-sdk-mismatch") && err.contains(&sdk_dir),
        "{err}"
    );
    let out = project.run(
        &[
            &build_args("p", &sdk_dir)[..],
            &["--allow-sdk-mismatch", "--dry-run"],
        ]
        .concat(),
    );
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--allow-sdk-mismatch"),
        "the mismatch is said loudly"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("build"),
        "dry run lists the plan"
    );
    assert!(!project.path("p").exists(), "a dry run creates no prefix");
}
