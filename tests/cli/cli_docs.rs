//! What the command line says about itself: the version with its commit, an
//! example in every command's help, completions, man pages, and the copies of
//! them the wheel installs (packaging/wheel-data) being current.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::fixture::{git, repo_root, stdout_ok, tool};

/// `wasi-externals ARGS` in the repository's root.
fn run(args: &[&str]) -> Output {
    tool(&repo_root(), args)
}

/// Run and require success; stdout.
fn stdout(args: &[&str]) -> String {
    stdout_ok(run(args))
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let expected = format!(
        "wasi-externals {} ({})\n",
        env!("CARGO_PKG_VERSION"),
        git(
            &repo_root(),
            &["log", "-1", "--format=%h %cs", "--abbrev=7"]
        )
    );
    assert_eq!(stdout(&["--version"]), expected);
}

/// Every command path (`build`, `cache gc`, …), from the top-level help down.
fn commands(path: &[String]) -> Vec<Vec<String>> {
    let help = stdout(
        &[
            &path.iter().map(String::as_str).collect::<Vec<_>>()[..],
            &["--help"],
        ]
        .concat(),
    );
    let Some(list) = help.split("\nCommands:\n").nth(1) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for line in list.lines().take_while(|l| l.starts_with("  ")) {
        if line.starts_with("   ") {
            continue; // a wrapped description
        }
        let name = line.split_whitespace().next().unwrap();
        if name != "help" {
            let sub = [path, &[name.to_owned()]].concat();
            found.extend(commands(&sub));
            found.push(sub);
        }
    }
    found
}

#[test]
fn every_command_has_an_example_in_its_help() {
    let all = commands(&[]);
    assert!(all.len() > 15, "{all:?}");
    for path in &all {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let help = stdout(&[&args[..], &["--help"]].concat());
        let example = help
            .split("Example")
            .nth(1)
            .unwrap_or_else(|| panic!("`{}` --help has no example:\n{help}", path.join(" ")));
        // The example is shown as written: an indented command line, not joined into prose.
        assert!(
            example
                .lines()
                .any(|l| l.starts_with("  ") && l.contains("wasi-externals ")),
            "`{}`: {example}",
            path.join(" ")
        );
    }
}

#[test]
fn completions_and_man_pages_come_from_the_command_definitions() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout(&["completions", shell]);
        for word in ["build", "bundle", "wasi-sdk", "max-age-days"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let bash = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bash.path(), stdout(&["completions", "bash"])).unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(bash.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!run(&["completions", "tcsh"]).status.success());

    let page = stdout(&["man"]);
    assert!(
        page.contains(&format!(
            ".TH wasi-externals 1  \"wasi-externals {}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{page}"
    );
    assert!(page.contains("verify"), "lists the commands");
    let build = stdout(&["man", "build"]);
    assert!(
        build.contains("wasi\\-externals build \\-\\-prefix"),
        "{build}"
    );
    let gc = stdout(&["man", "cache", "gc"]);
    assert!(gc.contains("\\-\\-max\\-age\\-days"), "{gc}");
    assert!(!run(&["man", "nosuch"]).status.success());
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_wheel_data_is_current() {
    let data = repo_root().join("packaging/wheel-data/data/share");
    let stale = "is stale: run `bash scripts/gen-wheel-data.sh`";
    for (shell, file) in [
        ("bash", "bash-completion/completions/wasi-externals"),
        ("zsh", "zsh/site-functions/_wasi-externals"),
        ("fish", "fish/vendor_completions.d/wasi-externals.fish"),
    ] {
        let committed = std::fs::read_to_string(data.join(file)).unwrap();
        assert!(
            committed == stdout(&["completions", shell]),
            "{file} {stale}"
        );
    }
    let fresh = tempfile::tempdir().unwrap();
    let out = run(&["man", "--dir", fresh.path().to_str().unwrap()]);
    assert!(out.status.success());
    let pages = read_tree(fresh.path());
    assert!(
        pages.iter().any(|(n, _)| n == "wasi-externals-cache-gc.1"),
        "{:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    let committed = read_tree(&data.join("man/man1"));
    assert_eq!(
        committed.iter().map(|p| &p.0).collect::<Vec<_>>(),
        pages.iter().map(|p| &p.0).collect::<Vec<_>>(),
        "man pages {stale}"
    );
    for ((name, a), (_, b)) in committed.iter().zip(&pages) {
        assert!(a == b, "{name} {stale}");
    }
}

/// An error prints its message, a "Caused by:" section with every cause the
/// message does not already show, and a `hint:` line; `--json` carries the
/// same as `causes` and `hint`.
#[test]
fn errors_show_their_causes_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("recipes");
    std::fs::create_dir_all(overlay.join("zlib.toml")).unwrap();
    let overlay_arg = overlay.to_str().unwrap();
    let in_dir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_wasi-externals"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("wasi-externals runs")
    };

    // An overlay recipe that is a folder: the OS's reason is a cause.
    let out = in_dir(&["--recipes", overlay_arg, "recipes", "show", "zlib"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cause = std::io::Error::from_raw_os_error(21).to_string();
    let wanted = format!(
        "error: cannot read {}\n\nCaused by:\n  0: {cause}\n",
        overlay.join("zlib.toml").display()
    );
    assert!(stderr.contains(&wanted), "{stderr}");
    assert!(!stderr.contains("hint:"), "{stderr}");
    let out = in_dir(&[
        "--json",
        "--recipes",
        overlay_arg,
        "recipes",
        "show",
        "zlib",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "overlay-read", "{json}");
    assert_eq!(
        json["error"]["causes"],
        serde_json::json!([cause]),
        "{json}"
    );
    assert!(json["error"]["hint"].is_null(), "{json}");

    // An existing config: no cause, a hint on its own line, not in the message.
    std::fs::write(dir.path().join("deps.toml"), "keep me\n").unwrap();
    let out = in_dir(&["init"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Caused by:"), "{stderr}");
    assert!(
        stderr
            .ends_with("\nhint: keep it, or pass --force to replace it with the starter config\n"),
        "{stderr}"
    );
    let out = in_dir(&["--json", "init"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "config-exists", "{json}");
    assert_eq!(json["error"]["causes"], serde_json::json!([]), "{json}");
    assert_eq!(
        json["error"]["hint"],
        "keep it, or pass --force to replace it with the starter config"
    );
    assert!(
        !json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--force"),
        "{json}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("deps.toml")).unwrap(),
        "keep me\n"
    );
}
