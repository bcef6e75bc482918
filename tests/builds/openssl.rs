//! OpenSSL (issue 20), opt-in through a `[deps.openssl]` pin: built once with
//! the Debian test SDK (about a minute and a half on 2 cores), and everything
//! around that one build checked on it: the libraries and relocatable `.pc`
//! files, a round-trip program under wasmtime linked only with what pkg-config
//! says, `env`'s hand-over to CPython (args, exports, config.site), the SBOM, a
//! bundle moved to another cache, and a `file://` remote cache.
//!
//! The build is also pushed to `target/openssl-remote-cache` (a `file://`
//! remote cache): `scripts/cpython-e2e.sh --openssl` installs it from there
//! for the same SDK instead of building OpenSSL a second time in CI.

use std::path::{Path, PathBuf};

use crate::support::fixture::{
    manifest_files, mirror_url, pkg_config_flags, sdk, statuses, Project,
};
use crate::support::roundtrip::{compile_and_run, split};

/// The tag the test mirror carries (scripts/make-test-mirror.sh), and its version.
const TAG: &str = "openssl-3.0.20";
const VERSION: &str = "3.0.20";

/// The WASI emulation libraries OpenSSL is compiled against.
const EMULATED: &[&str] = &[
    "-lwasi-emulated-signal",
    "-lwasi-emulated-process-clocks",
    "-lwasi-emulated-mman",
    "-lwasi-emulated-getpid",
];

/// The `file://` remote cache the CPython end-to-end check reads OpenSSL from.
fn shared_remote() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .join("openssl-remote-cache")
}

fn build(
    project: &Project,
    prefix: &Path,
    extra: &[&str],
) -> std::collections::BTreeMap<String, String> {
    let sdk_dir = sdk().display().to_string();
    let args = [
        extra,
        &[
            "build",
            "--prefix",
            prefix.to_str().unwrap(),
            "--wasi-sdk",
            &sdk_dir,
            "-j",
            "2",
        ],
    ]
    .concat();
    let (ok, report) = project.json(&args);
    assert!(ok, "{report}");
    statuses(&report)
}

#[test]
fn recipes_show_openssl_names_its_configure_and_patches() {
    let project = Project::new(&mirror_url(), &[("openssl", TAG)]);
    let shown = project.ok(&["recipes", "show", "openssl"]);
    for needle in [
        "configure-command = [\"perl\", \"Configure\"]",
        "install-targets = [\"install_dev\"]",
        "no-sock",
        "ssl-set-fd-wasi.patch",
        "Apache-2.0",
    ] {
        assert!(shown.contains(needle), "{needle} in:\n{shown}");
    }
    let listed = project.ok(&["recipes"]);
    assert!(
        listed
            .lines()
            .any(|l| l.contains("openssl") && l.contains(TAG)),
        "{listed}"
    );
}

