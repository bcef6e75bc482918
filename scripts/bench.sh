#!/usr/bin/env bash
# Build benchmark for wasi-externals: how long a cold build takes serially and
# in parallel, how close the parallel build comes to its lower bound, and how
# cheap a warm (fully cached) build is.
#
# Usage: scripts/bench.sh [--config FILE] [--wasi-sdk DIR] [--jobs N] [--out FILE]
#                         [--openssl TAG] [--check] [--keep]
#
#   --config FILE   a locked deps.toml (default: .test-env/deps.toml)
#   --wasi-sdk DIR  the WASI SDK to build with (default: .test-env/wasi-sdk)
#   --jobs N        jobs for the parallel and warm runs (default: nproc)
#   --out FILE      also write the results as (pretty) JSON to FILE
#   --check         exit 3 when a goal below is missed
#   --keep          keep the temporary caches and prefixes (path printed)
#   --openssl TAG   also pin `[deps.openssl] tag = TAG` (in a locked copy of the
#                   config) and report OpenSSL's cold build time and its share
#                   of the prefix's critical path
#   $WASI_EXTERNALS_BIN  the binary to measure
#                   (default: target/release/wasi-externals)
#
# The sources are fetched once into a seed cache, so no measurement includes
# fetching: each cold run gets a fresh --cache-dir holding only a copy of the
# seed's sources.git, and runs --offline. Measurements, in one run:
#   1. serial    cold build of every dependency with -j 1 (one build at a time)
#   2. parallel  cold build with -j N
#   3. critical  the slowest dependency's own seconds in run 1 (from --json)
#   4. warm      a build into a fresh prefix from run 2's cache (nothing compiles)
#   5. remote    a cold build on an EMPTY local cache (no sources either) with a
#                warm remote cache: run 2's cache pushed (`cache push`) to the
#                PUT/GET server scripts/put_get_server.py on 127.0.0.1
# and derived:
#   target           = max(critical, serial / N)   (N = 2 on a 2-core host)
#   parallel/target  goal <= 1.15
#   warm/cold        warm / parallel, goal < 2 %
#   remote/cold      remote / parallel, goal < 5 %
# Also reported: whether the serial, parallel and warm prefixes hold
# byte-identical files (per their manifests), and how much CPU other
# processes used meanwhile (a busy host makes the parallel numbers worthless).
#
# stdout: a table, then the results as one line of JSON (the last line).
# Progress goes to stderr. Exit 0 (or 3 with --check and a missed goal);
# any failed step exits non-zero with the tail of its log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

config=$root/.test-env/deps.toml
config_given=0
sdk=$root/.test-env/wasi-sdk
jobs=$(nproc)
out=
check=0
keep=0
openssl=
bin=${WASI_EXTERNALS_BIN:-$root/target/release/wasi-externals}

usage() { sed -n '6,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
# log, die.
# shellcheck source=lib/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"
need_arg() { [ "$#" -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }

while [ "$#" -gt 0 ]; do
    case $1 in
        --config) need_arg "$@"; config=$2; config_given=1; shift 2 ;;
        --config=*) config=${1#*=}; config_given=1; shift ;;
        --wasi-sdk) need_arg "$@"; sdk=$2; shift 2 ;;
        --wasi-sdk=*) sdk=${1#*=}; shift ;;
        --jobs|-j) need_arg "$@"; jobs=$2; shift 2 ;;
        --jobs=*) jobs=${1#*=}; shift ;;
        --out) need_arg "$@"; out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        --check) check=1; shift ;;
        --keep) keep=1; shift ;;
        --openssl) need_arg "$@"; openssl=$2; shift 2 ;;
        --openssl=*) openssl=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

case $jobs in ''|*[!0-9]*|0) die "--jobs wants a positive number, not '$jobs'" ;; esac
command -v python3 >/dev/null || die "python3 is needed (timing, JSON, arithmetic)"

if [ ! -f "$config" ]; then
    if [ "$config_given" = 0 ]; then
        die "no $config.
It is written by scripts/setup-test-env.sh and must then be locked:
  target/release/wasi-externals --config .test-env/deps.toml lock
(scripts/quickstart.sh does both), or pass --config FILE with a locked deps.toml."
    fi
    die "no such config: $config"
fi
[ -x "$bin" ] || die "no binary at $bin: run 'cargo build --release' (or set WASI_EXTERNALS_BIN)"
[ -f "$sdk/VERSION" ] || die "no WASI SDK at $sdk (no VERSION file): pass --wasi-sdk DIR or run scripts/setup-test-env.sh"

if ! grep -q '^[[:space:]]*commit[[:space:]]*=' "$config"; then
    die "$config is not locked (no commit pins): lock it first with
  $bin --config $config lock"
fi

