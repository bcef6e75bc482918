//! Bundles and cache entries are untrusted input: what a hostile bundle or a
//! damaged cache can do, and what the tool does instead.

use std::path::Path;
use std::time::Duration;

use crate::support::fixture::{sha256, Project};
use crate::support::hostile::{snapshot, walk, HostileBundle};

/// Import `bundle` and require a refusal that names `what`, leaving the cache
/// and the `victim` folder beside it byte for byte as they were.
fn refused(project: &Project, bundle: HostileBundle, what: &str) -> String {
    let file = project.path("hostile.bundle");
    bundle.write(&file);
    let (cache, victim) = (snapshot(&project.cache), snapshot(&project.path("victim")));
    let err = project.fails(&["bundle", "import", file.to_str().unwrap()]);
    assert!(
        err.contains("nothing was imported") && err.contains(what),
        "`{what}` in: {err}"
    );
    assert!(
        snapshot(&project.cache) == cache,
        "the cache changed: {err}"
    );
    assert!(
        snapshot(&project.path("victim")) == victim,
        "the victim changed"
    );
    err
}

/// A bundle naming build `key` whose record lies at `record_at` inside the bundle.
fn keyed(key: &str, record_at: &str) -> HostileBundle {
    HostileBundle::new()
        .dir("builds/")
        .build_key(key)
        .record(record_at, "zlib", key, &[])
}

/// The files a real cached output records: (path, sha256).
fn recorded(cached: &Path) -> Vec<(String, String)> {
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cached.join("record.json")).unwrap()).unwrap();
    record["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["sha256"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// zlib's real output under `builds/<key>/`, without its record.
fn real_output(key: &str, cached: &Path) -> HostileBundle {
    let mut bundle = HostileBundle::new().build_key(key);
    for rel in walk(cached)
        .iter()
        .filter(|r| r.as_os_str() != "record.json")
    {
        let bytes = std::fs::read(cached.join(rel)).unwrap();
        bundle = bundle.file(&format!("builds/{key}/{}", rel.display()), &bytes);
    }
    bundle
}

#[test]
fn build_keys_cannot_name_folders_outside_the_builds() {
    let (project, _) = Project::with_warm_zlib();
    refused(&project, keyed("..", "record.json"), "not a build key");
    refused(
        &project,
        keyed("../builds", "builds/record.json"),
        "`../builds`",
    );
    let sources = keyed("../sources.git", "sources.git/record.json");
    refused(&project, sources, "not a build key");
    refused(
        &project,
        keyed("short", "builds/short/record.json"),
        "`short`",
    );

    // Two chained imports used to move a folder planted by the first over one outside the cache.
    std::fs::create_dir_all(project.path("victim")).unwrap();
    std::fs::write(project.path("victim/precious.txt"), "keep me").unwrap();
    refused(
        &project,
        keyed("../victim", "victim/record.json"),
        "not a build key",
    );
    refused(
        &project,
        keyed("../../victim", "victim/record.json"),
        "not a build key",
    );
    let (ok, listing) = project.json(&["cache", "list"]);
    assert!(
        ok && listing["builds"].as_array().unwrap().len() == 1,
        "{listing}"
    );
}

#[test]
fn record_paths_cannot_leave_the_prefix() {
    let (project, key) = Project::with_warm_zlib();
    let cached = project.path("real-output");
    crate::support::warm::copy_dir(&project.build_dir(&key), &cached);
    project.ok(&["cache", "clean"]);
    let mut files = recorded(&cached);
    files.push(("../pwned".into(), sha256(b"pwned")));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, s)| (p.as_str(), s.as_str()))
        .collect();
    let bundle = real_output(&key, &cached)
        .file(&format!("builds/{key}/pwned"), b"pwned")
        .record(&format!("builds/{key}/record.json"), "zlib", &key, &files);
    let err = refused(&project, bundle, "`../pwned`");
    assert!(err.contains("record.json"), "names the record: {err}");
    for bad in [
        "/etc/pwned",
        "lib/./libz.a",
        "lib//libz.a",
        "share/pwned",
        "",
    ] {
        let bundle = real_output(&key, &cached).record(
            &format!("builds/{key}/record.json"),
            "zlib",
            &key,
            &[(bad, &sha256(b""))],
        );
        refused(&project, bundle, "record.json");
    }
    assert!(!project.path("pwned").exists());
}

#[test]
fn links_devices_and_odd_entry_paths_are_refused() {
    let (project, key) = Project::with_warm_zlib();
    project.ok(&["cache", "clean"]);
    let secret = project.path("secret");
    std::fs::write(&secret, "top secret").unwrap();
    let lib = format!("builds/{key}/files/lib/libz.a");
    let record = format!("builds/{key}/record.json");
    let with_lib = |bundle: HostileBundle, sha: &str| {
        bundle
            .build_key(&key)
            .record(&record, "zlib", &key, &[("lib/libz.a", sha)])
    };
    let secret_sha = sha256(b"top secret");
    let link = HostileBundle::new().symlink(&lib, &secret, &secret_sha);
    refused(&project, with_lib(link, &secret_sha), "symlink");
    let config_sha = sha256(crate::support::hostile::EMPTY_CONFIG.as_bytes());
    let hard = HostileBundle::new().hard_link(&lib, "deps.toml", &config_sha);
    refused(&project, with_lib(hard, &config_sha), "hard link");
    let device = HostileBundle::new().char_device(&lib);
    refused(&project, with_lib(device, &sha256(b"")), "device");
    for odd in [
        "../escape",
        "/tmp/abs",
        "sources//x.pack",
        "./deps.toml",
        "sources/./x.idx",
    ] {
        let bundle = HostileBundle::new().unlisted_file(odd, b"x");
        refused(&project, bundle, "not a plain relative path");
    }
}

