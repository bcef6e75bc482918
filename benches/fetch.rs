//! Cold fetch of all six pinned tags over loopback smart HTTP: `wasi-externals fetch`
//! against `git clone --depth 1 --branch TAG` for each tag, measured in the same run.
//!
//! Run with `cargo bench --bench fetch` after `bash scripts/setup-test-env.sh`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use support::fixture::LATEST_TAGS as TAGS;

const ROUNDS: usize = 5;

fn run(command: &mut Command) {
    let out = command.output().expect("runs");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn rev_parse(repo: &Path, spec: &str) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", spec])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mirror = root.join(".test-env/mirror/cpython-source-deps.git");
    assert!(
        mirror.exists(),
        "run `bash scripts/setup-test-env.sh` first"
    );
    let server = support::git_http::GitHttpServer::start(mirror.parent().unwrap());
    let url = format!("{}/cpython-source-deps.git", server.base_url());
    let scratch = tempfile::tempdir().unwrap();
    let config = scratch.path().join("deps.toml");
    let mut text =
        format!("[source]\nurl = \"{url}\"\n[sdk]\nversion = 24\ntarget = \"wasm32-wasip1\"\n");
    for (dep, tag) in TAGS {
        let commit = rev_parse(&mirror, &format!("{tag}^{{commit}}"));
        let tree = rev_parse(&mirror, &format!("{tag}^{{tree}}"));
        text.push_str(&format!(
            "[deps.{dep}]\ntag = \"{tag}\"\ncommit = \"{commit}\"\ntree = \"{tree}\"\n"
        ));
    }
    std::fs::write(&config, text).unwrap();

    let mut ours = Vec::new();
    let mut clones = Vec::new();
    let mut one_repo = Vec::new();
    for round in 0..ROUNDS {
        let cache = scratch.path().join(format!("cache-{round}"));
        let started = Instant::now();
        run(Command::new(env!("CARGO_BIN_EXE_wasi-externals"))
            .arg("-q")
            .arg("--config")
            .arg(&config)
            .arg("--cache-dir")
            .arg(&cache)
            .arg("fetch"));
        ours.push(started.elapsed().as_secs_f64());

        let started = Instant::now();
        for (_, tag) in TAGS {
            let dest = scratch.path().join(format!("clone-{round}-{tag}"));
            run(Command::new("git")
                .args(["clone", "-q", "--depth", "1", "--branch", tag, &url])
                .arg(&dest));
        }
        clones.push(started.elapsed().as_secs_f64());

        let repo = scratch.path().join(format!("one-{round}.git"));
        let started = Instant::now();
        run(Command::new("git")
            .args(["init", "-q", "--bare"])
            .arg(&repo));
        let mut fetch = Command::new("git");
        fetch
            .arg("-C")
            .arg(&repo)
            .args(["fetch", "-q", "--depth", "1", "--no-tags", &url]);
        fetch.args(
            TAGS.iter()
                .map(|(_, tag)| format!("+refs/tags/{tag}:refs/tags/{tag}")),
        );
        run(&mut fetch);
        one_repo.push(started.elapsed().as_secs_f64());
    }
    server.stop();
    let (ours, clones, one_repo) = (median(ours), median(clones), median(one_repo));
    println!(
        "cold fetch of {} tags over loopback HTTP, median of {ROUNDS} rounds",
        TAGS.len()
    );
    println!("  wasi-externals fetch (one process, one cache)   {ours:>7.3} s");
    println!(
        "  git clone --depth 1 --branch TAG, each tag       {clones:>7.3} s   ratio {:.2}x",
        clones / ours
    );
    println!(
        "  git fetch --depth 1 of all tags into one repo    {one_repo:>7.3} s   ratio {:.2}x",
        one_repo / ours
    );
}
