//! Profiles per Python version: `[python."X"]` tables with their own SDK,
//! target and pins, picked with `--python`; one `build` run for several of
//! them, each with its own SDK into its own prefix; `sdk list` and `sdk path`.
//! Real processes against the test mirror and the test environment's two SDKs.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::fixture::{mirror, mirror_url, stdout_ok, tag_ids, Project, TestSdk};

/// Top level and "3.13": the Debian SDK (`wasm32-wasi`); "3.14": SDK 25 (`wasm32-wasip1`) and zstd.
fn profiles_project() -> Project {
    let (old, new) = (TestSdk::debian(), TestSdk::sdk25());
    Project::with_config(&format!(
        "# test project with profiles\n\
         [source]\nurl = \"{url}\"\n\n\
         [sdk]\nversion = {old_major}\ntarget = \"{old_target}\"\n\n\
         [deps.zlib]\ntag = \"zlib-1.3.1\"\n\n\
         [deps.bzip2]\ntag = \"bzip2-1.0.8\"\n\n\
         [python.\"3.13\"]\nsdk = {old_major}   # the old toolchain\ntarget = \"{old_target}\"\n\n\
         [python.\"3.14\"]\nsdk = {new_major}\ntarget = \"{new_target}\"\n\n\
         [python.\"3.14\".deps.zstd]\ntag = \"zstd-1.5.7\"   # only 3.14 has _zstd\n",
        url = mirror_url(),
        old_major = old.major(),
        old_target = old.target,
        new_major = new.major(),
        new_target = new.target,
    ))
}

/// An SDK store (`<data dir>/wasi-externals/sdks`) under `data`, holding SDK 25 as `wasi-sdk-25`.
fn store_with_sdk25(data: &Path) -> PathBuf {
    let store = data.join("wasi-externals/sdks");
    std::fs::create_dir_all(&store).unwrap();
    let link = store.join(format!("wasi-sdk-{}", TestSdk::sdk25().major()));
    std::os::unix::fs::symlink(&TestSdk::sdk25().dir, &link).unwrap();
    link
}

/// Run like [`Project::run`], with `XDG_DATA_HOME` (where the SDK store lives) and more variables.
fn run_env(project: &Project, data: &Path, envs: &[(&str, &str)], args: &[&str]) -> Output {
    project
        .command(args)
        .env("XDG_DATA_HOME", data)
        .envs(envs.iter().copied())
        .output()
        .unwrap()
}

fn manifest(prefix: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(prefix.join("wasi-externals.json")).unwrap()).unwrap()
}

