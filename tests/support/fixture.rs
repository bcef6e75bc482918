//! The test environment (made by `scripts/setup-test-env.sh`) and throwaway projects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

/// The newest tag of each dependency in the test mirror.
pub const LATEST_TAGS: &[(&str, &str)] = &[
    ("zlib", "zlib-1.3.1"),
    ("bzip2", "bzip2-1.0.8"),
    ("xz", "xz-5.8.1"),
    ("libffi", "libffi-3.4.4"),
    ("mpdecimal", "mpdecimal-4.0.1"),
    ("sqlite", "sqlite-3.46.1.0"),
];

/// Three quick builds of three kinds: zlib (its own configure script), bzip2 (a
/// plain Makefile) and mpdecimal (autotools, whose configure refuses unsafe
/// folder names by itself).
pub const QUICK: &[(&str, &str)] = &[
    ("zlib", "zlib-1.3.1"),
    ("bzip2", "bzip2-1.0.8"),
    ("mpdecimal", "mpdecimal-4.0.1"),
];

/// The repository's root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `.test-env`, or `$WASI_EXTERNALS_TEST_ENV`.
pub fn test_env() -> PathBuf {
    std::env::var_os("WASI_EXTERNALS_TEST_ENV")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".test-env"))
}

fn required(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} is missing: run `bash scripts/setup-test-env.sh` first",
        path.display()
    );
    path
}

/// The local bare repository shaped like cpython-source-deps.
pub fn mirror() -> PathBuf {
    required(test_env().join("mirror/cpython-source-deps.git"))
}

pub fn mirror_url() -> String {
    format!("file://{}", mirror().display())
}

/// The SDK-shaped folder assembled from Debian's WASI toolchain.
pub fn sdk() -> PathBuf {
    required(test_env().join("wasi-sdk"))
}

/// The SDK's major version, from its VERSION file.
pub fn sdk_major() -> u32 {
    TestSdk::debian().major()
}

/// One of the test environment's two SDK-shaped folders, with the target a project pins for it.
pub struct TestSdk {
    pub dir: PathBuf,
    pub target: &'static str,
}

impl TestSdk {
    /// Debian's clang-16 and 2022 wasi-libc (`scripts/setup-toolchain.sh`), which predates `wasm32-wasip1`.
    pub fn debian() -> TestSdk {
        TestSdk {
            dir: sdk(),
            target: "wasm32-wasi",
        }
    }

    /// clang-19 and the late-2024 wasi-libc, shaped like WASI SDK 25 (`scripts/setup-toolchain-25.sh`).
    pub fn sdk25() -> TestSdk {
        TestSdk {
            dir: required(test_env().join("wasi-sdk-25")),
            target: "wasm32-wasip1",
        }
    }

    /// The first line of its VERSION file, e.g. `25.0`.
    pub fn version(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("VERSION")).unwrap();
        text.lines().next().unwrap().trim().to_owned()
    }

    pub fn major(&self) -> u32 {
        self.version().split('.').next().unwrap().parse().unwrap()
    }

    pub fn dir_str(&self) -> &str {
        self.dir.to_str().unwrap()
    }
}

/// `build --prefix PREFIX --wasi-sdk SDK -j 2`: the arguments of a build, two
/// jobs as on CI's two cores. Tests add flags and dep names after them.
pub fn build_args<'a>(prefix: &'a str, sdk: &'a str) -> Vec<&'a str> {
    vec!["build", "--prefix", prefix, "--wasi-sdk", sdk, "-j", "2"]
}

/// Hex sha256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The wasmtime runner.
pub fn wasm_run() -> PathBuf {
    required(repo_root().join("scripts/wasm-run"))
}

/// Run git and return its trimmed stdout; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The commit and tree a tag peels to in `repo`, as git itself says.
pub fn tag_ids(repo: &Path, tag: &str) -> (String, String) {
    (
        git(repo, &["rev-parse", &format!("{tag}^{{commit}}")]),
        git(repo, &["rev-parse", &format!("{tag}^{{tree}}")]),
    )
}

/// A copy of the mirror that a test may change (move tags, …).
pub fn mirror_copy(dir: &Path) -> PathBuf {
    let dest = dir.join("copy.git");
    let status = Command::new("cp")
        .arg("-a")
        .arg(mirror())
        .arg(&dest)
        .status()
        .unwrap();
    assert!(status.success());
    dest
}

