"""Load test of `kg serve`, on loopback only: the shipped queries at 1, 10 and 50 clients, and each query alone.

    python bench/load.py                      # the store of tests/dev and of the real pages
    python bench/load.py --requests 400

It builds each corpus into an Oxigraph store with `kg build --store`, starts `kg serve` on it as a user would,
and prints for each number of clients the throughput (requests/s) and the p50/p95/p99 latency over
`--requests` requests of the eight shipped queries (examples/queries/*.rq), every answer checked against the
one a single client gets; then each shipped query alone (best of 3), against the target of 1 s. Bounded: a fixed
number of requests, one machine, 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))
CORPORA = {"tests/dev": ROOT / "tests" / "dev", "real pages": ROOT.parent / "shared" / "eval" / "real" / "corpus"}


def kg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def ask(port: int, query: str) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{port}/query?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/csv"}), timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def serve(store: Path) -> tuple[int, subprocess.Popen]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = kg("serve", "--store", str(store), "--port", str(port))
    for _ in range(300):
        try:
            ask(port, "ASK {}")
            return port, server
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"kg serve did not start: {server.stderr.read() if server.stderr else ''}")


def load(port: int, clients: int, requests: int, expected: dict[str, tuple[int, bytes]]) -> str:
    """Throughput and latency percentiles for `requests` requests spread over `clients` threads."""
    texts = [(q.name, q.read_text(encoding="utf-8")) for q in QUERIES]
    latencies: list[float] = []
    errors: list[str] = []

    def client(i: int) -> None:
        for n in range(i, requests, clients):
            name, text = texts[n % len(texts)]
            started = time.perf_counter()
            answer = ask(port, text)
            latencies.append(time.perf_counter() - started)
            if answer != expected[name]:
                errors.append(f"{name}: {answer[0]}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return (f"{clients:>3} clients | {len(latencies) / wall:7.1f} req/s | p50 {cuts[49] * 1000:6.0f} ms  "
            f"p95 {cuts[94] * 1000:6.0f} ms  p99 {cuts[98] * 1000:6.0f} ms | errors {len(errors)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per run")
    args = parser.parse_args()
    for title, corpus in CORPORA.items():
        if not corpus.is_dir():
            continue
        with tempfile.TemporaryDirectory() as tmp:
            built = kg("build", str(corpus), "-o", f"{tmp}/out", "-f", "nq", "-q", "--no-cache",
                       "--store", f"{tmp}/db")
            built.wait()
            port, server = serve(Path(tmp) / "db")
            try:
                alone = {}
                for q in QUERIES:
                    times = []
                    for _ in range(3):
                        started = time.perf_counter()
                        ask(port, q.read_text(encoding="utf-8"))
                        times.append(time.perf_counter() - started)
                    alone[q.name] = min(times)
                expected = {q.name: ask(port, q.read_text(encoding="utf-8")) for q in QUERIES}
                print(f"{title}: each shipped query alone (target ≤ 1 s)")
                for name, seconds in alone.items():
                    print(f"  {name:<34} {seconds * 1000:7.0f} ms {'ok' if seconds <= 1 else 'SLOW'}")
                for clients in (1, 10, 50):
                    print(f"  {load(port, clients, args.requests, expected)}")
            finally:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()
