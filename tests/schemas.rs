//! The JSON formats in docs/schemas/ describe what the program really writes:
//! the manifest and the `--json` outputs of a real build of zlib and bzip2
//! against the test mirror validate, and broken documents do not.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::fixture::{mirror_url, repo_root, sdk, Project};

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
    let build = [
        "build",
        "--prefix",
        prefix_arg,
        "--wasi-sdk",
        &sdk_dir,
        "-j",
        "2",
    ];

    let (ok, status) = project.json(&["status"]);
    assert!(ok);
    assert_eq!(status[0]["commit"], Value::Null, "unlocked: {status}");
    assert_valid("status", &status);
    project.ok(&["lock"]);

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
}

/// The error schema lists exactly the codes `Error::code` can return.
#[test]
fn the_error_schema_lists_every_error_code() {
    let source = std::fs::read_to_string(repo_root().join("src/error.rs")).unwrap();
    let body = &source[source.find("pub fn code(").unwrap()..];
    let mut in_code: Vec<String> = body
        .lines()
        .take_while(|line| line.trim() != "}")
        .filter_map(|line| line.split("=> \"").nth(1))
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    in_code.sort();
    in_code.dedup();
    assert!(in_code.len() > 20, "parsed the codes: {in_code:?}");
    let mut in_schema: Vec<String> = schema("error")["properties"]["error"]["properties"]["code"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    in_schema.sort();
    assert_eq!(in_schema, in_code);
}
