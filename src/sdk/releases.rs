//! The official WASI SDK release assets `sdk install` knows: `sdks.toml` at the
//! repository root, compiled in so that an installed program needs no network
//! look-up to know what to download and which sha256 to expect.

use serde::Deserialize;

/// The table as shipped.
const TABLE: &str = include_str!("../../sdks.toml");

/// One release asset: an SDK version built for one OS and CPU.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The SDK's major version, e.g. `25`.
    pub version: u32,
    /// `linux` or `macos`, as in the asset's name.
    pub os: String,
    /// `x86_64` or `arm64`, as in the asset's name.
    pub arch: String,
    /// Where the `.tar.gz` is downloaded from.
    pub url: String,
    /// Lowercase hex sha256 of the asset; `None` when none is known.
    pub sha256: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    release: Vec<Release>,
}

/// Every entry of the shipped table.
pub fn all() -> Vec<Release> {
    // The table is part of the source and checked by a unit test: it always parses.
    toml::from_str::<Table>(TABLE).map_or_else(|_| Vec::new(), |t| t.release)
}

/// This machine as the asset names spell it: (`linux`|`macos`, `x86_64`|`arm64`).
pub fn host() -> (&'static str, &'static str) {
    // Rust already says `linux` and `macos`; only the CPU is spelt differently.
    let os = std::env::consts::OS;
    let arch = match std::env::consts::ARCH {
        "aarch64" => "arm64",
        other => other,
    };
    (os, arch)
}

/// The asset of SDK `version` for `os` and `arch`, if the table has one.
pub fn find(version: u32, os: &str, arch: &str) -> Option<Release> {
    all()
        .into_iter()
        .find(|r| r.version == version && r.os == os && r.arch == arch)
}

/// Whether `text` is a sha256 as the table and `--sha256` write it: 64 hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_names_official_assets() {
        let table: Table = toml::from_str(TABLE).unwrap();
        assert!(table.release.len() >= 8);
        for r in &table.release {
            let asset = format!("wasi-sdk-{0}.0-{1}-{2}.tar.gz", r.version, r.arch, r.os);
            let expected = format!(
                "https://github.com/WebAssembly/wasi-sdk/releases/download/wasi-sdk-{}/{asset}",
                r.version
            );
            assert_eq!(r.url, expected);
            assert!(["linux", "macos"].contains(&r.os.as_str()), "{r:?}");
            assert!(["x86_64", "arm64"].contains(&r.arch.as_str()), "{r:?}");
            if let Some(sha) = &r.sha256 {
                assert!(is_sha256(sha) && sha.to_lowercase() == *sha, "{r:?}");
            }
            let same = table
                .release
                .iter()
                .filter(|o| (o.version, &o.os, &o.arch) == (r.version, &r.os, &r.arch));
            assert_eq!(same.count(), 1, "one entry per version, OS and CPU: {r:?}");
        }
        for version in [24, 25, 33, 34] {
            for os in ["linux", "macos"] {
                for arch in ["x86_64", "arm64"] {
                    assert!(find(version, os, arch).is_some(), "{version} {os} {arch}");
                }
            }
        }
        // SDK 34 (CPython main): the two single-source hashes, none for the other two assets.
        let sha = |os, arch| find(34, os, arch).and_then(|r| r.sha256);
        assert!(sha("linux", "x86_64").is_some_and(|s| s.starts_with("b761e3a0")));
        assert!(sha("macos", "arm64").is_some_and(|s| s.starts_with("9c593981")));
        assert_eq!(
            (sha("linux", "arm64"), sha("macos", "x86_64")),
            (None, None)
        );
    }
}
