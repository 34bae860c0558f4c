"""The SPARQL 1.1 Protocol endpoint: Oxigraph's server behind a guard that bounds query time.

Oxigraph answers the protocol (queries, updates, the Graph Store Protocol),
but its own time limit does not stop every query (a large aggregate runs on).
The guard forwards each request to a private Oxigraph process and, when an
answer takes longer than the limit, replies 503 and restarts that process,
so one runaway query cannot hold the endpoint. It listens on loopback only
and refuses writes unless updates are allowed.
"""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FORWARDED = ("Content-Type", "Accept")
WRITES = ("/update", "/store")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Backend:
    """A private Oxigraph server process, restarted on demand.

    The process is always started from one long-lived thread: on Linux it is
    tied to that thread's life (PR_SET_PDEATHSIG), so it dies with the guard
    however the guard dies, and not when a request's thread ends.
    """

    def __init__(self, command: list[str], port: int) -> None:
        self.command, self.port = command, port
        self.process: subprocess.Popen | None = None
        self.wanted = threading.Event()
        self.ready = threading.Event()
        self.error: str = ""
        threading.Thread(target=self._keep, daemon=True).start()
        self.ready.wait()
        if self.error:
            raise RuntimeError(self.error)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _keep(self) -> None:
        while True:
            self.stop()
            try:
                self._start()
                self.error = ""
            except RuntimeError as exc:
                self.error = str(exc)
            self.ready.set()
            self.wanted.wait()
            self.wanted.clear()

    def _start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the Oxigraph server stopped (exit {self.process.returncode})") from None
                time.sleep(0.1)
        raise RuntimeError("the Oxigraph server did not start within 30 s")

    def restart(self) -> None:
        """Kill the process (ending a runaway query) and wait for a fresh one."""
        if self.ready.is_set():
            self.ready.clear()
            self.wanted.set()
        self.ready.wait(timeout=60)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _die_with_parent() -> None:
    """Linux: the backend gets SIGKILL when the thread that started it ends (the guard's keeper)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def handler(backend: Backend, timeout: float, allow_update: bool) -> type[BaseHTTPRequestHandler]:
    class Guard(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: object) -> None:  # quiet: the CLI prints what matters
            return

        def reply(self, code: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def forward(self) -> None:
            writing = self.command in {"PUT", "DELETE"} or (
                self.command == "POST" and self.path.split("?")[0].rstrip("/").endswith(WRITES))
            if writing and not allow_update:
                self.reply(403, b"read-only endpoint: start it with --allow-update to change the store\n")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {h: self.headers[h] for h in FORWARDED if self.headers.get(h)}
            request = urllib.request.Request(backend.url + self.path, data=body, method=self.command, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout) as answer:
                    self.reply(answer.status, answer.read(), answer.headers.get("Content-Type", "text/plain"))
            except urllib.error.HTTPError as exc:
                self.reply(exc.code, exc.read(), exc.headers.get("Content-Type", "text/plain"))
            except (TimeoutError, urllib.error.URLError):
                backend.restart()
                self.reply(503, f"the query ran longer than {timeout:g} s and was stopped\n".encode())

        do_GET = do_POST = do_PUT = do_DELETE = forward

        def do_OPTIONS(self) -> None:
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Guard


def run(oxigraph: str, store: Path, port: int, allow_update: bool, timeout: float) -> None:
    """Serve until interrupted, on 127.0.0.1 only."""
    inner = free_port()
    mode = "serve" if allow_update else "serve-read-only"
    backend = Backend([oxigraph, mode, "--location", str(store), "--bind", f"127.0.0.1:{inner}",
                       "--union-default-graph", "--timeout-s", str(max(1, int(timeout)))], inner)
    signal.signal(signal.SIGTERM, _stop)  # `kill` stops the endpoint as Ctrl-C does, backend included
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(backend, timeout, allow_update))
    server.daemon_threads = True
    try:
        server.serve_forever()
    finally:
        server.server_close()
        backend.stop()
