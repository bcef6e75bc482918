//! Trust boundaries on this machine (issue 18): the prefix's own files
//! (manifest, install journal), cached outputs that reach into another dep's
//! files, targets that are not plain triples, output paths and file modes.
//! Each case was reproduced against the tool before its fix.

use std::path::{Path, PathBuf};

use crate::support::fixture::{mirror_url, sdk, Project};
use crate::support::warm::copy_dir;

const MANIFEST: &str = "wasi-externals.json";
const JOURNAL: &str = ".wasi-externals-install.json";

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `build --prefix PREFIX --wasi-sdk <test SDK> [deps…]`.
fn build(project: &Project, prefix: &Path, deps: &[&str]) -> std::process::Output {
    let sdk = sdk();
    let args = [
        &["build", "--prefix", s(prefix), "--wasi-sdk", s(&sdk)][..],
        deps,
    ]
    .concat();
    project.run(&args)
}

/// A project pinning zlib and bzip2, both built into `prefix` (and so in its cache).
fn zlib_and_bzip2() -> (Project, PathBuf) {
    let deps = [("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")];
    let project = Project::new(&mirror_url(), &deps);
    project.ok(&["lock"]);
    let prefix = project.path("prefix");
    let out = build(&project, &prefix, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (project, prefix)
}

/// A copy of `prefix` named `name`, whose manifest `edit` rewrites.
fn tampered(
    project: &Project,
    prefix: &Path,
    name: &str,
    edit: impl Fn(&mut serde_json::Value),
) -> PathBuf {
    let copy = project.path(name);
    copy_dir(prefix, &copy);
    let path = copy.join(MANIFEST);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    copy
}

/// Every command that reads the manifest refuses a tampered one, naming it,
/// and nothing of the tampered value reaches stdout or a written file.
fn refused_everywhere(project: &Project, prefix: &Path, needle: &str) {
    let manifest = prefix.join(MANIFEST).display().to_string();
    for args in [
        vec!["env", "--prefix", s(prefix)],
        vec!["env", "--prefix", s(prefix), "--format", "args"],
        vec!["verify", "--prefix", s(prefix)],
        vec!["sbom", "--prefix", s(prefix)],
    ] {
        let out = project.run(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} accepted it:\n{stdout}");
        assert!(stderr.contains(&manifest), "{args:?} names it: {stderr}");
        assert!(!stdout.contains(needle), "{args:?} printed it: {stdout}");
    }
    let archive = project.path("out.tar.gz");
    let err = project.fails(&["package", "--prefix", s(prefix), "-o", s(&archive)]);
    assert!(err.contains(&manifest), "{err}");
    assert!(!archive.exists(), "package shipped it");
    let doctor = project.run(&["doctor", "--prefix", s(prefix), "--wasi-sdk", s(&sdk())]);
    let text = String::from_utf8_lossy(&doctor.stdout).to_string()
        + &String::from_utf8_lossy(&doctor.stderr);
    assert!(!doctor.status.success(), "doctor saw no problem: {text}");
    assert!(text.contains(&manifest), "doctor names it: {text}");
}

#[test]
fn the_prefix_is_input() {
    // SAFETY: umask(2) only sets the process's file mode mask; 022 is what
    // the file-mode checks below expect of everything this binary's tests write.
    unsafe { libc::umask(0o022) };
    let (project, prefix) = zlib_and_bzip2();
    let clean = project.ok(&["env", "--prefix", s(&prefix)]);
    assert!(clean.contains("ZLIB_CFLAGS"), "{clean}");

    // A configure variable that is a shell command.
    for (i, bad) in ["X=1;touch PWNED;Y", "ZLIB\nexport EVIL=1", "$(id)"]
        .iter()
        .enumerate()
    {
        let p = tampered(&project, &prefix, &format!("var{i}"), |m| {
            m["deps"]["zlib"]["cpython_variable"] = (*bad).into();
        });
        refused_everywhere(&project, &p, "PWNED");
        assert!(!project.path("PWNED").exists());
    }

    // A pkg-config module that is a path: `env` would read a .pc outside the prefix.
    let evil = project.path("evil.pc");
    std::fs::write(&evil, "Cflags: -I/evil\nLibs: -levil\n").unwrap();
    let climb = format!(
        "../../../../../../../..{}",
        evil.with_extension("").display()
    );
    for (i, bad) in [climb.as_str(), "..", "a/b", ""].iter().enumerate() {
        let p = tampered(&project, &prefix, &format!("pc{i}"), |m| {
            m["deps"]["zlib"]["pkg_config"] = (*bad).into();
        });
        refused_everywhere(&project, &p, "/evil");
    }

    // Other manifests: a target that leaves its folder, a dep name that is a
    // path, a file outside include/ and lib/, a hash that is none, two deps owning one file.
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let others: Vec<(&str, Edit)> = vec![
        (
            "target",
            Box::new(|m| m["target"] = "wasm32-wasi/../../x".into()),
        ),
        (
            "name",
            Box::new(|m| {
                let zlib = m["deps"]["zlib"].take();
                m["deps"].as_object_mut().unwrap().remove("zlib");
                m["deps"]["../zlib"] = zlib;
            }),
        ),
        (
            "path",
            Box::new(|m| m["deps"]["zlib"]["files"][0]["path"] = "share/x".into()),
        ),
        (
            "hash",
            Box::new(|m| m["deps"]["zlib"]["files"][0]["sha256"] = "x".into()),
        ),
        (
            "shared",
            Box::new(|m| {
                let bz = m["deps"]["bzip2"]["files"][0].clone();
                m["deps"]["zlib"]["files"].as_array_mut().unwrap().push(bz);
            }),
        ),
    ];
    for (name, edit) in others {
        let p = tampered(&project, &prefix, name, edit);
        refused_everywhere(&project, &p, "\u{0}");
    }
    let shared = project.path("shared");
    let err = project.fails(&["verify", "--prefix", s(&shared)]);
    assert!(err.contains("no two deps may own one file"), "{err}");

    a_journal_touches_only_its_own_dep(&project, &prefix);
    outputs_stay_out_of_the_prefix_and_the_cache(&project, &prefix);
    bundles_carry_no_environment(&project);
    a_cached_output_brings_only_its_own_files(&project);
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `package -o`, `sbom -o` and `bundle export` refuse paths inside the prefix or
/// the cache (however they are spelt); what they do write follows the umask.
fn outputs_stay_out_of_the_prefix_and_the_cache(project: &Project, prefix: &Path) {
    let manifest = std::fs::read(prefix.join(MANIFEST)).unwrap();
    let lib = sha256(&prefix.join("lib/libz.a"));
    let link = project.path("link-to-prefix");
    std::os::unix::fs::symlink(prefix, &link).unwrap();
    let cache = &project.cache;
    let inside = [
        prefix.join(MANIFEST),
        prefix.join("lib/libz.a"),
        prefix.join("lib/new/x.tar.gz"),
        prefix.join("../prefix/lib/y.tar.gz"),
        project.path("elsewhere/../prefix/z.tar.gz"),
        link.join("w.tar.gz"),
        cache.join("p.tar.gz"),
    ];
    for out in &inside {
        let (ok, err) = project.json(&["package", "--prefix", s(prefix), "-o", s(out)]);
        assert!(!ok, "{}", out.display());
        assert_eq!(err["error"]["code"], "output-inside", "{err}");
        let (ok, err) = project.json(&["sbom", "--prefix", s(prefix), "-o", s(out)]);
        assert!(!ok && err["error"]["code"] == "output-inside", "{err}");
    }
    for out in [cache.join("b.bundle"), cache.join("builds/x.bundle")] {
        let (ok, err) = project.json(&["bundle", "export", s(&out)]);
        assert!(!ok && err["error"]["code"] == "output-inside", "{err}");
        assert!(!out.exists());
    }
    assert_eq!(std::fs::read(prefix.join(MANIFEST)).unwrap(), manifest);
    assert_eq!(sha256(&prefix.join("lib/libz.a")), lib);
    assert!(!prefix.join("lib/new").exists());
    project.ok(&["verify", "--prefix", s(prefix)]);

    // Outside: written, readable by others under umask 022 (as `cp` makes them).
    let out = project.path("out/externals.tar.gz");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    project.ok(&["package", "--prefix", s(prefix), "-o", s(&out)]);
    let sum = project.path("out/externals.tar.gz.sha256");
    let sbom = project.path("out/sbom.json");
    project.ok(&["sbom", "--prefix", s(prefix), "-o", s(&sbom)]);
    let bundle = project.path("out/offline.bundle");
    project.ok(&["bundle", "export", s(&bundle)]);
    for file in [
        out,
        sum,
        sbom,
        bundle,
        prefix.join(MANIFEST),
        prefix.join("config.site"),
    ] {
        assert_eq!(mode(&file), 0o644, "{}", file.display());
    }
}

/// A bundle's build logs leave out the environment (`HOME`, `PATH`) of the machine that built them.
fn bundles_carry_no_environment(project: &Project) {
    let local_log = std::fs::read_dir(project.cache.join("builds"))
        .unwrap()
        .map(|e| e.unwrap().path().join("build.log"))
        .find(|p| p.exists())
        .unwrap();
    let text = std::fs::read_to_string(&local_log).unwrap();
    assert!(text.contains("PATH="), "the local log keeps it: {text}");
    let bundle = project.path("builds.bundle");
    project.ok(&["bundle", "export", s(&bundle), "--with-builds", s(&sdk())]);
    let mut archive = tar::Archive::new(std::fs::File::open(&bundle).unwrap());
    let mut logs = 0;
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().display().to_string();
        if path.ends_with("build.log") {
            let mut log = String::new();
            std::io::Read::read_to_string(&mut entry, &mut log).unwrap();
            for secret in ["PATH=", "HOME=", &std::env::var("HOME").unwrap_or_default()] {
                assert!(secret.is_empty() || !log.contains(secret), "{path}: {log}");
            }
            assert!(log.contains("$ "), "the steps are kept: {log}");
            logs += 1;
        }
    }
    assert_eq!(logs, 2, "zlib's and bzip2's logs");
    // And the bundle still imports: its index matches the scrubbed logs.
    let other = Project::with_config(&project.config_text());
    other.ok(&["bundle", "import", s(&bundle)]);
}

/// A crafted journal for zlib that lists bzip2's files as stale, or rewrites
/// bzip2's entry: refused before anything changes.
fn a_journal_touches_only_its_own_dep(project: &Project, prefix: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(prefix.join(MANIFEST)).unwrap()).unwrap();
    let bzip2_files: Vec<String> = manifest["deps"]["bzip2"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    let mut without_bzip2 = manifest.clone();
    without_bzip2["deps"]
        .as_object_mut()
        .unwrap()
        .remove("bzip2");
    let mut other_var = manifest.clone();
    other_var["deps"]["bzip2"]["cpython_variable"] = "OTHER".into();
    let stale = serde_json::json!(bzip2_files);
    let cases = [
        ("stale", stale.clone(), manifest.clone()),
        ("dropped", stale.clone(), without_bzip2),
        ("rewritten", serde_json::json!([]), other_var),
    ];
    for (name, stale, journal_manifest) in cases {
        let p = project.path(&format!("journal-{name}"));
        copy_dir(prefix, &p);
        let site = std::fs::read(p.join("config.site")).unwrap();
        let journal = serde_json::json!({
            "format": 1, "dep": "zlib", "moves": [], "stale": stale, "manifest": journal_manifest,
        });
        std::fs::write(p.join(JOURNAL), journal.to_string()).unwrap();
        let err = project.fails(&["verify", "--prefix", s(&p)]);
        assert!(err.contains("nothing was changed"), "{name}: {err}");
        for file in &bzip2_files {
            assert_eq!(
                sha256(&p.join(file)),
                sha256(&prefix.join(file)),
                "{name}: {file} kept"
            );
        }
        assert_eq!(
            std::fs::read(p.join("config.site")).unwrap(),
            site,
            "{name}"
        );
        assert!(
            p.join(JOURNAL).exists(),
            "{name}: the journal is left to look at"
        );
    }
}

/// A cached zlib output that also lists `include/bzlib.h`, with correct hashes,
/// must not overwrite bzip2's header (a remote entry lands in the cache the same way).
fn a_cached_output_brings_only_its_own_files(project: &Project) {
    let fresh = project.path("fresh");
    let out = build(project, &fresh, &["bzip2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let header = fresh.join("include/bzlib.h");
    let before = sha256(&header);

    let (ok, plan) = project.json(&[
        "build",
        "--prefix",
        s(&fresh),
        "--wasi-sdk",
        s(&sdk()),
        "--dry-run",
    ]);
    assert!(ok, "{plan}");
    let key = crate::support::fixture::by_dep(&plan, "key")["zlib"].clone();
    let entry = project.cache.join("builds").join(&key);
    let evil = b"#error owned\n";
    std::fs::write(entry.join("files/include/bzlib.h"), evil).unwrap();
    let record_path = entry.join("record.json");
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&record_path).unwrap()).unwrap();
    record["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "path": "include/bzlib.h",
            "sha256": crate::support::fixture::sha256(evil),
        }));
    std::fs::write(&record_path, record.to_string()).unwrap();

    // Refused like any corrupt output: evicted, named in a warning, rebuilt.
    let out = build(project, &fresh, &["zlib"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("include/bzlib.h") && err.contains("`bzip2` owns"),
        "{err}"
    );
    assert!(err.contains("Built zlib"), "{err}");
    assert_eq!(sha256(&header), before, "bzip2's header kept");
    let verified = project.ok(&["verify", "--prefix", s(&fresh)]);
    assert!(verified.contains("match"), "{verified}");
}

