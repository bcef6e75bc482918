//! Crashes and interrupts: Ctrl-C stops builds and fetches at once, and a run
//! after a SIGKILL at any moment reclaims what the killed one left and builds
//! a prefix that verifies.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::support::fixture::{all_cached, build_args, mirror_url, sdk, Project, QUICK};

/// Start `wasi-externals` with the project's config and cache, without waiting.
fn spawn(project: &Project, args: &[&str]) -> Child {
    project
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Wait for `child`, failing (and killing it) if it outlives `limit`.
fn wait_at_most(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Wait until `cond` holds, failing after `limit`.
fn wait_until(limit: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Processes whose current folder is below `dir`.
fn processes_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|e| std::fs::read_link(e.path().join("cwd")).is_ok_and(|cwd| cwd.starts_with(dir)))
        .map(|e| {
            let cmd = std::fs::read_to_string(e.path().join("cmdline")).unwrap_or_default();
            format!(
                "{} {}",
                e.file_name().to_string_lossy(),
                cmd.replace('\0', " ")
            )
        })
        .collect()
}

/// Whether any build step of the project is running (its `step.pgid` exists).
fn a_step_runs(project: &Project) -> bool {
    std::fs::read_dir(project.cache.join("work"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().join("step.pgid").exists())
}

#[test]
fn ctrl_c_stops_the_build_steps_at_once_and_changes_nothing() {
    let project = Project::locked(&[("mpdecimal", "mpdecimal-4.0.1")]);
    let prefix = project.path("prefix");
    let sdk_dir = sdk().display().to_string();
    let args = build_args(prefix.to_str().unwrap(), &sdk_dir);

    let mut child = spawn(&project, &args);
    wait_until(Duration::from_secs(120), "configure to start", || {
        a_step_runs(&project)
    });
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "INT");
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(130), "exit code after Ctrl-C");
    let left = processes_in(&project.cache.join("work"));
    assert!(
        left.is_empty(),
        "the steps were stopped, not waited for: {left:?}"
    );
    assert!(
        !prefix.join("wasi-externals.json").exists(),
        "nothing was installed"
    );

    project.ok(&args);
    assert!(project
        .ok(&["verify", "--prefix", prefix.to_str().unwrap()])
        .contains("match"));
}

#[test]
fn ctrl_c_ends_a_fetch_from_a_server_that_never_answers() {
    // A server that accepts connections and then says nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let streams: Vec<_> = listener.incoming().take(4).flatten().collect();
        std::thread::sleep(Duration::from_secs(200));
        drop(streams);
    });
    let url = format!("http://127.0.0.1:{port}/cpython-source-deps.git");
    let project = Project::new(&url, &[("zlib", "zlib-1.3.1")]);
    let mut text = project.config_text();
    text = text.replace("[source]\n", "[source]\ntimeout-seconds = 150\n");
    project.set_config(&text);

    let mut child = spawn(&project, &["lock"]);
    std::thread::sleep(Duration::from_secs(2));
    assert!(child.try_wait().unwrap().is_none(), "the fetch is stalled");
    signal(&child, "INT");
    let status = wait_at_most(&mut child, Duration::from_secs(30));
    assert_eq!(status.code(), Some(130));
    drop(held);
}

#[test]
fn sigkill_at_any_moment_then_a_clean_build_that_verifies() {
    let project = Project::locked(QUICK);
    let prefix = project.path("prefix");
    let sdk_dir = sdk().display().to_string();
    let args = build_args(prefix.to_str().unwrap(), &sdk_dir);
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("seed {seed}");
    let mut state = seed | 1;
    for round in 0..4 {
        // xorshift: a different moment each round, from the printed seed.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let delay = Duration::from_millis(200 + state % 6000);
        let mut child = spawn(&project, &args);
        std::thread::sleep(delay);
        signal(&child, "KILL");
        let _ = child.wait();
        println!("round {round}: killed after {delay:?}");
        if round % 2 == 1 {
            // Every other round, start over from an empty prefix and no cached builds.
            let _ = std::fs::remove_dir_all(&prefix);
            project.ok(&["cache", "clean"]);
        }
    }
    project.ok(&args);
    let verified = project.ok(&["verify", "--prefix", prefix.to_str().unwrap()]);
    assert!(verified.contains("match"), "{verified}");
    let left = processes_in(&project.cache.join("work"));
    assert!(
        left.is_empty(),
        "orphans of the killed runs were stopped: {left:?}"
    );

    // What a kill in the middle of an install leaves: temporary files beside the real ones.
    let leftover = prefix.join("lib/.wasi-externals-tmp-AbC123");
    std::fs::write(&leftover, "half a library").unwrap();
    project.ok(&args);
    assert!(!leftover.exists(), "the next run removed the leftover");
    project.ok(&["verify", "--prefix", prefix.to_str().unwrap()]);
}

