#!/usr/bin/env bash
# cpython-315-patch-check.sh [--config DEPS_TOML] [--wasi-sdk DIR] [--python X.Y]
#
# Checks contrib/cpython/wasi-3.15.patch against CPython's Platforms/WASI
# (3.15 and main), given as the folder CPYTHON_PLATFORMS_WASI holding its files
# (__main__.py, _build.py, _package.py, _shared.py, config.toml). Those files
# are CPython's, not this project's: they are not in the repository, so
# without CPYTHON_PLATFORMS_WASI the check is skipped (exit 0, with a message).
#
# In a scratch folder shaped like a CPython checkout (configure,
# Include/patchlevel.h for X.Y, Platforms/WASI/):
#   1. the patch applies cleanly (git apply --check, then git apply);
#   2. `python3 Platforms/WASI externals` without --config runs (a stand-in
#      records the calls) `wasi-externals --config cross-build/externals/deps.toml
#      init`, then `... --python X.Y lock`, then `... --python X.Y build --prefix
#      cross-build/externals/<host triple> --wasi-sdk <config.toml's wasi-sdk>=DIR`;
#   3. with config.toml set to the test SDK's version and target, `externals
#      --config <a locked copy of DEPS_TOML>` with the real
#      target/release/wasi-externals builds that prefix from the test mirror;
#      `verify` accepts it;
#   4. configure-host's part (`_build.externals_configure_args`) gives the
#      prefix's ZLIB_LIBS=... arguments;
#   5. package's part (`_package.externals_files`) writes externals.spdx.json and
#      LICENSE.externals/<dep>/ next to LICENSE.txt in lib/pythonX.Y.
#
# Defaults: DEPS_TOML <repo>/.test-env/deps.toml, DIR <repo>/.test-env/wasi-sdk,
# X.Y 3.16. Environment: CPYTHON_PLATFORMS_WASI (required to run),
# CPYTHON_E2E_PYTHON (the Python that runs the script; default python3, >= 3.11).
set -euo pipefail
# shellcheck source=lib/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
# shellcheck source=lib/patch-check.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/patch-check.sh"

main() {

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$repo/.test-env/deps.toml" sdk="$repo/.test-env/wasi-sdk" python=3.16
while (( $# )); do
  case "$1" in
    --config) config="${2:?--config needs a value}"; shift 2 ;;
    --wasi-sdk) sdk="${2:?--wasi-sdk needs a value}"; shift 2 ;;
    --python) python="${2:?--python needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

if [[ -z "${CPYTHON_PLATFORMS_WASI:-}" ]]; then
  echo "cpython-315-patch-check: SKIPPED: set CPYTHON_PLATFORMS_WASI to a folder holding CPython's" \
       "Platforms/WASI files (3.15 or main; not in this repository)"
  exit 0
fi
upstream="$CPYTHON_PLATFORMS_WASI"
patch_file="$repo/contrib/cpython/wasi-3.15.patch"
tool="$repo/target/release/wasi-externals"
host_py="${CPYTHON_E2E_PYTHON:-python3}"
for f in __main__.py _build.py _package.py _shared.py config.toml; do
  [[ -f "$upstream/$f" ]] || die "CPYTHON_PLATFORMS_WASI=$upstream has no $f"
done
grep -q '^wasi-sdk = ' "$upstream/config.toml" || die "$upstream/config.toml has no [targets] wasi-sdk"
[[ "$python" =~ ^[0-9]+\.[0-9]+$ ]] || die "--python $python is not X.Y"
patch_check_inputs

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
checkout="$(cd "$scratch" && pwd -P)/cpython"
mkdir -p "$checkout/Include" "$checkout/Platforms/WASI"
: >"$checkout/configure"
printf '#define PY_MAJOR_VERSION        %s\n#define PY_MINOR_VERSION        %s\n#define PY_MICRO_VERSION        0\n' \
  "${python%%.*}" "${python#*.}" >"$checkout/Include/patchlevel.h"
find "$upstream" -maxdepth 1 -type f -exec cp {} "$checkout/Platforms/WASI/" \;
for f in __main__.py _build.py _package.py _shared.py config.toml; do
  log "CPython's $f: sha256 $(sha256sum "$upstream/$f" | cut -d' ' -f1)"
done

patch_check_apply "$scratch" "$checkout"
wasi() { (cd "$checkout" && "$host_py" Platforms/WASI "$@"); }
[[ "$(wasi --help)" == *externals* ]] || die "the patched script has no externals subcommand"

# 2. Without --config: the shipped pins for X.Y, with config.toml's SDK version.
triple="$(sed -n 's/^host-triple = "\(.*\)"$/\1/p' "$checkout/Platforms/WASI/config.toml")"
wanted_sdk="$(sed -n 's/^wasi-sdk = \([0-9]*\).*$/\1/p' "$checkout/Platforms/WASI/config.toml")"
externals="$checkout/cross-build/externals"
stub="$scratch/stub"
printf '#!/bin/sh\nprintf "%%s " "$@" >>"%s.calls"\necho >>"%s.calls"\n' "$stub" "$stub" >"$stub"
chmod +x "$stub"
WASI_EXTERNALS="$stub" wasi externals --wasi-sdk "$sdk" >"$scratch/stub.log" 2>&1 \
  || { cat "$scratch/stub.log" >&2; die "externals (stand-in) failed"; }
