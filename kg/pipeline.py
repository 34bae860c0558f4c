"""The pipeline, end to end: read → normalise → tokenise → recognise → resolve → relate → identify → measure →
territory → RDF.

`extract` runs every per-document stage on one `Document`. `build` runs it
over files and folders, one document at a time, keeping only each
document's N-Quads and entities (so memory follows the graph, not the text),
in parallel processes with `workers`, and reusing a cache of documents it
has built before. The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
import shutil
import signal
import sys
import tempfile
import time
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np
from rdflib import Dataset, Graph

from .cache import Cache
from .errors import InputError, Interrupted, KgError
from .export import Output, is_file_target
from .gazetteer import Lexicon, lexicon
from .identity import identify
from .measure import measure
from .model import DocResult, Document, Entity, Extraction, Mention, Relation
from .normalize import canonical
from .rdf import at_evidence_level, document_triples, graph_iri, quad_lines
from .read import find_sources, read_path, single_document, told_apart
from .recognize import recognize
from .relate import issuer_mentions, relate
from .resolve import resolve
from .runs import Runs, merge, sort_into_runs, sorted_lines, spill_bytes, streams, write_lines
from .runtime import check_interrupted, default_signals, few_collections
from .segment import release
from .territory import units
from .tokenize import tokenize


def extract(document: Document, lex: Lexicon | None = None, timings: Counter[str] | None = None) -> Extraction:
    """Every per-document stage on one document (`timings` adds up seconds per stage)."""
    lex = lex or lexicon()
    clock = _Clock(timings)
    sentences = clock("tokenise", tokenize, document)
    mentions = clock("recognise", recognize, sentences, lex)
    mentions, entities, province = clock("resolve", resolve, sentences, mentions, lex)
    relations = clock("relate", relate, sentences, mentions, entities, province, lex)
    mentions, entities, relations = clock("identify", identify, mentions, entities, relations, province,
                                          document.id, lex)
    mentions = clock("issuers", _with_issuers, mentions, relations, entities, lex)
    observations = clock("measure", measure, sentences, mentions, province, lex)
    mentions = [m for m in mentions if m.type != "Role"]
    mentions, entities, relations, observations = clock("territory", units, document, sentences, mentions,
                                                        entities, relations, observations, lex)
    return Extraction(document, sentences, mentions, entities, relations, observations)


def _with_issuers(mentions: list[Mention], relations: list[Relation], entities: dict[str, Entity],
                  lex: Lexicon) -> list[Mention]:
    """The mentions and those of the legal documents' issuers, in the order of the text."""
    return sorted(mentions + issuer_mentions(mentions, relations, entities, lex),
                  key=lambda m: (m.sentence, m.start, -m.end))


class _Clock:
    """Run a stage, adding its time to `timings` when the caller wants them (the benchmark does)."""

    def __init__(self, timings: Counter[str] | None) -> None:
        self.timings = timings

    def __call__(self, stage: str, fn: Callable, *args):
        if self.timings is None:
            return fn(*args)
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.timings[stage] += time.perf_counter() - started


def process(document: Document, lex: Lexicon | None = None, timings: Counter[str] | None = None) -> DocResult:
    """Extract one document and keep only its triples and entities."""
    lex = lex or lexicon()
    x = extract(document, lex, timings)
    clock = _Clock(timings)
    lines = clock("rdf", lambda: quad_lines(document_triples(x, lex), graph_iri(document.id)))
    return clock("keep", _kept, x, lines)


def _kept(x: Extraction, lines: bytes) -> DocResult:
    """What a build keeps of an extraction: its N-Quads, the entities it mentions, its facts."""
    mentioned = {m.key for m in x.mentions}
    result = DocResult(x.document.id, lines, {k: e.type for k, e in x.entities.items() if k in mentioned},
                       sorted({(r.subject, r.predicate, r.object, r.role) for r in x.relations}), len(x.observations))
    result.counted = digests(result)  # here, in the worker: the parent only adds them up
    return result


