# scripts/lib/patch-check.sh — sourced, not run.
#
# What the CPython patch checks (cpython-314-patch-check.sh and
# cpython-315-patch-check.sh) share: checking their inputs, and applying a
# contrib/cpython patch to a scratch folder shaped like a CPython checkout.
# Needs log.sh's die. Defines patch_check_inputs and patch_check_apply.
# shellcheck shell=bash

# patch_check_inputs: the patch, the built tool, the config, the SDK and a
# host Python >= 3.11 exist (the caller's variables patch_file, tool, config,
# sdk, host_py); config and sdk become absolute, symlink-free paths.
patch_check_inputs() {
  [[ -f "$patch_file" ]] || die "$patch_file missing"
  [[ -x "$tool" ]] || die "$tool missing: cargo build --release"
  [[ -f "$config" ]] || die "config $config missing: run scripts/setup-test-env.sh"
  [[ -x "$sdk/bin/clang" && -f "$sdk/VERSION" ]] || die "no WASI SDK at $sdk: run scripts/setup-toolchain.sh"
  "$host_py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$host_py is $("$host_py" -V 2>&1); the script needs Python >= 3.11"
  config="$(cd "$(dirname "$config")" && pwd -P)/$(basename "$config")"
  sdk="$(cd "$sdk" && pwd -P)"
}

# patch_check_apply SCRATCH CHECKOUT: applies $patch_file to CHECKOUT (inside
# SCRATCH) the way `patch -p1` would, after checking that it applies cleanly.
patch_check_apply() {
  # git apply outside any repository works like patch -p1.
  export GIT_CEILING_DIRECTORIES="$1"
  export TERM="${TERM:-dumb}"
  git -C "$2" apply --check "$patch_file" || die "$(basename "$patch_file") does not apply cleanly"
  git -C "$2" apply "$patch_file"
  echo "  ok   $(basename "$patch_file") applies cleanly"
}
