//! zlib-ng standing in for zlib (issue 21): `[deps.zlib] tag = "zlib-ng-X"` builds
//! zlib-ng in zlib-compatible mode with its own recipe, installs what zlib installs,
//! hands over the same `ZLIB_*` variables, passes the zlib round trip under
//! wasmtime with both test SDKs, and is named zlib-ng in the SBOM. A tag of
//! zlib-ng pinned for another dep is refused before anything is fetched.

use crate::support::fixture::{manifest_files, mirror_url, statuses, Project, TestSdk};
use crate::support::roundtrip::{handover, round_trips_with};

/// The zlib-ng tag of the test mirror (the zlib-ng 1.0.0 sdist's source; CPython pins 2.2.4).
const ZLIB_NG: &str = "zlib-ng-2.2.5";
/// What `zlibVersion()` of zlib-ng's zlib-compatible build reports.
const COMPAT_VERSION: &str = "1.3.1.zlib-ng";

/// Lock and build zlib-ng as `zlib` with `sdk`; returns the project and its prefix.
fn build_with(sdk: &TestSdk) -> (Project, std::path::PathBuf) {
    let project = Project::for_sdk(&mirror_url(), &[("zlib", ZLIB_NG)], sdk);
    project.ok(&["lock"]);
    let prefix = project.path("prefix");
    let (ok, report) = project.json(&[
        "build",
        "--prefix",
        prefix.to_str().unwrap(),
        "--wasi-sdk",
        sdk.dir_str(),
    ]);
    assert!(ok, "{report}");
    assert_eq!(statuses(&report)["zlib"], "built", "{report}");
    (project, prefix)
}

fn installs_zlibs_files_and_round_trips(sdk: &TestSdk) {
    let (project, prefix) = build_with(sdk);
    let files = manifest_files(&prefix);
    for file in [
        "lib/libz.a",
        "include/zlib.h",
        "include/zconf.h",
        "lib/pkgconfig/zlib.pc",
    ] {
        assert!(files.contains_key(file), "{file} installed: {files:?}");
    }
    let header = std::fs::read_to_string(prefix.join("include/zlib.h")).unwrap();
    assert!(
        header.contains("#define ZLIBNG_VERSION \"2.2.5\""),
        "zlib.h is zlib-ng's"
    );
    let vars = handover(&project, &prefix);
    assert!(
        vars["ZLIB_LIBS"].contains("-lz"),
        "ZLIB_LIBS: {}",
        vars["ZLIB_LIBS"]
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(prefix.join("wasi-externals.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["deps"]["zlib"]["tag"], ZLIB_NG);
    assert_eq!(manifest["deps"]["zlib"]["license"], "Zlib");
    round_trips_with(
        sdk,
        &project,
        &prefix,
        &[("zlib_roundtrip.c", "ZLIB", COMPAT_VERSION)],
        &project.path("bin"),
    );
}

#[test]
fn zlib_ng_stands_in_for_zlib_with_the_debian_sdk() {
    installs_zlibs_files_and_round_trips(&TestSdk::debian());
}

#[test]
fn zlib_ng_stands_in_for_zlib_with_sdk_25_for_wasip1() {
    let sdk = TestSdk::sdk25();
    let (project, prefix) = build_with(&sdk);
    round_trips_with(
        &sdk,
        &project,
        &prefix,
        &[("zlib_roundtrip.c", "ZLIB", COMPAT_VERSION)],
        &project.path("bin"),
    );
    // The SBOM names the project that was built, not the dep it stands in for.
    let sbom = project.path("sbom.json");
    project.ok(&[
        "sbom",
        "--prefix",
        prefix.to_str().unwrap(),
        "-o",
        sbom.to_str().unwrap(),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&sbom).unwrap()).unwrap();
    let package = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["SPDXID"] == "SPDXRef-PACKAGE-zlib")
        .expect("a package for the dep zlib");
    assert_eq!(package["name"], "zlib-ng", "{package}");
    assert_eq!(package["versionInfo"], "2.2.5");
    assert_eq!(package["licenseDeclared"], "Zlib");
    let purl = package["externalRefs"][0]["referenceLocator"]
        .as_str()
        .unwrap();
    assert!(purl.starts_with("pkg:generic/zlib-ng@2.2.5?"), "{purl}");
    let comment = package["comment"].as_str().unwrap();
    assert!(
        comment.contains("zlib-ng stands in for the dep `zlib`"),
        "{comment}"
    );
}

#[test]
fn a_zlib_ng_tag_for_another_dep_is_refused_before_fetching() {
    let sdk = TestSdk::debian();
    let project = Project::new(&mirror_url(), &[("bzip2", ZLIB_NG)]);
    let err = project.fails(&[
        "build",
        "--prefix",
        "prefix",
        "--wasi-sdk",
        sdk.dir_str(),
        "--dry-run",
    ]);
    assert!(
        err.contains("`[deps.bzip2]` pins tag `zlib-ng-2.2.5`, which holds zlib-ng")
            && err.contains("stands in for zlib only"),
        "{err}"
    );
    assert!(
        !project.path("cache").join("sources.git").exists(),
        "nothing was fetched"
    );
}
