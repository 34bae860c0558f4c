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
import http.client
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FORWARDED = ("Content-Type", "Accept")
WRITES = ("/update", "/store")
MAX_BODY = 64 << 20  # a query, an update or a graph sent to /store
HELD = 1 << 20  # an answer up to this size is held and sent whole, with its status decided at the end
PIECE = 1 << 16
# What a query's text holds that is not a keyword: comments, strings (long ones first) and IRIs.
NOT_KEYWORDS = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                          r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')
SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)


def uses_service(text: str) -> bool:
    """Whether a query or update asks for a federated SERVICE call (a keyword, not a word in a string or IRI)."""
    return bool(SERVICE.search(NOT_KEYWORDS.sub(" ", text)))


def with_prefixes(text: str, prologue: str) -> str:
    """The query with kg's prefixes declared first, as `kg query` has them; its own PREFIX lines come after and
    win where they name the same prefix."""
    return prologue + text


class BadRequest(Exception):
    """A request the guard answers with 4xx itself; the message is the body."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


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


class Pool:
    """Backends that answer one request each at a time: a request cut at a limit restarts only its own backend,
    so the queries running on the others go on."""

    def __init__(self, backends: list[Backend]) -> None:
        self.backends = backends
        self.idle: queue.Queue[Backend] = queue.Queue()
        for backend in backends:
            self.idle.put(backend)

    def take(self, wait: float) -> Backend | None:
        try:
            return self.idle.get(timeout=wait)
        except queue.Empty:
            return None

    def give(self, backend: Backend, broken: bool) -> None:
        """Back to the pool; a backend whose answer was cut is restarted first, out of the request's way."""
        if not broken:
            self.idle.put(backend)
            return
        threading.Thread(target=self._renew, args=(backend,), daemon=True).start()

    def _renew(self, backend: Backend) -> None:
        backend.restart()
        self.idle.put(backend)

    def stop(self) -> None:
        for backend in self.backends:
            backend.stop()


def _die_with_parent() -> None:
    """Linux: the backend gets SIGKILL when the thread that started it ends (the guard's keeper)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class Policy:
    """What the guard lets through: writes, SERVICE calls, and which browser pages may call it (CORS)."""

    def __init__(self, port: int, timeout: float, allow_update: bool, allow_service: bool, prologue: str,
                 max_bytes: int = 1 << 30) -> None:
        self.timeout, self.allow_update, self.allow_service = timeout, allow_update, allow_service
        self.prologue, self.max_bytes = prologue, max_bytes
        self.own_origins = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
        self.public = f"http://127.0.0.1:{port}"

    def methods(self) -> str:
        return "GET, HEAD, POST, OPTIONS" + (", PUT, DELETE" if self.allow_update else "")

    def cors(self) -> dict[str, str]:
        """Any page may read a read-only endpoint; a writable one answers no page but its own."""
        return {} if self.allow_update else {"Access-Control-Allow-Origin": "*"}


def read_body(headers, stream) -> bytes | None:
    """The request body, by Content-Length or chunked, bounded; a malformed one is a BadRequest."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return _read_chunks(stream)
    raw = headers.get("Content-Length")
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise BadRequest(400, f"Content-Length {raw!r} is not a number of bytes")
    if int(raw) > MAX_BODY:
        raise BadRequest(413, f"the body is larger than {MAX_BODY >> 20} MB")
    return stream.read(int(raw)) if int(raw) else None


def _read_chunks(stream) -> bytes:
    parts, total = [], 0
    while True:
        line = stream.readline(1024)
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            raise BadRequest(400, "malformed chunked body") from None
        if size == 0:
            while stream.readline(1024).strip():  # trailers
                pass
            return b"".join(parts)
        total += size
        if total > MAX_BODY:
            raise BadRequest(413, f"the body is larger than {MAX_BODY >> 20} MB")
        parts.append(stream.read(size))
        stream.readline(8)  # the chunk's CRLF


