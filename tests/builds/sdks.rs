//! Two genuinely different WASI SDKs side by side: Debian's clang-16 with the 2022
//! wasi-libc (`wasm32-wasi`), and clang-19 with the late-2024 wasi-libc shaped like
//! WASI SDK 25 (`wasm32-wasip1`). Every dependency, zstd included, builds with both;
//! their outputs never share a build key or a prefix.

use std::collections::BTreeMap;

use crate::support::fixture::{
    build_args, by_dep, manifest_files, mirror_url, statuses, Project, TestSdk, LATEST_TAGS,
};
use crate::support::roundtrip::{handover, round_trips_with, split, PROGRAMS, ZSTD_PROGRAM};

const ZSTD: (&str, &str) = ("zstd", "zstd-1.5.7");

/// The newest tag of every dependency, and zstd.
fn all_deps() -> Vec<(&'static str, &'static str)> {
    [LATEST_TAGS, &[ZSTD]].concat()
}

/// Dep → build key that `build --dry-run` plans with `sdk`.
fn planned_keys(project: &Project, sdk: &TestSdk) -> BTreeMap<String, String> {
    let (ok, report) = project.json(
        &[
            &build_args("unused-prefix", sdk.dir_str())[..],
            &["--dry-run"],
        ]
        .concat(),
    );
    assert!(ok, "{report}");
    by_dep(&report, "key")
}

#[test]
fn everything_builds_with_sdk_25_for_wasip1_round_trips_and_refuses_sdk_1() {
    let sdk25 = TestSdk::sdk25();
    assert_eq!(sdk25.version(), "25.0");
    let project = Project::for_sdk(&mirror_url(), &all_deps(), &sdk25);
    project.ok(&["lock"]);
    let prefix = project.path("prefix-25");
    let prefix_arg = prefix.to_str().unwrap();
    let (ok, report) = project.json(&build_args(prefix_arg, sdk25.dir_str()));
    assert!(ok, "{report}");
    assert_eq!(report["sdk_version"], "25.0");
    assert_eq!(report["target"], "wasm32-wasip1");
    let status = statuses(&report);
    assert_eq!(status["libffi"], "skipped");
    assert!(
        ["zlib", "bzip2", "xz", "mpdecimal", "sqlite", "zstd"]
            .iter()
            .all(|d| status[*d] == "built"),
        "{status:?}"
    );
    let files = manifest_files(&prefix);
    for file in [
        "lib/libzstd.a",
        "lib/pkgconfig/libzstd.pc",
        "include/zstd.h",
        "include/zstd_errors.h",
        "include/zdict.h",
    ] {
        assert!(files.contains_key(file), "{file} installed: {files:?}");
    }
    assert!(
        !files
            .keys()
            .any(|f| f.contains(".so") || f.starts_with("bin/")),
        "static libraries and headers only: {files:?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(prefix.join("wasi-externals.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["sdk_version"], "25.0");
    assert_eq!(manifest["target"], "wasm32-wasip1");
    assert_eq!(
        manifest["deps"]["zstd"]["license"],
        "BSD-3-Clause OR GPL-2.0-only"
    );

    // Every library, through what `env` hands over, compiled with SDK 25 for wasip1.
    let programs = [PROGRAMS, &[ZSTD_PROGRAM]].concat();
    round_trips_with(&sdk25, &project, &prefix, &programs, &project.path("bin"));

    // What CPython 3.14's configure takes for _zstd, on the one line of `--format args`.
    let args = split(&project.ok(&["env", "--prefix", prefix_arg, "--format", "args"]));
    let include = prefix.join("include").display().to_string();
    let lib = prefix.join("lib").display().to_string();
    assert!(
        args.contains(&format!("LIBZSTD_CFLAGS=-I{include}")),
        "{args:?}"
    );
    assert!(
        args.contains(&format!(
            "LIBZSTD_LIBS=-L{lib} -lzstd -lwasi-emulated-process-clocks"
        )),
        "{args:?}"
    );
    assert_eq!(
        handover(&project, &prefix)["LIBZSTD_LIBS"],
        format!("-L{lib} -lzstd -lwasi-emulated-process-clocks")
    );

    // Mixing is refused before anything is built, and the prefix stays as it was.
    let manifest_before = std::fs::read(prefix.join("wasi-externals.json")).unwrap();
    let debian = TestSdk::debian();
    let old = Project::locked(&[ZSTD]);
    let err = old.fails(&build_args(prefix_arg, debian.dir_str()));
    let found = format!("WASI SDK {} for wasm32-wasip1", sdk25.version());
    let wanted = format!("SDK {} for wasm32-wasi", debian.version());
    assert!(
        err.contains(prefix_arg)
            && err.contains(&found)
            && err.contains(&wanted)
            && err.contains("new prefix"),
        "names the prefix, both SDKs and both targets: {err}"
    );
    // Insisting on the wrong SDK for an SDK-25 project does not get past it either.
    let err = project.fails(
        &[
            &build_args(prefix_arg, debian.dir_str())[..],
            &["--allow-sdk-mismatch"],
        ]
        .concat(),
    );
    assert!(
        err.contains(&found) && err.contains(&debian.version()),
        "{err}"
    );
    assert_eq!(
        std::fs::read(prefix.join("wasi-externals.json")).unwrap(),
        manifest_before
    );
    assert_eq!(manifest_files(&prefix), files);
    assert!(!old.cache.join("builds").exists(), "nothing was built");
}

#[test]
fn zstd_builds_with_sdk_1_and_no_build_key_is_shared_between_the_sdks() {
    let debian = TestSdk::debian();
    let sdk25 = TestSdk::sdk25();
    let project = Project::locked(&all_deps());
    let prefix = project.path("prefix-1");
    let (ok, report) = project.json(
        &[
            &build_args(prefix.to_str().unwrap(), debian.dir_str())[..],
            &["zstd"],
        ]
        .concat(),
    );
    assert!(ok, "{report}");
    assert_eq!(statuses(&report)["zstd"], "built");
    let built_key = report["deps"][0]["key"].as_str().unwrap().to_owned();
    let files = manifest_files(&prefix);
    assert!(files.contains_key("lib/libzstd.a"), "{files:?}");
    round_trips_with(
        &debian,
        &project,
        &prefix,
        &[ZSTD_PROGRAM],
        &project.path("bin"),
    );

    // The same pins planned with each SDK (and SDK 25 also for the old target name).
    let keys_1 = planned_keys(&project, &debian);
    assert_eq!(keys_1["zstd"], built_key, "dry run plans the key it builds");
    let keys_25 = planned_keys(
        &Project::for_sdk(&mirror_url(), &all_deps(), &sdk25),
        &sdk25,
    );
    let sdk25_old_target = TestSdk {
        dir: sdk25.dir.clone(),
        target: "wasm32-wasi",
    };
    let keys_25_wasi = planned_keys(
        &Project::for_sdk(&mirror_url(), &all_deps(), &sdk25_old_target),
        &sdk25_old_target,
    );
    assert_eq!(keys_1.len(), all_deps().len());
    for (dep, key) in &keys_1 {
        assert_ne!(
            key, &keys_25[dep],
            "{dep}: SDK 1 and SDK 25 share a build key"
        );
        assert_ne!(
            key, &keys_25_wasi[dep],
            "{dep}: the SDK alone (same target) must change the key"
        );
        assert_ne!(
            keys_25[dep], keys_25_wasi[dep],
            "{dep}: the target must change the key"
        );
    }
}
