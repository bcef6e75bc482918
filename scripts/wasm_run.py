"""Run a WASI (preview1) command module with wasmtime-py.

A small stand-in for `wasmtime run` (the CLI is not installed here), usable
as CPython's `Tools/wasm/wasi.py --host-runner`:

    wasm-run [run] [--dir HOST::GUEST | --dir DIR]... [--env K=V | --env K]...
             [--wasm max-wasm-stack=N]... [--] MODULE.wasm [ARGS...]

Option parsing stops at the module path: everything after it is the module's.
stdin/stdout/stderr are inherited, argv[0] is MODULE as given, the process
exits with the module's exit code; a trap prints the error on stderr and
exits with 134 (as `wasmtime run` does on Unix).
"""

import os
import signal
import sys

PROG = "wasm-run"
USAGE = (
    f"usage: {PROG} [--dir HOST::GUEST | --dir DIR]... [--env K=V]... "
    "[--wasm max-wasm-stack=N]... [--] MODULE.wasm [ARGS...]"
)

# wasmtime's C API enables async support, whose fiber stack is 2 MiB and
# cannot be configured from wasmtime-py; max_wasm_stack above it makes
# Engine creation panic (abort), so larger requests are capped below it.
ASYNC_STACK_SIZE = 2 * 1024 * 1024
MAX_WASM_STACK_CAP = ASYNC_STACK_SIZE - 64 * 1024

EXIT_TRAP = 134  # 128 + SIGABRT, like `wasmtime run` on Unix
EXIT_ERROR = 1
EXIT_USAGE = 2


def warn(msg):
    print(f"{PROG}: warning: {msg}", file=sys.stderr, flush=True)


def fail(msg, code=EXIT_ERROR):
    print(f"{PROG}: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def parse_size(text):
    text = text.strip().lower()
    units = {"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20,
             "g": 1 << 30, "gib": 1 << 30}
    for suffix, mult in sorted(units.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix):
            return int(text[: -len(suffix)], 0) * mult
    return int(text, 0)


class Options:
    def __init__(self):
        self.dirs = []  # (host, guest)
        self.env = []  # (name, value)
        self.inherit_env = False
        self.max_wasm_stack = None
        self.module = None
        self.args = []


def parse_args(argv):
    opts = Options()
    i = 0
    if argv and argv[0] == "run" and not os.path.exists("run"):
        i = 1  # accept `wasm-run run ...` like `wasmtime run ...`

    def value(name, inline):
        nonlocal i
        if inline is not None:
            return inline
        i += 1
        if i >= len(argv):
            fail(f"option {name} needs a value\n{USAGE}", EXIT_USAGE)
        return argv[i]

    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if not arg.startswith("-") or arg == "-":
            break
        if arg in ("-h", "--help"):
            print(__doc__.strip())
            sys.exit(0)
        name, inline = arg, None
        if arg.startswith("--") and "=" in arg:
            name, inline = arg.split("=", 1)
        elif len(arg) > 2 and arg[:2] in ("-W", "-S"):
            name, inline = arg[:2], arg[2:]

        if name == "--dir":
            spec = value(name, inline)
            host, sep, guest = spec.partition("::")
            opts.dirs.append((host, guest if sep else host))
        elif name == "--mapdir":  # old wasmtime syntax: GUEST::HOST
            spec = value(name, inline)
            guest, sep, host = spec.partition("::")
            if not sep:
                fail(f"--mapdir expects GUEST::HOST, got {spec!r}", EXIT_USAGE)
            opts.dirs.append((host, guest))
        elif name == "--env":
            spec = value(name, inline)
            key, sep, val = spec.partition("=")
            if not sep:  # `--env NAME` takes the host's value, as wasmtime does
                if key in os.environ:
                    opts.env.append((key, os.environ[key]))
            else:
                opts.env.append((key, val))
        elif name in ("--wasm", "-W"):
            for item in value(name, inline).split(","):
                key, _, val = item.partition("=")
                key = key.strip()
                if key == "max-wasm-stack":
                    try:
                        opts.max_wasm_stack = parse_size(val)
                    except ValueError:
                        fail(f"bad max-wasm-stack value {val!r}", EXIT_USAGE)
                elif key:
                    warn(f"ignoring unsupported --wasm option {item!r}")
        elif name in ("--wasi", "-S"):
            for item in value(name, inline).split(","):
                key, _, val = item.partition("=")
                if key.strip() == "inherit-env" and val.strip().lower() in ("", "y", "yes", "true"):
                    opts.inherit_env = True
                elif key.strip():
                    warn(f"ignoring unsupported --wasi option {item!r} (preview1 only)")
        else:
            fail(f"unknown option {arg!r}\n{USAGE}", EXIT_USAGE)
        i += 1

    if i >= len(argv):
        fail(f"no module given\n{USAGE}", EXIT_USAGE)
    opts.module = argv[i]
    opts.args = argv[i + 1:]
    return opts


def run(opts):
    import wasmtime

    config = wasmtime.Config()
    cache = os.environ.get("WASM_RUN_CACHE", "1")
    if cache not in ("0", ""):
        try:
            # "1": wasmtime's default cache (~/.cache/wasmtime); else a TOML file.
            config.cache = True if cache == "1" else cache
        except wasmtime.WasmtimeError as e:
            warn(f"compilation cache disabled: {e}")
    if opts.max_wasm_stack is not None:
        size = opts.max_wasm_stack
        if size > MAX_WASM_STACK_CAP:
            size = MAX_WASM_STACK_CAP
        config.max_wasm_stack = size

    engine = wasmtime.Engine(config)
    try:
        module = wasmtime.Module.from_file(engine, opts.module)
    except OSError as e:
        fail(f"cannot read module {opts.module!r}: {e.strerror or e}")
    except wasmtime.WasmtimeError as e:
        fail(f"cannot compile module {opts.module!r}: {e}")

    wasi = wasmtime.WasiConfig()
    wasi.argv = [opts.module] + opts.args
    env = list(os.environ.items()) if opts.inherit_env else []
    wasi.env = env + opts.env
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    for host, guest in opts.dirs:
        if not os.path.isdir(host):
            fail(f"--dir: {host!r} is not a directory")
        try:
            wasi.preopen_dir(host, guest)
        except wasmtime.WasmtimeError as e:
            fail(f"--dir {host}::{guest}: {e}")

    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        instance = linker.instantiate(store, module)
    except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
        if isinstance(e, wasmtime.ExitTrap):
            return e.code
        fail(f"cannot instantiate {opts.module!r}: {e}")

    exports = instance.exports(store)
    try:
        start = exports["_start"]
    except KeyError:
        fail(f"{opts.module!r} exports no _start function (not a WASI command)")

    # Let Ctrl-C end the process as it would a native program: Python's own
    # handler only sets a flag that wasm code never looks at.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        start(store)
    except wasmtime.ExitTrap as e:
        return e.code
    except wasmtime.Trap as e:
        # (the message carries the wasm backtrace already)
        print(f"Error: failed to run main module `{opts.module}`\n\n"
              f"Caused by:\n    {e.message}", file=sys.stderr, flush=True)
        return EXIT_TRAP
    except wasmtime.WasmtimeError as e:
        print(f"Error: failed to run main module `{opts.module}`\n\n"
              f"Caused by:\n    {e}", file=sys.stderr, flush=True)
        return EXIT_TRAP
    return 0


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    code = run(opts)
    sys.stdout.flush()
    sys.stderr.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