#[test]
fn targets_are_plain_triples() {
    let base = format!(
        "[source]\nurl = \"{}\"\n[deps.zlib]\ntag = \"zlib-1.3.1\"\n",
        mirror_url()
    );
    for bad in [
        "wasm32-wasi/../../../../x",
        "../x",
        "wasm32-wasi/x",
        "x86_64-linux-gnu",
        "wasm32-wasi p1",
        "",
    ] {
        for (table, args) in [
            (format!("[sdk]\nversion = 25\ntarget = \"{bad}\"\n"), vec![]),
            (
                format!(
                    "[sdk]\nversion = 25\ntarget = \"wasm32-wasip1\"\n\
                     [python.\"3.14\"]\nsdk = 25\ntarget = \"{bad}\"\n"
                ),
                vec!["--python", "3.14"],
            ),
        ] {
            let project = Project::with_config(&format!("{base}{table}"));
            // Where `../x` lands: the temporary folder, shared with others,
            // so what counts is that the build did not create it.
            let outside = project.dir.path().parent().unwrap().join("x");
            let was_there = outside.exists();
            let mut cmd = args.clone();
            cmd.extend(["build", "--dry-run"]);
            let err = project.fails(&cmd);
            assert!(err.contains("target triple"), "{bad}: {err}");
            assert!(!project.path("cross-build").exists(), "{bad}");
            assert_eq!(outside.exists(), was_there, "{bad}: {}", outside.display());
        }
    }
    for good in [
        "wasm32-wasi",
        "wasm32-wasip1",
        "wasm32-wasip2",
        "wasm32-wasip1-threads",
    ] {
        let project =
            Project::with_config(&format!("{base}[sdk]\nversion = 25\ntarget = \"{good}\"\n"));
        let status = project.ok(&["status"]);
        assert!(status.contains("zlib"), "{good}: {status}");
    }
}

