//! The tool outside its own lab: built-in recipes from any folder, overlays,
//! `init`, scripts stored without executable bits, paths with spaces and
//! non-ASCII letters, and the shipped pins built from the test mirror.

use crate::support::fixture::{
    build_args, by_dep, git, manifest_files, mirror, mirror_url, repo_root, sdk, sdk_major, sha256,
    statuses, stdout_ok, tool, Project, QUICK,
};
use crate::support::roundtrip::round_trips;
use crate::support::warm::copy_dir;

#[test]
fn init_writes_the_shipped_pins_and_keeps_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string(repo_root().join("deps.toml")).unwrap();
    let config = dir.path().join("deps.toml");

    stdout_ok(tool(dir.path(), &["init"]));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), shipped);

    std::fs::write(&config, "# mine\n").unwrap();
    let again = tool(dir.path(), &["init"]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "# mine\n");

    stdout_ok(tool(dir.path(), &["init", "--force"]));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), shipped);

    // The starter config names only built-in recipes, and `recipes show` prints them.
    let listing: serde_json::Value =
        serde_json::from_str(&stdout_ok(tool(dir.path(), &["--json", "recipes"]))).unwrap();
    let zlib_text = std::fs::read_to_string(repo_root().join("recipes/zlib.toml")).unwrap();
    let zlib = listing
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["dep"] == "zlib")
        .unwrap();
    assert_eq!(zlib["origin"], "built-in");
    assert_eq!(zlib["tag"], "zlib-1.3.1");
    assert_eq!(zlib["sha256"], sha256(zlib_text.as_bytes()));
    assert_eq!(
        stdout_ok(tool(dir.path(), &["recipes", "show", "zlib"])),
        zlib_text
    );
}

#[test]
fn an_overlay_recipe_changes_only_its_deps_key_and_reaches_the_build() {
    let deps = [("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")];
    let project = Project::locked(&deps);
    let sdk_dir = sdk().display().to_string();
    let keys = |extra: &[&str]| {
        let args = [extra, &build_args("prefix", &sdk_dir)[..], &["--dry-run"]].concat();
        let (ok, report) = project.json(&args);
        assert!(ok, "{report}");
        by_dep(&report, "key")
    };
    let before = keys(&[]);

    let overlay = project.zlib_overlay("my recipes", "WASI_EXTERNALS_OVERLAY_TEST");

    let overlay_arg = ["--recipes", overlay.to_str().unwrap()];
    let after = keys(&overlay_arg);
    assert_ne!(
        after["zlib"], before["zlib"],
        "zlib's key follows its recipe"
    );
    assert_eq!(after["bzip2"], before["bzip2"], "bzip2's key stays");

    let (ok, listing) = project.json(&[&overlay_arg[..], &["recipes"]].concat());
    assert!(ok, "{listing}");
    let origin = |dep: &str| {
        listing
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["dep"] == dep)
            .unwrap()["origin"]
            .clone()
    };
    assert_eq!(
        origin("zlib"),
        overlay.join("zlib.toml").display().to_string()
    );
    assert_eq!(origin("bzip2"), "built-in");

    // The same overlay named in deps.toml, relative to it; the define reaches the compiler.
    project.set_config(&format!(
        "recipes = \"my recipes\"\n{}",
        project.config_text()
    ));
    assert_eq!(keys(&[]), after);
    let args = [&build_args("prefix", &sdk_dir)[..], &["zlib"]].concat();
    project.ok(&args);
    let log = project
        .cache
        .join("builds")
        .join(&after["zlib"])
        .join("build.log");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("-DWASI_EXTERNALS_OVERLAY_TEST"), "{log}");

    let missing = project.fails(&["--recipes", "/nonexistent/recipes", "recipes"]);
    assert!(missing.contains("/nonexistent/recipes"), "{missing}");
}

#[test]
fn spaces_and_non_ascii_letters_in_every_path_give_the_same_bytes() {
    // mpdecimal is an autotools build: configure refuses unsafe folder names by itself.
    let plain = Project::locked(QUICK);
    let sdk_dir = sdk().display().to_string();
    let prefix = plain.path("prefix");
    plain.ok(&build_args(prefix.to_str().unwrap(), &sdk_dir));

    let odd = plain.path("a dir/é ü");
    std::fs::create_dir_all(&odd).unwrap();
    copy_dir(&sdk(), &odd.join("the sdk"));
    std::fs::copy(&plain.config, odd.join("deps.toml")).unwrap();
    stdout_ok(tool(
        &odd,
        &[
            &["--config", "deps.toml", "--cache-dir", "the cache"],
            &build_args("the prefix", "the sdk")[..],
        ]
        .concat(),
    ));
    assert_eq!(
        manifest_files(&odd.join("the prefix")),
        manifest_files(&prefix)
    );
}

#[test]
fn the_shipped_pins_build_from_the_mirror_and_round_trip() {
    // The shipped deps.toml, pointed at the test mirror and SDK. Debian has no
    // mpdecimal 4.0.0 and no sqlite 3.49.1: the nearest versions it has stand in.
    let shipped = std::fs::read_to_string(repo_root().join("deps.toml")).unwrap();
    let mut text: String = shipped
        .lines()
        .filter(|l| {
            !["commit", "tree", "archive-sha256"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(|l| {
            if l.starts_with("url = ") {
                format!("url = \"{}\"", mirror_url())
            } else if l.starts_with("version = ") {
                format!("version = {}", sdk_major())
            } else if l.starts_with("target = ") {
                "target = \"wasm32-wasi\"".to_owned()
            } else {
                l.to_owned()
            }
        })
        .map(|l| l + "\n")
        .collect();
    for (from, to) in [
        ("mpdecimal-4.0.0", "mpdecimal-4.0.1"),
        ("sqlite-3.49.1.0", "sqlite-3.46.1.0"),
    ] {
        assert!(text.contains(from), "the shipped pins name {from}");
        text = text.replace(from, to);
    }
    // xz-5.2.5 is stored as in the real repository: configure without its executable bit.
    assert!(text.contains("tag = \"xz-5.2.5\""));
    let configure = git(&mirror(), &["ls-tree", "xz-5.2.5", "configure"]);
    assert!(configure.starts_with("100644"), "{configure}");

    let project = Project::with_config(&text);
    project.ok(&["lock"]);
    let prefix = project.path("prefix");
    let (ok, report) = project.json(&build_args(
        prefix.to_str().unwrap(),
        &sdk().display().to_string(),
    ));
    assert!(ok, "{report}");
    let status = statuses(&report);
    for dep in ["zlib", "bzip2", "xz", "mpdecimal", "sqlite"] {
        assert_eq!(status[dep], "built", "{dep}: {report}");
    }
    let programs = [
        ("zlib_roundtrip.c", "ZLIB", "1.3.1"),
        ("bzip2_roundtrip.c", "BZIP2", "1.0.8"),
        ("xz_roundtrip.c", "LIBLZMA", "5.2.5"),
        ("sqlite_roundtrip.c", "LIBSQLITE3", "3.46.1"),
        ("mpdecimal_roundtrip.c", "LIBMPDEC", "4.0.1"),
    ];
    round_trips(&project, &prefix, &programs, &project.path("bin"));

    let xz = report["deps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dep"] == "xz")
        .unwrap();
    let log = project
        .cache
        .join("builds")
        .join(xz["key"].as_str().unwrap())
        .join("build.log");
    let log = std::fs::read_to_string(log).unwrap();
    assert!(
        log.contains("scripts executable (stored without the executable bit)"),
        "{log}"
    );
}