def rewrite(command: str, path: str, content_type: str, body: bytes | None, policy: Policy) -> tuple[str, bytes | None]:
    """The path and body to send on: kg's prefixes declared in a query or update, a SERVICE call refused."""
    route, _, query_string = path.partition("?")
    end = route.rstrip("/")
    kind = "query" if end.endswith("/query") else "update" if end.endswith("/update") else ""
    if not kind:
        return path, body
    if body is not None and command == "POST" and content_type.startswith(f"application/sparql-{kind}"):
        return path, _checked(body.decode("utf-8", "replace"), policy).encode("utf-8")
    form = body is not None and command == "POST" and content_type.startswith("application/x-www-form-urlencoded")
    params = urllib.parse.parse_qsl(body.decode("utf-8", "replace") if form else query_string, keep_blank_values=True)
    if not any(k == kind for k, _ in params):
        if form or command in {"GET", "HEAD"}:
            raise BadRequest(400, f"no {kind}: send {route}?{kind}=… or POST the {kind}")
        return path, body
    params = [(k, _checked(v, policy) if k == kind else v) for k, v in params]
    if form:
        return path, urllib.parse.urlencode(params).encode("ascii")
    return f"{route}?{urllib.parse.urlencode(params)}", body


def _checked(text: str, policy: Policy) -> str:
    if not policy.allow_service and uses_service(text):
        raise BadRequest(403, "SERVICE refused: this endpoint makes no requests to other servers "
                              "(start it with --allow-service to allow federated queries)")
    return with_prefixes(text, policy.prologue)


