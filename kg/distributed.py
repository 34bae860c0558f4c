"""Build on many machines: the per-document stages on a Dask cluster, written as sharded N-Quads.

Each task reads a batch of files and writes one shard: the batch's
documents, each in its named graph, and the descriptions of the entities
they mention. IRIs are deterministic, so the shards merge by plain union
(load them all into a store, or concatenate them): no global step. An
entity spelled differently in two shards keeps both names (two labels).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError, KgError, UsageError
from .export import is_file_target, write_atomic
from .gazetteer import Lexicon, lexicon
from .pipeline import BuildResult, Tally, process
from .rdf import at_evidence_level, nquads
from .read import find_sources, read_path, told_apart
from .runs import check_sorted, merge, streams
from .runtime import few_collections


@dataclass
class ShardReport:
    """What one shard holds, for the summary."""

    path: str
    tally: Tally = field(default_factory=Tally)
    failures: list[str] = field(default_factory=list)


def build_shard(index: int, files: list[str], folder: str, lex: Lexicon | None = None,
                ids: dict[str, str] | None = None, evidence: str = "full") -> ShardReport:
    """Run the per-document stages over a batch and write its shard (a Dask task, or a plain call).
    `ids`: the identifiers of the build's files whose names collide (`kg.read.told_apart`); `evidence`: how
    much provenance the shard keeps (`kg.rdf.EVIDENCE_LEVELS`)."""
    lex = lex or lexicon()
    path = Path(folder) / f"part-{index:05d}.nq"
    report = ShardReport(str(path))
    chunks = []
    with few_collections():  # as in a local build: the default collector takes a tenth of the time
        for file in files:
            for item in read_path(Path(file)):
                if isinstance(item, InputError):
                    report.failures.append(str(item))
                    continue
                if ids and file in ids:
                    item = replace(item, id=ids[file])
                r = process(item, lex)
                chunks.append(at_evidence_level(r.quads, evidence))
                report.tally.add(r)
    write_atomic(path, nquads(chunks))
    return report


def build_on_dask(paths: list[Path], address: str, output: Path, lex: Lexicon | None = None,
                  batch: int = 50, evidence: str = "full") -> BuildResult:
    """Send batches of files to the cluster at `address`; each worker writes its shard into `output`/shards.

    The folder must be reachable by the workers under the same path (a shared
    or network file system when they run on other machines).
    """
    if is_file_target(output):
        raise UsageError(f"{output}: with --dask the output is a folder (the shards go to {output}/shards/)")
    started = time.perf_counter()
    folder = output / "shards"
    sources = find_sources(paths, exclude=[output])  # never its own shards
    files = [str(p.resolve()) for p in sources.files]
    renamed = {str(p.resolve()): i for p, i in told_apart(sources.files).items()}
    folder.mkdir(parents=True, exist_ok=True)
    batches = [files[i:i + batch] for i in range(0, len(files), batch)]
    try:
        tasks = [(i, b, str(folder.resolve()), {f: renamed[f] for f in b if f in renamed})
                 for i, b in enumerate(batches)]
        reports = _run_on_cluster(address, lex, tasks, evidence)
    except OSError as exc:
        raise KgError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    return summarise(reports, [str(p) for p in sources.problems], time.perf_counter() - started)


def _run_on_cluster(address: str, lex: Lexicon | None, tasks: list[tuple[int, list[str], str, dict[str, str]]],
                    evidence: str = "full") -> list[ShardReport]:
    from distributed import Client

    with Client(address, timeout="5s") as client:  # a scheduler answers in well under a second
        shared = client.scatter(lex, broadcast=True) if lex is not None else None
        futures = [client.submit(build_shard, i, b, f, shared, ids, evidence, pure=False) for i, b, f, ids in tasks]
        return client.gather(futures)


def summarise(reports: list[ShardReport], problems: list[str], seconds: float) -> BuildResult:
    """The summary of a build over all shards: documents, entities per type, relations per property."""
    total = Tally()
    for r in reports:
        total.update(r.tally)
    result = BuildResult(failures=problems + [f for r in reports for f in r.failures], seconds=seconds,
                         shards=[Path(r.path) for r in reports])
    result.count(total)
    return result


def merge_shards(paths: Iterable[Path]) -> BuildResult:
    """One graph from the shards of Dask builds (files, or folders of them: *.nq), each checked to be sorted, then
    merged as sorted runs, by GNU sort as the graph is written (elsewhere into a temporary file): memory stays
    flat however large the shards; the bytes a build on one machine writes."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(p.glob("*.nq"))
            if not found:
                raise InputError(f"{p}: no shards (*.nq) in this folder")
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    started = time.perf_counter()
    folder = tempfile.TemporaryDirectory(prefix="kg-merge-")
    try:
        if streams():  # each shard checked, then merged by GNU sort as the graph is written
            check_sorted(files)
            return BuildResult(runs=files, folder=folder, shards=files, seconds=time.perf_counter() - started)
        target = Path(folder.name) / "graph.nq"
        merge(files, target, keep=True)
    except BaseException:
        folder.cleanup()
        raise
    return BuildResult(path=target, folder=folder, shards=files, seconds=time.perf_counter() - started)
