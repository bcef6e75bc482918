#!/usr/bin/env bash
# The main job on a fresh Debian machine: set up the toolchain and the local
# mirror, build wasi-externals, lock and build every dependency into ./prefix,
# and print what CPython's configure needs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:-$repo/prefix}"
bash "$repo/scripts/setup-test-env.sh"
cargo build --release --manifest-path "$repo/Cargo.toml"
tool="$repo/target/release/wasi-externals"
config="$repo/.test-env/deps.toml"
"$tool" --config "$config" lock
"$tool" --config "$config" build --prefix "$prefix" --wasi-sdk "$repo/.test-env/wasi-sdk"
echo
echo "# Configure arguments for CPython (after -- in wasi.py configure-host):"
"$tool" env --prefix "$prefix" --format args
echo "# Or as shell exports:"
"$tool" env --prefix "$prefix"