# Absolute paths: the tool runs configure scripts in other folders.
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
sdk=$(cd "$sdk" && pwd)
if [ -n "$out" ]; then
    mkdir -p "$(dirname "$out")"
    out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
fi

# A make jobserver inherited from a caller would change what -j means.
unset MAKEFLAGS MFLAGS MAKELEVEL GNUMAKEFLAGS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasi-externals-bench.XXXXXX")
if [ "$keep" = 1 ]; then
    log "keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi

# timed.py OUT CMD...: run CMD (stdio inherited) and write OUT as JSON: wall
# seconds, CPU seconds of CMD and its children, and CPU seconds the whole host
# spent meanwhile (/proc/stat), from which others' load is derived.
cat >"$tmp/timed.py" <<'PY'
import json, os, resource, subprocess, sys, time

def host_busy():
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = v[3] + v[4]  # idle + iowait
    return (sum(v) - idle) / os.sysconf("SC_CLK_TCK")

out, cmd = sys.argv[1], sys.argv[2:]
r0, h0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), host_busy(), time.monotonic()
rc = subprocess.call(cmd)
t1, h1, r1 = time.monotonic(), host_busy(), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
with open(out, "w") as f:
    json.dump({"wall": t1 - t0, "cpu": cpu,
               "host_cpu": None if h0 is None or h1 is None else h1 - h0}, f)
sys.exit(rc)
PY

# run NAME CMD...: run a step, its stdout to $tmp/NAME.out, its stderr to
# $tmp/NAME.log, timed into $tmp/NAME.time; on failure show why and stop.
run() {
    local name=$1; shift
    if ! python3 "$tmp/timed.py" "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.log"; then
        log "step '$name' failed: $*"
        tail -n 30 "$tmp/$name.log" >&2
        # With --json the error, or which dependency failed and where its log
        # is, is on stdout.
        python3 - "$tmp/$name.out" >&2 <<'PY' || true
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
if "error" in report:
    e = report["error"]
    print(f"  error ({e.get('code')}): {e.get('message')}")
for d in report.get("deps", []):
    if d.get("status") == "failed":
        print(f"  {d['dep']}: {d.get('detail', '')[:2000]}")
PY
        exit 1
    fi
    log "$name: $(python3 -c 'import json, sys; print("%.2f s" % json.load(open(sys.argv[1]))["wall"])' "$tmp/$name.time")"
}

# build NAME CACHE JOBS: build every dependency into the fresh prefix $tmp/NAME-prefix.
build() {
    run "$1" "$bin" --config "$config" --cache-dir "$2" --offline --json \
        build --prefix "$tmp/$1-prefix" --wasi-sdk "$sdk" -j "$3"
}

# cold NAME JOBS: a cold build in a fresh cache seeded with the sources only.
cold() {
    mkdir -p "$tmp/$1-cache"
    cp -a "$tmp/seed/sources.git" "$tmp/$1-cache/"
    log "$1: cold build, -j $2 ..."
    build "$1" "$tmp/$1-cache" "$2"
}

# --openssl: a copy of the config with OpenSSL pinned and locked.
if [ -n "$openssl" ]; then
    case $openssl in openssl-[0-9]*) ;; *) die "--openssl wants an openssl-<version> tag, not '$openssl'" ;; esac
    grep -q '^\[deps\.openssl\]' "$config" && die "$config already pins openssl; drop --openssl"
    { cat "$config"; printf '\n[deps.openssl]\ntag = "%s"\n' "$openssl"; } >"$tmp/deps-openssl.toml"
    echo "bench: locking $openssl in a copy of the config ..." >&2
    "$bin" --config "$tmp/deps-openssl.toml" --cache-dir "$tmp/seed" lock >"$tmp/lock.log" 2>&1 \
        || { cat "$tmp/lock.log" >&2; die "cannot lock $openssl"; }
    config=$tmp/deps-openssl.toml
fi

version=$("$bin" --version) || die "$bin --version failed"
log "$version | config $config | SDK $sdk ($(head -n1 "$sdk/VERSION")) | $(nproc) CPUs"
log "fetching the sources once into the seed cache ..."
run fetch "$bin" --config "$config" --cache-dir "$tmp/seed" fetch
[ -d "$tmp/seed/sources.git" ] || die "fetch made no $tmp/seed/sources.git (has the cache layout changed?)"

cold serial 1
cold parallel "$jobs"
log "warm: build into a fresh prefix from the parallel run's cache ..."
build warm "$tmp/parallel-cache" "$jobs"

# The remote cache: a PUT/GET server on 127.0.0.1, filled from the parallel run's cache.
mkdir -p "$tmp/remote-store"
python3 "$root/scripts/put_get_server.py" "$tmp/remote-store" --port 0 >"$tmp/server.out" 2>"$tmp/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; [ "$keep" = 1 ] || rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
    grep -q '^listening on' "$tmp/server.out" 2>/dev/null && break
    sleep 0.1