#[test]
fn lock_and_init_write_through_a_symlink_and_keep_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: as in the_prefix_is_input.
    unsafe { libc::umask(0o022) };
    let project = Project::new(&mirror_url(), &[("zlib", "zlib-1.3.1")]);
    let real_dir = project.path("real");
    std::fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("deps.toml");
    std::fs::rename(&project.config, &real).unwrap();
    std::os::unix::fs::symlink(&real, &project.config).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();

    project.ok(&["lock"]);
    let link = std::fs::symlink_metadata(&project.config).unwrap();
    assert!(link.file_type().is_symlink(), "deps.toml is still a link");
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.contains("commit = "),
        "the real file is pinned: {text}"
    );
    assert_eq!(mode(&real), 0o640);

    project.ok(&["init", "--force"]);
    assert!(std::fs::symlink_metadata(&project.config)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        !text.contains(&mirror_url()),
        "the starter config went to the target: {text}"
    );
    assert_eq!(mode(&real), 0o640);

    let fresh = project.path("fresh/deps.toml");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    let out = crate::support::fixture::tool(project.dir.path(), &["--config", s(&fresh), "init"]);
    assert!(out.status.success());
    assert_eq!(mode(&fresh), 0o644, "a new file follows the umask");
    std::fs::remove_file(&fresh).unwrap();
    std::fs::write(&fresh, "x").unwrap();
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = crate::support::fixture::tool(
        project.dir.path(),
        &["--config", s(&fresh), "init", "--force"],
    );
    assert!(out.status.success());
    assert_eq!(mode(&fresh), 0o600, "an existing file keeps its mode");
}

