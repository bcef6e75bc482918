#!/usr/bin/env bash
# scripts/import-graph.sh [SRC_DIR] — the module graph of the crate, from its paths.
#
# Reads every .rs file below SRC_DIR (default: the repo's src/) and collects the
# top-level modules each one names: `use crate::x…`, `use crate::{x, y::…}`,
# inline `crate::x::…` paths, and `wasi_externals::x…` in the binary's cli/.
# `crate::Error` counts as the `error` module. Comment lines are skipped.
#
# Prints one line per file (`src/cache/entry.rs -> fsutil key relpath`), then
# one line per top-level module with the modules it depends on, then either
# "no cycle between top-level modules" (exit 0) or each cycle found (exit 1).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-$root/src}"
[[ -d "$src" ]] || { echo "import-graph: no folder $src" >&2; exit 2; }
command -v python3 >/dev/null || { echo "import-graph: python3 is needed" >&2; exit 2; }

exec python3 - "$src" <<'PY'
import os, re, sys

src = sys.argv[1]
files = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".rs")
)
rel = lambda p: os.path.relpath(p, os.path.dirname(src.rstrip("/")))

def module_of(path):
    first = os.path.relpath(path, src).split(os.sep)[0]
    return first[:-3] if first.endswith(".rs") else first

roots = {"lib", "main"}
modules = {module_of(f) for f in files} - roots

def top_items(group):
    """The first names of the items of a `{…}` group, at brace depth 0."""
    depth, item, names = 0, "", []
    for ch in group:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            names.append(item)
            item = ""
        else:
            item += ch
    names.append(item)
    return [re.split(r"\W", n.strip(), maxsplit=1)[0] for n in names if n.strip()]

def deps_of(path):
    with open(path, encoding="utf-8") as fh:
        text = "\n".join(l for l in fh if not l.lstrip().startswith("//"))
    names = set()
    for prefix in ("crate", "wasi_externals"):
        for group in re.finditer(prefix + r"::\{", text):
            depth, i = 1, group.end()
            while depth and i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            names.update(top_items(text[group.end() : i - 1]))
        names.update(re.findall(r"\b" + prefix + r"::([A-Za-z_]\w*)", text))
    if "Error" in names:
        names.add("error")
    return sorted((names & modules) - {module_of(path)})

edges = {m: set() for m in modules}
for f in files:
    deps = deps_of(f)
    print(f"{rel(f)} -> {' '.join(deps) if deps else '(none)'}")
    if module_of(f) in edges:
        edges[module_of(f)].update(deps)

print()
for m in sorted(edges):
    print(f"{m}: {' '.join(sorted(edges[m])) or '(none)'}")

# Tarjan's strongly connected components: any with more than one module is a cycle.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(edges[v]):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        scc = []
        while True:
            w = stack.pop()
            on.discard(w)
            scc.append(w)
            if w == v:
                break
        sccs.append(sorted(scc))
sys.setrecursionlimit(10000)
for m in sorted(edges):
    if m not in index:
        visit(m)

cycles = [s for s in sccs if len(s) > 1]
print()
if not cycles:
    print(f"no cycle between top-level modules ({len(modules)} modules, {len(files)} files)")
    sys.exit(0)
for scc in cycles:
    inner = [f"{a} -> {b}" for a in scc for b in sorted(edges[a]) if b in scc]
    print(f"cycle between {', '.join(scc)}: {'; '.join(inner)}")
sys.exit(1)
PY
