//! A cache holding one real zlib build: built once per test binary, copied for each test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::fixture::{build_args, mirror_url, sdk, Project};

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
        let sdk = sdk();
        let (ok, report) = project.json(&build_args("prefix", sdk.to_str().unwrap()));
        assert!(ok, "{report}");
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(project.path("prefix/wasi-externals.json")).unwrap(),
        )
        .unwrap();
        let key = manifest["deps"]["zlib"]["build_key"]
            .as_str()
            .unwrap()
            .to_owned();
        // One template per test binary, so that two binaries never share it.
        let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("warm-zlib-cache-{}", env!("CARGO_CRATE_NAME")));
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
}
