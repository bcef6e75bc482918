//! Trust boundaries of the network doors (issue 18, part A), against real
//! servers on 127.0.0.1: secrets never leave through errors, `--json`, stats
//! or SBOMs; every remote object and download has a size cap; a silent remote
//! costs one timeout; `--remote-cache-required` means it; and a fleet installs
//! only builds signed by a key it trusts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::support::fixture::build_args;
use crate::support::fixture::{git, mirror, mirror_url, statuses, tag_ids, Project};
use crate::support::object_servers::{moto_env, Server};

/// Secrets the tests put into URLs; none may ever be seen again.
const PASSWORD: &str = "pw-s3cr3t-9f1";
const TOKEN: &str = "tok-5ecret-77a";

/// How the hostile server answers every request.
#[derive(Clone, Copy, Debug)]
enum Answer {
    /// This status, empty body.
    Status(u16),
    /// 200 announcing `Content-Length: 30000000000`, then zeros until the client hangs up.
    HugeLength,
    /// 200 with a chunked body of zeros that never ends.
    Endless,
    /// Read the request, then say nothing (holding the connection) for a minute.
    Silent,
}

/// Each request line with its `Authorization` header, in arrival order.
type RequestLog = Mutex<Vec<(String, Option<String>)>>;

/// A raw HTTP server that answers every request the same way and records
/// each request line with its `Authorization` header.
struct Hostile {
    port: u16,
    log: Arc<RequestLog>,
}

impl Hostile {
    fn start(answer: Answer) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, answer, &log));
            }
        });
        Hostile { port, log }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Request lines (`GET /c/x HTTP/1.1`) that name `part`.
    fn requests_for(&self, part: &str) -> usize {
        let log = self.log.lock().unwrap();
        log.iter().filter(|(line, _)| line.contains(part)).count()
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|(_, a)| a.clone())
            .collect()
    }
}

