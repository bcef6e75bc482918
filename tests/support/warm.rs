//! A cache holding one real zlib build: built once per test binary, copied for each test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::fixture::{mirror_url, sdk, statuses, Project};

/// The template: its config, zlib's build key, and the cache folder to copy.
pub struct Warm {
    pub config: String,
    pub key: String,
    pub cache: PathBuf,
}

/// Build zlib once (the first caller waits, the others reuse it).
pub fn warm_zlib() -> &'static Warm {
    static WARM: OnceLock<Warm> = OnceLock::new();
    WARM.get_or_init(|| {
        let project = Project::new(&mirror_url(), &[("zlib", "zlib-1.3.1")]);
        project.ok(&["lock"]);
        let args = build_args("prefix");
        let (ok, report) = project.json(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(ok, "{report}");
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(project.path("prefix/wasi-externals.json")).unwrap(),
        )
        .unwrap();
        let key = manifest["deps"]["zlib"]["build_key"]
            .as_str()
            .unwrap()
            .to_owned();
        let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("warm-zlib-cache");
        if cache.exists() {
            std::fs::remove_dir_all(&cache).unwrap();
        }
        copy_dir(&project.cache, &cache);
        Warm {
            config: project.config_text(),
            key,
            cache,
        }
    })
}

/// `build --prefix PREFIX --wasi-sdk <test SDK>`.
pub fn build_args(prefix: &str) -> Vec<String> {
    [
        "build",
        "--prefix",
        prefix,
        "--wasi-sdk",
        sdk().to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `cp -a from to`.
pub fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

impl Project {
    /// A project pinning zlib whose cache holds zlib's build (and its sources).
    pub fn with_warm_zlib() -> (Project, String) {
        let warm = warm_zlib();
        let project = Project::with_config(&warm.config);
        copy_dir(&warm.cache, &project.cache);
        (project, warm.key.clone())
    }

    /// The folder of the cached output with `key`.
    pub fn build_dir(&self, key: &str) -> PathBuf {
        self.cache.join("builds").join(key)
    }

    /// Build into `prefix` with `--json -v` (notes go to stderr); the process output and dep → status.
    pub fn build_json(&self, prefix: &str) -> (Output, std::collections::BTreeMap<String, String>) {
        let args: Vec<String> = [
            vec!["--json".to_owned(), "-v".to_owned()],
            build_args(prefix),
        ]
        .concat();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.run(&args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        let statuses = if report.get("deps").is_some() {
            statuses(&report)
        } else {
            Default::default()
        };
        (out, statuses)
    }
}
