#!/usr/bin/env bash
# Assemble a second SDK-shaped folder with the components of WASI SDK 25:
# Debian bookworm's clang-19/lld-19/llvm-19 and trixie's wasi-libc
# (0.0~git20241209, late 2024). Next to scripts/setup-toolchain.sh's folder
# (clang-16 + the 2022 wasi-libc) it is a genuinely different SDK: other
# compiler, other wasi-libc, other default target (wasm32-wasip1).
#
# Usage: scripts/setup-toolchain-25.sh [SDK_DIR]
#   SDK_DIR defaults to <repo>/.test-env/wasi-sdk-25
# Environment:
#   WASI_LIBC_DEB  a wasi-libc .deb to use instead of downloading one
#
# trixie's wasi-libc is never installed (it would replace bookworm's, which
# the first SDK folder uses): `apt-get download` fetches the .deb under a
# private apt configuration (lists and cache in <SDK_DIR>/../apt-wasi-libc,
# the system's apt configuration and lists are never touched) and
# `dpkg-deb -x` unpacks it into the folder's sysroot.
#
# Layout, as in a WASI SDK 25 release:
#   bin/clang, bin/clang-cpp       wrappers (target, sysroot, resource dir)
#   bin/{wasm-ld,llvm-ar,llvm-ranlib,llvm-nm,llvm-strip,ar,ranlib,nm,strip}
#   lib/clang/19/                  resource dir: headers and wasm32 builtins
#   share/wasi-sysroot/{include,lib}/{wasm32-wasi,wasm32-wasip1,wasm32-wasip2}
#   share/misc/config.{sub,guess}
#   VERSION                        25.0, plus what it is made of
#
# Idempotent: a second run installs, downloads and rewrites nothing and
# prints one line.
set -euo pipefail

script_dir=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
repo=$(dirname "$script_dir")
# log, die; the install steps shared with setup-toolchain.sh.
# shellcheck source=lib/log.sh
source "$script_dir/lib/log.sh"
# shellcheck source=lib/toolchain.sh
source "$script_dir/lib/toolchain.sh"
# debian_archive_uri, debian_private_apt_binary_sources, debian_private_apt_get.
# shellcheck source=lib/debian-source.sh
source "$script_dir/lib/debian-source.sh"

sdk=${1:-$repo/.test-env/wasi-sdk-25}
mkdir -p "$sdk"
sdk=$(cd "$sdk" && pwd)
apt_dir="$(dirname "$sdk")/apt-wasi-libc"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

sdk_version=25.0
default_target=wasm32-wasip1
llvm_ver=19
llvm_bin=/usr/lib/llvm-$llvm_ver/bin
llvm_resource=/usr/lib/llvm-$llvm_ver/lib/clang/$llvm_ver
deb_builtins=$llvm_resource/lib/wasi/libclang_rt.builtins-wasm32.a
wasi_libc_suite=trixie
wasi_libc_version=0.0~git20241209   # upstream part of the Debian version
triples=(wasm32-wasi wasm32-wasip1 wasm32-wasip2)

packages=(clang-$llvm_ver lld-$llvm_ver llvm-$llvm_ver libclang-rt-$llvm_ver-dev-wasm32
          make pkg-config)

# ---------------------------------------------------------------- packages
packages_installed "${packages[@]}" || install_packages "${packages[@]}"
require_files "$llvm_bin/clang" "$llvm_bin/wasm-ld" "$llvm_bin/llvm-ar" "$llvm_resource/include/stddef.h" \
    "$deb_builtins" /usr/share/misc/config.sub /usr/share/misc/config.guess

changed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- wasi-libc .deb
# is_wanted_deb FILE: a wasi-libc .deb of the wanted upstream version.
is_wanted_deb() {
    [[ -f $1 ]] && [[ $(dpkg-deb -f "$1" Package 2>/dev/null) == wasi-libc ]] \
        && [[ $(dpkg-deb -f "$1" Version 2>/dev/null) == "$wasi_libc_version"[.-]* ]]
}
find_deb() {
    local f
    for f in "$apt_dir"/debs/wasi-libc_*_all.deb; do
        if is_wanted_deb "$f"; then printf '%s\n' "$f"; return 0; fi
    done
    return 1
}
if [[ -n ${WASI_LIBC_DEB:-} ]]; then
    is_wanted_deb "$WASI_LIBC_DEB" || die "$WASI_LIBC_DEB is not a wasi-libc $wasi_libc_version .deb"
    deb=$WASI_LIBC_DEB
