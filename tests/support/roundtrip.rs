//! Real programs linked against a prefix, using only what `env` hands over, run under wasmtime.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::fixture::{repo_root, sdk, wasm_run, Project};

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

/// Compile `program` with exactly `flags`, run it under wasmtime with `args`, return its stdout.
pub fn compile_and_run(program: &str, flags: &[String], out_dir: &Path, args: &[&str]) -> String {
    std::fs::create_dir_all(out_dir).unwrap();
    let source = repo_root().join("tests/programs").join(program);
    let wasm = out_dir.join(program.replace(".c", ".wasm"));
    let out = Command::new(sdk().join("bin/clang"))
        .args([
            "--target=wasm32-wasi",
            &format!("--sysroot={}", sdk().join("share/wasi-sysroot").display()),
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
        "compiling {program} with {flags:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(wasm_run())
        .arg(&wasm)
        .args(args)
        .output()
        .unwrap();
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
/// `<VAR>_CFLAGS`/`<VAR>_LIBS`; each must pass and report its pinned version.
pub fn round_trips(project: &Project, prefix: &Path, programs: &[(&str, &str, &str)], bin: &Path) {
    let vars = handover(project, prefix);
    for (program, var, version) in programs {
        let flags = [
            split(&vars[&format!("{var}_CFLAGS")]),
            split(&vars[&format!("{var}_LIBS")]),
        ]
        .concat();
        let stdout = compile_and_run(program, &flags, bin, &[version]);
        assert!(
            stdout.contains(version),
            "{program} reports {version}: {stdout}"
        );
    }
}
