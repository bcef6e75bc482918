//! The remote cache shared by a fleet, against real servers on 127.0.0.1:
//! moto's S3 server and a plain HTTP PUT/GET server (`scripts/put_get_server.py`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::fixture::{manifest_files, mirror_url, output_text, sdk, sha256, Project};
use crate::support::object_servers::{moto_env, Server};

/// A source nobody can reach: "machine B" has no source access at all.
const NOWHERE: &str = "http://127.0.0.1:9/gone.git";

/// `cache stats --json` of `project`.
fn stats(project: &Project) -> serde_json::Value {
    let (ok, value) = project.json(&["cache", "stats"]);
    assert!(ok, "{value}");
    value
}

/// A project with `config`'s pins whose source cannot be reached.
fn machine_without_source(config: &str) -> Project {
    Project::with_config(&config.replace(&mirror_url(), NOWHERE))
}

#[test]
fn an_s3_fleet_builds_once_and_the_second_machine_compiles_nothing() {
    let server = Server::moto("fleet");
    let env = moto_env(&server);
    let remote = ["--remote-cache", "s3://fleet/wasi/externals"];
    let a = Project::locked(&[("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")]);
    let (out, built) = a.build_json("prefix", &remote, &env);
    assert!(out.status.success(), "{}", output_text(&out));
    assert_eq!(built.values().collect::<Vec<_>>(), ["built", "built"]);
    let up = stats(&a);
    assert_eq!(
        (up["builds_up"].as_u64(), up["sources_up"].as_u64()),
        (Some(2), Some(2)),
        "{up}"
    );
    assert!(!output_text(&out).contains("testing-secret-never-printed"));

    // Machine B: empty cache, no source access, the same bucket.
    let b = machine_without_source(&a.config_text());
    let (out, got) = b.build_json("prefix", &remote, &env);
    assert!(out.status.success(), "{}", output_text(&out));
    assert_eq!(
        got.values().collect::<Vec<_>>(),
        ["cached", "cached"],
        "{}",
        output_text(&out)
    );
    let down = stats(&b);
    assert_eq!(
        (down["hits"].as_u64(), down["misses"].as_u64()),
        (Some(2), Some(0)),
        "{down}"
    );
    assert_eq!(down["builds_up"].as_u64(), Some(0), "nothing new to upload");
    assert_eq!(
        manifest_files(&b.path("prefix")),
        manifest_files(&a.path("prefix"))
    );
    // ... and its sources come from the bucket alone, verified against the pins.
    let fetched = b
        .command(&[&remote[..], &["--json", "fetch"]].concat())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(fetched.status.success(), "{}", output_text(&fetched));
    b.ok(&["fetch", "--offline", "--into", "src"]);
    assert!(b.path("src/zlib/zlib.h").is_file() && b.path("src/bzip2/bzlib.h").is_file());
}

/// The build objects a PUT/GET server holds: (pointer, blobs) per key.
fn stored_builds(root: &Path) -> BTreeMap<String, (String, Vec<PathBuf>)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("builds")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(key) = name.strip_suffix(".sha256") {
            let pointer = std::fs::read_to_string(&path).unwrap().trim().to_owned();
            let mut blobs: Vec<PathBuf> = std::fs::read_dir(root.join("builds").join(key))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .collect();
            blobs.sort();
            out.insert(key.to_owned(), (pointer, blobs));
        }
    }
    out
}