done
port=$(sed -n 's/^listening on \([0-9]*\).*/\1/p' "$tmp/server.out")
[ -n "$port" ] || die "the PUT/GET server did not start: $(cat "$tmp/server.log")"
remote_url=http://127.0.0.1:$port/cache
log "push: the parallel run's cache to $remote_url ..."
run push "$bin" --config "$config" --cache-dir "$tmp/parallel-cache" --remote-cache "$remote_url" cache push
mkdir -p "$tmp/remote-cache"
log "remote: cold build on an empty local cache, warm remote cache ..."
run remote "$bin" --config "$config" --cache-dir "$tmp/remote-cache" --remote-cache "$remote_url" \
    --remote-cache-mode read --json build --prefix "$tmp/remote-prefix" --wasi-sdk "$sdk" -j "$jobs"
"$bin" --cache-dir "$tmp/remote-cache" --json cache stats >"$tmp/remote-stats.json"
# The sources alone, for a machine that cannot reach the source: every pack from the remote.
mkdir -p "$tmp/remote-fetch-cache"
log "remote-fetch: every source from the remote, the source itself unreachable ..."
run remote-fetch "$bin" --config "$config" --cache-dir "$tmp/remote-fetch-cache" --remote-cache "$remote_url" \
    --remote-cache-mode read --source file:///nonexistent/cpython-source-deps.git fetch
"$bin" --cache-dir "$tmp/remote-fetch-cache" --json cache stats >"$tmp/remote-fetch-stats.json"

python3 - "$tmp" "$jobs" "$(nproc)" "$config" "$sdk" "$version" "$out" "$check" <<'PY'
import json, os, sys

tmp, jobs, cpus, config, sdk, version, out, check = sys.argv[1:9]
jobs, cpus, check = int(jobs), int(cpus), check == "1"

def load(name, ext):
    with open(os.path.join(tmp, name + ext)) as f:
        return json.load(f)

def manifest_files(name):
    m = load(name + "-prefix/wasi-externals", ".json")
    return {f["path"]: f["sha256"] for d in m["deps"].values() for f in d["files"]}

problems = []
runs = {}
for name, want in (("serial", "built"), ("parallel", "built"), ("warm", "cached"), ("remote", "cached")):
    deps = {d["dep"]: {"status": d["status"], "seconds": round(d["seconds"], 3),
                       "version": d.get("version")} for d in load(name, ".out")["deps"]}
    t = load(name, ".time")
    # CPUs' worth of work that was not ours while this run lasted.
    others = None if t["host_cpu"] is None else max(0.0, t["host_cpu"] - t["cpu"]) / t["wall"]
    runs[name] = {"seconds": round(t["wall"], 3), "cpu_seconds": round(t["cpu"], 3),
                  "others_cpus": None if others is None else round(others, 2), "deps": deps}
    for dep, d in deps.items():
        if d["status"] not in (want, "skipped"):
            problems.append(f"{name}: {dep} was {d['status']}, expected {want}")

serial = runs["serial"]["seconds"]
parallel = runs["parallel"]["seconds"]
warm = runs["warm"]["seconds"]
built = {k: v for k, v in runs["serial"]["deps"].items() if v["status"] == "built"}
if not built:
    sys.exit("bench: the serial run built nothing")
slowest = max(built, key=lambda k: built[k]["seconds"])
critical = built[slowest]["seconds"]
target = max(critical, serial / jobs)
par_target = parallel / target
warm_ratio = warm / parallel
remote = runs["remote"]["seconds"]
remote_ratio = remote / parallel
stats = load("remote-stats", ".json")
fetch_stats = load("remote-fetch-stats", ".json")
remote_fetch = load("remote-fetch", ".time")["wall"]

files = {name: manifest_files(name) for name in ("serial", "parallel", "warm", "remote")}
differ = sorted(p for p in set().union(*files.values())
                if len({f.get(p) for f in files.values()}) != 1)

others = {k: runs[k]["others_cpus"] for k in ("serial", "parallel")}
busy = any(v is not None and v > 0.25 for v in others.values())

goals = {"parallel_over_target_max": 1.15, "warm_over_cold_max": 0.02,
         "remote_over_cold_max": 0.05}
met = {"parallel_over_target": par_target <= goals["parallel_over_target_max"],
       "warm_over_cold": warm_ratio < goals["warm_over_cold_max"],
       "remote_over_cold": remote_ratio < goals["remote_over_cold_max"]}

