//! `doctor` checks the whole setup: a good one passes, and each broken piece
//! (no SDK, the wrong SDK, a sysroot without an emulation library, an
//! unwritable cache, an unreachable source with nothing cached, a prefix of
//! another SDK) is named with its fix. Real SDKs, the real test mirror.

use std::path::Path;
use std::process::Output;

use crate::support::fixture::{build_args, mirror_url, tool, Project, TestSdk, LATEST_TAGS};
use crate::support::shadow;
use serde_json::Value;

/// Run `doctor --json` with `project`'s config, the cache `cache`, and `args`.
fn doctor(project: &Project, cache: &Path, args: &[&str]) -> (Output, Vec<Value>) {
    let base = [
        "--config",
        project.config.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
        "--json",
    ];
    let out = tool(project.dir.path(), &[&base[..], args].concat());
    let checks: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out, checks)
}

fn check<'a>(checks: &'a [Value], name: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no `{name}` check: {checks:#?}"))
}

/// The run failed, `name` is a problem whose fix mentions `fix`, and every other check is not a problem.
fn assert_only_problem(out: &Output, checks: &[Value], name: &str, fix: &str) {
    assert_eq!(out.status.code(), Some(1), "{checks:#?}");
    let found = check(checks, name);
    assert_eq!(found["status"], "problem", "{found:#}");
    assert_eq!(found["ok"], false);
    let text = found["fix"].as_str().unwrap();
    assert!(
        text.contains(fix),
        "the fix of `{name}` says {fix:?}: {found:#}"
    );
    for other in checks.iter().filter(|c| c["check"] != name) {
        assert_ne!(other["status"], "problem", "only `{name}` fails: {other:#}");
    }
}

/// `doctor --wasi-sdk SDK` with `project`'s cache must fail with `name` as its only
/// problem, whose fix mentions `fix`; the checks.
fn only_problem_with_sdk(project: &Project, sdk: &str, name: &str, fix: &str) -> Vec<Value> {
    let (out, checks) = doctor(project, &project.cache, &["doctor", "--wasi-sdk", sdk]);
    assert_only_problem(&out, &checks, name, fix);
    checks
}

fn locked_project(sdk: &TestSdk) -> Project {
    let project = Project::for_sdk(&mirror_url(), LATEST_TAGS, sdk);
    project.ok(&["lock"]);
    project
}

#[test]
fn a_good_setup_passes_and_a_prefix_of_another_sdk_does_not() {
    let a = TestSdk::debian();
    let project = locked_project(&a);
    let prefix = project.path("prefix");
    let p = prefix.to_str().unwrap();
    let args = ["doctor", "--wasi-sdk", a.dir_str(), "--prefix", p];
    let (out, checks) = doctor(&project, &project.cache, &args);
    assert!(out.status.success(), "{checks:#?}");
    let names: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "config",
            "sdk",
            "sdk-version",
            "sysroot",
            "cache",
            "sources",
            "prefix",
            "disk-space"
        ]
    );
    for c in &checks {
        assert_eq!(c["ok"], true, "{c:#}");
    }
    let human = project.ok(&args);
    assert!(human.contains("no problems found"), "{human}");

    // A prefix built with SDK A is a problem for a setup with SDK B.
    project.ok(&[&build_args(p, a.dir_str())[..], &["zlib"]].concat());
    let (out, checks) = doctor(&project, &project.cache, &args);
    assert!(out.status.success(), "{checks:#?}");
    assert_eq!(check(&checks, "prefix")["status"], "ok");
    let b = TestSdk::sdk25();
    let other = locked_project(&b);
    let args = ["doctor", "--wasi-sdk", b.dir_str(), "--prefix", p];
    let (out, checks) = doctor(&other, &project.cache, &args);
    assert_only_problem(&out, &checks, "prefix", "--force");
    let detail = check(&checks, "prefix")["detail"].as_str().unwrap();
    assert!(
        detail.contains(&a.version()) && detail.contains(&b.version()),
        "{detail}"
    );
}

#[test]
fn a_missing_sdk_and_an_sdk_of_another_version_are_named_with_their_fix() {
    let a = TestSdk::debian();
    let project = locked_project(&a);
    let missing = project.path("no-such-sdk");
    let fix = format!("install wasi-sdk-{}", a.major());
    let checks = only_problem_with_sdk(&project, missing.to_str().unwrap(), "sdk", &fix);
    assert_eq!(check(&checks, "sysroot")["status"], "skipped");

    let b = TestSdk::sdk25();
    let fix = format!("use WASI SDK {}", a.major());
    only_problem_with_sdk(&project, b.dir_str(), "sdk-version", &fix);
    let human =
        String::from_utf8(project.run(&["doctor", "--wasi-sdk", b.dir_str()]).stdout).unwrap();
    assert!(
        human.contains("sdk-version") && human.contains("fix: use WASI SDK"),
        "{human}"
    );
}