#[test]
fn unknown_pythons_get_suggestions_that_parse_and_names_are_escaped() {
    let project = Project::new(&mirror_url(), &[("zlib", "zlib-1.3.1")]);
    let text = project.config_text() + "[python.\"3.14\"]\nsdk = 25\ntarget = \"wasm32-wasip1\"\n";
    project.set_config(&text);
    let err = project.fails(&["--python", "3.99", "status"]);
    assert!(err.contains("add a [python.\"3.99\"] table"), "{err}");
    for bad in ["../x", "3.14\u{1b}[2J", "a\nb"] {
        let err = project.fails(&["--python", bad, "status"]);
        assert!(!err.contains("add a [python."), "{bad:?}: {err}");
        assert!(err.contains("3.14"), "names the known ones: {err}");
        assert!(!err.contains('\u{1b}'), "{bad:?}: {err}");
        assert!(!err.contains("a\nb"), "{bad:?}: {err}");
    }
    let err = project.fails(&["fetch", "zl\u{1b}]0;owned\u{7}ib"]);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err}");
    assert!(err.contains("\\u{1b}"), "{err}");
}

/// `wasi-externals` with `home` as XDG_DATA_HOME (the SDK store below it) and no proxy.
fn sdk_command(home: &Path, args: &[&str]) -> std::process::Command {
    let config = home.join("deps.toml");
    if !config.exists() {
        std::fs::create_dir_all(home).unwrap();
        let text = "[source]\nurl = \"file:///nowhere\"\n[sdk]\nversion = 25\ntarget = \"wasm32-wasip1\"\n";
        std::fs::write(&config, text).unwrap();
    }
    let mut cmd =
        crate::support::fixture::tool_command(home, &[&["--config", s(&config)], args].concat());
    crate::support::fixture::in_home(&mut cmd, home);
    cmd
}

