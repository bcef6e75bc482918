//! `lock`, `fetch` and `status` against a real git mirror over file:// and smart HTTP.

use std::path::Path;

use crate::support::fixture::{
    self, all_cached, git, mirror, mirror_url, tag_ids, Project, LATEST_TAGS,
};
use crate::support::git_http::GitHttpServer;

/// The pins deps.toml holds for `dep`, parsed back from the file.
fn pinned(project: &Project, dep: &str) -> (String, String) {
    let doc: toml::Table = toml::from_str(&project.config_text()).unwrap();
    let entry = &doc["deps"][dep];
    (
        entry["commit"].as_str().unwrap().to_owned(),
        entry["tree"].as_str().unwrap().to_owned(),
    )
}

/// Every file git lists in `tag` is in `dir` with the same blob id and executable bit.
fn assert_checkout_matches(dir: &Path, tag: &str) {
    let listing = git(&mirror(), &["ls-tree", "-r", tag]);
    assert!(listing.lines().count() > 10, "{tag} lists too few files");
    for line in listing.lines() {
        let (meta, path) = line.split_once('\t').unwrap();
        let mut fields = meta.split(' ');
        let (mode, _, blob) = (
            fields.next().unwrap(),
            fields.next(),
            fields.next().unwrap(),
        );
        let file = dir.join(path);
        let hashed = git(&mirror(), &["hash-object", file.to_str().unwrap()]);
        assert_eq!(hashed, blob, "{} differs from {tag}", file.display());
        let executable = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&file).unwrap().permissions(),
        ) & 0o111
            != 0;
        assert_eq!(
            executable,
            mode == "100755",
            "executable bit of {}",
            file.display()
        );
    }
}

#[test]
fn lock_fetch_over_http_then_offline_then_switch_tags() {
    let server = GitHttpServer::start(mirror().parent().unwrap());
    let url = format!("{}/cpython-source-deps.git", server.base_url());
    let project = Project::new(&url, LATEST_TAGS);

    project.ok(&["lock"]);
    let text = project.config_text();
    assert!(
        text.starts_with("# test project") && text.contains("# the local mirror"),
        "comments kept:\n{text}"
    );
    for (dep, tag) in LATEST_TAGS {
        assert_eq!(pinned(&project, dep), tag_ids(&mirror(), tag), "{dep}");
    }
    let (ok, check) = project.json(&["lock", "--check"]);
    assert!(ok, "{check}");
    assert_eq!(project.config_text(), text, "lock --check changes nothing");

    let (ok, fetched) = project.json(&["fetch", "--into", "src"]);
    assert!(ok, "{fetched}");
    assert_eq!(fetched.as_array().unwrap().len(), LATEST_TAGS.len());
    assert_checkout_matches(&project.path("src/zlib"), "zlib-1.3.1");
    assert_checkout_matches(&project.path("src/xz"), "xz-5.8.1");

    // The same pins again: no request reaches the server.
    let before = server.requests();
    let (ok, again) = project.json(&["fetch"]);
    assert!(ok);
    assert!(all_cached(&again), "{again}");
    assert_eq!(server.requests(), before, "a cached fetch made no request");

    // With the server gone, the cache alone serves, with and without --offline.
    server.stop();
    project.ok(&["fetch"]);
    project.ok(&["--offline", "fetch"]);
    let (_, status) = project.json(&["status"]);
    assert!(
        status
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["cached"] == true),
        "{status}"
    );

    // Switch zlib to the other tag: lock needs the source, which is down.
    let switched = project
        .config_text()
        .replace("tag = \"zlib-1.3.1\"", "tag = \"zlib-1.2.13\"");
    project.set_config(&switched);
    let err = project.fails(&["lock", "zlib"]);
    assert!(
        err.contains("cannot reach any source") && err.contains("127.0.0.1"),
        "{err}"
    );
    project.ok(&["--source", &mirror_url(), "lock", "zlib"]);
    assert_eq!(pinned(&project, "zlib"), tag_ids(&mirror(), "zlib-1.2.13"));
    assert_eq!(
        pinned(&project, "xz"),
        tag_ids(&mirror(), "xz-5.8.1"),
        "other pins untouched"
    );
    project.ok(&["--offline", "fetch", "zlib", "--into", "src2"]);
    assert_checkout_matches(&project.path("src2/zlib"), "zlib-1.2.13");
}

