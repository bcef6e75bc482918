//! Real programs linked against a prefix, using only what `env` hands over, run under wasmtime.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::fixture::{repo_root, test_env, wasm_run, Project, TestSdk};

/// Round-trip program, configure-variable prefix, and the version it must report,
/// for the newest tag of each dependency that has one ([`super::fixture::LATEST_TAGS`]).
pub const PROGRAMS: &[(&str, &str, &str)] = &[
    ("zlib_roundtrip.c", "ZLIB", "1.3.1"),
    ("bzip2_roundtrip.c", "BZIP2", "1.0.8"),
    ("xz_roundtrip.c", "LIBLZMA", "5.8.1"),
    ("sqlite_roundtrip.c", "LIBSQLITE3", "3.46.1"),
    ("mpdecimal_roundtrip.c", "LIBMPDEC", "4.0.1"),
];

/// zstd's round trip, as [`PROGRAMS`] has the others (zstd 1.5.7).
pub const ZSTD_PROGRAM: (&str, &str, &str) = ("zstd_roundtrip.c", "LIBZSTD", "1.5.7");

/// `env --format json` of a prefix, as a map of variables.
pub fn handover(project: &Project, prefix: &Path) -> BTreeMap<String, String> {
    let (ok, json) = project.json(&[
        "env",
        "--prefix",
        prefix.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(ok, "{json}");
    serde_json::from_value(json["variables"].clone()).unwrap()
}

/// Compile `program` with the Debian test SDK for `wasm32-wasi` (see [`compile_and_run_with`]).
pub fn compile_and_run(program: &str, flags: &[String], out_dir: &Path, args: &[&str]) -> String {
    compile_and_run_with(&TestSdk::debian(), program, flags, out_dir, args)
}

/// Compile `program` with `sdk`'s clang for its target and exactly `flags`, run it under
/// wasmtime with `args`, return its stdout.
pub fn compile_and_run_with(
    sdk: &TestSdk,
    program: &str,
    flags: &[String],
    out_dir: &Path,
    args: &[&str],
) -> String {
    std::fs::create_dir_all(out_dir).unwrap();
    let source = repo_root().join("tests/programs").join(program);
    let wasm = out_dir.join(program.replace(".c", ".wasm"));
    let out = Command::new(sdk.dir.join("bin/clang"))
        .args([
            &format!("--target={}", sdk.target),
            &format!("--sysroot={}", sdk.dir.join("share/wasi-sysroot").display()),
            "-O2",
        ])
        .arg(&source)
        .args(flags)
        .arg("-o")
        .arg(&wasm)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "compiling {program} with {} for {} and {flags:?}:\n{}",
        sdk.dir.display(),
        sdk.target,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut run = Command::new(wasm_run());
    // The runner's venv of the test environment in use (scripts/wasm-run looks next to itself).
    let venv_python = test_env().join("venv/bin/python");
    if std::env::var_os("WASM_RUN_PYTHON").is_none() && venv_python.exists() {
        run.env("WASM_RUN_PYTHON", venv_python);
    }
    let run = run.arg(&wasm).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "{program} failed ({}):\n{stdout}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

/// Flags as a Makefile recipe hands them to the shell: the text pasted into a command line.
pub fn split(flags: &str) -> Vec<String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\n' {flags}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "sh splits {flags}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Compile and run each (program, configure-variable prefix, version) with the prefix's
/// `<VAR>_CFLAGS`/`<VAR>_LIBS`, with the Debian test SDK; each must pass and report its pinned version.
pub fn round_trips(project: &Project, prefix: &Path, programs: &[(&str, &str, &str)], bin: &Path) {
    round_trips_with(&TestSdk::debian(), project, prefix, programs, bin)
}

/// [`round_trips`] with `sdk`'s clang for its target.
pub fn round_trips_with(
    sdk: &TestSdk,
    project: &Project,
    prefix: &Path,
    programs: &[(&str, &str, &str)],
    bin: &Path,
) {
    let vars = handover(project, prefix);
    for (program, var, version) in programs {
        let flags = [
            split(&vars[&format!("{var}_CFLAGS")]),
            split(&vars[&format!("{var}_LIBS")]),
        ]
        .concat();
        let stdout = compile_and_run_with(sdk, program, &flags, bin, &[version]);
        assert!(
            stdout.contains(version),
            "{program} reports {version}: {stdout}"
        );
    }
}