class Guard(BaseHTTPRequestHandler):
    """One request: checked, rewritten, sent on to the backend, answered (`handler` binds backend and policy)."""

    protocol_version = "HTTP/1.1"
    pool: Pool
    policy: Policy

    def log_message(self, fmt: str, *args: object) -> None:  # quiet: the CLI prints what matters
        return

    def reply(self, code: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.policy.cors().items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def forward(self) -> None:
        try:
            path, body = self.checked()
        except BadRequest as exc:
            self.reply(exc.code, f"{exc}\n".encode())
            return
        deadline = time.monotonic() + self.policy.timeout
        backend = self.pool.take(self.policy.timeout)
        if backend is None:
            self.reply(503, f"every backend stayed busy for {self.policy.timeout:g} s; try again\n".encode())
            return
        broken = True
        try:
            broken = self.relay(backend, path, body, deadline)
        finally:
            self.pool.give(backend, broken)

    def relay(self, backend: Backend, path: str, body: bytes | None, deadline: float) -> bool:
        """Send the request on and the answer back; True when the backend had to be cut off (and restarted)."""
        headers = {h: self.headers[h] for h in FORWARDED if self.headers.get(h)}
        method = "GET" if self.command == "HEAD" else self.command  # HEAD: the GET's headers, without its body
        conn = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=self.policy.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            held = self.hold(answer, conn, deadline)
            if held is None:
                self.reply(503, f"the query ran longer than {self.policy.timeout:g} s and was stopped\n".encode())
                return True
            content_type = answer.getheader("Content-Type", "text/plain")
            if len(held) <= HELD:
                self.reply(answer.status, held.replace(backend.url.encode(), self.policy.public.encode()),
                           content_type)
                return False
            return self.stream(answer, conn, held, content_type, deadline)
        except OSError:  # the backend stopped or did not answer in time before the answer began
            self.reply(503, f"the query ran longer than {self.policy.timeout:g} s and was stopped\n".encode())
            return True
        finally:
            conn.close()

    def hold(self, answer: http.client.HTTPResponse, conn: http.client.HTTPConnection,
             deadline: float) -> bytes | None:
        """The answer, whole if it fits in HELD bytes (else its first HELD+ bytes); None if time ran out first."""
        held = b""
        while len(held) <= HELD:
            piece = _read(answer, conn, deadline)
            if piece is None:
                return None
            if not piece:
                break
            held += piece
        return held

    def stream(self, answer: http.client.HTTPResponse, conn: http.client.HTTPConnection, held: bytes,
               content_type: str, deadline: float) -> bool:
        """A large answer, sent as it comes (chunked). Cut at the time or size limit, it ends without its last
        chunk and the connection closes: every HTTP client reports an incomplete answer, never a whole one."""
        self.send_response(answer.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in self.policy.cors().items():
            self.send_header(name, value)
        self.end_headers()
        sent, piece = 0, held
        while piece:
            sent += len(piece)
            if sent > self.policy.max_bytes:
                break
            if self.command != "HEAD":
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            piece = _read(answer, conn, deadline)
        if piece == b"" and sent <= self.policy.max_bytes:
            self.wfile.write(b"0\r\n\r\n")
            return False
        self.close_connection = True
        return True

    def checked(self) -> tuple[str, bytes | None]:
        if not self.path.startswith("/"):
            raise BadRequest(400, "the request target must be a path such as /query")
        writing = self.command in {"PUT", "DELETE"} or (
            self.command == "POST" and self.path.split("?")[0].rstrip("/").endswith(WRITES))
        if writing and not self.policy.allow_update:
            raise BadRequest(403, "read-only endpoint: start it with --allow-update to change the store")
        origin = self.headers.get("Origin")
        if writing and origin and origin not in self.policy.own_origins:
            raise BadRequest(403, f"a write from another site ({origin}) is refused")
        body = read_body(self.headers, self.rfile)
        return rewrite(self.command, self.path, self.headers.get("Content-Type") or "", body, self.policy)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = forward

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        for name, value in self.policy.cors().items():
            self.send_header(name, value)
        self.send_header("Access-Control-Allow-Methods", self.policy.methods())
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()


def _read(answer: http.client.HTTPResponse, conn: http.client.HTTPConnection, deadline: float) -> bytes | None:
    """The next piece of the answer (b"" at its end), or None once the deadline has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    if conn.sock is not None:
        conn.sock.settimeout(left)
    try:
        return answer.read1(PIECE)
    except TimeoutError:
        return None


def handler(pool: Pool, policy: Policy) -> type[BaseHTTPRequestHandler]:
    """The request handler class for one endpoint."""
    return type("BoundGuard", (Guard,), {"pool": pool, "policy": policy})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients at once queue instead of being refused

    def handle_error(self, request, client_address) -> None:
        """A client that breaks the protocol or hangs up is one line in the log, not a traceback."""
        print(f"kg serve: dropped a request from {client_address[0]} ({sys.exc_info()[1]!r})", file=sys.stderr)


def _keeps_union(store: Path) -> bool:
    """Whether the store's default graph holds the union of its named graphs (`kg.store.keep_union`)."""
    import pyoxigraph

    from .store import has_union

    try:
        opened = pyoxigraph.Store.read_only(str(store))
    except OSError:
        return False  # the server itself will say what is wrong with the folder
    try:
        return has_union(opened)
    finally:
        del opened


def run(oxigraph: str, store: Path, port: int, policy: Policy, backends: int = 2) -> None:
    """Serve until interrupted, on 127.0.0.1 only. A writable store has one backend (one process may write)."""
    mode = "serve" if policy.allow_update else "serve-read-only"
    union = [] if _keeps_union(store) else ["--union-default-graph"]  # a store kg wrote holds the union itself
    started = []
    try:
        for _ in range(1 if policy.allow_update else max(1, backends)):
            inner = free_port()
            started.append(Backend([oxigraph, mode, "--location", str(store), "--bind", f"127.0.0.1:{inner}",
                                    *union, "--timeout-s", str(max(1, int(policy.timeout)))],
                                   inner))
        pool = Pool(started)
        signal.signal(signal.SIGTERM, _stop)  # `kill` stops the endpoint as Ctrl-C does, backends included
        server = _Server(("127.0.0.1", port), handler(pool, policy))
        try:
            server.serve_forever()
        finally:
            server.server_close()
    finally:
        for backend in started:
            backend.stop()