/// Run `wasi-externals ARGS` in `dir`, with none of its environment variables set.
pub fn tool(dir: &Path, args: &[&str]) -> Output {
    tool_command(dir, args)
        .output()
        .expect("wasi-externals runs")
}

/// `wasi-externals ARGS` in `dir`, with none of its (or AWS's) environment variables set.
pub fn tool_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasi-externals"));
    cmd.args(args)
        .env_remove("WASI_EXTERNALS_SOURCE")
        .env_remove("WASI_EXTERNALS_CACHE")
        .env_remove("WASI_EXTERNALS_REMOTE_CACHE")
        .env_remove("WASI_EXTERNALS_PYTHON")
        .env_remove("WASI_SDK_PATH")
        .current_dir(dir);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// A temporary folder with a deps.toml, a cache, and the repository's recipes.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub cache: PathBuf,
}

impl Project {
    /// A project pinning `deps` (name, tag) on `url`, with the (Debian) test SDK's version and target.
    pub fn new(url: &str, deps: &[(&str, &str)]) -> Project {
        Project::for_sdk(url, deps, &TestSdk::debian())
    }

    /// A project pinning `deps` (name, tag) on the test mirror, locked (`lock` has run).
    pub fn locked(deps: &[(&str, &str)]) -> Project {
        let project = Project::new(&mirror_url(), deps);
        project.ok(&["lock"]);
        project
    }

    /// A project pinning `deps` (name, tag) on `url`, with `sdk`'s version and target.
    pub fn for_sdk(url: &str, deps: &[(&str, &str)], sdk: &TestSdk) -> Project {
        let mut text = format!(
            "# test project (built-in recipes)\n\n\
             [source]\nurl = \"{url}\"  # the local mirror\n\n[sdk]\nversion = {major}\ntarget = \"{target}\"\n",
            major = sdk.major(),
            target = sdk.target,
        );
        for (name, tag) in deps {
            text.push_str(&format!("\n[deps.{name}]\ntag = \"{tag}\"\n"));
        }
        Project::with_config(&text)
    }

    /// Like [`Project::new`], with an overlay folder `recipes/` holding copies of the deps' recipes that a test may edit.
    pub fn with_own_recipes(url: &str, deps: &[(&str, &str)]) -> Project {
        let project = Project::new(url, deps);
        let recipes = project.path("recipes");
        std::fs::create_dir_all(&recipes).unwrap();
        for (dep, _) in deps {
            let name = format!("{dep}.toml");
            std::fs::copy(repo_root().join("recipes").join(&name), recipes.join(&name)).unwrap();
        }
        project.set_config(&format!("recipes = \"recipes\"\n{}", project.config_text()));
        project
    }

    pub fn with_config(text: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("deps.toml");
        std::fs::write(&config, text).unwrap();
        let cache = dir.path().join("cache");
        Project { dir, config, cache }
    }

