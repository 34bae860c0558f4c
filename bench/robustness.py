"""Robustness figures: how `kg build` holds up on inputs a careful user or an attacker could give it.

    python bench/robustness.py                  # every section: big articles (1, 2, 4, 8 MB, 5 MB without
                                                # punctuation, dotted words), then interruptions
    python bench/robustness.py --limit          # … and one 19 MB article, just under the 20 MB file limit
    python bench/robustness.py --only big-files --sizes 1,2
    python bench/robustness.py --only interruptions    # a store rebuild interrupted, a parallel build killed

Each section is a named case: a function that runs its builds (each `kg
build` a subprocess of its own, local, no network, bounded by a timeout) and
returns rows to print; a new section is one more function in `CASES`.

big-files: one article of each size, made of real article text: the body
paragraphs of every article bundled in the repository (examples/corpus,
tests/dev, tests/real/*/corpus), in a fixed shuffled order, repeated until
the size is reached, under one title line. So it reads like one very long
news article: real sentences, real names of agencies, people and places,
each mentioned many times. The article without punctuation is the same text
with every sentence mark (. ! ? ; : , …) and every line break removed: one
5 MB line that no sentence splitter can cut; the last article is one line
of dotted words ("ab.ab.ab…": a full stop every three characters, where the
sentence splitter looks back for an abbreviation). For each build it prints the
time, the time per MB, that figure against the 1 MB article's (target:
within 1.5× up to 8 MB) and the peak memory of the build process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("examples/corpus", "tests/dev", "tests/real")
TIMEOUT = 1800  # seconds for one build: a build slower than this is reported, not waited for
_PUNCTUATION = re.compile(r"[.!?;:,…\n]+")


def paragraphs() -> list[str]:
    """Body paragraphs (title lines left out) of the articles bundled in the repository, in a fixed order."""
    found: list[str] = []
    for corpus in CORPORA:
        for path in sorted((ROOT / corpus).rglob("*.txt")):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            found += lines[1:]
    unique = sorted(set(found))
    random.Random(14).shuffle(unique)
    return unique


def article(megabytes: float, punctuation: bool = True) -> str:
    """One article of about `megabytes` MB (UTF-8) of real paragraphs; without punctuation, one line."""
    body, size, pieces = paragraphs(), 0, ["Tổng hợp tin ngành Công Thương các địa phương"]
    target = int(megabytes * 1_000_000)
    while size < target:
        for p in body:
            pieces.append(p)
            size += len(p.encode("utf-8")) + 1
            if size >= target:
                break
    text = "\n".join(pieces) + "\n"
    if not punctuation:
        text = _PUNCTUATION.sub(" ", text).strip() + "\n"
    return text


@dataclass
class Run:
    """One `kg build` in a subprocess: its wall and CPU time, peak memory and exit status."""

    seconds: float
    cpu: float  # user + system: on a machine shared with other work, steadier than the wall time
    peak_mb: float
    code: int | None  # None: stopped at the timeout


def kg_build(source: Path, out: Path, timeout: float = TIMEOUT) -> Run:
    """`kg build source -o out` in a child process; its own peak memory, from `os.wait4`."""
    command = [sys.executable, "-m", "kg", "build", str(source), "-o", str(out), "-f", "nq", "-q", "--no-cache"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               None if code == -signal.SIGKILL else code)


Row = tuple[str, ...]


def big_files(args: argparse.Namespace) -> list[Row]:
    """One article per size, and one without punctuation: time, time per MB against 1 MB, peak memory."""
    sizes = [float(s) for s in args.sizes.split(",")]
    if args.limit:
        sizes.append(19.0)
    cases: list[tuple[str, Callable[[], str]]] = [(f"{s:g} MB", partial(article, s)) for s in sizes]
    cases += [(f"{args.flat:g} MB, no punctuation", partial(article, args.flat, False)),
              ("1 MB of ab.ab.ab…", lambda: "ab." * 333_333 + "\n")]
    rows: list[Row] = [("article", "MB", "seconds", "s/MB", "vs first", "CPU s/MB", "vs first", "peak MB", "exit")]
    first: tuple[float, float] | None = None
    with tempfile.TemporaryDirectory(prefix="kg-robust-") as d:
        for name, make in cases:
            path = Path(d) / "article.txt"
            path.write_text(make(), encoding="utf-8")
            mb = path.stat().st_size / 1e6
            print(f"  building the {name} article …", file=sys.stderr, flush=True)
            run = kg_build(path, Path(d) / "out", args.timeout)
            per_mb, cpu_per_mb = run.seconds / mb, run.cpu / mb
            first = first or (per_mb, cpu_per_mb)
            rows.append((name, f"{mb:.2f}", f"{run.seconds:.1f}", f"{per_mb:.2f}", f"{per_mb / first[0]:.2f}×",
                         f"{cpu_per_mb:.2f}", f"{cpu_per_mb / first[1]:.2f}×", f"{run.peak_mb:.0f}",
                         "timeout" if run.code is None else str(run.code)))
    return rows


def _quads(store: Path) -> set[str]:
    import pyoxigraph

    return {str(q) for q in pyoxigraph.Store.read_only(str(store))}


def _on_disk(store: Path) -> set[tuple[str, int, int]]:
    """What is at and beside a store: any writer changes it, however it writes."""
    seen = set()
    for folder in (store.parent, store):
        for entry in os.scandir(folder):
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            seen.add((entry.path, info.st_size, info.st_mtime_ns))
    return seen


def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **kw)


def interruptions(args: argparse.Namespace) -> list[Row]:
    """A store rebuilt and interrupted, then a parallel build killed.

    The store holds tests/dev's graph thirteen times over, under other
    document names (about 245,000 quads, as in the report that found the
    loss); `kg build tests/dev --store` rebuilds it and gets SIGINT or
    SIGKILL at points from 0 to 1 s after it starts writing at the store.
    Rebuilding the same corpus changes nothing, so the store must hold the
    previous quads exactly, whatever the point. The parallel build (two
    workers) is killed once its workers have written: how long they outlive
    it, and whether the next parallel build removes the spool folder it left.
    """
    rows: list[Row] = [("case", "signal", "after s", "exit", "quads", "as before")]
    dev = ROOT / "tests" / "dev"
    with tempfile.TemporaryDirectory(prefix="kg-robust-") as d:
        home = Path(d)
        print("  building the store …", file=sys.stderr, flush=True)
        _kg("build", str(dev), "-o", str(home / "dev.nq"), "-q", "--no-cache").wait()
        graph = (home / "dev.nq").read_bytes()
        (home / "many.nq").write_bytes(graph + b"".join(
            re.sub(rb"(/graph/[^>]*)>", rb"\1-copy%d>" % i, graph) for i in range(12)))
        store = home / "s" / "db"
        store.parent.mkdir()
        _kg("load", str(home / "many.nq"), "--store", str(store)).wait()
        before = _quads(store)
        for how in (signal.SIGINT, signal.SIGKILL):
            for wait in (float(w) for w in args.kill_after.split(",")):
                print(f"  {how.name} {wait:g} s into writing the store …", file=sys.stderr, flush=True)
                still = _on_disk(store)
                child = _kg("build", str(dev), "-o", str(home / "out.nq"), "-q", "--no-cache", "--store", str(store))
                while _on_disk(store) == still and child.poll() is None:
                    time.sleep(0.001)
                time.sleep(wait)
                child.send_signal(how)
                code = child.wait()
                now = _quads(store)
                rows.append(("store rebuild", how.name, f"{wait:g}", str(code), f"{len(now):,}",
                             "yes" if now == before else "NO"))
        rows.append(_killed_workers(home))
    return rows


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _killed_workers(home: Path) -> Row:
    """A two-worker build of tests/dev ten times over, killed (SIGKILL) once its workers have written."""
    corpus, temp = home / "many", home / "tmp"
    corpus.mkdir()
    temp.mkdir()
    for i in range(10):
        for f in (ROOT / "tests" / "dev").rglob("*.txt"):
            (corpus / f"{i}-{f.name}").write_bytes(f.read_bytes())
    env = {**os.environ, "TMPDIR": str(temp)}
    print("  killing a parallel build …", file=sys.stderr, flush=True)
    child = _kg("build", str(corpus), "-o", str(home / "w"), "-q", "--no-cache", "--workers", "2", env=env)
    while not any(temp.glob("kg-spool-*/*.nq")) and child.poll() is None:
        time.sleep(0.05)
    workers = _children(child.pid)
    child.kill()
    child.wait()
    killed = time.perf_counter()
    while any(_running(w) for w in workers) and time.perf_counter() - killed < 60:
        time.sleep(0.01)
    gone = time.perf_counter() - killed
    left = len(list(temp.glob("kg-spool-*")))
    one = home / "one"
    one.mkdir()
    (one / "a.txt").write_bytes(next((ROOT / "examples" / "corpus").glob("*.txt")).read_bytes())
    _kg("build", str(one), "-o", str(home / "w1"), "-q", "--no-cache", "--workers", "2", env=env).wait()
    after = len(list(temp.glob("kg-spool-*")))
    alive = sum(_running(w) for w in workers)
    return ("parallel build", "SIGKILL", "-", "-", f"{len(workers)} workers, {alive} alive {gone:.2f} s later",
            f"spool folders {left} → {after}")


CASES: dict[str, Callable[[argparse.Namespace], list[Row]]] = {
    "big-files": big_files,
    "interruptions": interruptions,
}


def show(name: str, rows: list[Row]) -> None:
    """A section: its name, then its rows as aligned columns."""
    print(f"\n{name}")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  " + "  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(CASES), action="append", help="run only this section")
    parser.add_argument("--sizes", default="1,2,4,8", help="article sizes in MB, comma-separated")
    parser.add_argument("--flat", type=float, default=5.0, help="MB of the article without punctuation")
    parser.add_argument("--limit", action="store_true", help="also a 19 MB article (under the 20 MB limit)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds before one build is stopped")
    parser.add_argument("--kill-after", default="0,0.25,0.5,1",
                        help="seconds after a store rebuild starts writing at which it is interrupted")
    args = parser.parse_args()
    for name in args.only or CASES:
        show(name, CASES[name](args))


if __name__ == "__main__":
    main()
