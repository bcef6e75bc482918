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

script_dir=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
# log, die; the install steps shared with setup-toolchain-25.sh.
# shellcheck source=lib/log.sh
source "$script_dir/lib/log.sh"
# shellcheck source=lib/toolchain.sh
source "$script_dir/lib/toolchain.sh"
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
if packages_installed "${packages[@]}"; then
    log "Debian packages already installed"
else
    install_packages "${packages[@]}"
fi
require_files "$llvm_bin/clang" "$llvm_bin/wasm-ld" "$llvm_bin/llvm-ar" "$deb_include/stdio.h" \
    "$deb_lib/libc.a" "$deb_builtins_dir/$builtins_name" /usr/share/misc/config.sub

# ---------------------------------------------------------------- SDK folder
changed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$sdk/bin" "$sdk/share/wasi-sysroot/include" "$sdk/share/wasi-sysroot/lib" \
         "$sdk/share/misc" "$sdk/lib/clang/$llvm_ver/lib/wasi"
sdk=$(cd "$sdk" && pwd)

# Compiler wrappers (scripts/lib/toolchain.sh says why). A real SDK's
# clang-cpp is clang in cpp driver mode (chosen by its name): preprocess only,
# output to stdout.
from="Debian's clang-$llvm_ver and wasi-libc"
sdk_wrapper clang "$from" "$triple" "" "$llvm_bin/clang"
sdk_wrapper clang++ "$from" "$triple" "" "$llvm_bin/clang++"
sdk_wrapper clang-cpp "$from" "$triple" "" "$llvm_bin/clang" --driver-mode=cpp
sdk_tools "$llvm_bin" wasm-ld llvm-ar llvm-ranlib llvm-nm llvm-strip llvm-objdump llvm-dwarfdump

# Sysroot: clang-16 with --target=wasm32-wasi --sysroot=S searches
# S/include/wasm32-wasi then S/include, and links from S/lib/wasm32-wasi.
link "$deb_include" "$sdk/share/wasi-sysroot/include/$triple"
link "$deb_lib" "$sdk/share/wasi-sysroot/lib/$triple"

# Builtins where a real SDK of the clang 16 era keeps them. (The wrapper runs
# Debian's clang with its own resource dir, which finds them there too.)
link "$deb_builtins_dir/$builtins_name" "$sdk/lib/clang/$llvm_ver/lib/wasi/$builtins_name"
link "/usr/lib/llvm-$llvm_ver/lib/clang/$llvm_ver/include" "$sdk/lib/clang/$llvm_ver/include"

sdk_config_scripts

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
sdk_version_file "$fake_version" "debian $wasi_libc_version" "$llvm_version"

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
sdk_hello "$triple" wasi
log "check passed: built and ran hello.wasm"

printf 'WASI_SDK_PATH=%s\n' "$sdk"
printf 'WASM_RUNNER=%s\n' "$runner"
