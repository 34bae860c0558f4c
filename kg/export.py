"""Exporters, registered by format name, and safe writing of their output.

Every file is written to a temporary file beside its target and renamed
over it, so an interrupted run leaves the previous output whole.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from rdflib import Dataset, Graph

from .errors import Interrupted, UsageError, WriteError
from .rdf import PREFIXES, WRITTEN_PREFIXES, count_entities, subject_spans, triples_of
from .registry import Registry


class Output:
    """What exporters read: the sorted N-Quads of a build, and (parsed only when needed) an rdflib Graph.

    `workers` is how many processes an exporter may use (Turtle writes in pieces in parallel).
    """

    def __init__(self, nquads: bytes, workers: int = 1) -> None:
        self.nquads = nquads
        self.workers = workers

    @cached_property
    def ntriples(self) -> bytes:
        """The triples without their graphs, unique and sorted."""
        return triples_of(self.nquads)

    @cached_property
    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g.parse(data=self.ntriples, format="nt")
        return g

    @cached_property
    def dataset(self) -> Dataset:
        ds = Dataset()
        ds.parse(data=self.nquads, format="nquads")
        return ds


def _oxigraph(data: bytes, source: str, target: str) -> bytes:
    """Re-serialise with pyoxigraph (Rust): orders of magnitude faster than rdflib's Turtle writer."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat
    quads = pyoxigraph.parse(data, getattr(fmt, source))
    return pyoxigraph.serialize(quads, format=getattr(fmt, target), prefixes=WRITTEN_PREFIXES)


Exporter = Callable[[Output], bytes]


class Format(NamedTuple):
    """An output format: the extension of its file and the function that writes it."""

    suffix: str
    write: Exporter


EXPORTERS: Registry[Format] = Registry("format")


def exporter(name: str, suffix: str) -> Callable[[Exporter], Exporter]:
    """Register an exporter: adding an output format touches this one function."""

    def register(fn: Exporter) -> Exporter:
        EXPORTERS.add(name, Format(suffix, fn))
        return fn

    return register


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: `path` is the new file, whole, or the old."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot write ({exc.strerror or exc}); the previous file is unchanged") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


PARALLEL_BYTES = 1 << 24  # below this much N-Quads, starting processes costs more than they save


@exporter("ttl", ".ttl")
def turtle(out: Output) -> bytes:
    """Turtle, written in pieces by `out.workers` processes on a large graph: the same bytes as in one."""
    spans = subject_spans(out.nquads, out.workers) if len(out.nquads) >= PARALLEL_BYTES else []
    if len(spans) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _oxigraph(out.ntriples, "N_TRIPLES", "TURTLE")
    global _SHARED
    _SHARED = out.nquads  # the forked processes read it where it is, nothing is copied to them
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(spans) - 1, mp_context=context) as pool:
            rest = [pool.submit(_turtle_piece, span) for span in spans[1:]]
            pieces = [_turtle_piece(spans[0]), *(f.result() for f in rest)]
    finally:
        _SHARED = b""
    return pieces[0] + b"".join(_without_prefixes(p) for p in pieces[1:])


_SHARED = b""


def _turtle_piece(span: tuple[int, int]) -> bytes:
    """The Turtle of the subjects in one span of the shared N-Quads (in the parent or a forked process)."""
    return _oxigraph(triples_of(_SHARED[span[0]:span[1]]), "N_TRIPLES", "TURTLE")


def _without_prefixes(piece: bytes) -> bytes:
    start = 0
    while piece.startswith(b"@prefix ", start):
        start = piece.index(b"\n", start) + 1
    return piece[start:]


@exporter("nt", ".nt")
def ntriples(out: Output) -> bytes:
    """Sorted N-Triples: the same graph gives byte-identical files."""
    return out.ntriples


@exporter("nq", ".nq")
def nquads(out: Output) -> bytes:
    """One named graph per document (replaceable on its own in a store), one for entity descriptions."""
    return out.nquads


@exporter("trig", ".trig")
def trig(out: Output) -> bytes:
    return _oxigraph(out.nquads, "N_QUADS", "TRIG")


@exporter("jsonld", ".jsonld")
def jsonld(out: Output) -> bytes:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return out.graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")


@exporter("html", ".html")
def html(out: Output) -> bytes:
    """The interactive view; a graph too large to draw gets a page that says how to draw a part, and where."""
    from .view import MAX_NODES, ViewTooLarge, hint_page, render  # pyvis only loads when a view is asked for

    entities = count_entities(out.nquads)
    if entities > MAX_NODES:  # known before parsing a graph of millions of triples into rdflib
        return hint_page(out.nquads, entities, MAX_NODES).encode("utf-8")
    try:
        return render(out.graph).encode("utf-8")
    except ViewTooLarge:
        return hint_page(out.nquads, entities, MAX_NODES).encode("utf-8")


def is_file_target(target: Path) -> bool:
    """An output path names one file when it is not an existing folder and has an extension
    ("graph.ttl"); otherwise it is a folder for graph.<ext> files (a temporary "/tmp/tmp.x1Y2" too)."""
    return bool(target.suffix) and not target.is_dir()


def written_paths(target: Path) -> list[Path]:
    """Every path a build writing to `target` may write (the folder, its graph.<ext> files): never read back
    as input, even where the output folder sits inside an input folder."""
    if is_file_target(target):
        return [target]
    return [target, *(target / f"graph{f.suffix}" for f in EXPORTERS.values())]


def plan_outputs(target: Path, formats: str) -> list[str]:
    """The formats to write, from `--format` ("ttl,html") and the output path: a path with an
    extension ("graph.nq") names one file, and its extension decides the format."""
    if is_file_target(target):
        chosen = [name for name, f in EXPORTERS.items() if f.suffix == target.suffix]
        if not chosen:
            raise UsageError(f"{target}: unknown output extension (use a folder, or one of "
                             f"{', '.join(f.suffix for f in EXPORTERS.values())})")
        return chosen
    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in EXPORTERS]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)} (choose from {', '.join(EXPORTERS)})")
    return chosen


def export(data: bytes, target: Path, formats: list[str], workers: int = 1) -> list[Path]:
    """Write the graph in each format (names from `plan_outputs`): `target` is a folder
    (graph.<ext>) or, for one format, a file; `workers` processes at most."""
    out = Output(data, workers)
    written = []
    try:
        for name in formats:
            suffix, fn = EXPORTERS.get(name)
            path = target if is_file_target(target) and target.suffix == suffix else target / f"graph{suffix}"
            write_atomic(path, fn(out))
            written.append(path)
    except KeyboardInterrupt:
        raise Interrupted("interrupted while writing: each output file is either the new one, whole, "
                          "or the previous one") from None
    except BrokenProcessPool:
        raise WriteError("a process writing Turtle died (killed, or out of memory?): each output file is "
                         "either the new one, whole, or the previous one; try fewer --workers") from None
    except OSError as exc:
        raise WriteError(f"{exc.filename or target}: cannot write ({exc.strerror or exc})") from None
    return written
