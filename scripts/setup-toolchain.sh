#!/usr/bin/env bash
# Install a WASI toolchain from Debian's packages and assemble a folder shaped
# like a WASI SDK release from it, plus a Python venv with wasmtime for running
# WASI modules (scripts/wasm-run).
#
# Usage: scripts/setup-toolchain.sh [SDK_DIR]
#   SDK_DIR defaults to <repo>/.test-env/wasi-sdk
# Environment:
#   WASI_SDK_FAKE_VERSION  first line of SDK_DIR/VERSION (default 19.0)
#   WASMTIME_PIP_SPEC      what to pip-install for the runner (default below)
#   PYTHON                 interpreter used to create the venv (default python3)
#
# Idempotent: a second run installs nothing and rewrites no file whose
# content is already right.
set -euo pipefail

log() { printf 'setup-toolchain: %s\n' "$*" >&2; }
die() { printf 'setup-toolchain: error: %s\n' "$*" >&2; exit 1; }

script_dir=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
repo=$(dirname "$script_dir")
test_env="$repo/.test-env"
sdk=${1:-$test_env/wasi-sdk}
venv="$test_env/venv"
fake_version=${WASI_SDK_FAKE_VERSION:-19.0}
wasmtime_spec=${WASMTIME_PIP_SPEC:-wasmtime==50.0.1}
python=${PYTHON:-python3}

llvm_ver=16
llvm_bin=/usr/lib/llvm-$llvm_ver/bin
triple=wasm32-wasi
deb_include=/usr/include/$triple
deb_lib=/usr/lib/$triple
deb_builtins_dir=/usr/lib/llvm-$llvm_ver/lib/clang/$llvm_ver/lib/wasi
builtins_name=libclang_rt.builtins-wasm32.a

packages=(clang-$llvm_ver lld-$llvm_ver llvm-$llvm_ver libclang-rt-$llvm_ver-dev-wasm32
          wasi-libc make pkg-config tcl autotools-dev git ca-certificates
          perl)  # perl: OpenSSL's Configure

# ---------------------------------------------------------------- packages
all_installed() {
    local p status
    for p in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || return 1
        [[ $status == "install ok installed" ]] || return 1
    done
}

if all_installed; then
    log "Debian packages already installed"
else
    [[ $(id -u) == 0 ]] || die "packages missing and not root: install ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when they do not know every package
    # (fresh machine) or when an install from the current lists fails.
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

for f in "$llvm_bin/clang" "$llvm_bin/wasm-ld" "$llvm_bin/llvm-ar" "$deb_include/stdio.h" \
         "$deb_lib/libc.a" "$deb_builtins_dir/$builtins_name" /usr/share/misc/config.sub; do
    [[ -e $f ]] || die "expected file missing after install: $f"
done

# ---------------------------------------------------------------- SDK folder
changed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# write_file PATH MODE: content on stdin; rewrite only if it differs.
write_file() {
    local path=$1 mode=$2
    local new=$tmp/new-file
    # (made outside the SDK folder so that an unchanged folder keeps its mtimes)
    cat >"$new"
    chmod "$mode" "$new"
    if [[ -f $path && ! -L $path ]] && cmp -s "$new" "$path" \
       && [[ $(stat -c %a "$path") == "$mode" ]]; then
        rm -f "$new"
    else
        rm -f "$path"
        mv -f "$new" "$path"
        log "wrote ${path#"$sdk"/}"
        changed=1
    fi
}
# link TARGET PATH: symlink PATH -> TARGET unless it already is one.
link() {
    local target=$1 path=$2
    if [[ -L $path && $(readlink "$path") == "$target" ]]; then
        return 0
    fi
    if [[ -d $path && ! -L $path ]]; then
        rm -rf "$path"
    fi
    ln -sfn "$target" "$path"
    log "linked ${path#"$sdk"/} -> $target"
    changed=1
}

mkdir -p "$sdk/bin" "$sdk/share/wasi-sysroot/include" "$sdk/share/wasi-sysroot/lib" \
         "$sdk/share/misc" "$sdk/lib/clang/$llvm_ver/lib/wasi"
sdk=$(cd "$sdk" && pwd)

# Compiler wrappers. A real SDK's clang defaults to --target=wasm32-wasi and
# --sysroot=<its dir>/../share/wasi-sysroot; Debian's clang does not, so a
# plain symlink would build for the host. The wrappers find the SDK from their
# own location, so the folder can be moved or reached through a symlink.
wrapper() { # NAME DRIVER-ARGS...
    local name=$1; shift
    write_file "$sdk/bin/$name" 755 <<EOF
#!/bin/sh
# $name of an SDK-shaped folder made by scripts/setup-toolchain.sh from
# Debian's clang-$llvm_ver and wasi-libc.
sdk=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
exec $* --target=$triple --sysroot="\$sdk/share/wasi-sysroot" "\$@"
EOF
}
wrapper clang "$llvm_bin/clang"
wrapper clang++ "$llvm_bin/clang++"
# A real SDK's clang-cpp is clang in cpp driver mode (chosen by its name):
# preprocess only, output to stdout.
wrapper clang-cpp "$llvm_bin/clang" --driver-mode=cpp

for tool in wasm-ld llvm-ar llvm-ranlib llvm-nm llvm-strip llvm-objdump llvm-dwarfdump; do
    link "$llvm_bin/$tool" "$sdk/bin/$tool"