fn serve(stream: TcpStream, answer: Answer, log: &RequestLog) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut auth = None;
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.to_ascii_lowercase().as_str() {
                "authorization" => auth = Some(value.trim().to_owned()),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        let mut body = vec![0u8; length];
        let _ = reader.read_exact(&mut body);
        log.lock().unwrap().push((line.trim_end().to_owned(), auth));
        let mut out = &stream;
        let zeros = [0u8; 64 * 1024];
        match answer {
            Answer::Status(code) => {
                let head = format!("HTTP/1.1 {code} Nope\r\nContent-Length: 0\r\n\r\n");
                if out.write_all(head.as_bytes()).is_err() {
                    return;
                }
            }
            Answer::HugeLength => {
                let head = "HTTP/1.1 200 OK\r\nContent-Length: 30000000000\r\n\r\n";
                let _ = out.write_all(head.as_bytes());
                while out.write_all(&zeros).is_ok() {}
                return;
            }
            Answer::Endless => {
                let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
                let _ = out.write_all(head.as_bytes());
                let mut chunk = format!("{:x}\r\n", zeros.len()).into_bytes();
                chunk.extend_from_slice(&zeros);
                chunk.extend_from_slice(b"\r\n");
                while out.write_all(&chunk).is_ok() {}
                return;
            }
            Answer::Silent => {
                std::thread::sleep(std::time::Duration::from_secs(60));
                return;
            }
        }
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// No secret in `what`.
fn assert_clean(what: &str, context: &str) {
    for secret in [PASSWORD, TOKEN] {
        assert!(
            !what.contains(secret),
            "{context} leaks `{secret}`:\n{what}"
        );
    }
}

/// A project pinning zlib (locked) on the local mirror, with a short network
/// timeout and an empty cache (so a fetch asks the remote first).
fn zlib_project() -> Project {
    let locked = Project::new(&mirror_url(), &[("zlib", "zlib-1.3.1")]);
    locked.ok(&["lock"]);
    let text = locked
        .config_text()
        .replacen("[source]\n", "[source]\ntimeout-seconds = 2\n", 1);
    Project::with_config(&text)
}

/// A project with `project`'s config and an empty cache.
fn fresh(project: &Project) -> Project {
    Project::with_config(&project.config_text())
}

/// The pinned commit of zlib-1.3.1 in the mirror.
fn zlib_commit() -> String {
    tag_ids(&mirror(), "zlib-1.3.1").0
}

#[test]
fn a_failing_remote_with_credentials_never_shows_them() {
    let server = Hostile::start(Answer::Status(500));
    let remote = format!(
        "http://user:{PASSWORD}@127.0.0.1:{}/c?token={TOKEN}&X-Amz-Signature={TOKEN}",
        server.port
    );
    let project = zlib_project();
    // Not required: a warning, local work, and stats.
    let out = project.run(&["--json", "-v", "--remote-cache", &remote, "fetch"]);
    assert!(out.status.success(), "{}", text(&out));
    let all = text(&out);
    assert!(all.contains("127.0.0.1"), "the remote is named: {all}");
    assert_clean(&all, "fetch's output");
    let stats_file = std::fs::read_to_string(project.cache.join("remote-stats.json")).unwrap();
    assert!(stats_file.contains("127.0.0.1"), "{stats_file}");
    assert_clean(&stats_file, "remote-stats.json");
    let stats = project.run(&["cache", "stats"]);
    assert!(stats.status.success());
    assert_clean(&text(&stats), "cache stats");
    let (ok, json) = project.json(&["cache", "stats"]);
    assert!(ok);
    assert_clean(&json.to_string(), "cache stats --json");
    // Required: the error and each of its causes, for people and in --json.
    for json in [false, true] {
        let mut args = vec![
            "--remote-cache",
            &remote,
            "--remote-cache-required",
            "fetch",
        ];
        if json {
            args.insert(0, "--json");
        }
        let out = fresh(&project).run(&args);
        assert!(!out.status.success(), "{}", text(&out));
        let all = text(&out);
        assert!(all.contains("remote cache is required"), "{all}");
        assert_clean(&all, "the required remote's error");
    }
    assert!(server.requests_for("sources/zlib-") >= 2);
}

#[test]
fn an_http_remote_sends_its_user_and_password_as_basic_auth() {
    let server = Hostile::start(Answer::Status(404));
    let remote = format!("http://fleet:{PASSWORD}@127.0.0.1:{}/c", server.port);
    let project = zlib_project();
    let out = project.run(&["--remote-cache", &remote, "fetch"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_clean(&text(&out), "fetch");
    let expected = format!(
        "Basic {}",
        base64_encode(format!("fleet:{PASSWORD}").as_bytes())
    );
    let seen = server.authorizations();
    assert!(!seen.is_empty(), "the remote was asked");
    for auth in seen {
        assert_eq!(auth.as_deref(), Some(expected.as_str()));
    }
}

/// Standard base64 with padding (the test's own, not the tool's).
fn base64_encode(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn a_source_url_with_credentials_is_not_printed_nor_put_in_the_sbom() {
    let server = Hostile::start(Answer::Status(500));
    let project = zlib_project();
    let source = format!("http://user:{TOKEN}@127.0.0.1:{}/deps.git", server.port);
    let cold = Project::with_config(&project.config_text());
    for json in [false, true] {
        let mut args = vec!["--source", &source, "fetch"];
        if json {
            args.insert(0, "--json");
        }
        let out = cold.run(&args);
        assert!(!out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("127.0.0.1"), "{}", text(&out));
        assert_clean(&text(&out), "a failed fetch");
    }
    // The SBOM and a bundle name the source, never its credentials.
    project.ok(&["fetch"]);
    let url =
        format!("https://ci:{PASSWORD}@git.example/python/cpython-source-deps.git?token={TOKEN}");
    let config = project.config_text().replacen(&mirror_url(), &url, 1);
    project.set_config(&config);
    let out = project.run(&["sbom", "-o", "sbom.json"]);
    assert!(out.status.success(), "{}", text(&out));
    let sbom = std::fs::read_to_string(project.path("sbom.json")).unwrap();
    assert!(
        sbom.contains("git.example/python/cpython-source-deps"),
        "{sbom}"
    );
    assert_clean(&sbom, "the SBOM");
    let out = project.run(&["--offline", "bundle", "export", "b.bundle"]);
    assert!(out.status.success(), "{}", text(&out));
    let bundle =
        String::from_utf8_lossy(&std::fs::read(project.path("b.bundle")).unwrap()).into_owned();
    assert!(
        bundle.contains("git.example/python"),
        "the bundle has deps.toml"
    );
    assert_clean(&bundle, "the bundle");
}

/// `sdk install 25 ARGS` with its own XDG folders; the output.
fn sdk_install(dir: &Path, args: &[&str]) -> Output {
    let sha = "0".repeat(64);
    crate::support::fixture::tool_command(
        dir,
        &[&["--json", "sdk", "install", "25", "--sha256", &sha], args].concat(),
    )
    .env("XDG_DATA_HOME", dir.join("data"))
    .env("XDG_CACHE_HOME", dir.join("cache"))
    .env_remove("HTTP_PROXY")
    .env_remove("http_proxy")
    .output()
    .unwrap()
}

#[test]
fn sdk_downloads_hide_credentials_and_have_a_size_cap() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Hostile::start(Answer::Status(404));
    let url = format!(
        "http://u:{PASSWORD}@127.0.0.1:{}/wasi-sdk.tar.gz?sig={TOKEN}",
        missing.port
    );
    let out = sdk_install(dir.path(), &["--sdk-url", &url]);
    assert!(!out.status.success());
    assert!(text(&out).contains("404"), "{}", text(&out));
    assert_clean(&text(&out), "sdk install's 404");
    let huge = Hostile::start(Answer::HugeLength);
    let out = sdk_install(
        dir.path(),
        &["--sdk-url", &format!("{}/x.tar.gz", huge.url())],
    );
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["code"], "sdk-too-large", "{}", text(&out));
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("30000000000"));
    let endless = Hostile::start(Answer::Endless);
    let out = sdk_install(
        dir.path(),
        &[
            "--sdk-url",
            &format!("{}/x.tar.gz", endless.url()),
            "--max-size",
            "1MiB",
        ],
    );
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["code"], "sdk-too-large", "{}", text(&out));
    assert!(!dir
        .path()
        .join("data/wasi-externals/sdks/wasi-sdk-25")
        .exists());
}

