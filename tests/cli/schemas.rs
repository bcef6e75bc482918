//! The JSON formats in docs/schemas/ describe what the program really writes:
//! the manifest and the `--json` outputs of a real build of zlib and bzip2
//! against the test mirror validate, and broken documents do not.

use std::path::Path;

use crate::support::fixture::{build_args, mirror_url, repo_root, sdk, tool, Project};
use serde_json::{json, Value};

fn schema(name: &str) -> Value {
    let path = repo_root()
        .join("docs/schemas")
        .join(format!("{name}.v1.schema.json"));
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    if let Err(err) = jsonschema::meta::validate(&schema) {
        panic!("{} is not a valid JSON Schema: {err}", path.display());
    }
    schema
}

/// Validation errors of `doc` against the named schema, as text.
fn errors(name: &str, doc: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&schema(name)).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(name: &str, doc: &Value) {
    let errors = errors(name, doc);
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{doc:#}");
}

fn assert_invalid(name: &str, doc: &Value, why: &str) {
    assert!(
        !errors(name, doc).is_empty(),
        "{name} accepts a broken document ({why}):\n{doc:#}"
    );
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn real_outputs_match_the_schemas_and_broken_ones_do_not() {
    let project = Project::new(
        &mirror_url(),
        &[("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")],
    );
    let prefix = project.path("prefix");
    let prefix_arg = prefix.to_str().unwrap();
    let sdk_dir = sdk().display().to_string();
    let build = build_args(prefix_arg, &sdk_dir);

    let (ok, status) = project.json(&["status"]);
    assert!(ok);
    assert_eq!(status[0]["commit"], Value::Null, "unlocked: {status}");
    assert_valid("status", &status);
    let (ok, locked) = project.json(&["lock"]);
    assert!(ok, "{locked}");
    assert_eq!(locked["written"], true);
    assert_eq!(locked["deps"][0]["previous_commit"], Value::Null);
    assert_valid("lock", &locked);
    let (ok, outdated) = project.json(&["outdated"]);
    assert!(ok && outdated["outdated"] == false, "{outdated}");
    assert_valid("outdated", &outdated);
    let mut broken = outdated.clone();
    broken["deps"][0]["newer"] = json!("zlib-1.3.2");
    assert_invalid("outdated", &broken, "one tag where a list goes");
    let (ok, checked) = project.json(&["lock", "--check"]);
    assert!(ok, "{checked}");
    assert_eq!(checked["deps"][1]["changed"], false);
    assert_eq!(
        checked["deps"][1]["previous_commit"],
        checked["deps"][1]["commit"]
    );
    assert_valid("lock", &checked);
    let mut broken = checked.clone();
    broken["deps"][0]["commit"] = json!("zlib-1.3.1");
    assert_invalid("lock", &broken, "a tag where the commit goes");

    let (ok, recipes) = project.json(&["recipes"]);
    assert!(ok);
    assert_valid("recipes", &recipes);

    let (ok, planned) = project.json(&[&build[..], &["--dry-run"]].concat());
    assert!(ok);
    assert_eq!(planned["deps"][0]["status"], "build");
    assert_valid("build", &planned);

    let (ok, report) = project.json(&build);
    assert!(ok, "{report}");
    assert_eq!(report["deps"][1]["status"], "built");
    assert_valid("build", &report);

    let manifest_path = prefix.join("wasi-externals.json");
    let manifest = read_json(&manifest_path);
    assert_eq!(manifest["format"], 1);
    assert_valid("manifest", &manifest);

    let (ok, env) = project.json(&["env", "--prefix", prefix_arg]);
    assert!(ok);
    assert!(env["variables"]["ZLIB_LIBS"].is_string(), "{env}");
    assert_valid("env", &env);
    let plain: Value =
        serde_json::from_str(&project.ok(&["env", "--prefix", prefix_arg, "--format", "json"]))
            .unwrap();
    assert_eq!(plain, env, "--format json and --json print the same");

    let (ok, status) = project.json(&["status"]);
    assert!(ok);
    assert_eq!(status[0]["cached"], true);
    assert_valid("status", &status);

    commands_over_the_build(&project, &prefix, &sdk_dir);

    // Errors: a prefix nothing was built into, and an unknown dependency.
    let empty = project.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let (ok, error) = project.json(&["env", "--prefix", empty.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "prefix-empty");
    assert_valid("error", &error);
    let (ok, error) = project.json(&["build", "--prefix", prefix_arg, "nosuch"]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "unknown-dep");
    assert_valid("error", &error);

    // Broken documents fail.
    let mut broken = manifest.clone();
    broken["deps"]["zlib"]["files"][0]["sha256"] = json!("ABC");
    assert_invalid("manifest", &broken, "a file hash that is no sha256");
    let mut broken = manifest.clone();
    broken["deps"]["bzip2"]
        .as_object_mut()
        .unwrap()
        .remove("commit");
    assert_invalid("manifest", &broken, "a dep without its commit");
    let mut broken = manifest.clone();
    broken["format"] = json!(2);
    assert_invalid("manifest", &broken, "a format this version does not know");
    let mut broken = report.clone();
    broken["deps"][0]["status"] = json!("done");
    assert_invalid("build", &broken, "an unknown status");
    let mut broken = report.clone();
    broken["surprise"] = json!(true);
    assert_invalid("build", &broken, "an undocumented field");
    let mut broken = env.clone();
    broken["configure_args"] = json!(["ZLIB_LIBS"]);
    assert_invalid(
        "env",
        &broken,
        "an argument that is neither NAME=value nor an option",
    );
    assert_invalid(
        "status",
        &json!([{"dep": "zlib", "tag": "zlib-1.3.1", "commit": null}]),
        "no `cached`",
    );
    assert_invalid("recipes", &json!([{"dep": "zlib"}]), "a bare dep");
    assert_invalid(
        "error",
        &json!({"error": {"code": "oops", "message": "x"}}),
        "an unknown code",
    );

    // Manifests without `format` (older ones) are still read; a newer format is refused by name.
    let mut old = manifest.clone();
    old.as_object_mut().unwrap().remove("format");
    assert_valid("manifest", &old);
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&old).unwrap()).unwrap();
    let (ok, env_old) = project.json(&["env", "--prefix", prefix_arg]);
    assert!(ok, "{env_old}");
    assert_eq!(env_old, env);
    let mut newer = manifest.clone();
    newer["format"] = json!(2);
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&newer).unwrap()).unwrap();
    let (ok, error) = project.json(&["env", "--prefix", prefix_arg]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "prefix");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("format 2"),
        "{error}"
    );
    assert_valid("error", &error);

    // Cache upkeep comes last: it drops the builds and the sources.
    let (ok, kept) = project.json(&["cache", "gc"]);
    assert!(ok, "{kept}");
    assert_eq!(kept["builds"], json!([]), "fresh builds are kept");
    assert_valid("cache-gc", &kept);
    let (ok, removed) = project.json(&["cache", "gc", "--max-age-days", "0"]);
    assert!(ok, "{removed}");
    assert_eq!(removed["builds"].as_array().unwrap().len(), 2, "{removed}");
    assert_valid("cache-gc", &removed);
    let (ok, cleaned) = project.json(&["cache", "clean", "--sources"]);
    assert!(ok, "{cleaned}");
    assert_eq!(cleaned["sources"], true);
    assert_valid("cache-clean", &cleaned);
    let mut broken = cleaned.clone();
    broken["work_dirs"] = json!(-1);
    assert_invalid("cache-clean", &broken, "a negative count");
}