/// A tmpfs of `size` mounted at `dir` (root only), unmounted on drop.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_leaves_the_prefix_as_it_was() {
    let deps = [("zlib", "zlib-1.3.1"), ("sqlite", "sqlite-3.46.1.0")];
    let project = Project::locked(&deps);
    let sdk_dir = sdk().display().to_string();
    let warm = project.path("warm-prefix");
    project.ok(&build_args(warm.to_str().unwrap(), &sdk_dir));

    let Some(disk) = Tmpfs::mount(&project.path("small disk"), "600k") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let prefix = disk.0.join("prefix");
    let args = build_args(prefix.to_str().unwrap(), &sdk_dir);
    project.ok(&[&args[..], &["zlib"]].concat());
    let before = std::fs::read(prefix.join("wasi-externals.json")).unwrap();

    // sqlite's library is larger than what is left.
    let err = project.fails(&[&args[..], &["sqlite"]].concat());
    let named = err.contains(prefix.to_str().unwrap());
    assert!(err.contains("No space left") && named, "{err}");
    assert_eq!(
        std::fs::read(prefix.join("wasi-externals.json")).unwrap(),
        before
    );
    assert!(
        !prefix.join("lib/libsqlite3.a").exists(),
        "no part of sqlite landed"
    );
    let verified = project.ok(&["verify", "--prefix", prefix.to_str().unwrap()]);
    assert!(verified.contains("match"), "{verified}");
}

