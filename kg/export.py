"""Exporters, registered by format name, and safe writing of their output.

Every file is written to a temporary file beside its target and renamed
over it, so an interrupted run leaves the previous output whole.
"""

from __future__ import annotations

import gc
import gzip
import io
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import cached_property, wraps
from itertools import groupby
from pathlib import Path
from typing import BinaryIO, NamedTuple, TypeVar

from rdflib import Dataset, Graph

from .errors import Interrupted, UsageError, WriteError
from .rdf import PREFIXES, WRITTEN_PREFIXES, count_entities, each_triple_once, triples_of
from .registry import Registry
from .runs import merged


class Output:
    """What exporters read: the sorted N-Quads of a build, in memory (`nquads`), in a file (`path`) or in sorted
    runs merged as they are read (`runs`: a build that spilled to disk, see `kg.runs`), streamed in blocks, or
    parsed into rdflib only when an exporter asks.

    `workers` is how many processes an exporter may use (Turtle writes in pieces in parallel).
    """

    def __init__(self, nquads: bytes = b"", workers: int = 1, path: Path | None = None,
                 runs: list[Path] | None = None, temporary: Path | None = None) -> None:
        self._data = nquads
        self.workers = workers
        self.path = path
        self.runs = runs or []  # sorted runs, merged each time they are read (`kg.runs.merged`)…
        self.temporary = temporary or Path(tempfile.gettempdir())  # …with sort's own files here
        self._triples: int | None = None  # counted by the first exporter that reads all the triples

    @cached_property
    def nquads(self) -> bytes:
        """All the N-Quads in memory (read from the runs or file of a spilled build: for exporters that need it
        all)."""
        if self.runs:
            return b"".join(self.blocks(PARALLEL_BYTES))
        return self.path.read_bytes() if self.path else self._data

    @contextmanager
    def _opened(self) -> Iterator[BinaryIO]:
        if self.runs:
            with merged(self.runs, self.temporary) as f:
                yield f
        else:
            with open(self.path, "rb") as f:
                yield f

    def blocks(self, size: int) -> Iterator[bytes]:
        """The N-Quads in blocks of whole lines of about `size` bytes, never all in memory when in a file."""
        size = max(size, 1)
        if self.path is None and not self.runs:
            data, start = self._data, 0
            while start < len(data):
                end = data.find(b"\n", start + size - 1) + 1 or len(data)
                yield data[start:end] if start or end < len(data) else data
                start = end
            return
        with self._opened() as f:
            while block := f.read(size):
                yield block if block.endswith(b"\n") else block + f.readline()

    def triple_blocks(self, size: int) -> Iterator[bytes]:
        """The N-Triples (graphs dropped, unique, sorted: see `triples_of`) in blocks of about `size` bytes."""
        last, count = None, 0
        for block in self.blocks(size):
            triples = [t for t, _ in groupby(line.rpartition(b" <")[0] for line in block.split(b"\n")[:-1])]
            if triples and triples[0] == last:  # a triple's copies in several graphs, across two blocks
                del triples[0]
            if triples:
                last = triples[-1]
                count += len(triples)
                triples.append(b"")
                yield b" .\n".join(triples)
        self._triples = count

    @cached_property
    def ntriples(self) -> bytes:
        """The triples without their graphs, unique and sorted."""
        if self.path is None and not self.runs:
            return triples_of(self._data)
        return b"".join(self.triple_blocks(PARALLEL_BYTES))

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

    def counted(self, triples: int) -> None:
        """Keep the count of triples an exporter found reading them all (the summary's, without a scan)."""
        self._triples = triples

    def triples(self) -> int:
        """How many triples (counted as Turtle, N-Triples or JSON-LD were written; else block by block)."""
        if self._triples is None:
            for _ in self.triple_blocks(PARALLEL_BYTES):
                pass
        return self._triples


def _subject(line: bytes) -> bytes:
    return line[:line.find(b" ")]


def _graph(line: bytes) -> bytes:
    return line.rpartition(b" <")[2]