def digests(r: DocResult) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(digest of an entity key, its type) of the entities a document mentions, (digest of a fact, its
    predicate) of its facts: what `Tally` adds up."""
    return ([(_digest(key), kind) for key, kind in r.mentioned.items()],
            [(_digest("\x1f".join(f)), f[1]) for f in r.facts])


class Distinct:
    """Distinct 8-byte digests, counted in bounded memory: kept sorted and unique in a numpy array (8 bytes
    each; a dict of ints takes about 90), with those added since in a buffer merged in when it outgrows them."""

    def __init__(self) -> None:
        self.kept = np.empty(0, np.uint64)
        self.pending = array("Q")

    def add(self, digest: int) -> None:
        self.pending.append(digest)
        if len(self.pending) > max(_PENDING, len(self.kept)):
            self._merge()

    def update(self, other: Distinct) -> None:
        other._merge()
        self._merge()
        self.kept = np.union1d(self.kept, other.kept)

    def __len__(self) -> int:
        self._merge()
        return len(self.kept)

    def _merge(self) -> None:
        if self.pending:
            self.kept = np.union1d(self.kept, np.frombuffer(self.pending, np.uint64))
            self.pending = array("Q")


_PENDING = 1 << 14  # digests added before the first merge


@dataclass
class Tally:
    """What documents add up to: the counts of the summary.

    Entities and facts are kept as 8-byte digests of their keys, not the keys: the summary only counts the
    distinct ones, and a corpus of new names would otherwise grow the build's memory with every document.
    An entity's key names its type and a fact's its predicate, so the digests are counted per type and per
    predicate. The digest is the same in every process (Dask's shards add up).
    """

    types: defaultdict[str, Distinct] = field(default_factory=lambda: defaultdict(Distinct))  # type -> digests
    facts: defaultdict[str, Distinct] = field(default_factory=lambda: defaultdict(Distinct))  # predicate -> …
    observations: int = 0
    documents: int = 0

    def add(self, r: DocResult) -> None:
        types, facts = r.counted or digests(r)
        for digest, kind in types:
            self.types[kind].add(digest)
        for digest, predicate in facts:
            self.facts[predicate].add(digest)
        self.observations += r.observations
        self.documents += 1

    def update(self, other: Tally) -> None:
        """Add another process's tally (a Dask shard's)."""
        for mine, theirs in ((self.types, other.types), (self.facts, other.facts)):
            for name, digests in theirs.items():
                mine[name].update(digests)
        self.observations += other.observations
        self.documents += other.documents


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class BuildResult:
    """A built graph, as sorted N-Quads (one named graph per document), with the summary's figures.

    The N-Quads are in memory (`quads`) or, for a build that spilled to disk (see `kg.runs`), in sorted
    `runs` (or the file `path`) inside a temporary folder that `close` removes (so does the end of the process).
    """

    quads: bytes = b""
    documents: int = 0
    failures: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    observations: int = 0
    cached: int = 0
    seconds: float = 0.0
    shards: list[Path] = field(default_factory=list)  # written by a Dask cluster's workers
    path: Path | None = None
    runs: list[Path] = field(default_factory=list)  # or sorted runs, merged as they are read
    folder: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def count(self, tally: Tally) -> None:
        """Take the summary's figures from what the documents added up to."""
        self.documents = tally.documents
        self.entities.update({kind: len(digests) for kind, digests in tally.types.items()})
        self.relations.update({predicate: len(digests) for predicate, digests in tally.facts.items()})
        self.observations = tally.observations

    @cached_property
    def output(self) -> Output:
        """What the exporters read: streamed from the runs (or the file) of a spilled build."""
        return Output(self.quads, path=self.path, runs=self.runs,
                      temporary=Path(self.folder.name) if self.folder else None)

    @property
    def nquads(self) -> bytes:
        """All the N-Quads in memory (read from the file of a spilled build)."""
        return self.output.nquads

    @property
    def built(self) -> bool:
        """Whether there is a graph (a Dask build leaves it in its shards)."""
        return bool(self.quads) or self.path is not None or bool(self.runs)

    def close(self) -> None:
        """Remove the spilled N-Quads, if any."""
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None

    @property
    def dataset(self) -> Dataset:
        """The named graphs, as rdflib parses them (on first use)."""
        return self.output.dataset

    @property
    def graph(self) -> Graph:
        """All triples in one rdflib Graph (parsed on first use)."""
        return self.output.graph

    @property
    def triples(self) -> int:
        return self.output.triples()