#[test]
fn mirrors_are_tried_when_the_source_is_unreachable() {
    let project = Project::new(
        "http://127.0.0.1:9/cpython-source-deps.git",
        &[("bzip2", "bzip2-1.0.8")],
    );
    let text = project.config_text().replace(
        "[sdk]",
        &format!("mirrors = [\"{}\"]\n\n[sdk]", mirror_url()),
    );
    project.set_config(&text);
    let out = project.run(&["lock"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Unreachable") && stderr.contains("127.0.0.1:9"),
        "{stderr}"
    );
    assert_eq!(pinned(&project, "bzip2"), tag_ids(&mirror(), "bzip2-1.0.8"));
}

#[test]
fn a_moved_tag_is_refused_and_leaves_the_cache_usable() {
    let scratch = tempfile::tempdir().unwrap();
    let moved = fixture::mirror_copy(scratch.path());
    let other = git(&moved, &["rev-parse", "zlib-1.2.13^{commit}"]);
    git(&moved, &["tag", "-f", "zlib-1.3.1", &other]);
    let moved_url = format!("file://{}", moved.display());

    let project = Project::locked(&[("zlib", "zlib-1.3.1")]);
    let locked = project.config_text();
    std::fs::remove_dir_all(&project.cache).unwrap();

    let err = project.fails(&["--source", &moved_url, "fetch"]);
    assert!(
        err.contains("tag `zlib-1.3.1` of `zlib` moved") && err.contains(&other),
        "{err}"
    );
    let err = project.fails(&["--source", &moved_url, "lock", "--check"]);
    assert!(err.contains("out of date") && err.contains("zlib"), "{err}");
    assert_eq!(project.config_text(), locked, "lock --check wrote nothing");
    let (ok, json) = project.json(&["--source", &moved_url, "fetch"]);
    assert!(!ok);
    assert_eq!(json["error"]["code"], "tag-moved");

    // The honest source still works with the same cache.
    project.ok(&["fetch"]);
    project.ok(&["--offline", "fetch", "--into", "src"]);
    assert_checkout_matches(&project.path("src/zlib"), "zlib-1.3.1");
}

#[test]
fn a_tree_mismatch_is_refused() {
    let project = Project::locked(&[("zlib", "zlib-1.3.1")]);
    let (_, wrong_tree) = tag_ids(&mirror(), "zlib-1.2.13");
    let (_, right_tree) = tag_ids(&mirror(), "zlib-1.3.1");
    project.set_config(&project.config_text().replace(&right_tree, &wrong_tree));
    let err = project.fails(&["fetch"]);
    assert!(
        err.contains("zlib") && err.contains(&wrong_tree) && err.contains(&right_tree),
        "{err}"
    );
}

#[test]
fn a_missing_tag_names_the_tag_and_the_source() {
    let project = Project::new(&mirror_url(), &[("zlib", "zlib-9.9.9")]);
    let err = project.fails(&["lock"]);
    assert!(
        err.contains("zlib-9.9.9") && err.contains(&mirror_url()),
        "{err}"
    );
    assert!(!project.config_text().contains("commit"), "nothing written");
}

#[test]
fn offline_with_an_empty_cache_lists_what_is_missing() {
    let project = Project::new(&mirror_url(), LATEST_TAGS);
    let ids: String = LATEST_TAGS
        .iter()
        .map(|(dep, tag)| {
            let (commit, tree) = tag_ids(&mirror(), tag);
            format!("\n[deps.{dep}]\ntag = \"{tag}\"\ncommit = \"{commit}\"\ntree = \"{tree}\"\n")
        })
        .collect();
    let header = project.config_text();
    project.set_config(&format!(
        "{}{ids}",
        &header[..header.find("\n[deps.").unwrap()]
    ));
    let (ok, json) = project.json(&["--offline", "fetch", "zlib", "xz"]);
    assert!(!ok);
    assert_eq!(json["error"]["code"], "offline-missing");
    let message = json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("zlib, xz") && message.contains("wasi-externals fetch zlib xz"),
        "{message}"
    );
}

#[test]
fn an_unreachable_source_without_cache_says_so() {
    let project = Project::new("http://127.0.0.1:9/nothing.git", &[("zlib", "zlib-1.3.1")]);
    let err = project.fails(&["lock"]);
    assert!(
        err.contains("cannot reach any source") && err.contains("http://127.0.0.1:9/nothing.git"),
        "{err}"
    );
}

#[test]
fn broken_config_files_point_at_the_problem() {
    let project = Project::with_config(
        "[sdk]\nversion = 24\ntarget = \"wasm32-wasip1\"\n[deps.zlib\ntag = \"x\"\n",
    );
    let err = project.fails(&["status"]);
    assert!(err.contains("deps.toml") && err.contains("line 4"), "{err}");

    project.set_config("[sdk]\nversion = 24\ntarget = \"wasm32-wasip1\"\n[deps.zlib]\ntag = \"zlib-1.3.1\"\ncomit = \"x\"\n");
    let err = project.fails(&["status"]);
    assert!(
        err.contains("unknown field `comit`") && err.contains("line 6"),
        "{err}"
    );

    project.set_config(
        "[sdk]\nversion = 24\ntarget = \"wasm32-wasip1\"\n[deps.zlib]\ntag = \"zlib-1.3.1\"\n",
    );
    let err = project.fails(&["fetch", "zlibb"]);
    assert!(
        err.contains("unknown dependency `zlibb`") && err.contains("zlib"),
        "{err}"
    );
    let err = project.fails(&["fetch"]);
    assert!(
        err.contains("not locked") && err.contains("wasi-externals lock zlib"),
        "{err}"
    );
}

#[test]
fn concurrent_fetches_share_one_cache() {
    let project = Project::locked(&[("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")]);
    std::fs::remove_dir_all(&project.cache).unwrap();
    let outputs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| project.run(&["fetch"])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    project.ok(&["--offline", "fetch"]);
}

#[test]
fn a_plain_path_works_as_a_source() {
    let project = Project::new(mirror().to_str().unwrap(), &[("libffi", "libffi-3.4.4")]);
    project.ok(&["lock"]);
    assert_eq!(
        pinned(&project, "libffi"),
        tag_ids(&mirror(), "libffi-3.4.4")
    );
    let (ok, fetched) = project.json(&["fetch", "--into", "src"]);
    assert!(ok, "{fetched}");
    assert_checkout_matches(&project.path("src/libffi"), "libffi-3.4.4");
}
