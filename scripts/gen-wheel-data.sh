#!/usr/bin/env bash
# Regenerate the shell completions and man pages the wheel installs
# (packaging/wheel-data/data/share/…) from the command definitions, with the
# given binary or a fresh release build. tests/cli/cli_docs.rs fails when they are stale.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tool="${1:-}"
if [ -z "$tool" ]; then
    cargo build --quiet --release --manifest-path "$repo/Cargo.toml"
    tool="${CARGO_TARGET_DIR:-$repo/target}/release/wasi-externals"
fi
share="$repo/packaging/wheel-data/data/share"
rm -rf "$share"
mkdir -p "$share/bash-completion/completions" "$share/zsh/site-functions" "$share/fish/vendor_completions.d"
"$tool" completions bash >"$share/bash-completion/completions/wasi-externals"
"$tool" completions zsh >"$share/zsh/site-functions/_wasi-externals"
"$tool" completions fish >"$share/fish/vendor_completions.d/wasi-externals.fish"
"$tool" man --dir "$share/man/man1"
echo "gen-wheel-data: wrote $share"
