#!/usr/bin/env bash
# Set up the test environment (idempotent) and run every test.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bash "$repo/scripts/setup-test-env.sh"
cd "$repo"
cargo test --release "$@"