#[test]
fn a_full_cache_disk_is_reported_as_such_and_no_mirror_is_tried() {
    let project = Project::new(&mirror_url(), &[("sqlite", "sqlite-3.46.1.0")]);
    let Some(disk) = Tmpfs::mount(&project.path("small disk"), "1m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let mirror = project.path("a mirror that must not be asked");
    let text = project.config_text().replace(
        "[source]\n",
        &format!("[source]\nmirrors = [\"{}\"]\n", mirror.display()),
    );
    project.set_config(&text);
    let cache = disk.0.join("cache");
    let out = Command::new(env!("CARGO_BIN_EXE_wasi-externals"))
        .args(["--config", project.config.to_str().unwrap()])
        .args(["--cache-dir", cache.to_str().unwrap(), "lock"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no space left") && err.contains(cache.to_str().unwrap()),
        "{err}"
    );
    assert!(
        !err.contains("cannot reach") && !err.contains("must not be asked"),
        "{err}"
    );
}

#[test]
fn concurrent_builds_share_the_cache_and_clean_waits_for_them() {
    let deps = [("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")];
    let project = Project::locked(&deps);
    let sdk_dir = sdk().display().to_string();
    let run = |prefix: &str| {
        let prefix = project.path(prefix);
        let args = [
            &["--json"],
            &build_args(prefix.to_str().unwrap(), &sdk_dir)[..],
        ]
        .concat();
        let child = project
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child
    };
    let (first, second) = (run("one"), run("two"));
    let mut statuses = Vec::new();
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let all: Vec<String> = report["deps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["status"].as_str().unwrap().to_owned())
            .collect();
        statuses.push(all);
    }
    statuses.sort();
    assert_eq!(
        statuses,
        [["built", "built"], ["cached", "cached"]],
        "one build compiled, the other took its outputs"
    );
    for prefix in ["one", "two"] {
        project.ok(&["verify", "--prefix", project.path(prefix).to_str().unwrap()]);
    }

    // `cache clean` while a build compiles: it waits, and the build lands whole.
    project.ok(&["cache", "clean"]);
    let build = run("three");
    wait_until(Duration::from_secs(120), "a build step", || {
        a_step_runs(&project)
    });
    let clean = spawn(&project, &["cache", "clean"]);
    assert!(build.wait_with_output().unwrap().status.success());
    assert!(clean.wait_with_output().unwrap().status.success());
    project.ok(&[
        "verify",
        "--prefix",
        project.path("three").to_str().unwrap(),
    ]);
}

/// The pack files of the project's source cache, largest first.
fn packs(project: &Project) -> Vec<std::path::PathBuf> {
    let dir = project.cache.join("sources.git/objects/pack");
    let mut packs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .collect();
    packs.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
    packs
}

/// `fetch` succeeds, says the store was damaged, and got every dep from the source again.
fn fetch_heals(project: &Project) {
    // -v: with --json alone, notes are not shown.
    let out = project.run(&["-v", "--json", "fetch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("is damaged"), "{stderr}");
    let fetched: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for dep in fetched.as_array().unwrap() {
        assert_ne!(dep["origin"], "cached", "{dep}");
    }
    let again: serde_json::Value = serde_json::from_str(&project.ok(&["--json", "fetch"])).unwrap();
    assert!(all_cached(&again), "{again}");
}

#[test]
fn a_deleted_or_damaged_pack_heals_by_fetching_again() {
    let deps = [("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")];
    let project = Project::locked(&deps);
    project.ok(&["fetch"]);

    for pack in packs(&project) {
        std::fs::remove_file(&pack).unwrap();
        std::fs::remove_file(pack.with_extension("idx")).unwrap();
    }
    fetch_heals(&project);

    let pack = &packs(&project)[0];
    let mut bytes = std::fs::read(pack).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(pack, bytes).unwrap();
    fetch_heals(&project);

    let prefix = project.path("prefix");
    let sdk_dir = sdk().display().to_string();
    project.ok(&build_args(prefix.to_str().unwrap(), &sdk_dir));
}

/// A proxy on 127.0.0.1 that passes each request to `upstream` and trickles
/// the answer back, one byte every 50 ms: never silent long enough for a read
/// timeout, far too slow to ever finish a fetch.
fn trickling_proxy(upstream: std::net::SocketAddr) -> u16 {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let Ok(server) = std::net::TcpStream::connect(upstream) else {
                    return;
                };
                let (mut from_client, mut to_server) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || std::io::copy(&mut from_client, &mut to_server));
                let (mut from_server, mut to_client) = (server, client);
                let mut byte = [0u8; 1];
                while from_server.read_exact(&mut byte).is_ok() {
                    if to_client.write_all(&byte).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    port
}

#[test]
fn a_trickling_server_is_given_up_for_the_next_mirror() {
    let server = crate::support::git_http::GitHttpServer::start(
        crate::support::fixture::mirror().parent().unwrap(),
    );
    let port = trickling_proxy(server.addr());
    let slow = format!("http://127.0.0.1:{port}/cpython-source-deps.git");
    let project = Project::new(&slow, &[("zlib", "zlib-1.3.1")]);
    let config = project.config_text();
    let limit = "[source]\nlow-speed-limit = 1000\nlow-speed-seconds = 3\n";

    // Alone, the trickling source fails within seconds, saying why.
    project.set_config(&config.replace("[source]\n", limit));
    let started = Instant::now();
    let out = project.run(&["lock"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("too slow"), "{stderr}");
    assert!(stderr.contains(&slow), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );

    // With a mirror, the mirror delivers.
    let with_mirror = format!("{limit}mirrors = [\"{}\"]\n", mirror_url());
    project.set_config(&config.replace("[source]\n", &with_mirror));
    let out = project.run(&["lock"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("too slow"), "{stderr}");
    project.ok(&["fetch"]);
}
