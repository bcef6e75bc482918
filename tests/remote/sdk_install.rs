//! `sdk install` against a real HTTP server on 127.0.0.1 serving the test
//! environment's two SDK folders packed as release tarballs: the store under
//! `XDG_DATA_HOME` gets exactly the SDK, or nothing, whatever the server does.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, OnceLock};

use crate::support::fixture::{
    in_home, output_text, repo_root, sha256, stdout_ok, tool_command, TestSdk,
};
use crate::support::release_server::{python_tarball, release_tarball, Behaviour, ReleaseServer};
use serde_json::Value;

const ASSET_25: &str = "/wasi-sdk-25/wasi-sdk-25.0-x86_64-linux.tar.gz";
const ASSET_24: &str = "/wasi-sdk-24/wasi-sdk-24.0-x86_64-linux.tar.gz";

/// The two SDK folders as release tarballs, packed once per test run.
struct Releases {
    sdk25: Arc<Vec<u8>>,
    /// The Debian SDK folder, its VERSION made 24.0: a second, different SDK.
    sdk24: Arc<Vec<u8>>,
}

fn releases() -> &'static Releases {
    static RELEASES: OnceLock<Releases> = OnceLock::new();
    RELEASES.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let sdk25 = release_tarball(
            &TestSdk::sdk25().dir,
            "wasi-sdk-25.0-x86_64-linux",
            None,
            &dir.path().join("25.tar.gz"),
        );
        let sdk24 = release_tarball(
            &TestSdk::debian().dir,
            "wasi-sdk-24.0-x86_64-linux",
            Some("24.0"),
            &dir.path().join("24.tar.gz"),
        );
        Releases {
            sdk25: Arc::new(sdk25),
            sdk24: Arc::new(sdk24),
        }
    })
}

/// A throwaway home: the data folder (the SDK store), a cache, a working folder.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("work")).unwrap();
        Home { dir }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("data/wasi-externals/sdks")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("work/deps.toml")
    }

    fn write_config(&self, sdk_table: &str) {
        let text = format!("[source]\nurl = \"file:///nowhere\"\n\n[sdk]\n{sdk_table}\n");
        std::fs::write(self.config(), text).unwrap();
    }

    /// `wasi-externals ARGS` with this home's XDG folders and no proxy or tool variables.
    fn command(&self, args: &[&str]) -> Command {
        let config = self.config();
        let args = [&["--config", config.to_str().unwrap()], args].concat();
        let mut command = tool_command(&self.dir.path().join("work"), &args);
        in_home(&mut command, self.dir.path());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Run with `--json`: (success, parsed stdout).
    fn json(&self, args: &[&str]) -> (bool, Value) {
        let out = self.run(&[&["--json"], args].concat());
        let value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", output_text(&out)));
        (out.status.success(), value)
    }

    /// Names in the store folder other than its lock file.
    fn store_entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.store())
            .into_iter()
            .flatten()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".lock")
            .collect();
        names.sort();
        names
    }
}

/// Schema errors of an `sdk install --json` result (docs/schemas/sdk-install.v1.schema.json).
fn schema_errors(doc: &Value) -> Vec<String> {
    let path = repo_root().join("docs/schemas/sdk-install.v1.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    jsonschema::meta::validate(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator.iter_errors(doc).map(|e| e.to_string()).collect()
}

fn install_25(home: &Home, server: &ReleaseServer, sha: &str) -> (bool, Value) {
    home.json(&[
        "sdk",
        "install",
        "25",
        "--sdk-url",
        &server.url(ASSET_25),
        "--sha256",
        sha,
    ])
}

/// Every path below `dir` whose name contains `needle`.
fn find_named(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().contains(needle) {
            found.push(path.clone());
        }
        if entry.file_type().unwrap().is_dir() {
            found.extend(find_named(&path, needle));
        }
    }
    found
}