def pieces(blocks: Iterable[bytes], key: Callable[[bytes], bytes] = _subject,
           shrink: Callable[[bytes], bytes] | None = None) -> Iterator[bytes]:
    """Blocks of sorted lines cut again so that consecutive lines with the same `key` (a subject; a graph
    for TriG) stay in one piece: each piece then serialises on its own, and the pieces join into the whole.
    `shrink`: what a run of one key that fills a whole block is reduced to as it goes on (for Turtle, one line
    per triple): a province's or a class's lines in every document's graph would otherwise be held at once."""
    carry = b""
    for block in blocks:
        data = carry + block if carry else block
        cut = _last_cut(data, key)
        carry = data[cut:]
        if cut:
            yield data[:cut]
        elif shrink is not None:
            carry = shrink(carry)
    if carry:
        yield carry


def _each_triple_once(run: bytes) -> bytes:
    """A run of sorted N-Quads with each triple's copies in other graphs dropped: the same Turtle."""
    return b"".join(each_triple_once(run.splitlines(keepends=True)))


def _last_cut(data: bytes, key: Callable[[bytes], bytes]) -> int:
    """The start of the last run of lines with one key in `data` (0: all of `data` is one run)."""
    start = data.rfind(b"\n", 0, len(data) - 1) + 1
    last = key(data[start:])
    while start > 0:
        before = data.rfind(b"\n", 0, start - 1) + 1
        if key(data[before:start]) != last:
            return start
        start = before
    return 0


def _oxigraph(data: bytes, source: str, target: str) -> bytes:
    """Re-serialise with pyoxigraph (Rust): orders of magnitude faster than rdflib's Turtle writer."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat
    quads = pyoxigraph.parse(data, getattr(fmt, source))
    return pyoxigraph.serialize(quads, format=getattr(fmt, target), prefixes=WRITTEN_PREFIXES)


Exporter = Callable[[Output], bytes]
Streamer = Callable[[Output, BinaryIO], None]


class Format(NamedTuple):
    """An output format: the extension of its file and the function that writes it: `write(out)` returns the
    file's bytes; a format registered with `stream=True` writes into the open file instead, `write(out, f)`,
    a piece at a time, and never holds the whole graph."""

    suffix: str
    write: Exporter | Streamer
    stream: bool = False


EXPORTERS: Registry[Format] = Registry("format")


def exporter(name: str, suffix: str, stream: bool = False) -> Callable:
    """Register an exporter: adding an output format touches this one function."""

    def register(fn):
        EXPORTERS.add(name, Format(suffix, fn, stream))
        if not stream:
            return fn

        @wraps(fn)
        def either(out: Output, f: BinaryIO | None = None) -> bytes | None:
            """Into `f`; without one, the file's bytes (`turtle(out)`, as other exporters are called)."""
            if f is not None:
                return fn(out, f)
            buffer = io.BytesIO()
            fn(out, buffer)
            return buffer.getvalue()

        return either

    return register


def _gzipped(data: bytes | Callable[[BinaryIO], None]) -> Callable[[BinaryIO], None]:
    """Write `data` gzip-compressed, with no name or time in the header: the same graph, the same bytes."""

    def write(f: BinaryIO) -> None:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as z:
            if callable(data):
                data(z)
            else:
                z.write(data)

    return write


