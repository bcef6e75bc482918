#!/usr/bin/env bash
# bench-libs.sh [--short] [--wasi-sdk DIR] [--work DIR] [--python A_CMD B_CMD] PREFIX_A PREFIX_B
#
# Library benchmark: how fast the libraries of PREFIX_A run under wasmtime,
# against those of PREFIX_B (e.g. zlib-ng vs zlib-1.3.1, or a recipe's new
# flags vs the old ones), in one run on one machine. Prints each library's
# throughput with both prefixes and the ratio A/B. No goals are asserted here:
# the ratios are for people (and the README); the programs only fail when a
# round trip is wrong.
#
#   C level   benches/libs/bench_<lib>.c, compiled with the SDK's clang and
#             linked with exactly what `wasi-externals env --prefix P` hands
#             over (as CPython would), run with scripts/wasm-run: deflate and
#             inflate at levels 1, 6, 9 (zlib), bzip2, lzma (preset 6), zstd
#             (when both prefixes have it), sqlite inserts and queries,
#             mpdecimal arithmetic.
#   Python    with --python A_CMD B_CMD (two python.wasm builds made with the
#             same toolchain, each run by a python.sh-like command), the same
#             at the Python level: zlib, bz2, lzma, compression.zstd where
#             present, sqlite3, decimal (benches/libs/bench_py.py).
#
#   --short        the CI corpus (2 MiB C, 1 MiB Python; seconds, not minutes)
#   --wasi-sdk DIR the SDK the prefixes were built with (default:
#                  <repo>/.test-env/wasi-sdk; must have the prefixes' SDK version)
#   --work DIR     where the programs and results go (default: a temporary folder)
#   --rounds N     run A, then B, N times over (default 3; 1 with --short)
#   --only LIBS    the libraries to run, comma-separated, by C program (zlib,bzip2,lzma,
#                  zstd,sqlite,mpdec; default: all both prefixes have), in C and Python
#   --corpus FILE  compress FILE's bytes (read round and round up to the
#                  corpus size) instead of the generated text, in C
#   --py-corpus P  the same in python.wasm, P as python.wasm sees the file
#   $WASI_EXTERNALS  the binary that answers `env` (default target/release/wasi-externals)
#
# Each program times every operation 2-3 times; A and B alternate, program
# by program, for N rounds, and each side's rate is its fastest of all, so a
# busy machine disturbs both alike and a passing burst of load does not land
# on one side only. Every round's RESULT lines are in WORK/results.tsv.
set -euo pipefail

log() { printf 'bench-libs: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=full sdk="$repo/.test-env/wasi-sdk" work="" py_a="" py_b="" rounds="" only="" corpus="" py_corpus=""
prefixes=()
while (( $# )); do
  case "$1" in
    --short) mode=short; shift ;;
    --wasi-sdk) sdk="${2:?--wasi-sdk needs a value}"; shift 2 ;;
    --work) work="${2:?--work needs a value}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a value}"; shift 2 ;;
    --only) only=",${2:?--only needs a list},"; shift 2 ;;
    --corpus) corpus="${2:?--corpus needs a file}"; shift 2 ;;
    --py-corpus) py_corpus="${2:?--py-corpus needs a path}"; shift 2 ;;
    --python) py_a="${2:?--python needs two commands}"; py_b="${3:?--python needs two commands}"; shift 3 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) prefixes+=("$1"); shift ;;
  esac
