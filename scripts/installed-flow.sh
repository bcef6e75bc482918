#!/usr/bin/env bash
# The README's installed-binary flow, as a new user runs it: `cargo install`,
# then `init` and `build` in an empty folder whose path holds a space, with
# no recipes folder anywhere near it. Uses the test mirror (GitHub is not
# reachable here) and Debian's WASI toolchain as the SDK.
#
#   bash scripts/installed-flow.sh                 # cargo install, then the flow
#   bash scripts/installed-flow.sh --tool PATH     # the flow with an installed binary (e.g. from the wheel)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tool=""
while [ $# -gt 0 ]; do
    case "$1" in
    --tool)
        tool="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
        shift 2
        ;;
    *)
        echo "usage: $0 [--tool PATH]" >&2
        exit 2
        ;;
    esac
done
bash "$repo/scripts/setup-test-env.sh" >/dev/null
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

if [ -z "$tool" ]; then
    # Reuses the repository's target folder, so CI compiles nothing twice.
    cargo install --quiet --locked --path "$repo" --root "$root/install" --target-dir "$repo/target"
    tool="$root/install/bin/wasi-externals"
fi
"$tool" --version

work="$root/an empty folder"
mkdir "$work"
cd "$work"
"$tool" init
# The shipped pins, pointed at the test environment: Debian has no
# mpdecimal 4.0.0 or sqlite 3.50.4 (the nearest versions stand in; sqlite's
# pinned archive-sha256 is CPython's for 3.50.4.0, so it goes too), and its
# 2022 wasi-libc knows the target only by its old name. Only the top-level
# [sdk] changes: the [python."X"] profiles are not used here.
major="$(head -n1 "$repo/.test-env/wasi-sdk/VERSION" | cut -d. -f1)"
sed -i -e 's/"mpdecimal-4\.0\.0"/"mpdecimal-4.0.1"/' -e 's/"sqlite-3\.50\.4\.0"/"sqlite-3.46.1.0"/' \
    -e '/^tag = "sqlite-3\.46\.1\.0"/{n;/^archive-sha256/d}' \
    -e "s/^version = 24 /version = $major /" -e '/^\[sdk\]/,/^target/ s/^target = .*/target = "wasm32-wasi"/' deps.toml
export WASI_EXTERNALS_SOURCE="file://$repo/.test-env/mirror/cpython-source-deps.git"
export WASI_EXTERNALS_CACHE="$root/cache"
"$tool" lock
"$tool" recipes
"$tool" build --prefix prefix --wasi-sdk "$repo/.test-env/wasi-sdk"
"$tool" verify --prefix prefix
"$tool" env --prefix prefix --format args
echo "installed-flow: ok"