fn sdk_json(home: &Path, args: &[&str]) -> (bool, serde_json::Value, String) {
    let out = sdk_command(home, &[&["--json"], args].concat())
        .output()
        .unwrap();
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (
        out.status.success(),
        value,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `.tar.gz` holding `wasi-sdk-25.0-x86_64-linux/VERSION` and what `python` adds
/// (with `add(name, data, kind, link)`, names below that folder).
fn tarball(dir: &Path, name: &str, python: &str) -> Vec<u8> {
    let body = format!(
        "    add(\"\", kind=tarfile.DIRTYPE)\n    add(\"VERSION\", b\"25.0\\n\")\n{python}"
    );
    crate::support::release_server::python_tarball(
        &dir.join(name),
        "wasi-sdk-25.0-x86_64-linux/",
        &body,
    )
}

#[test]
fn sdk_install_replaces_only_its_own_folders_and_keeps_links_inside() {
    use crate::support::release_server::{Behaviour, ReleaseServer};
    use std::sync::Arc;
    let server = ReleaseServer::start();
    let scratch = tempfile::tempdir().unwrap();
    let top = "wasi-sdk-25.0-x86_64-linux";

    // A user's folder where the SDK would go: refused by name, untouched, nothing downloaded.
    let bytes = tarball(scratch.path(), "plain.tar.gz", "");
    let sha = crate::support::fixture::sha256(&bytes);
    server.add("/plain.tar.gz", Arc::new(bytes), Behaviour::Serve);
    let home = scratch.path().join("home");
    let dest = home.join("data/wasi-externals/sdks/wasi-sdk-25");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("my notes.txt"), "mine").unwrap();
    let url = server.url("/plain.tar.gz");
    let args = ["sdk", "install", "25", "--sdk-url", &url, "--sha256", &sha];
    let (ok, err, _) = sdk_json(&home, &args);
    assert!(!ok, "{err}");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(s(&dest)) && message.contains("nothing was changed"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("my notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        server.requests_for("/plain.tar.gz"),
        0,
        "nothing downloaded"
    );

    // Links that leave the SDK once unpacked, in several shapes: refused, nothing placed.
    let cases = [
        (
            "updeep",
            "    for d in ['a/', 'a/b/', 'a/b/c/', 'a/b/c/d/']: add(d, kind=tarfile.DIRTYPE)\n    \
             add('a/b/c/d/up', kind=tarfile.SYMTYPE, link='../../../..')\n    \
             add('esc', kind=tarfile.LNKTYPE, link='wasi-sdk-25.0-x86_64-linux/a/b/c/d/up')",
            "esc",
        ),
        (
            "updot",
            "    add('x/', kind=tarfile.DIRTYPE)\n    \
             add('x/l', kind=tarfile.SYMTYPE, link='..')\n    \
             add('bin/', kind=tarfile.DIRTYPE)\n    \
             add('bin/l2', kind=tarfile.LNKTYPE, link='wasi-sdk-25.0-x86_64-linux/x/l')\n    \
             add('l3', kind=tarfile.LNKTYPE, link='wasi-sdk-25.0-x86_64-linux/x/l')",
            "l3",
        ),
    ];
    for (name, python, entry) in cases {
        let bytes = tarball(scratch.path(), &format!("{name}.tar.gz"), python);
        let sha = crate::support::fixture::sha256(&bytes);
        let path = format!("/{name}.tar.gz");
        server.add(&path, Arc::new(bytes), Behaviour::Serve);
        let home = scratch.path().join(name);
        let url = server.url(&path);
        let (ok, err, _) = sdk_json(
            &home,
            &["sdk", "install", "25", "--sdk-url", &url, "--sha256", &sha],
        );
        assert!(!ok, "{name}");
        assert_eq!(err["error"]["code"], "sdk-unsafe", "{name}: {err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(entry), "{name}: {message}");
        let store = home.join("data/wasi-externals/sdks");
        let left: Vec<_> = std::fs::read_dir(&store)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".lock")
            .collect();
        assert!(left.is_empty(), "{name}: {left:?}");
    }
    let _ = top;
}

#[test]
fn sdk_install_refuses_other_schemes_at_once() {
    let scratch = tempfile::tempdir().unwrap();
    let sha = "0".repeat(64);
    for url in [
        "file:///etc/passwd",
        "ftp://127.0.0.1:9/wasi-sdk.tar.gz",
        "gopher://127.0.0.1:9/x",
    ] {
        let home = scratch.path().join(url.split(':').next().unwrap());
        let (ok, err, stderr) = sdk_json(
            &home,
            &["sdk", "install", "25", "--sdk-url", url, "--sha256", &sha],
        );
        assert!(!ok, "{url}");
        assert_eq!(err["error"]["code"], "sdk-argument", "{url}: {err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains("http"), "{message}");
        assert!(
            !stderr.contains("trying again"),
            "{url} was retried: {stderr}"
        );
    }
}

#[test]
fn a_full_sdk_store_is_reported_as_no_space() {
    use crate::support::release_server::{Behaviour, ReleaseServer};
    use std::sync::Arc;
    let scratch = tempfile::tempdir().unwrap();
    let home = scratch.path().join("home");
    let data = home.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(&data)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(data.clone());
    // 4 MB of zeros packs into a few KB: the download fits, unpacking does not.
    let bytes = tarball(
        scratch.path(),
        "big.tar.gz",
        "    add('big', bytes(4 << 20))",
    );
    let sha = crate::support::fixture::sha256(&bytes);
    let server = ReleaseServer::start();
    server.add("/big.tar.gz", Arc::new(bytes), Behaviour::Serve);
    let url = server.url("/big.tar.gz");
    let (ok, err, _) = sdk_json(
        &home,
        &["sdk", "install", "25", "--sdk-url", &url, "--sha256", &sha],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "no-space", "{err}");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("no space left") && !message.contains("cannot be unpacked"),
        "{message}"
    );
}
