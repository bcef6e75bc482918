//! `archive-sha256` is a check: the tag archive made in process equals
//! `git archive | gzip -cn` byte for byte, `lock` records and checks it, and
//! `lock`, `fetch` and `build` refuse a tree whose archive does not match.

use std::path::Path;
use std::process::Command;

use crate::support::fixture::{git, mirror, mirror_url, sdk, tag_ids, Project};
use sha2::Digest;
use wasi_externals::source::archive;

/// What GitHub serves, made the way GitHub makes it: `git archive | gzip -cn`.
fn oracle(repo: &Path, tag: &str) -> Vec<u8> {
    let script = format!(
        "git -C '{}' archive --format=tar --prefix=cpython-source-deps-{tag}/ '{tag}^{{commit}}' | gzip -cn",
        repo.display()
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn oracle_tar(repo: &Path, tag: &str, prefix: &str) -> Vec<u8> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "archive",
            "--format=tar",
            &format!("--prefix={prefix}"),
            &format!("{tag}^{{commit}}"),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn open(repo: &Path) -> gix::Repository {
    gix::open_opts(repo, gix::open::Options::isolated()).unwrap()
}

/// `git commit -q ARGS` in `work` with a fixed test identity.
fn commit(work: &Path, args: &[&str]) {
    let ident = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q"];
    git(work, &[&ident[..], args].concat());
}

fn commit_of(repo: &Path, tag: &str) -> gix::ObjectId {
    gix::ObjectId::from_hex(git(repo, &["rev-parse", &format!("{tag}^{{commit}}")]).as_bytes())
        .unwrap()
}

/// Our tar stream and gzip bytes against git's and gzip's; returns the sha256.
fn assert_same_archive(repo: &Path, tag: &str) -> String {
    let prefix = format!("cpython-source-deps-{tag}/");
    let ours_tar = archive::tar::tar_stream(&open(repo), commit_of(repo, tag), &prefix).unwrap();
    let git_tar = oracle_tar(repo, tag, &prefix);
    let first = ours_tar.iter().zip(&git_tar).position(|(a, b)| a != b);
    assert!(
        ours_tar == git_tar,
        "{tag}: tar stream {} bytes vs git's {}, first difference at {first:?}",
        ours_tar.len(),
        git_tar.len()
    );
    let mut ours_gz = Vec::new();
    archive::deflate::gzip(&ours_tar[..], &mut ours_gz).unwrap();
    let expected = oracle(repo, tag);
    assert!(
        ours_gz == expected,
        "{tag}: gzip bytes differ from gzip -cn"
    );
    sha256_hex(&expected)
}

#[test]
fn every_mirror_tag_archive_equals_git_archive_through_gzip() {
    let tags = git(&mirror(), &["tag"]);
    let tags: Vec<&str> = tags.lines().collect();
    assert!(tags.len() >= 10, "the mirror has its tags: {tags:?}");
    assert!(
        tags.contains(&"zstd-1.5.7"),
        "zstd's .gitattributes turn some files CRLF"
    );
    for tag in tags {
        if asks_for_export_attributes(&mirror(), tag) {
            // zlib-ng's tags: git leaves export-ignore'd files out, which the
            // archive here does not reproduce; it must say so, not hash wrong.
            let prefix = format!("cpython-source-deps-{tag}/");
            let made =
                archive::tar::tar_stream(&open(&mirror()), commit_of(&mirror(), tag), &prefix);
            assert!(
                matches!(made, Err(archive::tar::TarError::Unsupported { .. })),
                "{tag}: a tree with export attributes must be refused"
            );
            continue;
        }
        assert_same_archive(&mirror(), tag);
    }
}

/// Whether any `.gitattributes` of `tag`'s tree sets `export-ignore` or `export-subst`.
fn asks_for_export_attributes(repo: &Path, tag: &str) -> bool {
    git(repo, &["ls-tree", "-r", "--name-only", tag])
        .lines()
        .filter(|path| path.rsplit('/').next() == Some(".gitattributes"))
        .map(|path| git(repo, &["cat-file", "-p", &format!("{tag}:{path}")]))
        .any(|text| text.contains("export-ignore") || text.contains("export-subst"))
}

/// A commit with what the mirror lacks: long paths (split into ustar's prefix
/// field, or carried by a pax header), links short and long, an empty file,
/// an executable, a submodule, and end-of-line attributes.
#[test]
fn unusual_trees_archive_like_git() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q"]);
    let deep = format!("{}/{}", "d".repeat(60), "e".repeat(60));
    std::fs::create_dir_all(work.join(&deep)).unwrap();
    std::fs::write(
        work.join(&deep).join(format!("{}.txt", "f".repeat(90))),
        "split\n",
    )
    .unwrap();
    let long_dir = "g".repeat(170);
    std::fs::create_dir_all(work.join(&long_dir)).unwrap();
    std::fs::write(work.join(&long_dir).join("h.txt"), "pax path\n").unwrap();
    std::fs::write(work.join("empty"), "").unwrap();
    std::fs::write(work.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
    std::os::unix::fs::symlink("empty", work.join("short-link")).unwrap();
    std::os::unix::fs::symlink("l".repeat(120), work.join("long-link")).unwrap();
    std::fs::write(work.join(".gitattributes"), "*.bat text eol=crlf\n").unwrap();
    std::fs::write(work.join("x.bat"), "line one\nline two\n").unwrap();
    git(&work, &["add", "-A"]);
    git(&work, &["update-index", "--chmod=+x", "run.sh"]);
    let commit_of_sub = "1234567890123456789012345678901234567890";
    git(
        &work,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{commit_of_sub},sub"),
        ],
    );
    commit(&work, &["-m", "unusual", "--date=1700000000 +0100"]);
    git(&work, &["tag", "unusual-1.0"]);
    let sha = assert_same_archive(&work, "unusual-1.0");
    let prefix = archive::archive_prefix("unusual-1.0");
    let ours = archive::sha256(&open(&work), commit_of(&work, "unusual-1.0"), &prefix).unwrap();
    assert_eq!(ours, sha);
    let tar = oracle_tar(&work, "unusual-1.0", &prefix);
    let crlf = b"line one\r\nline two\r\n";
    assert!(
        tar.windows(crlf.len()).any(|w| w == crlf),
        "x.bat is CRLF in the archive"
    );
}

#[test]
fn an_export_ignore_attribute_is_refused_rather_than_hashed_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    git(work, &["init", "-q"]);
    std::fs::write(work.join(".gitattributes"), "secret export-ignore\n").unwrap();
    std::fs::write(work.join("secret"), "x\n").unwrap();
    git(work, &["add", "-A"]);
    commit(work, &["-m", "m"]);
    let err = archive::sha256(&open(work), commit_of(work, "HEAD"), "p/").unwrap_err();
    assert!(err.to_string().contains("export-ignore"), "{err}");
}