@dataclass
class _Reading:
    """The article files of a build, in order, and what reading them went through: the identifiers taken
    so far, the problems reported (the first one raised with `strict`). `ids`: the identifiers of files
    whose names collide (see `told_apart`)."""

    files: Iterable[Path]
    ids: dict[Path, str]
    strict: bool
    failures: list[str]
    first: dict[str, str] = field(default_factory=dict)  # document id -> the file that had it first

    def failed(self, error: InputError) -> None:
        if self.strict:
            raise error
        self.failures.append(str(error))

    def taken(self, doc_id: str, path: Path) -> InputError | None:
        """A document whose identifier an earlier one has (a JSON line's id) is skipped and named: merged,
        two articles would become one node with both their facts."""
        if doc_id not in self.first:
            return None
        return InputError(f"{path}: document id {doc_id!r} is already the id of {self.first[doc_id]} "
                          "(two articles would become one); rename one of them; not read")

    def documents(self, path: Path, timings: Counter[str] | None = None) -> Iterator[Document]:
        """The documents of one file, in order, its problems reported."""
        items, clock = read_path(path), _Clock(timings)
        while (item := clock("read", next, items, None)) is not None:
            if isinstance(item, Document) and path in self.ids:
                item = replace(item, id=self.ids[path])
            if isinstance(item, Document):
                item = self.taken(item.id, path) or item
            if isinstance(item, InputError):
                self.failed(item)
            else:
                self.first[item.id] = str(path)
                yield item


@dataclass
class _Worker:
    """What a worker process holds: the lexicon, the cache, and its spool file of N-Quads (emptied into a
    sorted run each time it holds `limit` bytes)."""

    lex: Lexicon
    cache: Cache | None
    spool: Path
    limit: int
    evidence: str = "full"
    file: BinaryIO | None = None
    size: int = 0
    runs: int = 0


_WORKER: _Worker | None = None
IN_FLIGHT = 64  # documents per worker sent ahead: keeps every worker busy, bounds what waits in memory


def _init_worker(lex: Lexicon, cache: Cache | None, spool: Path, parent: int, limit: int, evidence: str) -> None:
    global _WORKER
    default_signals()  # the parent's handlers (see `kg.runtime`) are not theirs
    _die_with(parent)
    _WORKER = _Worker(lex, cache, spool, limit, evidence)


