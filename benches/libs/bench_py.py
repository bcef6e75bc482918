"""The library benchmarks at the Python level, run inside python.wasm.

Usage: python bench_py.py [short|full] [--corpus FILE] [--only LIBS]

--corpus FILE compresses FILE's bytes (read round and round) instead of the
generated text; --only takes the C programs' names (zlib,bzip2,lzma,zstd,
sqlite,mpdec), comma-separated.

Prints the same RESULT lines as the C programs (scripts/bench-libs.sh reads
them): zlib, bz2, lzma, compression.zstd (when the build has it), sqlite3
and decimal, each the fastest of a few repetitions, each checked for a
correct round trip (exit 1 otherwise).
"""

import random
import sys
import time

args = sys.argv[1:]
short = bool(args) and args[0] == "short"


def option(name):
    """The value after NAME in the arguments, or None."""
    return args[args.index(name) + 1] if name in args[:-1] else None


ONLY = option("--only")


def wanted(c_name):
    """Whether --only names this library (by its C program's name)."""
    return ONLY is None or c_name in ONLY.split(",")


SIZE = (1 if short else 4) << 20
REPS = 2 if short else 3
failures = 0


def result(lib, op, unit, amount, seconds):
    print(f"RESULT\t{lib}\t{op}\t{unit}\t{amount:.6g}\t{seconds:.6f}", flush=True)


def best(fn):
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def check(ok, what):
    global failures
    if not ok:
        print(f"FAIL: {what}", file=sys.stderr)
        failures += 1


def corpus(size):
    rnd = random.Random(21)
    words = ["".join(rnd.choices("abcdefghijklmnopqrstuvwxyz", k=rnd.randint(2, 10)))
             for _ in range(4096)]
    weights = [1 / (i + 1) for i in range(len(words))]
    picks = rnd.choices(words, weights=weights, k=size // 5)
    lines = [" ".join(picks[i:i + 12]) for i in range(0, len(picks), 12)]
    return "\n".join(lines).encode()[:size]


def corpus_file(path, size):
    """SIZE bytes of the file, read round and round when it is shorter."""
    with open(path, "rb") as f:
        text = f.read(size)
    if not text:
        sys.exit(f"FAIL: corpus {path} is empty")
    return (text * (size // len(text) + 1))[:size]


data = corpus_file(option("--corpus"), SIZE) if option("--corpus") else corpus(SIZE)
print(f"python {sys.version.split()[0]}, corpus {len(data)} bytes", flush=True)
mb = len(data) / 1e6


def codec(lib, name, compress, decompress, part=1):
    block = data[: len(data) // part]
    t, comp = best(lambda: compress(block))
    result(lib, f"compress-{name}" if name else "compress", "MB", len(block) / 1e6, t)
    t, back = best(lambda: decompress(comp))
    check(back == block, f"{lib} {name} round trip")
    result(lib, f"decompress-{name}" if name else "decompress", "MB", len(block) / 1e6, t)


def bench_zlib():
    import zlib

    print(f"zlib {zlib.ZLIB_RUNTIME_VERSION}", flush=True)
    for level in (1, 6, 9):
        t, comp = best(lambda: zlib.compress(data, level))
        result("zlib", f"deflate-{level}", "MB", mb, t)
        t, back = best(lambda: zlib.decompress(comp))
        check(back == data, f"zlib level {level} round trip")
        result("zlib", f"inflate-{level}", "MB", mb, t)


def bench_bz2():
    import bz2

    codec("bz2", "9", lambda d: bz2.compress(d, 9), bz2.decompress, part=2)


def bench_lzma():
    import lzma

    codec("lzma", "6", lambda d: lzma.compress(d, preset=6), lzma.decompress, part=4)


def bench_zstd():
    try:
        from compression import zstd
    except ImportError:
        print("compression.zstd: not in this build", flush=True)
    else:
        codec("zstd", "3", lambda d: zstd.compress(d, 3), zstd.decompress)


def bench_sqlite():
    import sqlite3

    rows = 20000 if short else 100000
    items = [(i * 7919 % rows, data[i % 4000:i % 4000 + 24].decode("utf-8", "replace"), i * 0.5)
             for i in range(rows)]

    def inserts():
        con = sqlite3.connect(":memory:")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, name TEXT, v REAL)")
        con.execute("CREATE INDEX t_k ON t (k)")
        with con:
            con.executemany("INSERT INTO t (k, name, v) VALUES (?, ?, ?)", items)
        return con

    t, con = best(inserts)
    result("sqlite3", "insert", "rows", rows, t)
    t, found = best(lambda: sum(len(con.execute("SELECT name, v FROM t WHERE k = ?", (i,)).fetchall())
                                for i in range(rows)))
    check(found == rows, f"sqlite3 point queries found {found} of {rows}")
    result("sqlite3", "point-query", "rows", rows, t)
    t, _ = best(lambda: [con.execute("SELECT count(*), sum(v) FROM t WHERE name LIKE '%e%a%'").fetchone()
                         for _ in range(10)])
    result("sqlite3", "scan-query", "rows", 10 * rows, t)


def bench_decimal():
    import decimal

    D = decimal.Decimal
    ops = 30000 if short else 150000

    def arith():
        decimal.getcontext().prec = 28
        x, acc = D("1.000001"), D(0)
        for i in range(ops // 3):
            y = D(i + 7)
            acc += x * y
            q = acc / y
        return q

    t, _ = best(arith)
    result("decimal", "arith-28", "ops", ops // 3 * 3, t)

    def big():
        ctx = decimal.Context(prec=2000)
        x = ctx.sqrt(D(2))
        for _ in range(ops // 300):
            y = ctx.multiply(x, x)
        return y

    t, y = best(big)
    check(str(y).startswith(("2.0000000", "1.9999999")), f"sqrt(2)^2 = {str(y)[:20]}")
    result("decimal", "mul-2000", "ops", ops // 300, t)


# By the C programs' names, as --only takes them.
BENCHES = {"zlib": bench_zlib, "bzip2": bench_bz2, "lzma": bench_lzma, "zstd": bench_zstd,
           "sqlite": bench_sqlite, "mpdec": bench_decimal}
for name, bench in BENCHES.items():
    if wanted(name):
        bench()
sys.exit(1 if failures else 0)
