#!/usr/bin/env bash
# Servers for the remote-cache tests (tests/remote/remote_cache.rs), installed into the
# test environment's venv: moto's S3-compatible server (`moto_server`). The
# plain HTTP PUT/GET cache is scripts/put_get_server.py (standard library only).
# Idempotent: a second run takes well under a second.
#
# usage: bash scripts/setup-remote-cache.sh [ENV_DIR]   (default: .test-env)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
env_dir="${1:-$repo/.test-env}"
venv="$env_dir/venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import moto.server, flask" 2>/dev/null; then
    "$venv/bin/pip" install --quiet 'moto[server]'
fi
"$venv/bin/python" -c "import moto; print('setup-remote-cache: moto', moto.__version__, 'in $venv')"
