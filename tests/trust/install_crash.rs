//! A crash between two renames of one dep's install: the journal it had
//! committed is replayed by the next run that takes the prefix lock, so the
//! prefix ends in the new state and verifies; a hostile journal is refused
//! without touching anything.

use std::path::Path;
use std::process::Command;

use crate::support::fixture::{build_args, by_dep, sdk, sha256, Project};

const JOURNAL: &str = ".wasi-externals-install.json";

/// The test hook: abort after this many renames of an install or of its replay.
const CRASH_HOOK: &str = "WASI_EXTERNALS_TEST_CRASH_AFTER_RENAMES";

/// After how many renames the crashing install aborts.
const RENAMES: usize = 3;

/// The build key the manifest records for `dep`.
fn installed_key(prefix: &Path, dep: &str) -> String {
    let manifest = std::fs::read(prefix.join("wasi-externals.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    manifest["deps"][dep]["build_key"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// This tool's temporary files below `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    let out = Command::new("find")
        .arg(dir)
        .args(["-name", ".wasi-externals-tmp-*"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Run `wasi-externals ARGS` with the crash hook set to `renames`; it must die of a signal.
fn crashes_after(project: &Project, args: &[&str], renames: usize) {
    let out = project
        .command(args)
        .env(CRASH_HOOK, renames.to_string())
        .output()
        .unwrap();
    assert!(
        !out.status.success() && out.status.code().is_none(),
        "{args:?} was to die of a signal: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_crash_between_two_renames_is_finished_by_the_next_run() {
    let deps = [("zlib", "zlib-1.3.1"), ("bzip2", "bzip2-1.0.8")];
    let project = Project::locked(&deps);
    let prefix = project.path("prefix");
    let sdk_dir = sdk().display().to_string();
    let args = build_args(prefix.to_str().unwrap(), &sdk_dir);
    project.ok(&args);
    let old_key = installed_key(&prefix, "zlib");
    let libz = || sha256(&std::fs::read(prefix.join("lib/libz.a")).unwrap());
    let old_lib = libz();

    // A zlib recipe with another define: a new build key, and a libz.a without
    // the gz write functions (a different file).
    let overlay = project.zlib_overlay("overlay", "NO_GZCOMPRESS");
    let with_overlay = [&["--recipes", overlay.to_str().unwrap()][..], &args].concat();
    let (ok, plan) = project.json(&[&with_overlay[..], &["--dry-run"]].concat());
    assert!(ok, "{plan}");
    let new_key = by_dep(&plan, "key")["zlib"].clone();
    assert_ne!(new_key, old_key, "the overlay changes zlib's build key");

    // Installing zlib alone dies after its third rename (a real abort of the
    // process): zconf.h, zlib.h and libz.a are new, zlib.pc is still staged.
    let args = [&with_overlay[..], &["zlib"]].concat();
    crashes_after(&project, &args, RENAMES);

    // On disk: the committed journal, staged files it names, the old manifest.
    let journal: serde_json::Value =
        serde_json::from_slice(&std::fs::read(prefix.join(JOURNAL)).unwrap()).unwrap();
    assert_eq!(journal["dep"], "zlib");
    let moves = journal["moves"].as_array().unwrap();
    assert!(moves.len() > RENAMES, "zlib installs more files: {journal}");
    assert_eq!(journal["manifest"]["deps"]["zlib"]["build_key"], new_key);
    let lib_moved = moves[..RENAMES].iter().any(|m| m["to"] == "lib/libz.a");
    assert!(lib_moved, "libz.a is among the first renames: {journal}");
    assert_eq!(
        temp_files(&prefix).len(),
        moves.len() - RENAMES,
        "renames done"
    );
    // Mixed on disk: the new libz.a, the old manifest (what the journal is for).
    assert_ne!(libz(), old_lib, "the new libz.a");
    assert_eq!(
        installed_key(&prefix, "zlib"),
        old_key,
        "manifest not yet rewritten"
    );

    // A replay killed in its turn (after the moves already done and one more)
    // leaves the journal for the next one: replaying is idempotent.
    let verify = ["verify", "--prefix", prefix.to_str().unwrap()];
    crashes_after(&project, &verify, RENAMES + 1);
    assert!(prefix.join(JOURNAL).exists());
    let left = moves.len() - RENAMES - 1;
    assert_eq!(temp_files(&prefix).len(), left, "one more rename was done");

    // verify finishes the install under the prefix lock, then checks it.
    let verified = project.ok(&["verify", "--prefix", prefix.to_str().unwrap()]);
    assert!(verified.contains("match"), "{verified}");
    assert_eq!(installed_key(&prefix, "zlib"), new_key);
    assert_ne!(libz(), old_lib, "the new libz.a");
    assert!(!prefix.join(JOURNAL).exists(), "the journal is gone");
    assert_eq!(temp_files(&prefix), Vec::<String>::new());

    // A build with the overlay installs zlib from the cache again, and still verifies.
    let (ok, report) = project.json(&with_overlay);
    assert!(ok, "{report}");
    assert_eq!(by_dep(&report, "status")["zlib"], "cached", "{report}");
    project.ok(&["verify", "--prefix", prefix.to_str().unwrap()]);

    hostile_journals_are_refused(&project, &prefix);
}

/// A journal naming files outside the prefix is refused and nothing changes.
fn hostile_journals_are_refused(project: &Project, prefix: &Path) {
    let outside = project.path("outside");
    std::fs::write(&outside, "keep me").unwrap();
    std::fs::write(prefix.join("lib/.wasi-externals-tmp-x"), "staged").unwrap();
    let manifest = std::fs::read_to_string(prefix.join("wasi-externals.json")).unwrap();
    let move_out = r#"{"staged": ".wasi-externals-tmp-x", "to": "../outside", "sha256": "00"}"#;
    let climb = r#"{"staged": "../../outside", "to": "lib/libz.a", "sha256": "00"}"#;
    for (moves, stale) in [
        (move_out, ""),
        (climb, ""),
        ("", r#""../outside""#),
        ("", r#""lib/../../outside""#),
    ] {
        let journal = format!(
            r#"{{"format": 1, "dep": "zlib", "moves": [{moves}], "stale": [{stale}], "manifest": {manifest}}}"#
        );
        std::fs::write(prefix.join(JOURNAL), &journal).unwrap();
        let err = project.fails(&["verify", "--prefix", prefix.to_str().unwrap()]);
        let journal_path = prefix.join(JOURNAL).display().to_string();
        assert!(err.contains(&journal_path), "{err}");
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(err.contains("outside"), "names the path: {err}");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
        assert!(
            prefix.join(JOURNAL).exists(),
            "left for a person to look at"
        );
        assert!(
            prefix.join("lib/.wasi-externals-tmp-x").exists(),
            "nothing removed"
        );
        assert_eq!(
            std::fs::read_to_string(prefix.join("wasi-externals.json")).unwrap(),
            manifest
        );
    }
    // A build takes the lock too, and refuses the same way.
    let sdk_dir = sdk().display().to_string();
    let err = project.fails(&build_args(prefix.to_str().unwrap(), &sdk_dir));
    assert!(err.contains("nothing was changed"), "{err}");

    std::fs::remove_file(prefix.join(JOURNAL)).unwrap();
    std::fs::remove_file(prefix.join("lib/.wasi-externals-tmp-x")).unwrap();
    let verified = project.ok(&["verify", "--prefix", prefix.to_str().unwrap()]);
    assert!(verified.contains("match"), "{verified}");
}