#[test]
fn an_installed_sdk_is_found_by_list_and_path_and_a_second_install_downloads_nothing() {
    let releases = releases();
    let server = ReleaseServer::start();
    server.add(ASSET_25, Arc::clone(&releases.sdk25), Behaviour::Serve);
    let home = Home::new();
    home.write_config("version = 25\ntarget = \"wasm32-wasip1\"");
    let sha = sha256(&releases.sdk25);

    let (ok, result) = install_25(&home, &server, &sha);
    assert!(ok, "{result}");
    let dest = home.store().join("wasi-sdk-25");
    assert_eq!(result["path"], dest.to_str().unwrap());
    assert_eq!(result["version"], "25.0");
    assert_eq!(result["url"], server.url(ASSET_25));
    assert_eq!(result["sha256"], sha);
    assert_eq!(result["downloaded"], true);
    assert_eq!(schema_errors(&result), Vec::<String>::new());
    let mut broken = result.clone();
    broken["surprise"] = Value::Bool(true);
    assert!(!schema_errors(&broken).is_empty(), "the schema is strict");
    assert_eq!(server.requests_for(ASSET_25), 1);
    assert_eq!(home.store_entries(), ["wasi-sdk-25"], "no work folder left");
    // The release's own relative link survives; the top folder was stripped.
    let link = dest.join("share/wasi-sysroot/include/wasm32-wasip1");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("wasm32-wasi"));
    assert!(dest.join("VERSION").is_file());

    // `sdk path` (what `build` uses) and `sdk list` find it in the store.
    let path = stdout_ok(home.run(&["sdk", "path"]));
    assert_eq!(path.trim(), dest.to_str().unwrap());
    let (ok, listing) = home.json(&["sdk", "list"]);
    assert!(ok, "{listing}");
    let listed = &listing["sdks"].as_array().unwrap()[0];
    assert_eq!(listed["path"], dest.to_str().unwrap());
    assert_eq!(listed["found_by"][0], "store");
    assert_eq!(listing["missing"].as_array().unwrap().len(), 0);

    // Again, with the version from deps.toml: nothing is asked of the server.
    let again = home.run(&["sdk", "install"]);
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{said}");
    assert!(said.contains("already installed"), "{said}");
    let (ok, again) = install_25(&home, &server, &sha);
    assert!(ok, "{again}");
    assert_eq!(again["downloaded"], false);
    assert_eq!(schema_errors(&again), Vec::<String>::new());
    assert_eq!(server.requests_for(ASSET_25), 1, "no second request");
}

#[test]
fn two_versions_install_side_by_side_and_concurrent_installs_download_once() {
    let releases = releases();
    let server = ReleaseServer::start();
    server.add(ASSET_25, Arc::clone(&releases.sdk25), Behaviour::Serve);
    server.add(ASSET_24, Arc::clone(&releases.sdk24), Behaviour::Serve);
    let home = Home::new();
    let sha25 = sha256(&releases.sdk25);
    let url25 = server.url(ASSET_25);
    let args25 = [
        "sdk",
        "install",
        "25",
        "--sdk-url",
        &url25,
        "--sha256",
        &sha25,
        "--json",
    ];
    // Two processes at once: the lock makes one wait, and it then finds the SDK there.
    let spawn = || {
        home.command(&args25)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let mut downloaded = Vec::new();
    for out in &outputs {
        assert!(out.status.success(), "{}", output_text(out));
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        downloaded.push(value["downloaded"].as_bool().unwrap());
    }
    downloaded.sort();
    assert_eq!(downloaded, [false, true]);
    assert_eq!(server.requests_for(ASSET_25), 1);

    let url24 = server.url(ASSET_24);
    let sha24 = sha256(&releases.sdk24);
    let (ok, result) = home.json(&[
        "sdk",
        "install",
        "24",
        "--sdk-url",
        &url24,
        "--sha256",
        &sha24,
    ]);
    assert!(ok, "{result}");
    assert_eq!(result["version"], "24.0");
    assert_eq!(home.store_entries(), ["wasi-sdk-24", "wasi-sdk-25"]);
    let (ok, listing) = home.json(&["sdk", "list"]);
    assert!(ok, "{listing}");
    let mut majors: Vec<u64> = listing["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["major"].as_u64().unwrap())
        .collect();
    majors.sort();
    assert_eq!(majors, [24, 25]);

    // An archive of another version than asked for is refused.
    let (ok, error) = home.json(&[
        "sdk",
        "install",
        "26",
        "--sdk-url",
        &url24,
        "--sha256",
        &sha24,
    ]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "sdk-archive", "{error}");
    assert_eq!(home.store_entries(), ["wasi-sdk-24", "wasi-sdk-25"]);
}

#[test]
fn a_checksum_mismatch_or_a_404_installs_nothing() {
    let releases = releases();
    let server = ReleaseServer::start();
    server.add(ASSET_25, Arc::clone(&releases.sdk25), Behaviour::Serve);
    let home = Home::new();
    let wrong = "0".repeat(64);
    let (ok, error) = install_25(&home, &server, &wrong);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "sdk-checksum", "{error}");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&sha256(&releases.sdk25)) && message.contains(&wrong),
        "{message}"
    );
    assert_eq!(
        server.requests_for(ASSET_25),
        1,
        "a mismatch is not retried"
    );
    assert!(
        home.store_entries().is_empty(),
        "{:?}",
        home.store_entries()
    );

    let missing = "/wasi-sdk-25/missing.tar.gz";
    server.add(missing, Arc::new(Vec::new()), Behaviour::NotFound);
    let url = server.url(missing);
    let started = std::time::Instant::now();
    let (ok, error) = home.json(&[
        "sdk",
        "install",
        "25",
        "--sdk-url",
        &url,
        "--sha256",
        &wrong,
    ]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "sdk-download", "{error}");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("404") && message.contains(&url),
        "{message}"
    );
    assert_eq!(server.requests_for(missing), 1, "a 4xx fails at once");
    assert!(started.elapsed().as_secs_f64() < 5.0);
    assert!(
        home.store_entries().is_empty(),
        "{:?}",
        home.store_entries()
    );

    // No table entry and no checksum: refused before any request.
    let (ok, error) = home.json(&["sdk", "install", "99"]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "sdk-no-release", "{error}");
    let (ok, error) = home.json(&["sdk", "install", "99", "--sdk-url", &url]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "sdk-no-checksum", "{error}");
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--sha256"));
    assert_eq!(server.requests_for(missing), 1);
}