    /// An overlay folder `rel` holding the built-in zlib recipe with `define` added
    /// to its defines: zlib gets a new build key and is compiled with `-D<define>`.
    pub fn zlib_overlay(&self, rel: &str, define: &str) -> PathBuf {
        let overlay = self.path(rel);
        std::fs::create_dir_all(&overlay).unwrap();
        let builtin = self.ok(&["recipes", "show", "zlib"]);
        let changed = builtin.replace(
            "style = \"configure\"",
            &format!("style = \"configure\"\ndefines = [\"{define}\"]"),
        );
        assert_ne!(changed, builtin, "the define went in");
        std::fs::write(overlay.join("zlib.toml"), changed).unwrap();
        overlay
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn config_text(&self) -> String {
        std::fs::read_to_string(&self.config).unwrap()
    }

    pub fn set_config(&self, text: &str) {
        std::fs::write(&self.config, text).unwrap();
    }

    /// Run `wasi-externals` with this project's config and cache.
    pub fn run(&self, args: &[&str]) -> Output {
        let config = ["--config", self.config.to_str().unwrap()];
        let cache = ["--cache-dir", self.cache.to_str().unwrap()];
        tool(self.dir.path(), &[&config[..], &cache, args].concat())
    }

    /// `wasi-externals` with this project's config and cache, to add variables to or spawn.
    pub fn command(&self, args: &[&str]) -> Command {
        let config = ["--config", self.config.to_str().unwrap()];
        let cache = ["--cache-dir", self.cache.to_str().unwrap()];
        tool_command(self.dir.path(), &[&config[..], &cache, args].concat())
    }

    /// Run and require success; returns stdout.
    /// `bundle export BUNDLE --with-builds SDK` (the test SDK), which must succeed.
    pub fn export_bundle_with_builds(&self, bundle: &Path) -> String {
        self.ok(&[
            "bundle",
            "export",
            bundle.to_str().unwrap(),
            "--with-builds",
            sdk().to_str().unwrap(),
        ])
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "wasi-externals {args:?} failed:\n{}",
            output_text(&out)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run and require failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "wasi-externals {args:?} should have failed:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// `build --json -v` into `prefix` with the test SDK, the global `flags` before
    /// `build` and the variables `env` added (notes go to stderr): the process
    /// output, and dep → status (empty when the run failed before planning).
    pub fn build_json(
        &self,
        prefix: &str,
        flags: &[&str],
        env: &[(&str, String)],
    ) -> (Output, BTreeMap<String, String>) {
        let sdk = sdk();
        let build = build_args(prefix, sdk.to_str().unwrap());
        let out = self
            .command(&[&["--json", "-v"], flags, &build].concat())
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("wasi-externals runs");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", output_text(&out)));
        let statuses = match report.get("deps") {
            Some(_) => statuses(&report),
            None => BTreeMap::new(),
        };
        (out, statuses)
    }

    /// Run with `--json`, and parse stdout.
    pub fn json(&self, args: &[&str]) -> (bool, serde_json::Value) {
        let out = self.run(&[&["--json"], args].concat());
        let value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        (out.status.success(), value)
    }
}

/// A process's stdout, then its stderr, as text (for assertion messages).
/// `command` with its XDG data and cache folders in `home` (`data/`, `cache/`)
/// and no proxy variables of the caller: what `sdk install`/`sdk list` tests run.
pub fn in_home<'a>(command: &'a mut Command, home: &Path) -> &'a mut Command {
    command
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"));
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(var);
    }
    command
}

/// `pkg-config --static --cflags --libs PACKAGES` searching only `pc_dir`, as
/// CPython's configure does with a prefix; the flags, after checking it worked.
pub fn pkg_config_flags(pc_dir: &Path, packages: &[&str]) -> String {
    let out = Command::new("pkg-config")
        .args(["--static", "--cflags", "--libs"])
        .args(packages)
        .env("PKG_CONFIG_LIBDIR", pc_dir)
        .env("PKG_CONFIG_SYSROOT_DIR", "")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8(out.stdout).unwrap()
}

pub fn output_text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Require that the process `out` succeeded (or fail showing what it printed); its stdout.
pub fn stdout_ok(out: Output) -> String {
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Whether every dep of a `fetch --json` report came from the cache.
pub fn all_cached(fetched: &serde_json::Value) -> bool {
    fetched
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["origin"] == "cached")
}

/// Dep → status from a `build --json` report.
pub fn statuses(report: &serde_json::Value) -> BTreeMap<String, String> {
    by_dep(report, "status")
}

/// Dep → the string `field` of each dep in a `build --json` report (`status`, `key`, …).
pub fn by_dep(report: &serde_json::Value, field: &str) -> BTreeMap<String, String> {
    report["deps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["dep"].as_str().unwrap().to_owned(),
                d[field].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Path → sha256 of every file the manifest lists, checked against the files themselves.
pub fn manifest_files(prefix: &Path) -> BTreeMap<String, String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(prefix.join("wasi-externals.json")).unwrap())
            .unwrap();
    let mut files = BTreeMap::new();
    for (dep, entry) in manifest["deps"].as_object().unwrap() {
        assert!(
            entry["commit"].as_str().unwrap().len() == 40,
            "{dep} records its commit"
        );
        for file in entry["files"].as_array().unwrap() {
            let path = file["path"].as_str().unwrap().to_owned();
            let bytes = std::fs::read(prefix.join(&path)).unwrap();
            let actual = sha256(&bytes);
            assert_eq!(file["sha256"], actual, "{path} matches the manifest");
            files.insert(path, actual);
        }
    }
    files
}