#[test]
fn a_sysroot_without_an_emulation_library_is_named_with_the_deps_that_need_it() {
    let a = TestSdk::debian();
    let project = locked_project(&a);
    let sdk = project.path("sdk-without-signal");
    let lib = format!(
        "share/wasi-sysroot/lib/{}/libwasi-emulated-signal.a",
        a.target
    );
    assert!(a.dir.join(&lib).exists());
    shadow::shadow(&a.dir, &sdk, Path::new(&lib));
    assert!(sdk.join("bin/clang").exists() && !sdk.join(&lib).exists());
    let checks = only_problem_with_sdk(
        &project,
        sdk.to_str().unwrap(),
        "sysroot",
        "reinstall WASI SDK",
    );
    let detail = check(&checks, "sysroot")["detail"].as_str().unwrap();
    assert!(
        detail.contains("libwasi-emulated-signal.a")
            && detail.contains("mpdecimal")
            && detail.contains("sqlite"),
        "{detail}"
    );
    assert!(
        !detail.contains("libwasi-emulated-mman.a"),
        "only what is missing: {detail}"
    );
}

#[test]
fn an_unwritable_cache_is_a_problem() {
    let a = TestSdk::debian();
    let project = locked_project(&a);
    let cache = project.path("read-only-cache");
    std::fs::create_dir(&cache).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (out, checks) = doctor(&project, &cache, &["doctor", "--wasi-sdk", a.dir_str()]);
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A cache below a plain file cannot be created, even by root.
    let file = project.path("a-file");
    std::fs::write(&file, "").unwrap();
    let (out_below, below_file) = doctor(
        &project,
        &file.join("cache"),
        &["doctor", "--wasi-sdk", a.dir_str()],
    );
    assert_only_problem(&out_below, &below_file, "cache", "--cache-dir");
    let uid = std::process::Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        eprintln!("running as root, which ignores file modes: not asserting the cache check");
        return;
    }
    assert_only_problem(&out, &checks, "cache", "chmod u+w");
    let found = check(&checks, "cache");
    assert_eq!(found["status"], "problem", "{found:#}");
    assert!(
        found["fix"].as_str().unwrap().contains("--cache-dir"),
        "{found:#}"
    );
}

#[test]
fn an_unreachable_source_with_nothing_cached_is_a_problem_and_cached_sources_are_not() {
    let a = TestSdk::debian();
    let project = locked_project(&a);
    // `lock` fetched into the project's cache: a fresh one has nothing.
    let empty = project.path("empty-cache");
    let args = [
        "--source",
        "file:///nonexistent",
        "doctor",
        "--wasi-sdk",
        a.dir_str(),
    ];
    let (out, checks) = doctor(&project, &empty, &args);
    assert_only_problem(&out, &checks, "sources", "[source] url");
    let detail = check(&checks, "sources")["detail"].as_str().unwrap();
    assert!(
        detail.contains("file:///nonexistent") && detail.contains("zlib-1.3.1"),
        "{detail}"
    );
    let human = tool(
        project.dir.path(),
        &[
            &[
                "--config",
                project.config.to_str().unwrap(),
                "--cache-dir",
                empty.to_str().unwrap(),
            ][..],
            &args,
        ]
        .concat(),
    );
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("PROBLEM  sources") && human.contains("fix: check the network"),
        "{human}"
    );

    // Offline, nothing cached: a problem; reachable: fine though not cached yet.
    let offline = ["--offline", "doctor", "--wasi-sdk", a.dir_str()];
    let (out, checks) = doctor(&project, &empty, &offline);
    assert_only_problem(&out, &checks, "sources", "wasi-externals fetch");
    let (out, checks) = doctor(&project, &empty, &["doctor", "--wasi-sdk", a.dir_str()]);
    assert!(out.status.success(), "{checks:#?}");
    assert!(check(&checks, "sources")["detail"]
        .as_str()
        .unwrap()
        .contains("not fetched yet"));
    // Cached: neither offline nor an unreachable source matters.
    project.ok(&["fetch"]);
    for args in [&args[..], &offline[..]] {
        let (out, checks) = doctor(&project, &project.cache, args);
        assert!(out.status.success(), "{checks:#?}");
        assert_eq!(check(&checks, "sources")["status"], "ok");
    }
}

#[test]
fn a_broken_config_is_a_problem_and_the_rest_is_still_checked() {
    let project = Project::with_config("[sdk]\nversion = \"x\"\n");
    let (out, checks) = doctor(&project, &project.cache, &["doctor"]);
    assert_only_problem(&out, &checks, "config", "wasi-externals init");
    assert_eq!(check(&checks, "cache")["status"], "ok");
    assert_eq!(check(&checks, "sdk")["status"], "skipped");
}