done
link "$llvm_bin/llvm-ar" "$sdk/bin/ar"
link "$llvm_bin/llvm-ranlib" "$sdk/bin/ranlib"
link "$llvm_bin/llvm-nm" "$sdk/bin/nm"
link "$llvm_bin/llvm-strip" "$sdk/bin/strip"

# Sysroot: clang-16 with --target=wasm32-wasi --sysroot=S searches
# S/include/wasm32-wasi then S/include, and links from S/lib/wasm32-wasi.
link "$deb_include" "$sdk/share/wasi-sysroot/include/$triple"
link "$deb_lib" "$sdk/share/wasi-sysroot/lib/$triple"

# Builtins where a real SDK of the clang 16 era keeps them. (The wrapper runs
# Debian's clang with its own resource dir, which finds them there too.)
link "$deb_builtins_dir/$builtins_name" "$sdk/lib/clang/$llvm_ver/lib/wasi/$builtins_name"
link "/usr/lib/llvm-$llvm_ver/lib/clang/$llvm_ver/include" "$sdk/lib/clang/$llvm_ver/include"

# config.sub / config.guess (copies, as in a real SDK).
for f in config.sub config.guess; do
    write_file "$sdk/share/misc/$f" 755 <"/usr/share/misc/$f"
done

# CMake toolchain file, like share/cmake/wasi-sdk.cmake of a real SDK.
mkdir -p "$sdk/share/cmake"
write_file "$sdk/share/cmake/wasi-sdk.cmake" 644 <<'EOF'
# CMake toolchain file of an SDK-shaped folder made by scripts/setup-toolchain.sh.
set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(triple wasm32-wasi)
get_filename_component(WASI_SDK_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(CMAKE_C_COMPILER ${WASI_SDK_PREFIX}/bin/clang)
set(CMAKE_CXX_COMPILER ${WASI_SDK_PREFIX}/bin/clang++)
set(CMAKE_ASM_COMPILER ${WASI_SDK_PREFIX}/bin/clang)
set(CMAKE_AR ${WASI_SDK_PREFIX}/bin/llvm-ar CACHE STRING "wasi-sdk build")
set(CMAKE_RANLIB ${WASI_SDK_PREFIX}/bin/llvm-ranlib CACHE STRING "wasi-sdk build")
set(CMAKE_C_COMPILER_TARGET ${triple})
set(CMAKE_CXX_COMPILER_TARGET ${triple})
set(CMAKE_ASM_COMPILER_TARGET ${triple})
set(CMAKE_SYSROOT ${WASI_SDK_PREFIX}/share/wasi-sysroot CACHE STRING "wasi-sdk build")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF

wasi_libc_version=$(dpkg-query -W -f='${Version}' wasi-libc)
llvm_version="$("$llvm_bin/clang" -dumpversion) (debian clang-$llvm_ver $(dpkg-query -W -f='${Version}' "clang-$llvm_ver"))"
write_file "$sdk/VERSION" 644 <<EOF
$fake_version
wasi-libc: debian $wasi_libc_version
llvm: $llvm_version
EOF

if [[ $changed == 1 ]]; then
    log "SDK folder assembled at $sdk"
else
    log "SDK folder up to date at $sdk"
fi

# ---------------------------------------------------------------- venv
mkdir -p "$test_env"
# Keep the generated test environment out of git whatever .gitignore says.
[[ -f $test_env/.gitignore ]] || printf '*\n' >"$test_env/.gitignore"
wasmtime_ok() { # importable, and of the pinned version when the spec pins one
    local want=
    [[ $wasmtime_spec == wasmtime==* ]] && want=${wasmtime_spec#wasmtime==}
    [[ -x $venv/bin/python ]] && "$venv/bin/python" -c '
import sys, importlib.metadata as md, wasmtime
sys.exit(0 if not sys.argv[1] or md.version("wasmtime") == sys.argv[1] else 1)' "$want" 2>/dev/null
}
if wasmtime_ok; then
    log "venv with $wasmtime_spec already present at $venv"
else
    if [[ ! -x $venv/bin/python ]]; then
        log "creating venv $venv"
        "$python" -m venv "$venv"
    fi
    log "pip install $wasmtime_spec"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wasmtime_spec"
    wasmtime_ok || die "$wasmtime_spec not importable in $venv"
fi

# ---------------------------------------------------------------- check
runner="$script_dir/wasm-run"
cat >"$tmp/hello.c" <<'EOF'
#include <stdio.h>
int main(int argc, char **argv) {
    printf("hello from wasi, argc=%d\n", argc);
    return 0;
}
EOF
"$sdk/bin/clang" -O2 "$tmp/hello.c" -o "$tmp/hello.wasm" \
    || die "the SDK folder's clang cannot build a hello world ($sdk/bin/clang)"
out=$("$runner" "$tmp/hello.wasm" x) \
    || die "the runner failed to run hello.wasm ($runner)"
[[ $out == "hello from wasi, argc=2" ]] \
    || die "hello.wasm printed '$out', expected 'hello from wasi, argc=2'"
log "check passed: built and ran hello.wasm"

printf 'WASI_SDK_PATH=%s\n' "$sdk"
printf 'WASM_RUNNER=%s\n' "$runner"