#[test]
fn a_corrupt_record_or_odd_folder_names_do_not_break_the_cache_commands() {
    let (project, key) = Project::with_warm_zlib();
    let odd_names = || {
        let builds = project.cache.join("builds");
        std::fs::create_dir_all(project.build_dir(&key)).unwrap();
        std::fs::write(project.build_dir(&key).join("record.json"), "{ not json").unwrap();
        std::fs::create_dir_all(builds.join("short/files")).unwrap();
        std::fs::create_dir_all(builds.join("ÿ-not-a-key")).unwrap();
        std::fs::create_dir_all(builds.join("A".repeat(64))).unwrap();
        std::fs::write(builds.join("a-stray-file"), "x").unwrap();
        let non_utf8 = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"\xff\xfe");
        std::fs::create_dir_all(builds.join(non_utf8)).unwrap();
    };
    odd_names();
    let list = project.ok(&["cache", "list"]);
    let record = project.build_dir(&key).join("record.json");
    assert!(
        list.contains("broken") && list.contains(record.to_str().unwrap()),
        "{list}"
    );
    let (ok, listing) = project.json(&["cache", "list"]);
    assert!(
        ok && listing["builds"].as_array().unwrap().is_empty(),
        "{listing}"
    );
    assert_eq!(listing["broken"].as_array().unwrap().len(), 6, "{listing}");

    let (ok, removed) = project.json(&["cache", "gc"]);
    assert!(ok, "{removed}");
    assert!(
        walk(&project.cache.join("builds")).is_empty(),
        "gc removed every broken entry"
    );
    odd_names();
    project.ok(&["cache", "clean"]);
    odd_names();
    project.ok(&["cache", "clean", "--sources"]);
    assert!(!project.cache.join("sources.git").exists());
}

#[test]
fn imported_builds_are_fresh_and_killed_imports_are_cleaned_up() {
    let (project, key) = Project::with_warm_zlib();
    let file = project.path("old.bundle");
    // Every entry of this bundle carries an mtime of 1980.
    HostileBundle::new()
        .copy_build(&key, &project.build_dir(&key))
        .write(&file);
    project.ok(&["cache", "clean"]);
    let killed = project.cache.join(".import-killed");
    std::fs::create_dir_all(killed.join("sources")).unwrap();
    std::fs::write(killed.join("sources/half.pack"), "half").unwrap();

    project.ok(&["bundle", "import", file.to_str().unwrap()]);
    assert!(
        !killed.exists(),
        "the next import removes a killed import's scratch"
    );
    let (_, removed) = project.json(&["cache", "gc"]);
    assert!(
        removed["builds"].as_array().unwrap().is_empty(),
        "{removed}"
    );
    let (_, listing) = project.json(&["cache", "list"]);
    assert_eq!(listing["builds"][0]["key"], key.as_str());
    assert!(listing["builds"][0]["idle_seconds"].as_u64().unwrap() < 600);

    std::fs::create_dir_all(&killed).unwrap();
    project.ok(&["cache", "gc"]);
    assert!(!killed.exists(), "gc removes a killed import's scratch");

    // A live import holds the cache lock: gc waits and leaves its scratch alone.
    let lock = std::fs::File::create(project.cache.join(".lock")).unwrap();
    lock.lock().unwrap();
    let live = project.cache.join(".import-live");
    std::fs::create_dir_all(&live).unwrap();
    let mut gc = std::process::Command::new(env!("CARGO_BIN_EXE_wasi-externals"))
        .arg("--cache-dir")
        .arg(&project.cache)
        .args(["cache", "gc"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        live.exists() && gc.try_wait().unwrap().is_none(),
        "gc waits"
    );
    std::fs::remove_dir(&live).unwrap();
    drop(lock);
    assert!(gc.wait().unwrap().success());
}

#[test]
fn a_corrupt_cached_output_is_rebuilt_not_installed() {
    let (project, key) = Project::with_warm_zlib();
    let lib = project.build_dir(&key).join("files/lib/libz.a");
    let mut bytes = std::fs::read(&lib).unwrap();
    let original = sha256(&bytes);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&lib, &bytes).unwrap();

    let (out, statuses) = project.build_json("fresh", &[], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        statuses["zlib"], "built",
        "rebuilt, not installed from the cache"
    );
    assert!(
        stderr.contains("corrupt") && stderr.contains("lib/libz.a"),
        "a warning names the file: {stderr}"
    );
    let installed = std::fs::read(project.path("fresh/lib/libz.a")).unwrap();
    assert_eq!(sha256(&installed), original);
    let mode =
        |p: &Path| std::os::unix::fs::PermissionsExt::mode(&p.metadata().unwrap().permissions());
    assert_eq!(
        mode(&project.path("fresh/lib/libz.a")),
        mode(&lib),
        "permissions are kept"
    );
    project.ok(&["verify", "--prefix", "fresh"]);
    let (_, statuses) = project.build_json("again", &[], &[]);
    assert_eq!(
        statuses["zlib"], "cached",
        "the cache holds a good output again"
    );
}
