#!/usr/bin/env python3
"""A plain HTTP PUT/GET object server over a folder, for the remote-cache tests.

usage: put_get_server.py ROOT [--port N] [--stop-after N]

Listens on 127.0.0.1 only (port 0: any free port), prints `listening on PORT`
once ready, serves GET/HEAD of files below ROOT, stores PUT bodies atomically
(temp file, then rename; parent folders are made), answers MKCOL, and with
--stop-after N exits after answering N requests (a server that goes away in
the middle of a run).
"""

import argparse
import http.server
import os
import sys
import tempfile
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def target(self):
        rel = self.path.split("?", 1)[0].lstrip("/")
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") for p in parts):
            return None
        return os.path.join(self.server.root, *parts)

    def reply(self, code, body=b"", length=None):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self, head=False):
        path = self.target()
        if path is None or not os.path.isfile(path):
            self.reply(404)
        else:
            with open(path, "rb") as f:
                data = f.read()
            self.reply(200, b"" if head else data, len(data))
        self.server.count()

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_PUT(self):
        path = self.target()
        length = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(length)
        if path is None:
            self.reply(400)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".put-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
            self.reply(201)
        self.server.count()

    def do_MKCOL(self):
        path = self.target()
        if path is not None:
            os.makedirs(path, exist_ok=True)
        self.reply(201 if path is not None else 400)
        self.server.count()

    def log_message(self, fmt, *args):
        sys.stderr.write("put_get_server: " + (fmt % args) + "\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root, port, stop_after):
        super().__init__(("127.0.0.1", port), Handler)
        self.root = root
        self.left = stop_after
        self.lock = threading.Lock()

    def count(self):
        if self.left is None:
            return
        with self.lock:
            self.left -= 1
            if self.left == 0:
                self.wfile_flush_and_exit()

    def wfile_flush_and_exit(self):
        sys.stderr.write("put_get_server: request budget used up, stopping\n")
        sys.stderr.flush()
        os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stop-after", type=int, default=None)
    args = parser.parse_args()
    os.makedirs(args.root, exist_ok=True)
    server = Server(args.root, args.port, args.stop_after)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