want="--config $externals/deps.toml init 
--config $externals/deps.toml --python $python lock 
--config $externals/deps.toml --python $python build --prefix $externals/$triple --wasi-sdk $wanted_sdk=$sdk "
[[ "$(cat "$stub.calls")" == "$want" ]] \
  || die "externals ran:"$'\n'"$(cat "$stub.calls")"$'\n'"expected:"$'\n'"$want"
echo "  ok   externals without --config runs: init, lock, build --python $python --wasi-sdk $wanted_sdk=DIR"

# 3. The real tool, with config.toml pinning the test SDK's version and target.
test_major="$(head -n1 "$sdk/VERSION" | cut -d. -f1)"
test_target="$(sed -n 's/^target = "\([^"]*\)".*$/\1/p' "$config" | head -n1)"
sed -i -e "s/^wasi-sdk = .*/wasi-sdk = $test_major/" -e "s/^host-triple = .*/host-triple = \"$test_target\"/" \
  "$checkout/Platforms/WASI/config.toml"
prefix="$externals/$test_target"
# A locked copy of DEPS_TOML (the file itself is left as it is).
cp "$config" "$scratch/deps.toml"
config="$scratch/deps.toml"
"$tool" --config "$config" lock >/dev/null || die "wasi-externals lock failed on a copy of $config"
t0=$SECONDS
WASI_EXTERNALS="$tool" wasi externals --clean --wasi-sdk "$sdk" --config "$config" >"$scratch/externals.log" 2>&1 \
  || { tail -n 40 "$scratch/externals.log" >&2; die "externals failed"; }
grep -q -- "--wasi-sdk $test_major=$sdk" "$scratch/externals.log" || die "externals did not pass --wasi-sdk $test_major=$sdk"
echo "  ok   externals --config $config built $prefix in $((SECONDS - t0)) s"
"$tool" verify --prefix "$prefix" >/dev/null || die "wasi-externals verify failed on $prefix"
echo "  ok   verify accepts it"

# 4 and 5: configure-host's arguments and package's files, from the patched modules.
WASI_EXTERNALS="$tool" PYTHONPATH="$checkout/Platforms/WASI" "$host_py" - "$checkout" "$python" <<'PY' \
  || die "configure-host or package does not pick up the prefix"
import json, pathlib, sys
import _build, _package, _shared

checkout, python = pathlib.Path(sys.argv[1]), sys.argv[2]
context = _shared.Context()
context._host_triple = None
args = _build.externals_configure_args(context)
wanted = ["ZLIB_LIBS=", "BZIP2_LIBS=", "LIBLZMA_LIBS=", "LIBSQLITE3_LIBS=", "LIBMPDEC_LIBS="]
missing = [w for w in wanted if not any(a.startswith(w) for a in args)]
assert not missing, f"configure-host arguments lack {missing}: {args}"
print(f"  ok   configure-host adds {len(args)} arguments: {' '.join(a.split('=')[0] for a in args)}")

# The build details `package` reads, as a WASI build writes them.
build = context.wasi_build_path
pybuilddir = build / f"build/lib.wasi-wasm32-{python}"
pybuilddir.mkdir(parents=True)
(build / "pybuilddir.txt").write_text(f"build/lib.wasi-wasm32-{python}\n")
major, minor = python.split(".")
details = {"language": {"version_info": {"major": int(major), "minor": int(minor)}}, "abi": {"flags": []}}
(pybuilddir / "build-details.json").write_text(json.dumps(details))
base = checkout / "dist" / "python"
assert _build.externals_options(context) is not None, "externals recorded no options"
_package.externals_files(context, base)
lib = base / "lib" / f"python{python}"
sbom = json.loads((lib / "externals.spdx.json").read_text())
names = sorted(p["name"] for p in sbom["packages"])
licenses = sorted(str(p.relative_to(lib / "LICENSE.externals")) for p in (lib / "LICENSE.externals").glob("*/*"))
for dep in ["zlib", "bzip2", "xz", "mpdecimal", "sqlite"]:
    assert dep in names, f"{dep} not in the SBOM: {names}"
for text in ["zlib/LICENSE", "bzip2/LICENSE", "xz/COPYING"]:
    assert text in licenses, f"{text} not among {licenses}"
print(f"  ok   package adds lib/python{python}/externals.spdx.json ({', '.join(names)})")
print(f"  ok   and lib/python{python}/LICENSE.externals/: {' '.join(licenses)}")
PY
echo "cpython-315-patch-check: OK"
}

main "$@"; exit "$?"