/// A pin of `dep` at `tag` with commit, tree and `archive` written out.
fn pinned_project(dep: &str, tag: &str, archive: &str) -> Project {
    let (commit, tree) = tag_ids(&mirror(), tag);
    let project = Project::new(&mirror_url(), &[(dep, tag)]);
    project.set_config(&format!(
        "{}commit = \"{commit}\"\ntree = \"{tree}\"\narchive-sha256 = \"{archive}\"\n",
        project.config_text()
    ));
    project
}

fn assert_mismatch(project: &Project, args: &[&str], expected: &str, found: &str) {
    let (ok, report) = project.json(args);
    assert!(!ok, "{args:?} must refuse: {report}");
    assert_eq!(
        report["error"]["code"], "archive-mismatch",
        "{args:?}: {report}"
    );
    let message = report["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(expected) && message.contains(found) && message.contains("zlib"),
        "{args:?} names the dep, the pinned and the found hash: {message}"
    );
}

#[test]
fn lock_fetch_and_build_refuse_a_tag_whose_archive_does_not_match_its_pin() {
    // GitHub's real zlib-1.3.1 archive: the mirror's tag (Debian's tarball) is other content.
    let github = "e3f3fb32564952006eb18b091ca8464740e5eca29d328cfb0b2da22768e0b638";
    let found = sha256_hex(&oracle(&mirror(), "zlib-1.3.1"));
    assert_ne!(found, github);
    let project = pinned_project("zlib", "zlib-1.3.1", github);
    let before = project.config_text();
    assert_mismatch(&project, &["lock"], github, &found);
    assert_eq!(project.config_text(), before, "lock wrote nothing");
    assert_mismatch(&project, &["fetch"], github, &found);
    let sdk = sdk();
    let build = [
        "build",
        "--prefix",
        "p",
        "--wasi-sdk",
        sdk.to_str().unwrap(),
    ];
    assert_mismatch(&project, &build, github, &found);
    assert!(!project.path("p/lib").exists(), "nothing was built");

    // The hash remembered from those runs is the tree's, not a verdict:
    // with the right pin fetch passes, and a wrong one is still refused.
    project.set_config(&before.replace(github, &found));
    project.ok(&["fetch"]);
    project.set_config(&before);
    assert_mismatch(&project, &["fetch"], github, &found);
}

