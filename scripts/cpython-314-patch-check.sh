#!/usr/bin/env bash
# cpython-314-patch-check.sh [--config DEPS_TOML] [--wasi-sdk DIR]
#
# Checks contrib/cpython/wasi-3.14.patch against CPython 3.14's
# Tools/wasm/wasi/__main__.py, given as the file CPYTHON_314_WASI_MAIN. That
# file is CPython's, not this project's: it is not in the repository and
# cannot be downloaded here (python3.14 source packages answer 404), so without
# CPYTHON_314_WASI_MAIN the check is skipped (exit 0, with a message).
#
# In a scratch folder shaped like a CPython 3.14 checkout (configure,
# Include/patchlevel.h, Tools/wasm/wasi/__main__.py: the script needs no more
# for `externals`):
#   1. the patch applies cleanly (git apply --check, then git apply);
#   2. `python3 Tools/wasm/wasi externals` without --config runs
#      `wasi-externals build --prefix <checkout>/cross-build/externals/wasm32-wasip1
#      --wasi-sdk DIR --python 3.14` (a stand-in records the call);
#   3. `python3 Tools/wasm/wasi externals --config DEPS_TOML` with the real
#      target/release/wasi-externals (WASI_EXTERNALS) builds that prefix from
#      the test mirror with the SDK; `verify` and `env` accept it.
#
# Defaults: DEPS_TOML <repo>/.test-env/deps.toml, DIR <repo>/.test-env/wasi-sdk.
# Environment: CPYTHON_314_WASI_MAIN (required to run), CPYTHON_E2E_PYTHON (the
# Python that runs the script; default python3, >= 3.11).
set -euo pipefail

main() {
# log, die.
# shellcheck source=lib/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
# shellcheck source=lib/patch-check.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/patch-check.sh"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$repo/.test-env/deps.toml" sdk="$repo/.test-env/wasi-sdk"
while (( $# )); do
  case "$1" in
    --config) config="${2:?--config needs a value}"; shift 2 ;;
    --wasi-sdk) sdk="${2:?--wasi-sdk needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

if [[ -z "${CPYTHON_314_WASI_MAIN:-}" ]]; then
  echo "cpython-314-patch-check: SKIPPED: set CPYTHON_314_WASI_MAIN to a copy of CPython 3.14's" \
       "Tools/wasm/wasi/__main__.py (not in this repository, not downloadable here)"
  exit 0
fi
main_py="$CPYTHON_314_WASI_MAIN"
patch_file="$repo/contrib/cpython/wasi-3.14.patch"
tool="$repo/target/release/wasi-externals"
host_py="${CPYTHON_E2E_PYTHON:-python3}"
[[ -f "$main_py" ]] || die "CPYTHON_314_WASI_MAIN=$main_py is not a file"
grep -q 'CHECKOUT = pathlib.Path(__file__).parent.parent.parent.parent' "$main_py" \
  || die "$main_py does not look like Tools/wasm/wasi/__main__.py"
patch_check_inputs

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
checkout="$(cd "$scratch" && pwd -P)/cpython-3.14"
mkdir -p "$checkout/Include" "$checkout/Tools/wasm/wasi"
: >"$checkout/configure"
printf '#define PY_MAJOR_VERSION        3\n#define PY_MINOR_VERSION        14\n#define PY_MICRO_VERSION        0\n' \
  >"$checkout/Include/patchlevel.h"
cp "$main_py" "$checkout/Tools/wasm/wasi/__main__.py"
log "CPython's file: $main_py (sha256 $(sha256sum "$main_py" | cut -d' ' -f1))"

patch_check_apply "$scratch" "$checkout"
wasi() { (cd "$checkout" && "$host_py" Tools/wasm/wasi "$@"); }
[[ "$(wasi --help)" == *externals* ]] || die "the patched script has no externals subcommand"

prefix="$checkout/cross-build/externals/wasm32-wasip1"
stub="$scratch/stub"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s.args"\n' "$stub" >"$stub"
chmod +x "$stub"
WASI_EXTERNALS="$stub" wasi externals --wasi-sdk "$sdk" >"$scratch/stub.log" 2>&1 \
  || { cat "$scratch/stub.log" >&2; die "externals (stand-in) failed"; }
want="$(printf '%s\n' build --prefix "$prefix" --wasi-sdk "$sdk" --python 3.14)"
[[ "$(cat "$stub.args")" == "$want" ]] \
  || die "externals ran: $(tr '\n' ' ' <"$stub.args"); expected: $(tr '\n' ' ' <<<"$want")"
echo "  ok   externals without --config runs: wasi-externals $(tr '\n' ' ' <<<"$want")"

t0=$SECONDS
WASI_EXTERNALS="$tool" wasi externals --clean --wasi-sdk "$sdk" --config "$config" >"$scratch/externals.log" 2>&1 \
  || { tail -n 40 "$scratch/externals.log" >&2; die "externals failed"; }
echo "  ok   externals --config $config built $prefix in $((SECONDS - t0)) s"
"$tool" verify --prefix "$prefix" >/dev/null || die "wasi-externals verify failed on $prefix"
args="$("$tool" env --prefix "$prefix" --format args)"
for v in ZLIB_LIBS BZIP2_LIBS LIBLZMA_LIBS LIBSQLITE3_LIBS LIBMPDEC_LIBS; do
  [[ "$args" == *"$v="* ]] || die "wasi-externals env --prefix $prefix gives no $v"
done
echo "  ok   verify and env accept it: $(grep -o '[A-Z0-9]*_LIBS=' <<<"$args" | tr -d = | tr '\n' ' ')"
echo "cpython-314-patch-check: OK"
}

main "$@"; exit "$?"
