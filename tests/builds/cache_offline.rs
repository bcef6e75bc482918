//! The build cache, offline bundles, reproducibility, packages, SBOMs and cache upkeep.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::fixture::{
    build_args, manifest_files, mirror, mirror_url, sdk, sha256, statuses, test_env, Project, QUICK,
};

/// Relative paths for the prefix and the SDK, as people type them.
fn build(project: &Project, prefix: &str, extra: &[&str]) -> BTreeMap<String, String> {
    let link = project.path("sdk");
    if !link.exists() {
        std::os::unix::fs::symlink(sdk(), &link).unwrap();
    }
    let args = [&build_args(prefix, "sdk")[..], extra].concat();
    let (ok, report) = project.json(&args);
    assert!(ok, "{report}");
    statuses(&report)
}

#[test]
fn two_cold_builds_are_bit_identical_and_package_alike() {
    let first = Project::locked(QUICK);
    let second = Project::new(&mirror_url(), QUICK);
    second.set_config(&first.config_text());
    build(&first, "prefix", &[]);
    build(&second, "some/other/prefix", &[]);
    let hashes = manifest_files(&first.path("prefix"));
    assert!(
        hashes.keys().any(|p| p.ends_with("libz.a")) && hashes.len() > 5,
        "{hashes:?}"
    );
    assert_eq!(hashes, manifest_files(&second.path("some/other/prefix")));
    for (path, sha) in &hashes {
        let bytes = std::fs::read(second.path("some/other/prefix").join(path)).unwrap();
        assert_eq!(&sha256(&bytes), sha, "{path} is what the manifest says");
    }

    let a = first.path("a.tar.gz");
    let b = second.path("b.tar.gz");
    first.ok(&["package", "--prefix", "prefix", "-o", a.to_str().unwrap()]);
    second.ok(&[
        "package",
        "--prefix",
        "some/other/prefix",
        "-o",
        b.to_str().unwrap(),
    ]);
    let sum = |p: &Path| std::fs::read_to_string(format!("{}.sha256", p.display())).unwrap();
    assert_eq!(
        sum(&a).split_whitespace().next(),
        sum(&b).split_whitespace().next()
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let listing = Command::new("tar").arg("tzvf").arg(&a).output().unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    assert!(
        listing.contains("lib/libz.a") && listing.contains("0/0") && !listing.contains(" /"),
        "{listing}"
    );

    // verify names what differs, is missing or is extra.
    let prefix = first.path("prefix");
    first.ok(&["verify", "--prefix", "prefix"]);
    std::fs::write(prefix.join("include/zlib.h"), "tampered").unwrap();
    std::fs::remove_file(prefix.join("lib/libbz2.a")).unwrap();
    std::fs::write(prefix.join("lib/stray.a"), "x").unwrap();
    let out = first.run(&["verify", "--prefix", "prefix"]);
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "changed  include/zlib.h",
        "missing  lib/libbz2.a",
        "extra    lib/stray.a",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    let err = first.fails(&["package", "--prefix", "prefix", "-o", a.to_str().unwrap()]);
    assert!(err.contains("does not match its manifest"), "{err}");
}

#[test]
fn touching_one_recipe_rebuilds_exactly_that_dep() {
    let project = Project::with_own_recipes(
        &mirror_url(),
        &[("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")],
    );
    project.ok(&["lock"]);
    let first = build(&project, "prefix", &[]);
    assert_eq!(first.values().collect::<Vec<_>>(), ["built", "built"]);

    let recipe = project.path("recipes/bzip2.toml");
    let text = std::fs::read_to_string(&recipe).unwrap();
    std::fs::write(&recipe, format!("{text}\n# touched\n")).unwrap();
    let sdk_dir = sdk().display().to_string();
    let (ok, plan) = project.json(&[&build_args("prefix", &sdk_dir)[..], &["--dry-run"]].concat());
    assert!(ok);
    let planned = statuses(&plan);
    assert_eq!(
        (planned["bzip2"].as_str(), planned["zlib"].as_str()),
        ("build", "use-cache"),
        "{plan}"
    );

    let second = build(&project, "prefix", &[]);
    assert_eq!(
        (second["bzip2"].as_str(), second["zlib"].as_str()),
        ("built", "cached")
    );

    // Deps named out of alphabetical order are reported as what they are.
    std::fs::write(&recipe, format!("{text}\n# touched twice\n")).unwrap();
    let third = build(&project, "prefix", &["zlib", "bzip2"]);
    assert_eq!(
        (third["bzip2"].as_str(), third["zlib"].as_str()),
        ("built", "cached")
    );
}

#[test]
fn a_bundle_carries_sources_and_builds_to_an_offline_machine() {
    let project = Project::locked(&[
        ("zlib", "zlib-1.3.1"),
        ("bzip2", "bzip2-1.0.8"),
        ("libffi", "libffi-3.4.4"),
    ]);
    build(&project, "prefix", &[]);
    let bundle = project.path("offline.bundle");
    let sources_only = project.path("sources.bundle");
    project.export_bundle_with_builds(&bundle);
    project.ok(&["bundle", "export", sources_only.to_str().unwrap()]);

    // The "other machine": an empty cache, and a source that does not exist.
    let offline = Project::with_config(
        &project
            .config_text()
            .replace(&mirror_url(), "http://127.0.0.1:9/gone.git"),
    );
    let sdk_dir = sdk().display().to_string();
    let err = offline.fails(&[&["--offline"], &build_args("prefix", &sdk_dir)[..]].concat());
    assert!(err.contains("offline") && err.contains("zlib"), "{err}");

    // A bundle with one flipped byte is refused, and the cache stays as it was.
    let mut bytes = std::fs::read(&bundle).unwrap();
    let offset = pack_data_offset(&bundle);
    bytes[offset] ^= 0x01;
    let corrupt = offline.path("corrupt.bundle");
    std::fs::write(&corrupt, bytes).unwrap();
    let before = cache_listing(&offline.cache);
    let err = offline.fails(&["bundle", "import", corrupt.to_str().unwrap()]);
    assert!(
        err.contains("corrupt") && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(cache_listing(&offline.cache), before);

    offline.ok(&["bundle", "import", bundle.to_str().unwrap()]);
    let statuses = build(&offline, "prefix", &["--offline"]);
    assert_eq!(
        (statuses["zlib"].as_str(), statuses["bzip2"].as_str()),
        ("cached", "cached")
    );
    assert_eq!(
        manifest_files(&offline.path("prefix")),
        manifest_files(&project.path("prefix"))
    );

    // Sources alone also suffice: then the build compiles, still without network.
    let sources = Project::with_config(&offline.config_text());
    sources.ok(&["bundle", "import", sources_only.to_str().unwrap()]);
    let statuses = build(&sources, "prefix", &["--offline"]);
    assert_eq!(
        (statuses["zlib"].as_str(), statuses["libffi"].as_str()),
        ("built", "skipped")
    );
}

/// Where the first git pack's bytes start inside the bundle (a tar archive).
fn pack_data_offset(bundle: &Path) -> usize {
    let mut archive = tar::Archive::new(std::fs::File::open(bundle).unwrap());
    let entry = archive
        .entries()
        .unwrap()
        .map(Result::unwrap)
        .find(|e| e.path().unwrap().extension().is_some_and(|x| x == "pack"))
        .expect("the bundle holds a pack");
    entry.raw_file_position() as usize + entry.size() as usize / 2
}

/// Every file below the cache with its size: to prove a refused import changed nothing.
fn cache_listing(cache: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    if cache.exists() {
        for entry in walk(cache) {
            let meta = std::fs::metadata(&entry).unwrap();
            out.push((
                entry.strip_prefix(cache).unwrap().display().to_string(),
                meta.len(),
            ));
        }
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[test]
fn the_sbom_passes_the_official_validator() {
    let project = Project::locked(&[
        ("zlib", "zlib-1.3.1"),
        ("xz", "xz-5.8.1"),
        ("libffi", "libffi-3.4.4"),
    ]);
    build(&project, "prefix", &["zlib"]);
    let out = project.path("sbom.json");
    project.ok(&["sbom", "--prefix", "prefix", "-o", out.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 3);
    let xz = packages.iter().find(|p| p["name"] == "xz").unwrap();
    assert_eq!(xz["versionInfo"], "5.8.1");
    assert_eq!(xz["licenseConcluded"], "0BSD", "liblzma 5.6+ is 0BSD");
    assert!(
        xz["checksums"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["algorithm"] == "SHA256"),
        "archive sha256 computed"
    );
    assert!(doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["fileName"] == "./lib/libz.a"));
    let validator = test_env().join("venv/bin/pyspdxtools");
    let check = Command::new(&validator)
        .arg("-i")
        .arg(&out)
        .output()
        .expect("pyspdxtools runs");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn sbom_licenses_writes_the_license_texts_of_each_pinned_tree() {
    let pins = [
        ("zlib", "zlib-1.3.1"),
        ("xz", "xz-5.8.1"),
        ("sqlite", "sqlite-3.46.1.0"),
    ];
    let project = Project::new(&mirror_url(), &pins);
    project.ok(&["lock"]);
    project.ok(&["cache", "clean", "--sources"]);
    let offline = project.run(&["--offline", "sbom", "--licenses", "lic"]);
    let err = String::from_utf8_lossy(&offline.stderr);
    assert!(
        !offline.status.success() && err.contains("offline") && err.contains("zlib"),
        "{err}"
    );

    // The sources are not cached: `--licenses` fetches the pinned ones first.
    let out = project.run(&["sbom", "-o", "sbom.json", "--licenses", "lic"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let lic = project.path("lic");
    let names = |dep: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(lic.join(dep))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("zlib"), ["LICENSE"]);
    let xz = [
        "COPYING",
        "COPYING.0BSD",
        "COPYING.GPLv2",
        "COPYING.GPLv3",
        "COPYING.LGPLv2.1",
    ];
    assert_eq!(names("xz"), xz);
    // The bytes are the pinned tree's, as git has them.
    for (dep, tag, file) in [
        ("zlib", "zlib-1.3.1", "LICENSE"),
        ("xz", "xz-5.8.1", "COPYING.0BSD"),
    ] {
        let stored = Command::new("git")
            .arg("-C")
            .arg(mirror())
            .args(["cat-file", "blob", &format!("{tag}:{file}")])
            .output()
            .unwrap()
            .stdout;
        assert_eq!(
            std::fs::read(lic.join(dep).join(file)).unwrap(),
            stored,
            "{dep}/{file}"
        );
    }
    // sqlite's amalgamation has no license file: nothing is written, and it is said.
    assert!(names("sqlite").is_empty());
    assert!(
        err.contains("sqlite (sqlite-3.46.1.0)") && err.contains("no license file"),
        "{err}"
    );
    assert!(project.path("sbom.json").is_file());
}

#[test]
fn cache_list_gc_and_clean() {
    let project = Project::locked(&[("bzip2", "bzip2-1.0.8")]);
    build(&project, "prefix", &[]);
    let (_, listing) = project.json(&["cache", "list"]);
    assert_eq!(listing["builds"].as_array().unwrap().len(), 1);
    assert!(listing["sources_bytes"].as_u64().unwrap() > 0);
    let (_, kept) = project.json(&["cache", "gc"]);
    assert!(
        kept["builds"].as_array().unwrap().is_empty(),
        "a fresh build is kept"
    );
    let (_, removed) = project.json(&["cache", "gc", "--max-age-days", "0"]);
    assert_eq!(removed["builds"].as_array().unwrap().len(), 1);
    let statuses = build(&project, "prefix2", &[]);
    assert_eq!(statuses["bzip2"], "built", "gc really dropped the build");
    project.ok(&["cache", "clean", "--sources"]);
    let (_, listing) = project.json(&["cache", "list"]);
    assert!(
        listing["builds"].as_array().unwrap().is_empty() && listing["sources_bytes"] == 0,
        "{listing}"
    );
}