#[test]
fn lock_fills_in_a_missing_archive_sha256() {
    let project = Project::new(
        &mirror_url(),
        &[("zlib", "zlib-1.3.1"), ("sqlite", "sqlite-3.46.1.0")],
    );
    let (ok, report) = project.json(&["lock"]);
    assert!(ok, "{report}");
    let doc: toml::Table = toml::from_str(&project.config_text()).unwrap();
    for (dep, tag) in [("zlib", "zlib-1.3.1"), ("sqlite", "sqlite-3.46.1.0")] {
        let expected = sha256_hex(&oracle(&mirror(), tag));
        assert_eq!(
            doc["deps"][dep]["archive-sha256"].as_str(),
            Some(expected.as_str()),
            "{dep}"
        );
        let entry = report["deps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["dep"] == dep)
            .unwrap();
        assert_eq!(entry["archive_sha256"], expected.as_str());
        assert_eq!(entry["archive_recorded"], true);
    }
    let (ok, again) = project.json(&["lock"]);
    assert!(
        ok && again["written"] == false,
        "a second lock has nothing to add: {again}"
    );
    project.ok(&["lock", "--check"]);
    project.ok(&["fetch"]);
}

#[test]
fn a_pin_with_only_a_tag_and_its_archive_sha256_gets_commit_and_tree_from_lock() {
    let tag = "bzip2-1.0.8";
    let archive = sha256_hex(&oracle(&mirror(), tag));
    let project = Project::new(&mirror_url(), &[("bzip2", tag)]);
    project.set_config(&format!(
        "{}archive-sha256 = \"{archive}\"\n",
        project.config_text()
    ));
    project.ok(&["lock"]);
    let doc: toml::Table = toml::from_str(&project.config_text()).unwrap();
    let (commit, tree) = tag_ids(&mirror(), tag);
    let pin = &doc["deps"]["bzip2"];
    assert_eq!(pin["commit"].as_str(), Some(commit.as_str()));
    assert_eq!(pin["tree"].as_str(), Some(tree.as_str()));
    assert_eq!(pin["archive-sha256"].as_str(), Some(archive.as_str()));

    // A tag-only pin whose anchor disagrees is not locked.
    let wrong = Project::new(&mirror_url(), &[("bzip2", tag)]);
    let text = format!(
        "{}archive-sha256 = \"{}\"\n",
        wrong.config_text(),
        "0".repeat(64)
    );
    wrong.set_config(&text);
    let (ok, report) = wrong.json(&["lock"]);
    assert!(
        !ok && report["error"]["code"] == "archive-mismatch",
        "{report}"
    );
    assert_eq!(wrong.config_text(), text, "nothing written");
}
