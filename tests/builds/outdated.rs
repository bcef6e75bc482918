//! `outdated`: the newer tags the source has for each pinned dep name, read
//! from the test mirror's real refs (zlib-1.2.13 and zlib-1.3.1, xz-5.2.5,
//! xz-5.4.1 and xz-5.8.1, …), with its exit status, `--json`, `--python`,
//! mirrors and `--offline`.

use crate::support::fixture::{mirror_url, Project, TestSdk};
use serde_json::Value;

/// The entry of `dep` (of profile `python`, `None`: the top level) in an `outdated --json` report.
fn entry<'a>(report: &'a Value, dep: &str, python: Option<&str>) -> &'a Value {
    let deps = report["deps"].as_array().unwrap();
    let python = python.map_or(Value::Null, Value::from);
    let found = deps
        .iter()
        .find(|d| d["dep"] == dep && d["python"] == python);
    found.unwrap_or_else(|| panic!("{dep} {python} in {report:#}"))
}

fn newer(report: &Value, dep: &str, python: Option<&str>) -> Vec<String> {
    serde_json::from_value(entry(report, dep, python)["newer"].clone()).unwrap()
}

#[test]
fn an_older_pin_lists_the_newer_tags_in_version_order_and_fails() {
    let pins = [
        ("zlib", "zlib-1.2.13"),
        ("xz", "xz-5.2.5"),
        ("sqlite", "sqlite-3.40.1.0"),
        ("bzip2", "bzip2-1.0.8"),
    ];
    let project = Project::new(&mirror_url(), &pins);
    let (ok, report) = project.json(&["outdated"]);
    assert!(
        !ok,
        "something is outdated: the exit status says so\n{report:#}"
    );
    assert_eq!(report["outdated"], true);
    assert_eq!(report["url"], mirror_url());
    assert_eq!(newer(&report, "zlib", None), ["zlib-1.3.1"]);
    assert_eq!(newer(&report, "xz", None), ["xz-5.4.1", "xz-5.8.1"]);
    assert_eq!(newer(&report, "sqlite", None), ["sqlite-3.46.1.0"]);
    assert!(newer(&report, "bzip2", None).is_empty(), "{report:#}");
    assert_eq!(entry(&report, "zlib", None)["tag"], "zlib-1.2.13");

    // For people: one line per pin, the newer tags named; the same exit status.
    let out = project.run(&["outdated"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(
        text.lines().any(|l| l.starts_with("zlib ")
            && l.contains("zlib-1.2.13")
            && l.contains("zlib-1.3.1")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("bzip2 ") && l.contains("up to date")),
        "{text}"
    );
    // Nothing was fetched: the pins are still unlocked and the cache holds no sources.
    assert!(!project.config_text().contains("commit"));
    assert!(
        !project
            .cache
            .join("sources")
            .join("objects")
            .join("pack")
            .exists()
            || std::fs::read_dir(project.cache.join("sources/objects/pack"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn pins_with_nothing_newer_exit_zero() {
    let pins = [
        ("zlib", "zlib-1.3.1"),
        ("bzip2", "bzip2-1.0.8"),
        ("zstd", "zstd-1.5.7"),
    ];
    let project = Project::new(&mirror_url(), &pins);
    let (ok, report) = project.json(&["outdated"]);
    assert!(ok, "{report:#}");
    assert_eq!(report["outdated"], false);
    for (dep, _) in pins {
        assert!(newer(&report, dep, None).is_empty(), "{dep}: {report:#}");
    }
    // `zlib-ng-…` or any other name is not zlib: only the same dep name counts.
    assert_eq!(report["deps"].as_array().unwrap().len(), 3);
}

#[test]
fn profiles_are_checked_each_and_python_picks_one() {
    let sdk = TestSdk::debian();
    let project = Project::with_config(&format!(
        "[source]\nurl = \"file:///nonexistent/cpython-source-deps.git\"\nmirrors = [\"{url}\"]\n\n\
         [sdk]\nversion = {major}\ntarget = \"{target}\"\n\n\
         [deps.zlib]\ntag = \"zlib-1.3.1\"\n\n\
         [python.\"3.13\"]\nsdk = {major}\ntarget = \"{target}\"\n\n\
         [python.\"3.12\"]\nsdk = {major}\ntarget = \"{target}\"\n\n\
         [python.\"3.12\".deps.zlib]\ntag = \"zlib-1.2.13\"\n",
        url = mirror_url(),
        major = sdk.major(),
        target = sdk.target,
    ));
    // Without --python: every table, the profile's own pin labelled with it.
    let (ok, report) = project.json(&["outdated"]);
    assert!(!ok, "{report:#}");
    assert!(newer(&report, "zlib", None).is_empty(), "{report:#}");
    assert_eq!(newer(&report, "zlib", Some("3.12")), ["zlib-1.3.1"]);
    // The first location is unreachable: the mirror answered.
    assert_eq!(report["url"], mirror_url());
    // --python: that profile's pins laid over [deps].
    let (ok, report) = project.json(&["--python", "3.13", "outdated"]);
    assert!(ok && report["outdated"] == false, "{report:#}");
    let (ok, report) = project.json(&["--python", "3.12", "outdated"]);
    assert!(
        !ok && report["deps"].as_array().unwrap().len() == 1,
        "{report:#}"
    );
    assert_eq!(newer(&report, "zlib", Some("3.12")), ["zlib-1.3.1"]);
}

#[test]
fn offline_or_unreachable_is_an_error_that_says_so() {
    let project = Project::new(&mirror_url(), &[("zlib", "zlib-1.2.13")]);
    let (ok, err) = project.json(&["--offline", "outdated"]);
    assert!(!ok);
    assert_eq!(err["error"]["code"], "offline-outdated", "{err:#}");
    let stderr = project.fails(&["--offline", "outdated"]);
    assert!(stderr.contains("drop --offline"), "{stderr}");

    let nowhere = Project::new(
        "file:///nonexistent/cpython-source-deps.git",
        &[("zlib", "zlib-1.2.13")],
    );
    let stderr = nowhere.fails(&["outdated"]);
    assert!(
        stderr.contains("/nonexistent/cpython-source-deps.git"),
        "{stderr}"
    );
}