#[test]
fn a_body_cut_off_is_retried_and_a_proxy_from_the_environment_is_used() {
    let releases = releases();
    let server = ReleaseServer::start();
    server.add(
        ASSET_25,
        Arc::clone(&releases.sdk25),
        Behaviour::CutOnce(100_000),
    );
    let home = Home::new();
    let (ok, result) = install_25(&home, &server, &sha256(&releases.sdk25));
    assert!(ok, "{result}");
    assert_eq!(result["downloaded"], true);
    assert!(server.requests_for(ASSET_25) >= 2);
    assert_eq!(home.store_entries(), ["wasi-sdk-25"]);

    // URL and sha256 from deps.toml; the host is reachable only through HTTP_PROXY.
    let proxied = Home::new();
    let url = "http://wasi-sdk-mirror.invalid/wasi-sdk-24/wasi-sdk-24.0-x86_64-linux.tar.gz";
    server.add(ASSET_24, Arc::clone(&releases.sdk24), Behaviour::Serve);
    proxied.write_config(&format!(
        "version = 24\ntarget = \"wasm32-wasi\"\nurl = \"{url}\"\nsha256 = \"{}\"",
        sha256(&releases.sdk24)
    ));
    let out = proxied
        .command(&["--json", "sdk", "install"])
        .env("HTTP_PROXY", format!("http://127.0.0.1:{}", server.port))
        .output()
        .unwrap();
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success(), "{result}");
    assert_eq!(result["url"], url);
    assert_eq!(server.requests_for(ASSET_24), 1);
    assert_eq!(proxied.store_entries(), ["wasi-sdk-24"]);
}

/// A release tarball with `wasi-sdk-25.0-x86_64-linux/VERSION` and what `evil` adds.
fn hostile_tarball(dir: &Path, name: &str, evil: &str) -> Vec<u8> {
    let body = format!(
        "    add(\"wasi-sdk-25.0-x86_64-linux/\", kind=tarfile.DIRTYPE)\n    \
         add(\"wasi-sdk-25.0-x86_64-linux/VERSION\", b\"25.0\\n\")\n    {evil}"
    );
    python_tarball(&dir.join(name), "", &body)
}

#[test]
fn entries_that_would_land_outside_the_sdk_are_refused_by_name() {
    let server = ReleaseServer::start();
    let scratch = tempfile::tempdir().unwrap();
    let cases = [
        (
            "dotdot",
            r#"add("wasi-sdk-25.0-x86_64-linux/../../evil")"#,
            "../../evil",
        ),
        (
            "absolute",
            r#"add("/tmp/evil-absolute")"#,
            "/tmp/evil-absolute",
        ),
        (
            "symlink",
            r#"add("wasi-sdk-25.0-x86_64-linux/evil-link", kind=tarfile.SYMTYPE, link="../../../evil")"#,
            "evil-link",
        ),
        (
            "hardlink",
            r#"add("wasi-sdk-25.0-x86_64-linux/evil-hard", kind=tarfile.LNKTYPE, link="/etc/passwd")"#,
            "evil-hard",
        ),
    ];
    for (name, evil, entry) in cases {
        let bytes = hostile_tarball(scratch.path(), &format!("{name}.tar.gz"), evil);
        let path = format!("/{name}.tar.gz");
        let sha = sha256(&bytes);
        server.add(&path, Arc::new(bytes), Behaviour::Serve);
        let home = Home::new();
        let url = server.url(&path);
        let (ok, error) = home.json(&["sdk", "install", "25", "--sdk-url", &url, "--sha256", &sha]);
        assert!(!ok, "{name}");
        assert_eq!(error["error"]["code"], "sdk-unsafe", "{name}: {error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(entry), "{name}: {message}");
        assert!(find_named(home.dir.path(), "evil").is_empty(), "{name}");
        assert!(
            home.store_entries().is_empty(),
            "{name}: {:?}",
            home.store_entries()
        );
    }
    assert!(!Path::new("/tmp/evil-absolute").exists());
}