done
(( ${#prefixes[@]} == 2 )) || { usage >&2; die "give two prefixes"; }
[[ -z "$rounds" || "$rounds" =~ ^[1-9][0-9]?$ ]] || die "--rounds $rounds: give a number from 1 to 99"
[[ -z "$corpus" || -f "$corpus" ]] || die "--corpus $corpus: no such file"
[[ -n "$rounds" ]] || if [[ $mode == short ]]; then rounds=1; else rounds=3; fi
tool="${WASI_EXTERNALS:-$repo/target/release/wasi-externals}"
[[ -x "$tool" ]] || die "$tool missing: cargo build --release"
[[ -x "$sdk/bin/clang" && -f "$sdk/VERSION" ]] || die "$sdk is not a WASI SDK"
if [[ -z "$work" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
results="$work/results.tsv"
: >"$results"

# name=tag of every dep in a prefix's manifest, and its target and SDK version.
manifest() { # prefix
  python3 - "$1/wasi-externals.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
print(f"target={m['target']}")
print(f"sdk={str(m['sdk_version']).split('.')[0]}")
for name, dep in sorted(m["deps"].items()):
    print(f"dep.{name}={dep['tag']}")
PY
}
declare -A info_a=() info_b=()
m_a="$(manifest "${prefixes[0]}")" || die "${prefixes[0]} has no readable manifest (wasi-externals.json)"
m_b="$(manifest "${prefixes[1]}")" || die "${prefixes[1]} has no readable manifest (wasi-externals.json)"
while IFS='=' read -r k v; do info_a[$k]="$v"; done <<<"$m_a"
while IFS='=' read -r k v; do info_b[$k]="$v"; done <<<"$m_b"
sdk_major="$(head -n1 "$sdk/VERSION" | cut -d. -f1)"
for side in a b; do
  declare -n info="info_$side"
  [[ "${info[sdk]}" == "$sdk_major" ]] || die "prefix $side was built with SDK ${info[sdk]}, $sdk is $sdk_major"
done
[[ "${info_a[target]}" == "${info_b[target]}" ]] || die "the prefixes have different targets"
target="${info_a[target]}"

# The env hand-over of a prefix, as NAME=VALUE lines.
handover() { # prefix
  "$tool" env --prefix "$1" --format json \
    | python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(sys.stdin)["variables"].items()]'
}
declare -A env_a=() env_b=()
h_a="$(handover "${prefixes[0]}")" || die "wasi-externals env --prefix ${prefixes[0]} failed"
h_b="$(handover "${prefixes[1]}")" || die "wasi-externals env --prefix ${prefixes[1]} failed"
while IFS='=' read -r k v; do env_a[$k]="$v"; done <<<"$h_a"
while IFS='=' read -r k v; do env_b[$k]="$v"; done <<<"$h_b"

# Compiles benches/libs/bench_<lib>.c for one side, against exactly what the
# side's prefix hands over.
compile_c() { # side lib var
  local side="$1" lib="$2" var="$3"
  declare -n env="env_$side"
  mkdir -p "$work/$side"
  # shellcheck disable=SC2086 # the hand-over's flags are words, as in a Makefile
  "$sdk/bin/clang" --target="$target" --sysroot="$sdk/share/wasi-sysroot" -O2 \
    -I"$repo/benches/libs" "$repo/benches/libs/bench_$lib.c" \
    ${env[${var}_CFLAGS]} ${env[${var}_LIBS]} -o "$work/$side/bench_$lib.wasm" \
    || die "compiling bench_$lib.c against prefix $side failed"
}

# Runs one side's program once; its RESULT lines go to results.tsv with the
# side in front.
run_c() { # side lib round
  local side="$1" lib="$2" out="$work/$1/$2.$3.out" file=()
  if [[ -n "$corpus" ]]; then
    file=(--dir "$(cd "$(dirname "$corpus")" && pwd)::/corpus")
  fi
  "$repo/scripts/wasm-run" "${file[@]}" "$work/$side/bench_$lib.wasm" "$mode" \
    ${corpus:+"/corpus/$(basename "$corpus")"} >"$out" \
    || { cat "$out" >&2; die "bench_$lib.wasm failed with prefix $side"; }
  grep '^RESULT' "$out" | sed "s/^RESULT/C\t$side/" >>"$results"
}

# lib (program) dep configure-variable
c_libs=(
  "zlib zlib ZLIB"
  "bzip2 bzip2 BZIP2"
  "lzma xz LIBLZMA"
  "zstd zstd LIBZSTD"
  "sqlite sqlite LIBSQLITE3"
  "mpdec mpdecimal LIBMPDEC"
)
for row in "${c_libs[@]}"; do
  read -r lib dep var <<<"$row"
  [[ -z "$only" || "$only" == *",$lib,"* ]] || continue
  if [[ -z "${info_a[dep.$dep]:-}" || -z "${info_b[dep.$dep]:-}" ]]; then
    log "skipping $lib: not in both prefixes"
    continue
  fi
  log "C: $lib (${info_a[dep.$dep]} vs ${info_b[dep.$dep]})"
  compile_c a "$lib" "$var"
  compile_c b "$lib" "$var"
  for ((round = 1; round <= rounds; round++)); do
    run_c a "$lib" "$round"
    run_c b "$lib" "$round"
  done
done

if [[ -n "$py_a" ]]; then
  script="$(cat "$repo/benches/libs/bench_py.py")"
  for ((round = 1; round <= rounds; round++)); do
    for side in a b; do
      cmd="py_$side" out="$work/py-$side.$round.out"
      log "Python, round $round: ${!cmd}"
      # shellcheck disable=SC2086 # a command line, e.g. `python.sh` or `env X=1 python.sh`
      ${!cmd} -c "$script" "$mode" ${py_corpus:+--corpus "$py_corpus"} ${only:+--only "${only:1:-1}"} >"$out" \
        || { cat "$out" >&2; die "bench_py.py failed in python.wasm $side"; }
      grep '^RESULT' "$out" | sed "s/^RESULT/Python\t$side/" >>"$results"
    done
  done
fi

# The table: per level, library and operation, both rates and A/B.
labels_a="$(for k in "${!info_a[@]}"; do if [[ $k == dep.* ]]; then echo "${k#dep.}=${info_a[$k]}"; fi; done | sort | tr '\n' ' ')"
labels_b="$(for k in "${!info_b[@]}"; do if [[ $k == dep.* ]]; then echo "${k#dep.}=${info_b[$k]}"; fi; done | sort | tr '\n' ' ')"
python3 - "$results" "$mode" "$labels_a" "$labels_b" <<'PY'
import sys
path, mode, la, lb = sys.argv[1:5]
tags = [dict(x.split("=", 1) for x in l.split()) for l in (la, lb)]
dep_of = {"zlib": "zlib", "bzip2": "bzip2", "bz2": "bzip2", "lzma": "xz", "zstd": "zstd",
          "sqlite": "sqlite", "sqlite3": "sqlite", "mpdecimal": "mpdecimal", "decimal": "mpdecimal"}
rows, order = {}, []
for line in open(path, encoding="utf-8"):
    level, side, lib, op, unit, amount, secs = line.rstrip("\n").split("\t")
    key = (level, lib, op, unit)
    if key not in rows:
        rows[key] = {}
        order.append(key)
    rate = float(amount) / float(secs) if float(secs) > 0 else float("inf")
    rows[key][side] = max(rate, rows[key].get(side, 0.0))
print(f"library benchmark ({mode} corpus): A = {sys.argv[3].strip()}")
print(f"{'':28}B = {sys.argv[4].strip()}")
print(f"{'level':7} {'library':10} {'operation':12} {'A':>12} {'B':>12} {'unit':7} {'A/B':>6}  A vs B")
for key in order:
    level, lib, op, unit = key
    a, b = rows[key].get("a"), rows[key].get("b")
    if a is None or b is None:
        continue
    dep = dep_of.get(lib, lib)
    which = f"{tags[0].get(dep, '?')} vs {tags[1].get(dep, '?')}"
    u = "MB/s" if unit == "MB" else f"{unit}/s"
    print(f"{level:7} {lib:10} {op:12} {a:12.1f} {b:12.1f} {u:7} {(a / b if b else float('nan')):6.2f}  {which}")
PY