#[test]
fn openssl_builds_once_and_everything_around_it_works() {
    let project = Project::new(&mirror_url(), &[("openssl", TAG)]);
    project.ok(&["lock"]);
    let prefix = project.path("prefix");
    assert_eq!(build(&project, &prefix, &[])["openssl"], "built");

    // libcrypto and libssl, their headers and three relocatable .pc files.
    let files = manifest_files(&prefix);
    for file in [
        "lib/libcrypto.a",
        "lib/libssl.a",
        "include/openssl/ssl.h",
        "include/openssl/evp.h",
        "lib/pkgconfig/libcrypto.pc",
        "lib/pkgconfig/libssl.pc",
        "lib/pkgconfig/openssl.pc",
    ] {
        assert!(files.contains_key(file), "{file} installed: {files:?}");
    }
    assert!(!files
        .keys()
        .any(|f| f.ends_with(".so") || f.starts_with("bin/")));
    let libcrypto = std::fs::read_to_string(prefix.join("lib/pkgconfig/libcrypto.pc")).unwrap();
    assert!(libcrypto.contains("${pcfiledir}"), "{libcrypto}");
    assert!(!libcrypto.contains("-ldl"), "{libcrypto}");
    // OpenSSL records its compiler command line in libcrypto; it must not name
    // the cache's work folder (buildinf-prefix-map.patch), or the library's
    // bytes would depend on where the cache lives.
    let archive = std::fs::read(prefix.join("lib/libcrypto.a")).unwrap();
    let contains = |needle: &[u8]| archive.windows(needle.len()).any(|w| w == needle);
    let cache = project.cache.to_str().unwrap();
    assert!(
        !contains(cache.as_bytes()),
        "libcrypto.a names the cache {cache}"
    );
    assert!(
        contains(b"compiler: /build/openssl/"),
        "libcrypto.a's recorded flags are mapped"
    );

    // Moved, found by pkg-config alone: the round trip links with exactly its flags.
    let moved = project.path("moved");
    std::fs::rename(&prefix, &moved).unwrap();
    let flags = pkg_config_flags(&moved.join("lib/pkgconfig"), &["openssl"]);
    assert!(
        flags.contains(&format!("-L{}/lib/pkgconfig/../../lib", moved.display())),
        "{flags}"
    );
    for lib in ["-lssl", "-lcrypto"].iter().chain(EMULATED) {
        assert!(flags.contains(lib), "{lib} in {flags}");
    }
    let out = compile_and_run(
        "openssl_roundtrip.c",
        &split(&flags),
        &project.path("bin"),
        &[VERSION],
    );
    assert!(
        out.contains("TLS ClientHello and the thread API ok"),
        "{out}"
    );

    // env: CPython finds OpenSSL by folder, in every form of the hand-over.
    let root = moved.display().to_string();
    let args = project.ok(&["env", "--prefix", &root, "--format", "args"]);
    let words = split(&args);
    assert!(words.contains(&format!("--with-openssl={root}")), "{args}");
    assert!(
        words.contains(&"--with-openssl-rpath=no".to_owned()),
        "{args}"
    );
    let exports = project.ok(&["env", "--prefix", &root]);
    assert!(
        exports.contains(&format!("export with_openssl={root}\n")),
        "{exports}"
    );
    assert!(
        exports.contains("export with_openssl_rpath=no\n"),
        "{exports}"
    );
    std::fs::rename(&moved, &prefix).unwrap();
    let site = std::fs::read_to_string(prefix.join("config.site")).unwrap();
    assert!(
        site.contains(&format!("with_openssl={}\n", prefix.display())),
        "{site}"
    );
    assert!(site.contains("with_openssl_rpath=no\n"), "{site}");

    // The SBOM: Apache-2.0, the four patches, the built libraries.
    let sbom = project.ok(&["sbom", "--prefix", prefix.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&sbom).unwrap();
    let package = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "openssl")
        .unwrap_or_else(|| panic!("no openssl package: {sbom}"));
    assert_eq!(package["licenseDeclared"], "Apache-2.0", "{package}");
    assert_eq!(package["versionInfo"], VERSION, "{package}");
    for needle in [
        "uid-wasi.patch",
        "rand-wasi-getentropy.patch",
        "ssl-set-fd-wasi.patch",
        "wasi-single-thread.patch",
        "lib/libssl.a",
    ] {
        assert!(sbom.contains(needle), "{needle} in the SBOM");
    }

    // A bundle carries the build to another cache: it installs there without compiling.
    let bundle = project.path("openssl.bundle");
    project.export_bundle_with_builds(&bundle);
    let other = Project::with_config(&project.config_text());
    other.ok(&["bundle", "import", bundle.to_str().unwrap()]);
    let elsewhere = other.path("prefix");
    assert_eq!(
        build(&other, &elsewhere, &["--offline"])["openssl"],
        "cached"
    );
    assert_eq!(manifest_files(&elsewhere), manifest_files(&prefix));

    // A file:// remote cache: pushed once, a third machine installs from it.
    let remote = shared_remote();
    let _ = std::fs::remove_dir_all(&remote);
    let url = format!("file://{}", remote.display());
    let pushed = project.ok(&["--remote-cache", &url, "cache", "push"]);
    assert!(pushed.contains("pushed 1 build(s)"), "{pushed}");
    let third = Project::with_config(&project.config_text());
    let installed = third.path("prefix");
    assert_eq!(
        build(&third, &installed, &["--remote-cache", &url])["openssl"],
        "cached"
    );
    assert_eq!(manifest_files(&installed), manifest_files(&prefix));
}