elif ! deb=$(find_deb); then
    command -v apt-get >/dev/null || die "apt-get not found; pass a wasi-libc .deb as WASI_LIBC_DEB"
    [[ -r $keyring ]] || die "$keyring missing (package debian-archive-keyring)"
    uri=$(debian_archive_uri "${SETUP_TOOLCHAIN_DEBIAN_URI:-}")
    [[ -n $uri ]] || die "no Debian archive found in the apt configuration; set SETUP_TOOLCHAIN_DEBIAN_URI"
    debian_private_apt_binary_sources "$apt_dir" "$keyring" "$uri" "$wasi_libc_suite"
    log "apt-get update ($wasi_libc_suite, private lists in $apt_dir/lists)"
    debian_private_apt_get "$apt_dir" -q update >"$tmp/apt.log" 2>&1 \
        || { cat "$tmp/apt.log" >&2; die "apt-get update failed"; }
    rm -rf "$apt_dir/debs.partial"
    mkdir -p "$apt_dir/debs.partial" "$apt_dir/debs"
    log "apt-get download wasi-libc/$wasi_libc_suite"
    (cd "$apt_dir/debs.partial" && debian_private_apt_get "$apt_dir" -q download "wasi-libc/$wasi_libc_suite") \
        >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; die "apt-get download failed"; }
    for f in "$apt_dir"/debs.partial/wasi-libc_*_all.deb; do
        is_wanted_deb "$f" || die "downloaded $f is not wasi-libc $wasi_libc_version (has $wasi_libc_suite moved on?)"
        mv "$f" "$apt_dir/debs/"
    done
    rm -rf "$apt_dir/debs.partial"
    deb=$(find_deb) || die "no wasi-libc .deb in $apt_dir/debs after the download"
fi
deb_version=$(dpkg-deb -f "$deb" Version)
deb_sha=$(sha256sum "$deb" | cut -d' ' -f1)

# ---------------------------------------------------------------- sysroot
sysroot=$sdk/share/wasi-sysroot
stamp=$sysroot/.from-deb
if [[ -f $stamp && $(cat "$stamp") == "$deb_sha $(basename "$deb")" ]]; then
    :
else
    log "unpacking $(basename "$deb") into share/wasi-sysroot"
    dpkg-deb -x "$deb" "$tmp/deb"
    new=$sdk/share/.wasi-sysroot.new
    rm -rf "$new"
    mkdir -p "$new"
    # include/ and lib/ as they are: wasm32-wasip1 is a relative symlink to wasm32-wasi.
    mv "$tmp/deb/usr/include" "$new/include"
    mv "$tmp/deb/usr/lib" "$new/lib"
    for t in "${triples[@]}"; do
        [[ -f $new/include/$t/stdio.h && -f $new/lib/$t/libc.a ]] \
            || die "$(basename "$deb") has no $t headers and libc.a"
    done
    printf '%s %s\n' "$deb_sha" "$(basename "$deb")" >"$new/.from-deb"
    rm -rf "$sysroot"
    mv "$new" "$sysroot"
    changed=1
fi
for t in wasm32-wasip1 wasm32-wasip2; do
    grep -q 'pthread_create' "$sysroot/include/$t/pthread.h" 2>/dev/null \
        || die "share/wasi-sysroot/include/$t/pthread.h is missing or not a real pthread.h"
done

# ---------------------------------------------------------------- files
# (write_file, link and the rest: scripts/lib/toolchain.sh)
mkdir -p "$sdk/bin" "$sdk/share/misc"

# Resource dir: a copy of clang-19's headers plus the wasm32 builtins where
# clang 19 looks for them for each triple (and where older releases kept them).
resource=$sdk/lib/clang/$llvm_ver
clang_deb_version=$(dpkg-query -W -f='${Version}' "clang-$llvm_ver")
if [[ ! -f $resource/.from-deb || $(cat "$resource/.from-deb") != "clang-$llvm_ver $clang_deb_version" ]]; then
    log "copying clang-$llvm_ver's headers into lib/clang/$llvm_ver/include"
    rm -rf "$resource/include"
    mkdir -p "$resource"
    cp -a "$llvm_resource/include" "$resource/include.new"
    mv "$resource/include.new" "$resource/include"
    printf 'clang-%s %s\n' "$llvm_ver" "$clang_deb_version" >"$resource/.from-deb"
    changed=1
fi
for t in "${triples[@]}"; do
    write_file "$resource/lib/${t/wasm32-/wasm32-unknown-}/libclang_rt.builtins.a" 644 <"$deb_builtins"
done
write_file "$resource/lib/wasi/libclang_rt.builtins-wasm32.a" 644 <"$deb_builtins"

# Compiler wrappers (scripts/lib/toolchain.sh says why), with the copied resource dir.
from="Debian's clang-$llvm_ver and trixie's wasi-libc"
resource_dir="-resource-dir=\"\$sdk/lib/clang/$llvm_ver\""
sdk_wrapper clang "$from" "$default_target" "$resource_dir" "$llvm_bin/clang"
sdk_wrapper clang-cpp "$from" "$default_target" "$resource_dir" "$llvm_bin/clang" --driver-mode=cpp
sdk_tools "$llvm_bin" wasm-ld llvm-ar llvm-ranlib llvm-nm llvm-strip llvm-objdump
sdk_config_scripts

llvm_version="$("$llvm_bin/clang" -dumpversion) (debian clang-$llvm_ver $clang_deb_version)"
sdk_version_file "$sdk_version" "debian $deb_version" "$llvm_version"

# ---------------------------------------------------------------- check
# The runner's venv is made by scripts/setup-toolchain.sh next to this folder.
venv_python="$(dirname "$sdk")/venv/bin/python"
[[ -z ${WASM_RUN_PYTHON:-} && -x $venv_python ]] && export WASM_RUN_PYTHON=$venv_python
sdk_hello "$default_target" wasip1 pthread.h

if [[ $changed == 1 ]]; then
    log "SDK $sdk_version folder assembled at $sdk (clang $llvm_version, wasi-libc $deb_version); hello world for $default_target runs"
else
    log "SDK $sdk_version folder up to date at $sdk; hello world for $default_target runs"
fi
