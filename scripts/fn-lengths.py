#!/usr/bin/env python3
"""fn-lengths.py [DIR] [LIMIT]: the Rust functions in DIR (default src) longer
than LIMIT lines (default 60), longest first, as `lines path:line name`.

What issue 17 measures ("at most 2 functions over 60 lines"). It counts a
function from its `fn` line to the closing brace at the same indentation, as
rustfmt lays code out; exits 0 either way (a report, not a gate).
"""
import os
import re
import sys

FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def lengths(root):
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            for i, line in enumerate(lines):
                m = FN.match(line)
                if not m or line.rstrip().endswith((";", "}")):
                    continue
                end = next((j for j in range(i, len(lines)) if lines[j] == m.group(1) + "}"), i)
                yield end - i + 1, path, i + 1, m.group(7)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "src"
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    long = sorted((f for f in lengths(root) if f[0] > limit), reverse=True)
    for n, path, line, name in long:
        print(f"{n} {path}:{line} {name}")
    print(f"{len(long)} functions over {limit} lines in {root}", file=sys.stderr)


main()