def write_atomic(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write `data` (bytes, or a function writing into the open file) to `path` through a temporary file and a
    rename: `path` is the new file, whole, or the old."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
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


T = TypeVar("T")
PARALLEL_BYTES = 1 << 24  # a piece of the graph serialised at once (Turtle: by several processes in parallel)


def _serialised(parts: Iterable[bytes], write: Callable[[bytes], T], workers: int) -> Iterator[T]:
    """`write` of each piece, in order; by `workers` forked processes once there are two pieces (a few pieces
    in flight: memory stays a few pieces). `write` is a module-level function (it crosses to the processes)."""
    parts = iter(parts)
    first = next(parts, None)
    if first is None:
        yield write(b"")
        return
    second = next(parts, None)
    if second is None or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for part in (first, *([] if second is None else [second])):
            yield write(part)
        for part in parts:
            yield write(part)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        window = deque(pool.submit(write, part) for part in (first, second))
        for part in parts:
            window.append(pool.submit(write, part))
            while len(window) > 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _turtle_piece(part: bytes) -> tuple[bytes, int]:
    """The Turtle of one piece of N-Quads cut between subjects (in the parent or a forked process), and how many
    triples it holds: the graphs are dropped here too, so that the parent only cuts and joins pieces."""
    triples = triples_of(part)
    return _oxigraph(triples, "N_TRIPLES", "TURTLE"), triples.count(b"\n")


def _trig_piece(part: bytes) -> bytes:
    return _oxigraph(part, "N_QUADS", "TRIG")


def _joined(texts: Iterable[bytes], f: BinaryIO) -> None:
    """Write serialised pieces as one file: the prefixes once, at the top."""
    for i, text in enumerate(texts):
        f.write(text if i == 0 else _without_prefixes(text))


def _without_prefixes(piece: bytes) -> bytes:
    start = 0
    while piece.startswith(b"@prefix ", start):
        start = piece.index(b"\n", start) + 1
    return piece[start:]


@exporter("ttl", ".ttl", stream=True)
def turtle(out: Output, f: BinaryIO) -> None:
    """Turtle, written a piece of subjects at a time, by `out.workers` processes on a large graph: the same
    bytes as in one piece (pyoxigraph writes each subject's triples together, nothing across subjects)."""
    counted = [0]

    def texts() -> Iterator[bytes]:
        parts = pieces(out.blocks(PARALLEL_BYTES), shrink=_each_triple_once)
        for text, triples in _serialised(parts, _turtle_piece, out.workers):
            counted[0] += triples
            yield text

    _joined(texts(), f)
    out.counted(counted[0])


@exporter("nt", ".nt", stream=True)
def ntriples(out: Output, f: BinaryIO) -> None:
    """Sorted N-Triples: the same graph gives byte-identical files."""
    for block in out.triple_blocks(PARALLEL_BYTES):
        f.write(block)


@exporter("nq", ".nq", stream=True)
def nquads(out: Output, f: BinaryIO) -> None:
    """One named graph per document (replaceable on its own in a store), one for entity descriptions."""
    for block in out.blocks(PARALLEL_BYTES):
        f.write(block)


@exporter("trig", ".trig", stream=True)
def trig(out: Output, f: BinaryIO) -> None:
    """TriG, a piece at a time, cut where the graph changes (pyoxigraph closes a graph's block there)."""
    _joined(_serialised(pieces(out.blocks(PARALLEL_BYTES), _graph), _trig_piece, 1), f)


@exporter("jsonld", ".jsonld", stream=True)
def jsonld(out: Output, f: BinaryIO) -> None:
    """JSON-LD compacted with kg's prefixes, as rdflib writes it, its nodes in the order of their IRIs (rdflib
    orders them by hash, differently in each run), written a piece of subjects at a time."""
    from rdflib.plugins.serializers.jsonld import Converter
    from rdflib.plugins.shared.jsonld.context import Context

    data = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    head = _json({"@context": data, "@graph": []})
    f.write(head[:head.rindex(b"[]")] + b"[")
    first = True
    for part in pieces(out.triple_blocks(max(PARALLEL_BYTES // 8, 1))):  # rdflib takes ~30× a piece's bytes
        g = Graph().parse(data=part, format="nt")
        converter, nodes = Converter(Context(data), (False,), False), {}  # rdflib passes a tuple: the same
        place = {line[:line.find(b" ")]: i for i, line in enumerate(part.splitlines())}  # the lines' order
        for subject in sorted(set(g.subjects()), key=lambda s: (place.get(s.n3().encode(), len(place)), s.n3())):
            converter.process_subject(g, subject, nodes)
        text = _json(list(nodes.values()))  # "[\n  {…},\n  {…}\n]", indented one level deeper below
        f.write((b"\n" if first else b",\n") + text[2:-2].replace(b"\n", b"\n  ").join([b"  ", b""]))
        first = False
        del g, converter, nodes
        gc.collect()  # a parsed piece is cyclic garbage, which the build's rare collections would let pile up
    f.write(b"\n  ]\n}" if not first else b"]\n}")


def _json(obj) -> bytes:
    """JSON as rdflib's JSON-LD writer formats it (json: two spaces, sorted keys, no ASCII escapes)."""
    import json

    return json.dumps(obj, indent=2, separators=(",", ": "), sort_keys=True, ensure_ascii=False).encode("utf-8")


@exporter("html", ".html")
def html(out: Output) -> bytes:
    """The interactive view: the whole graph up to BUILD_VIEW entities; up to MAX_NODES, the overview of every
    entity drawn from its classes, names and links alone (read from the N-Quads by `part.read_overview`, never
    the whole graph into rdflib), its evidence left to `kg view --focus`; beyond, the groups alone, each with its
    main entities and the command that draws their neighbourhood."""
    from .view import BUILD_VIEW, MAX_NODES, render, render_groups  # pyvis only loads when a view is asked for

    entities = count_entities(out.blocks(PARALLEL_BYTES))  # known before parsing millions of triples into rdflib
    if entities <= BUILD_VIEW:
        return render(out.graph, max_nodes=BUILD_VIEW).encode("utf-8")
    from .part import read_entity_links, read_overview

    with tempfile.TemporaryDirectory(dir=out.temporary) as folder:
        path = out.path
        if path is None:  # in memory, or runs merged as they are read: written a block at a time for grep
            path = Path(folder) / "graph.nq"
            with path.open("wb") as f:
                f.writelines(out.blocks(PARALLEL_BYTES))
        if entities > MAX_NODES:  # the groups alone: entities as ids, names and links, not rdflib's triples
            return render_groups(read_entity_links(path), GROUPS_HEADING).encode("utf-8")
        graph = read_overview(path)
    return render(graph, max_nodes=MAX_NODES, heading=OVERVIEW_HEADING).encode("utf-8")


OVERVIEW_HEADING = "Toàn cảnh đồ thị tri thức (câu nguồn: kg view --focus)"
GROUPS_HEADING = "Các nhóm của đồ thị tri thức (vẽ một phần: kg view --focus)"


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


def format_suffix(target: Path) -> str:
    """The extension that decides a file's format: ".nq" for graph.nq and for graph.nq.gz (compressed)."""
    return Path(target.stem).suffix if target.suffix == ".gz" else target.suffix


def plan_outputs(target: Path, formats: str) -> list[str]:
    """The formats to write, from `--format` ("ttl,html") and the output path: a path with an
    extension ("graph.nq", or "graph.nq.gz" compressed) names one file, and its extension decides the format."""
    if is_file_target(target):
        chosen = [name for name, f in EXPORTERS.items() if f.suffix == format_suffix(target)]
        if not chosen:
            raise UsageError(f"{target}: unknown output extension (use a folder, or one of "
                             f"{', '.join(f.suffix for f in EXPORTERS.values())}, each also with .gz)")
        return chosen
    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in EXPORTERS]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)} (choose from {', '.join(EXPORTERS)})")
    return chosen


def export(data: bytes | Output, target: Path, formats: list[str], workers: int = 1) -> list[Path]:
    """Write the graph (sorted N-Quads, in memory or an `Output` of a file) in each format (names from
    `plan_outputs`): `target` is a folder (graph.<ext>) or, for one format, a file; `workers` processes at most."""
    out = data if isinstance(data, Output) else Output(data, workers)
    out.workers = workers
    written = []
    try:
        for name in formats:
            suffix, fn, stream = EXPORTERS.get(name)
            one = is_file_target(target) and format_suffix(target) == suffix
            path = target if one else target / f"graph{suffix}"
            write = (lambda f, fn=fn: fn(out, f)) if stream else fn(out)
            write_atomic(path, _gzipped(write) if path.suffix == ".gz" else write)
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
