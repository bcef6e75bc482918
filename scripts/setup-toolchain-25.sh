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

log() { printf 'setup-toolchain-25: %s\n' "$*" >&2; }
die() { printf 'setup-toolchain-25: error: %s\n' "$*" >&2; exit 1; }

script_dir=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
repo=$(dirname "$script_dir")
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
all_installed() {
    local p status
    for p in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || return 1
        [[ $status == "install ok installed" ]] || return 1
    done
}
if ! all_installed; then
    [[ $(id -u) == 0 ]] || die "packages missing and not root: install ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache show "${packages[@]}" >/dev/null 2>&1; then
        log "apt-get update (package lists incomplete)"
        apt-get update -qq
    fi
    log "apt-get install ${packages[*]}"
    if ! apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; then
        log "install failed; apt-get update and retry"
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
    fi
    all_installed || die "packages still not installed: ${packages[*]}"
fi
for f in "$llvm_bin/clang" "$llvm_bin/wasm-ld" "$llvm_bin/llvm-ar" "$llvm_resource/include/stddef.h" \
         "$deb_builtins" /usr/share/misc/config.sub /usr/share/misc/config.guess; do
    [[ -e $f ]] || die "expected file missing after install: $f"
done

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
# write_file PATH MODE: content on stdin; rewrite only if it differs.
write_file() {
    local path=$1 mode=$2 new=$tmp/new-file
    cat >"$new"
    chmod "$mode" "$new"
    if [[ -f $path && ! -L $path ]] && cmp -s "$new" "$path" \
       && [[ $(stat -c %a "$path") == "$mode" ]]; then
        rm -f "$new"
    else
        mkdir -p "$(dirname "$path")"
        rm -f "$path"
        mv -f "$new" "$path"
        log "wrote ${path#"$sdk"/}"
        changed=1
    fi
}
# link TARGET PATH: symlink PATH -> TARGET unless it already is one.
link() {
    local target=$1 path=$2
    [[ -L $path && $(readlink "$path") == "$target" ]] && return 0
    [[ -d $path && ! -L $path ]] && rm -rf "$path"
    ln -sfn "$target" "$path"
    log "linked ${path#"$sdk"/} -> $target"
    changed=1
}

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

# Compiler wrappers: a real SDK's clang defaults to its target and its own
# sysroot; Debian's does not. They find the SDK from their own location.
wrapper() { # NAME DRIVER-ARGS...
    local name=$1; shift
    write_file "$sdk/bin/$name" 755 <<EOF
#!/bin/sh
# $name of an SDK-shaped folder made by scripts/setup-toolchain-25.sh from
# Debian's clang-$llvm_ver and trixie's wasi-libc.
sdk=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
exec $* --target=$default_target --sysroot="\$sdk/share/wasi-sysroot" -resource-dir="\$sdk/lib/clang/$llvm_ver" "\$@"
EOF
}
wrapper clang "$llvm_bin/clang"
wrapper clang-cpp "$llvm_bin/clang" --driver-mode=cpp

for tool in wasm-ld llvm-ar llvm-ranlib llvm-nm llvm-strip llvm-objdump; do
    link "$llvm_bin/$tool" "$sdk/bin/$tool"
done
link "$llvm_bin/llvm-ar" "$sdk/bin/ar"
link "$llvm_bin/llvm-ranlib" "$sdk/bin/ranlib"
link "$llvm_bin/llvm-nm" "$sdk/bin/nm"
link "$llvm_bin/llvm-strip" "$sdk/bin/strip"

for f in config.sub config.guess; do
    write_file "$sdk/share/misc/$f" 755 <"/usr/share/misc/$f"
done

llvm_version="$("$llvm_bin/clang" -dumpversion) (debian clang-$llvm_ver $clang_deb_version)"
write_file "$sdk/VERSION" 644 <<EOF
$sdk_version
wasi-libc: debian $deb_version
llvm: $llvm_version
EOF

# ---------------------------------------------------------------- check
# The runner's venv is made by scripts/setup-toolchain.sh next to this folder.
venv_python="$(dirname "$sdk")/venv/bin/python"
[[ -z ${WASM_RUN_PYTHON:-} && -x $venv_python ]] && export WASM_RUN_PYTHON=$venv_python
cat >"$tmp/hello.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
int main(int argc, char **argv) {
    printf("hello from %s, argc=%d\n", "wasip1", argc);
    return 0;
}
EOF
"$sdk/bin/clang" -O2 "$tmp/hello.c" -o "$tmp/hello.wasm" \
    || die "the SDK folder's clang cannot build a hello world for $default_target ($sdk/bin/clang)"
out=$("$script_dir/wasm-run" "$tmp/hello.wasm" x) \
    || die "the runner failed to run hello.wasm ($script_dir/wasm-run)"
[[ $out == "hello from wasip1, argc=2" ]] \
    || die "hello.wasm printed '$out', expected 'hello from wasip1, argc=2'"

if [[ $changed == 1 ]]; then
    log "SDK $sdk_version folder assembled at $sdk (clang $llvm_version, wasi-libc $deb_version); hello world for $default_target runs"
else
    log "SDK $sdk_version folder up to date at $sdk; hello world for $default_target runs"
fi