/// The `--json` outputs of the commands over a locked project with a built
/// `prefix` and a warm cache (left as they were found): fetch, verify, package,
/// cache list, bundle export and import, cache push and stats, sdk list and
/// path, init and recipes show.
fn commands_over_the_build(project: &Project, prefix: &Path, sdk_dir: &str) {
    let prefix_arg = prefix.to_str().unwrap();

    let (ok, fetched) = project.json(&["fetch"]);
    assert!(ok, "{fetched}");
    assert_eq!(fetched[0]["origin"], "cached", "{fetched}");
    assert_valid("fetch", &fetched);
    let mut broken = fetched.clone();
    broken[1]["tree"] = json!("HEAD");
    assert_invalid("fetch", &broken, "a tree that is no object id");

    let (ok, verified) = project.json(&["verify", "--prefix", prefix_arg]);
    assert!(ok, "{verified}");
    assert!(verified["checked"].as_u64().unwrap() > 0, "{verified}");
    assert_valid("verify", &verified);
    let archive = project.path("externals.tar.gz");
    let (ok, package) = project.json(&[
        "package",
        "--prefix",
        prefix_arg,
        "-o",
        archive.to_str().unwrap(),
    ]);
    assert!(ok, "{package}");
    let with_manifest = verified["checked"].as_u64().unwrap() + 1;
    assert_eq!(package["files"], with_manifest, "{package}");
    assert_valid("package", &package);
    // A stray file: verify fails, and prints its report all the same.
    let stray = prefix.join("lib/stray.a");
    std::fs::write(&stray, "?").unwrap();
    let (ok, dirty) = project.json(&["verify", "--prefix", prefix_arg]);
    std::fs::remove_file(&stray).unwrap();
    assert!(!ok, "{dirty}");
    assert_eq!(dirty["extra"], json!(["lib/stray.a"]));
    assert_valid("verify", &dirty);

    let (ok, listing) = project.json(&["cache", "list"]);
    assert!(ok, "{listing}");
    assert_eq!(listing["builds"].as_array().unwrap().len(), 2, "{listing}");
    assert_valid("cache-list", &listing);

    let bundle = project.path("offline.bundle");
    let bundle_arg = bundle.to_str().unwrap();
    let (ok, exported) = project.json(&["bundle", "export", bundle_arg, "--with-builds", sdk_dir]);
    assert!(ok, "{exported}");
    assert_eq!(
        exported["builds"].as_array().unwrap().len(),
        2,
        "{exported}"
    );
    assert_valid("bundle-export", &exported);
    let elsewhere = Project::with_config(&project.config_text());
    let (ok, imported) = elsewhere.json(&["bundle", "import", bundle_arg]);
    assert!(ok, "{imported}");
    assert_eq!(imported, exported);
    assert_valid("bundle-import", &imported);
    let mut broken = imported.clone();
    broken["entries"][0]["path"] = json!("../deps.toml");
    assert_invalid(
        "bundle-import",
        &broken,
        "a path outside the bundle's folders",
    );

    // A file:// remote cache: push the builds, then what the push did.
    let remote = tempfile::tempdir().unwrap();
    let url = format!("file://{}", remote.path().display());
    let (ok, pushed) = project.json(&["--remote-cache", &url, "cache", "push"]);
    assert!(ok, "{pushed}");
    assert_eq!(
        (&pushed["builds"], &pushed["sources"]),
        (&json!(2), &json!(2)),
        "{pushed}"
    );
    assert_valid("cache-push", &pushed);
    let (ok, stats) = project.json(&["cache", "stats"]);
    assert!(ok, "{stats}");
    assert_eq!(stats["command"], "cache push");
    assert_eq!(stats, pushed["stats"]);
    assert_valid("cache-stats", &stats);
    let mut broken = stats.clone();
    broken["mode"] = json!("write-only");
    assert_invalid("cache-stats", &broken, "an unknown mode");

    let (ok, sdks) = project.json(&["sdk", "list", "--wasi-sdk", sdk_dir]);
    assert!(ok, "{sdks}");
    let given = sdks["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == sdk_dir);
    let given = given.unwrap_or_else(|| panic!("{sdk_dir} listed: {sdks:#}"));
    assert_eq!(given["wanted_by"], json!(["default"]), "{sdks:#}");
    assert_valid("sdk-list", &sdks);
    let (ok, chosen) = project.json(&["sdk", "path", "--wasi-sdk", sdk_dir]);
    assert!(ok, "{chosen}");
    assert_eq!(
        (&chosen["path"], &chosen["python"]),
        (&json!(sdk_dir), &Value::Null)
    );
    assert_valid("sdk-path", &chosen);
    let mut broken = chosen.clone();
    broken.as_object_mut().unwrap().remove("target");
    assert_invalid("sdk-path", &broken, "no target");

    let fresh = tempfile::tempdir().unwrap();
    let out = tool(fresh.path(), &["--json", "init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let init: Value = serde_json::from_slice(&out.stdout).unwrap();
    let written = Path::new(init["config"].as_str().unwrap());
    assert!(
        written.is_absolute() && written.ends_with("deps.toml"),
        "{init}"
    );
    assert_valid("init", &init);
    let out = tool(fresh.path(), &["--json", "init"]);
    assert!(!out.status.success());
    let error: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["code"], "config-exists", "{error}");
    assert_valid("error", &error);

    let (ok, shown) = project.json(&["recipes", "show", "zlib"]);
    assert!(ok, "{shown}");
    assert_eq!(shown["origin"], "built-in");
    assert_valid("recipes-show", &shown);
}

/// `doctor --json`: a good setup and a broken one (no SDK) both validate; a made-up check does not.
#[test]
fn doctor_output_matches_its_schema() {
    let project = Project::locked(&[("zlib", "zlib-1.3.1")]);
    let sdk_dir = sdk().display().to_string();
    let (ok, good) = project.json(&["doctor", "--wasi-sdk", &sdk_dir]);
    assert!(ok, "{good:#}");
    assert_valid("doctor", &good);
    let missing = project.path("no-sdk").display().to_string();
    let (ok, bad) = project.json(&["doctor", "--wasi-sdk", &missing]);
    assert!(!ok);
    assert_valid("doctor", &bad);
    assert!(
        bad.as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "skipped"),
        "{bad:#}"
    );
    let mut broken = good.clone();
    broken[0]["check"] = json!("vibes");
    assert_invalid("doctor", &broken, "an unknown check");
    let mut broken = bad.clone();
    let sdk_check = broken
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["check"] == "sdk")
        .unwrap();
    sdk_check["fix"] = Value::Null;
    assert_invalid("doctor", &broken, "a problem without a fix");
}

/// The error schema lists exactly the codes in `Code::ALL`, the one list every
/// module's `code()` picks from.
#[test]
fn the_error_schema_lists_every_error_code() {
    let mut in_code: Vec<&str> = wasi_externals::Code::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();
    in_code.sort_unstable();
    let before = in_code.len();
    in_code.dedup();
    assert_eq!(before, in_code.len(), "a code is listed twice: {in_code:?}");
    let schema = schema("error");
    let mut in_schema: Vec<&str> = schema["properties"]["error"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    in_schema.sort_unstable();
    assert_eq!(in_schema, in_code);
}