fn status_deps(project: &Project, python: &[&str]) -> Vec<String> {
    let (ok, deps) = project.json(&[python, &["status"]].concat());
    assert!(ok, "{deps}");
    let names = deps.as_array().unwrap().iter();
    names
        .map(|d| d["dep"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn lock_pins_every_profile_and_one_build_makes_a_prefix_per_python_version() {
    let project = profiles_project();
    let data = project.path("data");
    store_with_sdk25(&data);
    let debian = TestSdk::debian();

    // `lock` pins the top-level table and the profile's, and keeps the comments.
    project.ok(&["lock"]);
    let text = project.config_text();
    let doc: toml::Table = text.parse().unwrap();
    let pinned = |table: &toml::Value, tag: &str| {
        let (commit, tree) = tag_ids(&mirror(), tag);
        assert_eq!(
            table["commit"].as_str(),
            Some(commit.as_str()),
            "{tag}: {text}"
        );
        assert_eq!(table["tree"].as_str(), Some(tree.as_str()), "{tag}: {text}");
    };
    pinned(&doc["deps"]["zlib"], "zlib-1.3.1");
    pinned(&doc["deps"]["bzip2"], "bzip2-1.0.8");
    pinned(&doc["python"]["3.14"]["deps"]["zstd"], "zstd-1.5.7");
    assert!(
        doc["deps"].get("zstd").is_none(),
        "zstd stays in its profile"
    );
    assert!(text.contains("# only 3.14 has _zstd") && text.contains("# the old toolchain"));
    project.ok(&["lock", "--check"]);

    // What each profile sees.
    assert_eq!(
        status_deps(&project, &["--python", "3.14"]),
        ["bzip2", "zlib", "zstd"]
    );
    assert_eq!(
        status_deps(&project, &["--python", "3.13"]),
        ["bzip2", "zlib"]
    );
    assert_eq!(status_deps(&project, &[]), ["bzip2", "zlib"]);

    // One run, two SDKs: 3.13 through `--wasi-sdk N=DIR`, 3.14 from the SDK store; default prefixes.
    let pair = format!("{}={}", debian.major(), debian.dir_str());
    let args = [
        "--json", "--python", "3.13", "--python", "3.14", "build", "-j", "2",
    ];
    let out = run_env(
        &project,
        &data,
        &[],
        &[&args[..], &["--wasi-sdk", &pair]].concat(),
    );
    let reports: serde_json::Value = serde_json::from_str(&stdout_ok(out)).unwrap();
    let reports = reports.as_array().expect("one report per profile");
    assert_eq!(reports.len(), 2);
    let base = project.dir.path().join("cross-build/wasi-externals");
    let expected = [
        (
            "3.13",
            debian.version(),
            debian.target,
            vec!["bzip2", "zlib"],
        ),
        (
            "3.14",
            TestSdk::sdk25().version(),
            "wasm32-wasip1",
            vec!["bzip2", "zlib", "zstd"],
        ),
    ];
    for (report, (python, version, target, deps)) in reports.iter().zip(&expected) {
        let prefix = base.join(format!("python-{python}-{target}"));
        assert_eq!(report["python"], *python);
        assert_eq!(report["prefix"], prefix.to_str().unwrap(), "default prefix");
        assert_eq!(report["sdk_version"], version.as_str());
        let manifest = manifest(&prefix);
        assert_eq!(manifest["sdk_version"], version.as_str(), "{python}");
        assert_eq!(manifest["target"], *target, "{python}");
        let installed: Vec<&String> = manifest["deps"].as_object().unwrap().keys().collect();
        assert_eq!(installed, *deps, "{python}");
        for dep in deps {
            assert_eq!(manifest["deps"][dep]["sdk_version"], version.as_str());
            assert_eq!(manifest["deps"][dep]["target"], *target);
        }
    }
    assert_eq!(
        reports[1]["sdk"],
        data.join("wasi-externals/sdks/wasi-sdk-25")
            .to_str()
            .unwrap(),
        "3.14 found SDK 25 in the store"
    );

    // The same pins again: both profiles come from the cache; `--prefix` is then a parent folder.
    let parent = project.path("prefixes");
    let dry = [
        &args[..],
        &[
            "--wasi-sdk",
            &pair,
            "--dry-run",
            "--prefix",
            parent.to_str().unwrap(),
        ],
    ]
    .concat();
    let reports: serde_json::Value =
        serde_json::from_str(&stdout_ok(run_env(&project, &data, &[], &dry))).unwrap();
    for (report, python) in reports.as_array().unwrap().iter().zip(["3.13", "3.14"]) {
        let prefix = parent.join(format!("python-{python}"));
        assert_eq!(report["prefix"], prefix.to_str().unwrap());
        let statuses = report["deps"].as_array().unwrap().iter();
        assert!(
            statuses.map(|d| &d["status"]).all(|s| s == "use-cache"),
            "{report}"
        );
    }
}

#[test]
fn without_a_profile_the_default_prefix_names_the_sdk_and_target() {
    let project = profiles_project();
    let debian = TestSdk::debian();
    project.ok(&["lock"]);
    let (ok, report) = project.json(&["build", "--dry-run", "--wasi-sdk", debian.dir_str()]);
    assert!(ok, "{report}");
    let name = format!("sdk-{}-{}", debian.major(), debian.target);
    let prefix = project
        .dir
        .path()
        .join("cross-build/wasi-externals")
        .join(name);
    assert_eq!(report["prefix"], prefix.to_str().unwrap());
    assert_eq!(report["python"], serde_json::Value::Null);
    // The human output says which prefix it picked.
    let out = project.run(&[
        "--python",
        "3.13",
        "build",
        "--dry-run",
        "--wasi-sdk",
        debian.dir_str(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let wanted = format!("cross-build/wasi-externals/python-3.13-{}", debian.target);
    assert!(out.status.success() && stdout.contains(&wanted), "{stdout}");
}

#[test]
fn an_unknown_python_version_is_an_error_listing_the_known_ones() {
    let project = profiles_project();
    let err = project.fails(&["--python", "3.99", "status"]);
    assert!(
        err.contains("3.99") && err.contains("3.13, 3.14") && err.contains("[python.\"3.99\"]"),
        "{err}"
    );
    let (ok, json) = project.json(&["--python", "3.99", "build", "--dry-run"]);
    assert!(!ok);
    assert_eq!(json["error"]["code"], "unknown-python", "{json}");
    // The same through the environment variable.
    let data = project.path("data");
    let out = run_env(
        &project,
        &data,
        &[("WASI_EXTERNALS_PYTHON", "3.99")],
        &["status"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("3.99"), "{stderr}");
    let out = run_env(
        &project,
        &data,
        &[("WASI_EXTERNALS_PYTHON", "3.14")],
        &["--json", "status"],
    );
    assert!(
        stdout_ok(out).contains("zstd-1.5.7"),
        "the variable picks the profile"
    );
    // Only `build` takes several.
    let err = project.fails(&["--python", "3.13", "--python", "3.14", "status"]);
    assert!(err.contains("only `build`"), "{err}");
}

#[test]
fn sdk_list_shows_both_sdks_and_sdk_path_the_one_a_build_would_use() {
    let project = profiles_project();
    let data = project.path("data");
    let stored = store_with_sdk25(&data);
    let debian = TestSdk::debian();

    let out = run_env(
        &project,
        &data,
        &[],
        &["--json", "sdk", "list", "--wasi-sdk", debian.dir_str()],
    );
    let listing: serde_json::Value = serde_json::from_str(&stdout_ok(out)).unwrap();
    let sdks = listing["sdks"].as_array().unwrap();
    let find = |version: &str| {
        let found = sdks.iter().find(|s| s["version"] == version);
        found.unwrap_or_else(|| panic!("SDK {version} listed: {listing}"))
    };
    let old = find(&debian.version());
    assert_eq!(old["path"], debian.dir_str());
    assert_eq!(old["found_by"], serde_json::json!(["--wasi-sdk"]));
    assert!(
        old["llvm_version"].as_str().unwrap().starts_with("16."),
        "{old}"
    );
    assert_eq!(old["wanted_by"], serde_json::json!(["default", "3.13"]));
    let new = find(&TestSdk::sdk25().version());
    assert_eq!(new["path"], stored.to_str().unwrap());
    assert_eq!(new["found_by"], serde_json::json!(["store"]));
    assert!(
        new["llvm_version"].as_str().unwrap().starts_with("19."),
        "{new}"
    );
    assert_eq!(new["wanted_by"], serde_json::json!(["3.14"]));
    assert_eq!(listing["missing"], serde_json::json!([]));

    // `sdk path`: the store's SDK 25 for 3.14, an explicit pair for 3.13.
    let path = stdout_ok(run_env(
        &project,
        &data,
        &[],
        &["--python", "3.14", "sdk", "path"],
    ));
    assert_eq!(path.trim_end(), stored.to_str().unwrap());
    let pair = format!("{}={}", debian.major(), debian.dir_str());
    let args = ["--python", "3.13", "sdk", "path", "--wasi-sdk", &pair];
    let path = stdout_ok(run_env(&project, &data, &[], &args));
    assert_eq!(path.trim_end(), debian.dir_str());

    // Without it, SDK 19 is nowhere: the error says which version and where it looked.
    let out = run_env(&project, &data, &[], &["--python", "3.13", "sdk", "path"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let wanted = format!("no WASI SDK {}", debian.major());
    let store = data.join(format!("wasi-externals/sdks/wasi-sdk-{}", debian.major()));
    assert!(
        !out.status.success() && err.contains(&wanted) && err.contains(store.to_str().unwrap()),
        "{err}"
    );
    // An SDK of another version named for a profile is refused, naming both versions.
    let args = [
        "--python",
        "3.14",
        "sdk",
        "path",
        "--wasi-sdk",
        debian.dir_str(),
    ];
    let out = run_env(&project, &data, &[], &args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains(&debian.version()) && err.contains("SDK 25"),
        "{err}"
    );
}
