//! A prefix remembers the WASI SDK that built it (VERSION, clang, target):
//! `build` with another SDK is refused unless `--force` empties it of what
//! wasi-externals installed, and `env --wasi-sdk` refuses to hand it to
//! another SDK. Real builds with the test environment's two SDKs.

use std::path::Path;

use crate::support::fixture::{build_args, manifest_files, mirror_url, statuses, Project, TestSdk};
use crate::support::shadow;
use serde_json::Value;

const ZLIB: (&str, &str) = ("zlib", "zlib-1.3.1");

fn manifest(prefix: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(prefix.join("wasi-externals.json")).unwrap()).unwrap()
}

#[test]
fn a_prefix_refuses_another_sdk_until_forced_and_env_checks_the_sdk() {
    let (a, b) = (TestSdk::debian(), TestSdk::sdk25());
    let (va, vb) = (a.version(), b.version());
    assert_ne!(va, vb);
    let project_a = Project::locked(&[ZLIB]);
    let prefix = project_a.path("prefix");
    let p = prefix.to_str().unwrap();
    project_a.ok(&build_args(p, a.dir_str()));
    let first = manifest(&prefix);
    assert_eq!(first["sdk_version"], va.as_str());
    let clang_a = first["sdk_clang"].as_str().unwrap().to_owned();
    assert!(clang_a.contains("clang version 16"), "{first}");
    std::fs::write(prefix.join("notes.txt"), "mine").unwrap();

    // SDK B into A's prefix: refused, naming both SDKs and --force; nothing changes.
    let project_b = Project::for_sdk(&mirror_url(), &[ZLIB], &b);
    project_b.ok(&["lock"]);
    let out = project_b.run(&build_args(p, b.dir_str()));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        p,
        &va,
        &vb,
        "clang",
        "--force",
        "wasm32-wasi",
        "wasm32-wasip1",
    ] {
        assert!(err.contains(needle), "names {needle}: {err}");
    }
    let (ok, json) = project_b.json(&build_args(p, b.dir_str()));
    assert!(!ok);
    assert_eq!(json["error"]["code"], "prefix-mixed");
    assert_eq!(manifest(&prefix), first);

    // --force: A's files go, the user's stay, B's land; the manifest names B.
    let (ok, report) = project_b.json(&[&build_args(p, b.dir_str())[..], &["--force"]].concat());
    assert!(ok, "{report}");
    assert_eq!(statuses(&report)["zlib"], "built");
    let second = manifest(&prefix);
    assert_eq!(second["sdk_version"], vb.as_str());
    assert_eq!(second["target"], "wasm32-wasip1");
    let clang_b = second["sdk_clang"].as_str().unwrap().to_owned();
    assert!(clang_b.contains("clang version 19"), "{second}");
    assert!(manifest_files(&prefix).contains_key("lib/libz.a"));
    assert_eq!(
        std::fs::read_to_string(prefix.join("notes.txt")).unwrap(),
        "mine"
    );

    // env: A is refused (plain and N=DIR), B is accepted (plain and N=DIR).
    let major_a = a.major().to_string();
    for given in [a.dir_str().to_owned(), format!("{major_a}={}", a.dir_str())] {
        let err = project_b.fails(&["env", "--prefix", p, "--wasi-sdk", &given]);
        assert!(
            err.contains(&va) && err.contains(&vb) && err.contains(&clang_a),
            "names both SDKs: {err}"
        );
    }
    let (ok, json) = project_b.json(&["env", "--prefix", p, "--wasi-sdk", a.dir_str()]);
    assert!(!ok);
    assert_eq!(json["error"]["code"], "prefix-other-sdk");
    let plain = project_b.ok(&["env", "--prefix", p]);
    assert_eq!(
        project_b.ok(&["env", "--prefix", p, "--wasi-sdk", b.dir_str()]),
        plain
    );
    let paired = format!("{}={}", b.major(), b.dir_str());
    let both = ["env", "--prefix", p, "--wasi-sdk", &paired, "--wasi-sdk"];
    let other = format!("{major_a}={}", a.dir_str());
    assert_eq!(
        project_b.ok(&[&both[..], &[other.as_str()]].concat()),
        plain
    );

    // Same VERSION, other compiler: still another SDK.
    let fake = project_b.path("fake-sdk-25");
    shadow::with_version(&a.dir, &fake, &vb);
    let err = project_b.fails(&["env", "--prefix", p, "--wasi-sdk", fake.to_str().unwrap()]);
    assert!(err.contains("clang") && err.contains(&clang_a), "{err}");
}

#[test]
fn a_forced_removal_cut_short_is_finished_by_the_next_run() {
    let b = TestSdk::sdk25();
    let project = Project::for_sdk(&mirror_url(), &[ZLIB], &b);
    project.ok(&["lock"]);
    let prefix = project.path("prefix");
    let p = prefix.to_str().unwrap();
    project.ok(&build_args(p, b.dir_str()));
    std::fs::write(prefix.join("notes.txt"), "mine").unwrap();
    // As if killed right after the commit point of `--force`: the manifest is the journal.
    std::fs::rename(
        prefix.join("wasi-externals.json"),
        prefix.join(".wasi-externals-wiping.json"),
    )
    .unwrap();
    let (ok, report) = project.json(&build_args(p, b.dir_str()));
    assert!(ok, "{report}");
    assert_eq!(statuses(&report)["zlib"], "cached");
    assert!(!prefix.join(".wasi-externals-wiping.json").exists());
    assert!(manifest_files(&prefix).contains_key("include/zlib.h"));
    assert_eq!(
        std::fs::read_to_string(prefix.join("notes.txt")).unwrap(),
        "mine"
    );
    let verify = project.run(&["verify", "--prefix", p]);
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(
        text.contains("notes.txt"),
        "only the user's file is extra: {text}"
    );
}