ok = lambda b: "ok" if b else "MISSED"
rows = [
    ("serial cold build (-j 1)", f"{serial:8.2f} s"),
    (f"parallel cold build (-j {jobs})", f"{parallel:8.2f} s"),
    ("serial / parallel", f"{serial / parallel:8.2f} x"),
    ("slowest dep (serial run)", f"{critical:8.2f} s  {slowest}"),
    (f"target = max(critical, serial/{jobs})", f"{target:8.2f} s"),
    ("parallel / target", f"{par_target:8.3f}    goal <= 1.15  {ok(met['parallel_over_target'])}"),
    (f"warm build (-j {jobs}, all cached)", f"{warm:8.3f} s"),
    ("warm / parallel cold", f"{100 * warm_ratio:8.2f} %  goal < 2 %   {ok(met['warm_over_cold'])}"),
    (f"remote build (-j {jobs}, empty local cache)", f"{remote:8.3f} s  "
     f"{stats.get('hits')} hit(s), {stats.get('misses')} miss(es), "
     f"{stats.get('bytes_down', 0) / 2**20:.1f} MiB down"),
    ("remote fetch (sources only, source unreachable)", f"{remote_fetch:8.3f} s  "
     f"{fetch_stats.get('sources_down')} pack(s), {fetch_stats.get('bytes_down', 0) / 2**20:.1f} MiB down"),
    ("remote / parallel cold", f"{100 * remote_ratio:8.2f} %  goal < 5 %   {ok(met['remote_over_cold'])}"),
    ("prefixes byte-identical", "     yes" if not differ else f"      NO  ({len(differ)} files differ)"),
    ("others' CPU use (serial, parallel)",
     "       ?" if None in others.values() else f"{others['serial']:8.2f}, {others['parallel']:.2f} CPUs"),
]
width = max(len(r[0]) for r in rows)
print(f"wasi-externals build benchmark: {version}, {cpus} CPUs, SDK {sdk}")
print(f"config {config}")
for label, value in rows:
    print(f"  {label:<{width}}  {value}")
print("  per dep (seconds)       serial  parallel")
for dep in sorted(runs["serial"]["deps"]):
    s, p = runs["serial"]["deps"][dep], runs["parallel"]["deps"].get(dep, {})
    if s["status"] == "skipped":
        print(f"    {dep:<20} skipped")
    else:
        print(f"    {dep:<20} {s['seconds']:7.2f}   {p.get('seconds', 0):7.2f}")
# OpenSSL (--openssl): its own cold seconds, and what it does to the critical path.
openssl = None
if "openssl" in built:
    own = built["openssl"]["seconds"]
    rest = {k: v["seconds"] for k, v in built.items() if k != "openssl"}
    without = max(max(rest.values(), default=0.0), (serial - own) / jobs)
    openssl = {"cold_seconds": own,
               "parallel_run_seconds": runs["parallel"]["deps"]["openssl"]["seconds"],
               "critical_path_seconds": round(target, 3),
               "critical_path_without_seconds": round(without, 3),
               "share_of_critical_path": round(own / target, 4)}
    print(f"  openssl cold build (-j 1 run)     {own:8.2f} s  ({openssl['parallel_run_seconds']:.2f} s in the -j {jobs} run)")
    print(f"  critical path with / without it   {target:8.2f} s / {without:.2f} s  "
          f"(openssl alone is {100 * own / target:.0f} % of it)")
for p in differ:
    print(f"  differs: {p}")
for p in problems:
    print(f"  WARNING: {p}")
if busy:
    print(f"  WARNING: the host was busy: other processes used {others['serial']:.2f} CPUs during "
          f"the serial run and {others['parallel']:.2f} during the parallel one (of {cpus}); "
          f"the timings, the parallel ones most, are not trustworthy")

result = {
    "tool": version, "cpus": cpus, "jobs": jobs, "config": config, "sdk": sdk,
    "serial_seconds": serial, "parallel_seconds": parallel,
    "serial_over_parallel": round(serial / parallel, 3),
    "slowest_dep": slowest, "slowest_dep_seconds": critical,
    "target_seconds": round(target, 3),
    "parallel_over_target": round(par_target, 4),
    "warm_seconds": warm, "warm_over_cold": round(warm_ratio, 5),
    "remote_seconds": remote, "remote_over_cold": round(remote_ratio, 5), "remote_stats": stats,
    "remote_fetch_seconds": remote_fetch, "remote_fetch_stats": fetch_stats,
    "goals": goals, "goals_met": met,
    "prefixes_identical": not differ, "differing_files": differ,
    "others_cpus": others, "host_busy": busy,
    "problems": problems,
    "openssl": openssl,
    "runs": runs,
}
if out:
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
print(json.dumps(result, separators=(",", ":")))
if problems:
    sys.exit(1)
if check and not all(met.values()):
    sys.exit(3)
PY