#[test]
fn huge_or_endless_remote_objects_are_refused_not_allocated() {
    let project = zlib_project();
    // (answer, cap, what the refusal says): the announced size is checked
    // against the cap before a byte is kept; an endless body without a length
    // is refused by the store; neither is an abort for want of memory.
    let cases = [
        (
            Answer::HugeLength,
            None,
            "exceed the limit of 1073741824 bytes",
        ),
        (
            Answer::HugeLength,
            Some("1MiB"),
            "exceed the limit of 1048576 bytes",
        ),
        (Answer::Endless, Some("1MiB"), "Content-Length"),
    ];
    for (answer, cap, says) in cases {
        let server = Hostile::start(answer);
        let remote = format!("{}/c", server.url());
        let mut args = vec!["--remote-cache", remote.as_str()];
        if let Some(cap) = cap {
            args.extend(["--remote-max-object-size", cap]);
        }
        // Not required: the object is refused with a warning, the source is fetched.
        let out = fresh(&project).run(&[&args[..], &["-v", "fetch"]].concat());
        assert!(out.status.success(), "{answer:?}: {}", text(&out));
        assert!(text(&out).contains(says), "{answer:?}: {}", text(&out));
        // Required: a clear error.
        let (ok, error) =
            fresh(&project).json(&[&args[..], &["--remote-cache-required", "fetch"]].concat());
        assert!(!ok);
        assert_eq!(error["error"]["code"], "remote-required", "{error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
        if matches!(answer, Answer::HugeLength) {
            assert!(message.contains("30000000000"), "{message}");
        }
    }
}

#[test]
fn a_source_pack_with_an_oversized_blob_never_reaches_the_store() {
    let project = zlib_project();
    let commit = zlib_commit();
    // The pinned objects (1.3 MB), plus a 16 MiB blob: a few KiB more on the wire.
    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path().join("r.git");
    git(
        scratch.path(),
        &[
            "clone",
            "-q",
            "--bare",
            "--depth",
            "1",
            "--branch",
            "zlib-1.3.1",
            &mirror_url(),
            repo.to_str().unwrap(),
        ],
    );
    std::fs::write(scratch.path().join("big"), vec![b'z'; 16 << 20]).unwrap();
    let blob = git(
        &repo,
        &[
            "hash-object",
            "-w",
            scratch.path().join("big").to_str().unwrap(),
        ],
    );
    let blob = blob.trim().to_owned();
    let objects = git(&repo, &["rev-list", "--objects", "--no-walk", &commit]);
    let list = format!("{objects}\n{blob}\n");
    let mut child = std::process::Command::new("git")
        .args(["pack-objects", "--stdout"])
        .current_dir(&repo)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let pack = child.wait_with_output().unwrap().stdout;
    assert!(pack.len() < 2 << 20, "the pack is small: {}", pack.len());
    let root = scratch.path().join("served");
    std::fs::create_dir_all(root.join("sources")).unwrap();
    std::fs::write(root.join(format!("sources/zlib-{commit}.pack")), &pack).unwrap();
    let server = Server::put_get(&root, None);
    let remote = server.url();
    let out = project.run(&[
        "-v",
        "--remote-cache",
        &remote,
        "--remote-max-object-size",
        "4MiB",
        "fetch",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("over the limit of 4194304 bytes"),
        "{}",
        text(&out)
    );
    let sources = project.cache.join("sources.git");
    let found = std::process::Command::new("git")
        .args(["cat-file", "-e", &blob])
        .current_dir(&sources)
        .status()
        .unwrap();
    assert!(!found.success(), "the oversized blob is not in sources.git");
    // Under the default cap the same pack is fine: the check is the cap, not the pack.
    let other = zlib_project();
    let out = other.run(&["-v", "--remote-cache", &remote, "fetch"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("over the limit"), "{}", text(&out));
}

#[test]
fn a_silent_remote_costs_one_timeout_per_object() {
    let server = Hostile::start(Answer::Silent);
    let project = zlib_project();
    let remote = format!("{}/c", server.url());
    let out = project.run(&["-v", "--remote-cache", &remote, "fetch"]);
    assert!(out.status.success(), "{}", text(&out));
    let asked = server.requests_for("/c/sources/zlib-");
    // One get (which the store may retry once), remembered for the object's use.
    assert!((1..=2).contains(&asked), "asked {asked} times");
    assert!(text(&out).contains("working locally"), "{}", text(&out));
}

#[test]
fn a_required_remote_fails_on_a_missing_bucket() {
    let server = Server::moto("present");
    let env = moto_env(&server);
    let project = zlib_project();
    let out = project
        .command(&[
            "--json",
            "--remote-cache",
            "s3://absent/x",
            "--remote-cache-required",
            "fetch",
        ])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["code"], "remote-required", "{error}");
    // The bucket that exists is fine.
    let out = project
        .command(&[
            "--remote-cache",
            "s3://present/x",
            "--remote-cache-required",
            "fetch",
        ])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

/// `cache keygen NAME -o FILE` in `project`; the public key.
fn keygen(project: &Project, name: &str) -> String {
    let file = project.path(&format!("{name}.secret"));
    let (ok, pair) = project.json(&["cache", "keygen", name, "-o", file.to_str().unwrap()]);
    assert!(ok, "{pair}");
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            crate::support::fixture::repo_root().join("docs/schemas/cache-keygen.v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&pair), "{pair}");
    let secret = std::fs::read_to_string(&file).unwrap();
    assert!(
        !pair.to_string().contains(secret.trim()),
        "the secret is not printed"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    pair["public_key"].as_str().unwrap().to_owned()
}

#[test]
fn a_fleet_installs_only_builds_signed_by_a_trusted_key() {
    let root = tempfile::tempdir().unwrap();
    let server = Server::put_get(root.path(), None);
    let remote = server.url();
    let (builder, _key) = Project::with_warm_zlib();
    let trusted = keygen(&builder, "ci-1");
    let other = keygen(&builder, "other");
    // An unsigned push: a consumer that trusts ci-1 refuses it.
    builder.ok(&["--remote-cache", &remote, "cache", "push"]);
    let consumer = |keys: &[&str], required: bool| {
        let project = Project::with_config(&builder.config_text());
        let mut args = vec![
            "--json".to_owned(),
            "-v".to_owned(),
            "--remote-cache".to_owned(),
            remote.clone(),
        ];
        for key in keys {
            args.extend(["--trusted-key".to_owned(), key.to_string()]);
        }
        if required {
            args.push("--remote-cache-required".into());
        }
        let sdk = crate::support::fixture::sdk();
        args.extend(
            build_args("prefix", sdk.to_str().unwrap())
                .into_iter()
                .map(str::to_owned),
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = project.run(&args);
        (project, out)
    };
    let (_p, out) = consumer(&[&trusted], true);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("is not signed"), "{}", text(&out));
    // Signed with ci-1's key: trusted by ci-1, not by `other`.
    let secret = builder.path("ci-1.secret");
    builder.ok(&[
        "--remote-cache",
        &remote,
        "--signing-key",
        secret.to_str().unwrap(),
        "cache",
        "push",
    ]);
    let (_p, out) = consumer(&[&trusted], true);
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(statuses(&report)["zlib"], "cached", "downloaded, not built");
    let (_p, out) = consumer(&[&other], true);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("signed, but by no trusted key"),
        "{}",
        text(&out)
    );
    // Without trusted keys, hashes alone decide (as before).
    let (_p, out) = consumer(&[], true);
    assert!(out.status.success(), "{}", text(&out));
    // A tampered pointer (another sha256, same signature) is refused.
    let pointer = std::fs::read_dir(root.path().join("builds"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".sha256"))
        .unwrap()
        .path();
    let text_ = std::fs::read_to_string(&pointer).unwrap();
    assert!(text_.contains("\nsig ci-1:"), "{text_}");
    let sha = text_.lines().next().unwrap().to_owned();
    let forged = text_.replacen(&sha, &"0".repeat(64), 1);
    std::fs::write(&pointer, forged).unwrap();
    let (_p, out) = consumer(&[&trusted], true);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("signed, but by no trusted key"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_remote_from_deps_toml_is_read_only_unless_it_says_otherwise() {
    let root = tempfile::tempdir().unwrap();
    let server = Server::put_get(root.path(), None);
    let (project, _key) = Project::with_warm_zlib();
    let base = project.config_text();
    let config = format!("[cache]\nremote = \"{}\"\n\n{base}", server.url());
    project.set_config(&config);
    let (ok, error) = project.json(&["cache", "push"]);
    assert!(!ok);
    assert_eq!(error["error"]["code"], "no-remote-cache", "{error}");
    assert!(
        std::fs::read_dir(root.path()).unwrap().next().is_none(),
        "nothing uploaded"
    );
    project.set_config(&config.replacen("[cache]\n", "[cache]\nmode = \"read-write\"\n", 1));
    project.ok(&["cache", "push"]);
    assert!(root.path().join("builds").exists());
    // A bad trusted key in deps.toml is refused when loaded, naming where it is.
    project.set_config(&config.replacen("[cache]\n", "[cache]\ntrusted-keys = [\"k:AAAA\"]\n", 1));
    let (ok, error) = project.json(&["cache", "push"]);
    assert!(!ok);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("trusted-keys[0]"),
        "{error}"
    );
    // A credential-bearing query is refused in deps.toml as userinfo is.
    project.set_config(&format!(
        "[cache]\nremote = \"https://h/c?token={TOKEN}\"\n\n{base}"
    ));
    let out = project.run(&["cache", "push"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("holds credentials"), "{}", text(&out));
    assert_clean(&text(&out), "the refusal");
}
