#!/usr/bin/env bash
# Prepare everything the tests and the quick start need on a fresh Debian machine:
# Debian's WASI toolchain as an SDK-shaped folder, a second one with the
# components of WASI SDK 25 (clang-19, trixie's wasi-libc), the wasmtime runner, and a
# local git mirror shaped like python/cpython-source-deps (GitHub is not
# reachable here). Idempotent: a second run takes about a second.
#
# Writes .test-env/deps.toml: the newest mirror tag of each dependency, for
# the quick start and the benchmark (locked by scripts/quickstart.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
env_dir="$repo/.test-env"
mkdir -p "$env_dir"

bash "$repo/scripts/setup-toolchain.sh" "$env_dir/wasi-sdk"
# After the first: its check runs hello world with the venv made above.
bash "$repo/scripts/setup-toolchain-25.sh" "$env_dir/wasi-sdk-25"
bash "$repo/scripts/make-test-mirror.sh" "$env_dir" >/dev/null
# moto's S3 server, for the remote-cache tests.
bash "$repo/scripts/setup-remote-cache.sh" "$env_dir" >/dev/null
# The official SPDX validator, for the SBOM test.
if ! "$env_dir/venv/bin/python" -c "import spdx_tools" 2>/dev/null; then
    "$env_dir/venv/bin/pip" install --quiet spdx-tools
fi

major="$(head -n1 "$env_dir/wasi-sdk/VERSION" | cut -d. -f1)"
config="$env_dir/deps.toml"
if [ ! -f "$config" ]; then
    {
        echo "# Written by scripts/setup-test-env.sh: the newest version of each dependency"
        echo "# in the local test mirror, built with Debian's WASI toolchain."
        echo "[source]"
        echo "url = \"file://$env_dir/mirror/cpython-source-deps.git\""
        echo
        echo "[sdk]"
        echo "version = $major"
        echo "target = \"wasm32-wasi\"   # Debian's wasi-libc predates the wasm32-wasip1 name"
        for tag in zlib-1.3.1 bzip2-1.0.8 xz-5.8.1 libffi-3.4.4 mpdecimal-4.0.1 sqlite-3.46.1.0; do
            echo
            echo "[deps.${tag%%-[0-9]*}]"
            echo "tag = \"$tag\""
        done
    } >"$config"
fi
echo "setup-test-env: ready: SDKs $env_dir/wasi-sdk and $env_dir/wasi-sdk-25, mirror $env_dir/mirror, config $config"