#[test]
fn an_http_cache_is_filled_by_push_and_a_corrupt_object_is_rebuilt_not_installed() {
    let store = tempfile::tempdir().unwrap();
    let server = Server::put_get(store.path(), None);
    let url = format!("{}/team/cache", server.url());
    let remote = ["--remote-cache", url.as_str()];
    let (a, key) = Project::with_warm_zlib();
    let pushed = a.ok(&[&remote[..], &["cache", "push"]].concat());
    assert!(
        pushed.contains("pushed 1 build(s) and 1 source pack(s)"),
        "{pushed}"
    );
    let (out, statuses) = a.build_json("prefix", &[], &[]);
    assert_eq!(statuses["zlib"], "cached", "{}", output_text(&out));

    let b = machine_without_source(&a.config_text());
    let (out, statuses) = b.build_json("prefix", &remote, &[]);
    assert_eq!(statuses["zlib"], "cached", "{}", output_text(&out));
    assert_eq!(
        manifest_files(&b.path("prefix")),
        manifest_files(&a.path("prefix"))
    );

    // Flip one byte of the stored tar: machine C refuses it, warns, compiles
    // zlib from the remote's source pack (its source is unreachable) and re-uploads.
    let objects = store.path().join("team/cache");
    let (pointer, blobs) = stored_builds(&objects).remove(&key).unwrap();
    assert_eq!(blobs.len(), 1);
    let mut bytes = std::fs::read(&blobs[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&blobs[0], bytes).unwrap();
    let c = machine_without_source(&a.config_text());
    let (out, statuses) = c.build_json("prefix", &remote, &[]);
    let log = output_text(&out);
    assert_eq!(statuses["zlib"], "built", "{log}");
    assert!(
        log.contains("warning") && log.contains("was rejected") && log.contains(&key),
        "{log}"
    );
    assert_eq!(
        manifest_files(&c.path("prefix")),
        manifest_files(&a.path("prefix"))
    );
    let counters = stats(&c);
    assert_eq!(
        (counters["rejected"].as_u64(), counters["hits"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(counters["sources_down"].as_u64(), Some(1), "{counters}");
    // The re-upload repaired the object: same name, right content.
    assert_eq!(sha256(&std::fs::read(&blobs[0]).unwrap()), pointer);
}

#[test]
fn a_remote_that_goes_away_mid_run_means_local_work_unless_required() {
    let store = tempfile::tempdir().unwrap();
    let (a, _) = Project::with_warm_zlib();
    {
        let server = Server::put_get(store.path(), None);
        let url = format!("{}/c", server.url());
        a.ok(&["--remote-cache", &url, "cache", "push"]);
    }
    // One request answered (the pointer), then the server is gone.
    let server = Server::put_get(store.path(), Some(1));
    let url = format!("{}/c", server.url());
    let b = Project::with_config(&a.config_text());
    let (out, statuses) = b.build_json("prefix", &["--remote-cache", &url], &[]);
    let log = output_text(&out);
    assert!(out.status.success(), "{log}");
    assert_eq!(statuses["zlib"], "built", "{log}");
    assert!(
        log.contains("warning") && log.contains("working locally"),
        "{log}"
    );
    assert!(stats(&b)["unreachable"].as_bool().unwrap());
    drop(server);

    // Required: the same failure stops the build, naming the remote.
    let server = Server::put_get(store.path(), Some(1));
    let url = format!("{}/c", server.url());
    let c = Project::with_config(&a.config_text());
    let required = ["--remote-cache", url.as_str(), "--remote-cache-required"];
    let (out, _) = c.build_json("prefix", &required, &[]);
    assert!(!out.status.success());
    let log = output_text(&out);
    assert!(
        log.contains("remote-required") && log.contains(&url),
        "{log}"
    );
    assert!(!c.path("prefix/wasi-externals.json").exists());
}

#[test]
fn two_builders_racing_on_one_key_both_succeed_and_leave_one_valid_entry() {
    let store = tempfile::tempdir().unwrap();
    let server = Server::put_get(store.path(), None);
    let url = format!("{}/shared", server.url());
    let first = Project::locked(&[("zlib", "zlib-1.3.1")]);
    let second = Project::with_config(&first.config_text());
    let sdk = sdk();
    let args = [
        "--remote-cache",
        url.as_str(),
        "--json",
        "build",
        "--prefix",
        "prefix",
        "-j",
        "1",
        "--wasi-sdk",
        sdk.to_str().unwrap(),
    ];
    let racers: Vec<_> = [&first, &second]
        .iter()
        .map(|p| {
            p.command(&args)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for racer in racers {
        let out = racer.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", output_text(&out));
    }
    let entries = stored_builds(&store.path().join("shared"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    let (pointer, blobs) = entries.values().next().unwrap();
    assert_eq!(
        blobs.len(),
        1,
        "reproducible builds write one object: {blobs:?}"
    );
    assert_eq!(&sha256(&std::fs::read(&blobs[0]).unwrap()), pointer);
    // A third machine reads the same objects as a folder, through file://.
    let third = Project::with_config(&first.config_text());
    let folder = format!("file://{}", store.path().join("shared").display());
    let (out, statuses) = third.build_json("prefix", &["--remote-cache", &folder], &[]);
    assert_eq!(statuses["zlib"], "cached", "{}", output_text(&out));
    assert_eq!(
        manifest_files(&third.path("prefix")),
        manifest_files(&first.path("prefix"))
    );
}
