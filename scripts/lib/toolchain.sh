# scripts/lib/toolchain.sh — sourced, not run.
#
# The install steps scripts/setup-toolchain.sh and scripts/setup-toolchain-25.sh
# share to assemble an SDK-shaped folder from Debian's packages: installing the
# packages, files and symlinks written only when they differ (so a second run
# changes nothing and keeps every mtime), the compiler wrappers, the tool
# links, VERSION, and the hello-world check under scripts/wasm-run.
#
# Defines functions only. They use log/die (scripts/lib/log.sh) and the
# caller's variables `sdk` (the folder, absolute) and `tmp` (a scratch folder
# outside it); write_file and link set the caller's `changed=1` when they
# change something.
# shellcheck shell=bash

# packages_installed PACKAGE...: every PACKAGE is installed (dpkg says so).
packages_installed() {
    local p status
    for p in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || return 1
        [[ $status == "install ok installed" ]] || return 1
    done
}

# install_packages PACKAGE...: apt-get install them (root only). The package
# lists are refreshed only when they do not know every package (a fresh
# machine) or when an install from the current lists fails.
install_packages() {
    [[ $(id -u) == 0 ]] || die "packages missing and not root: install $*"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache show "$@" >/dev/null 2>&1; then
        log "apt-get update (package lists incomplete)"
        apt-get update -qq
    fi
    log "apt-get install $*"
    if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
        log "install failed; apt-get update and retry"
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    fi
    packages_installed "$@" || die "packages still not installed: $*"
}

# require_files FILE...: die naming the first FILE that does not exist.
require_files() {
    local f
    for f in "$@"; do
        [[ -e $f ]] || die "expected file missing after install: $f"
    done
}

# write_file PATH MODE: content on stdin; rewrite only if it differs.
write_file() {
    local path=$1 mode=$2 new=$tmp/new-file
    # (made outside the SDK folder so that an unchanged folder keeps its mtimes)
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

# sdk_wrapper NAME MADE_FROM TARGET EXTRA DRIVER...: bin/NAME, a wrapper that
# runs DRIVER... for TARGET with the folder's sysroot (and EXTRA, flags that
# may name the folder as $sdk) before the caller's arguments. A real SDK's
# clang defaults to its target and its own sysroot; Debian's does not, so a
# plain symlink would build for the host. The wrapper finds the folder from
# its own location, so the folder can be moved or reached through a symlink.
sdk_wrapper() {
    local name=$1 from=$2 target=$3 extra=$4
    shift 4
    write_file "$sdk/bin/$name" 755 <<WRAPPER
#!/bin/sh
# $name of an SDK-shaped folder made by scripts/${0##*/} from
# $from.
sdk=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
exec $* --target=$target --sysroot="\$sdk/share/wasi-sysroot"${extra:+ $extra} "\$@"
WRAPPER
}

# sdk_tools LLVM_BIN TOOL...: bin/TOOL -> LLVM_BIN/TOOL for each TOOL, and the
# short names a real SDK has too: ar, ranlib, nm, strip.
sdk_tools() {
    local llvm_bin=$1 tool
    shift
    for tool in "$@"; do
        link "$llvm_bin/$tool" "$sdk/bin/$tool"
    done
    for tool in ar ranlib nm strip; do
        link "$llvm_bin/llvm-$tool" "$sdk/bin/$tool"
    done
}

# sdk_config_scripts: share/misc/config.{sub,guess}, copies as in a real SDK.
sdk_config_scripts() {
    local f
    for f in config.sub config.guess; do
        write_file "$sdk/share/misc/$f" 755 <"/usr/share/misc/$f"
    done
}

# sdk_version_file VERSION WASI_LIBC LLVM: the VERSION file; its first line is
# what the tool reads as the SDK's version, the others say what it is made of.
sdk_version_file() {
    write_file "$sdk/VERSION" 644 <<VERSION
$1
wasi-libc: $2
llvm: $3
VERSION
}

# sdk_hello TARGET WORD [HEADER...]: the folder's clang builds a hello world
# (including HEADER... too) for TARGET, and scripts/wasm-run runs it; it must
# print "hello from WORD, argc=2".
sdk_hello() {
    local target=$1 word=$2 header out
    local runner
    runner="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/wasm-run"
    shift 2
    {
        for header in "$@" stdio.h; do printf '#include <%s>\n' "$header"; done
        cat <<HELLO
int main(int argc, char **argv) {
    printf("hello from $word, argc=%d\\n", argc);
    return 0;
}
HELLO
    } >"$tmp/hello.c"
    "$sdk/bin/clang" -O2 "$tmp/hello.c" -o "$tmp/hello.wasm" \
        || die "the SDK folder's clang cannot build a hello world for $target ($sdk/bin/clang)"
    out=$("$runner" "$tmp/hello.wasm" x) \
        || die "the runner failed to run hello.wasm ($runner)"
    [[ $out == "hello from $word, argc=2" ]] \
        || die "hello.wasm printed '$out', expected 'hello from $word, argc=2'"
}