def _die_with(parent: int) -> None:
    """A worker ends when its parent does, however the parent ends (even SIGKILL): on Linux the kernel sends
    it SIGKILL (PR_SET_PDEATHSIG); a parent that died before that was set is seen by the worker's parent id."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


SPOOL = "kg-spool-"


def _spool_folder() -> tempfile.TemporaryDirectory:
    """A folder for the workers' spool files, named with this process's id, after removing the folders that
    builds killed before their clean-up (their process is gone) left in the temporary folder."""
    for old in Path(tempfile.gettempdir()).glob(f"{SPOOL}*-*"):
        pid = old.name[len(SPOOL):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{SPOOL}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _work(document: Document) -> tuple[DocResult, bool]:
    """One document in a worker process: from the worker's cache or built there, its N-Quads appended to the
    worker's spool file, the rest (entities, facts: a few kilobytes) sent back, with whether it was cached.
    The N-Quads, most of a result's bytes, would otherwise cross a pipe shared by all workers, which then wait
    on each other and on the parent to read them."""
    w = _WORKER
    assert w is not None, "_init_worker runs first"
    key = w.cache.key(document) if w.cache else ""
    hit = w.cache.get(key) if w.cache else None
    if hit is not None:
        result = hit
        result.counted = digests(result)
    else:
        result = process(document, w.lex)
        if w.cache:
            w.cache.put(key, result)
    pending = w.spool / f"{os.getpid()}.nq"
    if w.file is None:
        w.file = open(pending, "ab", buffering=0)  # noqa: SIM115 (open while the worker lives)
    quads = at_evidence_level(result.quads, w.evidence)  # the cache keeps the full provenance
    w.file.write(quads)  # unbuffered: on disk before the parent hears the document is done
    w.size += len(quads)
    result.quads = b""
    if w.size >= w.limit:  # a sorted run, written before the parent hears the document is done
        write_lines(w.spool / f"{os.getpid()}-{w.runs:05d}.run", sorted_lines([pending.read_bytes()]))
        w.file.truncate(0)
        w.size, w.runs = 0, w.runs + 1
    return result, hit is not None


def _work_file(path: Path, doc_id: str) -> tuple[DocResult | InputError, bool]:
    """A one-article file read and built in a worker: the parent sends its name, not its text, so reading
    (and decoding, and the cache's look-up) is per-document work done in parallel, not the parent's."""
    item = next(read_path(path), None) or InputError(f"{path}: no article")
    if isinstance(item, InputError):
        return item, False
    return _work(item if item.id == doc_id else replace(item, id=doc_id))


def _results(reading: _Reading, lex: Lexicon, workers: int, cache: Cache | None, runs: Runs,
             counter: list[int], timings: Counter[str] | None = None, evidence: str = "full") -> Iterator[DocResult]:
    """Per-document results in input order: from the cache, or computed here or in worker processes.

    Each document's N-Quads go to `runs`; the workers write theirs as sorted runs into the same folder,
    and what they hold at the end is read back from their spool files (`counter` counts cache hits).
    """
    if workers <= 1:
        for path in reading.files:
            for doc in reading.documents(path, timings):
                key = cache.key(doc) if cache else ""
                hit = cache.get(key) if cache else None
                if hit is not None:
                    counter[0] += 1
                    result = hit
                else:
                    result = process(doc, lex, timings)
                    if cache:
                        cache.put(key, result)
                runs.add(at_evidence_level(result.quads, evidence))
                yield result
        return
    import multiprocessing

    from .segment import model

    model()  # loaded before the fork, the workers share it instead of each reading it again
    gc.freeze()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    spool = runs.folder
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(lex, cache, spool, os.getpid(), runs.limit, evidence)) as pool:
        yield from _in_order(reading, pool, workers, counter)
    leftovers = sorted(spool.glob("*.nq"))  # what each worker held at the end: at most `limit` bytes each
    if not sort_into_runs(leftovers):  # sorted all at once by GNU sort, else here
        for path in leftovers:
            runs.add(path.read_bytes())
            path.unlink()


@dataclass
class _Sent:
    """A document a worker builds: a one-article file (read there: `path` and the `id` it will have) or a
    JSON line (read here)."""

    future: Future
    path: Path | None = None
    id: str = ""


def _in_order(reading: _Reading, pool: ProcessPoolExecutor, workers: int, counter: list[int]) -> Iterator[DocResult]:
    """The workers' results in input order, from a bounded window of documents in flight (it keeps every worker
    busy and bounds what waits in memory). One-article files are read by the workers; their identifiers are
    known from their names, so an identifier taken twice is found without their text (a name in flight that
    another file would take is waited for). A file of JSON lines is read here, after the documents before it:
    its identifiers are then checked against all of theirs."""
    window: deque[_Sent | InputError] = deque()
    claimed: set[str] = set()  # identifiers of one-article files in flight

    def finish(item: _Sent | InputError) -> Iterator[DocResult]:
        if isinstance(item, InputError):
            reading.failed(item)
            return
        result, hit = item.future.result()
        claimed.discard(item.id)
        if isinstance(result, InputError):
            reading.failed(result)
            return
        if item.path is not None:
            reading.first[item.id] = str(item.path)
        counter[0] += hit
        yield result

    def drained() -> Iterator[DocResult]:
        while window:
            yield from finish(window.popleft())

    def sent(item: _Sent | InputError) -> Iterator[DocResult]:
        window.append(item)
        while len(window) > IN_FLIGHT * workers or (window and isinstance(window[0], InputError)):
            yield from finish(window.popleft())

    for path in reading.files:
        if single_document(path):
            doc_id = canonical(reading.ids.get(path, path.stem))
            if doc_id in claimed:
                yield from drained()
            error = reading.taken(doc_id, path)
            if error is None:
                claimed.add(doc_id)
            yield from sent(error or _Sent(pool.submit(_work_file, path, doc_id), path, doc_id))
        else:
            yield from drained()
            for doc in reading.documents(path):
                yield from sent(_Sent(pool.submit(_work, doc)))
    yield from drained()


def _merged(runs: Runs, result: BuildResult, folder: tempfile.TemporaryDirectory) -> None:
    """The build's sorted N-Quads: in memory when nothing was spilled, else the runs, which GNU sort merges as
    the exporters read them (elsewhere, merged into one file)."""
    spilled = sorted(runs.folder.glob("*.run"))  # the workers' and this process's
    if not spilled:
        result.quads = runs.in_memory() or b""
        folder.cleanup()
        return
    runs.spill()
    spilled = sorted(runs.folder.glob("*.run"))
    if len(spilled) > 1 and streams():
        result.runs = spilled  # merged as the exporters read them
    else:
        result.path = runs.folder / "graph.nq"
        merge(spilled, result.path)
    result.folder = folder


def build(paths: Iterable[str | Path], lex: Lexicon | None = None,
          progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None, strict: bool = False,
          workers: int = 1, cache_dir: Path | None = None, timings: Counter[str] | None = None,
          exclude: Iterable[Path] = (), evidence: str = "full") -> BuildResult:
    """Build one graph from article files and folders.

    Unreadable files are reported in `failures` and skipped; with `strict`
    the first one raises its `InputError` instead. The output is the same
    whatever `workers` and whatever the cache holds. `exclude`: paths never
    read (the build's own output; the cache folder is never read either).
    `evidence`: how much provenance is written (`rdf.EVIDENCE_LEVELS`).
    """
    try:
        with few_collections():
            return _build(paths, lex, progress, strict, workers, cache_dir, timings,
                          [*exclude, *([cache_dir] if cache_dir else [])], evidence)
    except KeyboardInterrupt:
        raise Interrupted("interrupted: nothing was written, the previous output is unchanged") from None
    except BrokenProcessPool:
        raise KgError("a worker process died (killed, or out of memory?): nothing was written; "
                      "try fewer --workers") from None
    except OSError as exc:  # e.g. no room left for the workers' spool files in the temporary folder
        raise KgError(f"{exc.filename or 'build'}: {exc.strerror or exc}; nothing was written") from None


def default_cache_dir(output: Path, cache: Path | None = None, no_cache: bool = False) -> Path | None:
    """Where a build keeps its cache: `cache` if given, else `.kg-cache` beside the output; None for none."""
    if no_cache:
        return None
    return cache or (output.parent if is_file_target(output) else output) / ".kg-cache"


def _build(paths: Iterable[str | Path], lex: Lexicon | None,
           progress: Callable[[Iterable[Path], int], Iterable[Path]] | None, strict: bool,
           workers: int, cache_dir: Path | None, timings: Counter[str] | None,
           exclude: list[Path], evidence: str = "full") -> BuildResult:
    started = time.perf_counter()
    lex = lex or lexicon()
    gc.freeze()  # the lexicon, just loaded, lives as long as the build: out of the collector's scans
    sources = find_sources(paths, exclude)
    if strict and sources.problems:
        raise sources.problems[0]
    files = progress(sources.files, len(sources.files)) if progress else sources.files
    result = BuildResult(failures=[str(p) for p in sources.problems])
    cache = Cache(cache_dir, lex) if cache_dir else None
    folder = _spool_folder()
    try:
        runs = Runs(Path(folder.name), "main", spill_bytes())
        tally, hits = Tally(), [0]
        reading = _Reading(files, told_apart(sources.files), strict, result.failures)
        for r in _results(reading, lex, workers, cache, runs, hits, timings, evidence):
            check_interrupted()
            tally.add(r)
        release()  # the segmenter's tables (a one-worker build's, in this process): not needed past here
        check_interrupted()
        _Clock(timings)("merge", _merged, runs, result, folder)
    except BaseException:
        folder.cleanup()
        raise
    result.count(tally)
    result.cached = hits[0]
    result.seconds = time.perf_counter() - started
    return result
