#!/usr/bin/env bash
# The pip route, as a user takes it: build the wheel with maturin (reusing the
# repository's target folder, so CI compiles nothing twice), install it into a
# fresh venv, check `--version`, the installed man page and completions, the
# wheel's metadata, then run the installed-binary flow (init + build against
# the test mirror in an empty folder) with the binary the wheel installed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# log, die.
# shellcheck source=lib/log.sh
source "$repo/scripts/lib/log.sh"
bash "$repo/scripts/setup-test-env.sh" >/dev/null
maturin_venv="$repo/.test-env/maturin-venv"
maturin_version=1.16.0
if [ "$("$maturin_venv/bin/maturin" --version 2>/dev/null)" != "maturin $maturin_version" ]; then
    python3 -m venv "$maturin_venv"
    "$maturin_venv/bin/pip" install --quiet "maturin==$maturin_version"
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

t0=$(date +%s%N)
CARGO_TARGET_DIR="$repo/target" "$maturin_venv/bin/maturin" build --quiet --release \
    --manifest-path "$repo/Cargo.toml" --out "$root/dist"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "wheel-check: wheel built in $((ms / 1000)).$(printf %03d $((ms % 1000))) s"
wheel="$(echo "$root"/dist/wasi_externals-*.whl)"
[ -f "$wheel" ] || die "no wheel in $root/dist"
echo "wheel-check: $(basename "$wheel")"

python3 -m venv "$root/venv"
"$root/venv/bin/pip" install --quiet --no-index "$wheel"
tool="$root/venv/bin/wasi-externals"
version="$("$tool" --version)"
echo "wheel-check: $version"
expected="wasi-externals $(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n1)"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    expected="$expected ($(git -C "$repo" log -1 --format='%h %cs' --abbrev=7))"
fi
[ "$version" = "$expected" ] || die "--version says '$version', expected '$expected'"
for file in share/man/man1/wasi-externals.1 share/man/man1/wasi-externals-build.1 \
    share/bash-completion/completions/wasi-externals share/zsh/site-functions/_wasi-externals \
    share/fish/vendor_completions.d/wasi-externals.fish; do
    [ -s "$root/venv/$file" ] || die "the wheel did not install $file"
done
bash -n "$root/venv/share/bash-completion/completions/wasi-externals"

"$root/venv/bin/python" - "$wheel" <<'PY'
import email.parser, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
meta = email.parser.Parser().parsestr(wheel.read(name).decode())
problems = []
def expect(field, value):
    got = meta.get_all(field) or []
    if value not in got:
        problems.append(f"{field}: expected {value!r}, found {got!r}")
expect("Name", "wasi-externals")
if "MIT OR Apache-2.0" not in (meta.get_all("License-Expression") or []) + (meta.get_all("License") or []):
    problems.append(f"license: {meta.get_all('License-Expression')} {meta.get_all('License')}")
expect("Requires-Python", ">=3.9")
expect("Project-URL", "Repository, https://github.com/wasi-externals/wasi-externals")
expect("Project-URL", "Issues, https://github.com/wasi-externals/wasi-externals/issues")
expect("Classifier", "Programming Language :: Rust")
expect("Classifier", "Topic :: Software Development :: Build Tools")
if "wasi-externals" not in meta.get_payload():
    problems.append("the README is not the long description")
if problems:
    sys.exit("wheel-check: METADATA:\n  " + "\n  ".join(problems))
print(f"wheel-check: METADATA ok ({meta['Name']} {meta['Version']}, {meta.get('License-Expression')})")
PY

bash "$repo/scripts/installed-flow.sh" --tool "$tool"
echo "wheel-check: ok"
