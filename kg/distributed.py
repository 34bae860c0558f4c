"""Build on many machines: the per-document stages on a Dask cluster, written as sharded N-Quads.

Each task reads a batch of files and writes one shard: the batch's
documents, each in its named graph, and the descriptions of the entities
they mention. IRIs are deterministic, so the shards merge by plain union
(load them all into a store, or concatenate them): no global step. An
entity spelled differently in two shards keeps both names (two labels).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .export import write_atomic
from .gazetteer import Lexicon
from .pipeline import process
from .rdf import ENTITIES_GRAPH, entity_triples, merge_entity, nquads, quad_lines
from .read import InputError, find_sources, read_path


@dataclass
class ShardReport:
    """What one shard holds, for the summary."""

    path: str
    documents: int = 0
    failures: list[str] = field(default_factory=list)
    entities: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, str, str, str]] = field(default_factory=list)
    observations: int = 0


def build_shard(index: int, files: list[str], folder: str, lex: Lexicon | None = None) -> ShardReport:
    """Run the per-document stages over a batch and write its shard (a Dask task, or a plain call)."""
    path = Path(folder) / f"part-{index:05d}.nq"
    report = ShardReport(str(path))
    chunks, merged = [], {}
    for file in files:
        for item in read_path(Path(file)):
            if isinstance(item, InputError):
                report.failures.append(str(item))
                continue
            r = process(item, lex)
            chunks.append(r.quads)
            for e in r.entities:
                merge_entity(merged, e)
            report.entities.update(r.mentioned)
            report.facts += r.facts
            report.observations += r.observations
            report.documents += 1
    chunks.append(quad_lines(entity_triples(merged.values(), lex), ENTITIES_GRAPH))
    write_atomic(path, nquads(chunks))
    return report


def build_on_dask(paths: list[Path], address: str, folder: Path, lex: Lexicon | None = None,
                  batch: int = 50) -> list[ShardReport]:
    """Send batches of files to the cluster at `address`; each worker writes its shard into `folder`.

    The folder must be reachable by the workers under the same path (a shared
    or network file system when they run on other machines).
    """
    from distributed import Client

    sources = find_sources(paths)
    files = [str(p.resolve()) for p in sources.files]
    folder.mkdir(parents=True, exist_ok=True)
    batches = [files[i:i + batch] for i in range(0, len(files), batch)]
    with Client(address, timeout="30s") as client:
        shared = client.scatter(lex, broadcast=True) if lex is not None else None
        futures = [client.submit(build_shard, i, b, str(folder.resolve()), shared, pure=False)
                   for i, b in enumerate(batches)]
        reports = client.gather(futures)
    if sources.problems:
        reports.append(ShardReport("", failures=[str(p) for p in sources.problems]))
    return reports


def summarise(reports: list[ShardReport]) -> tuple[int, Counter[str], Counter[str], int, list[str]]:
    """Documents, entities per type, relations per property, statistics and failures over all shards."""
    types: dict[str, str] = {}
    facts: set[tuple[str, str, str, str]] = set()
    for r in reports:
        types.update(r.entities)
        facts.update(r.facts)
    return (sum(r.documents for r in reports), Counter(types.values()), Counter(p for _, p, _, _ in facts),
            sum(r.observations for r in reports), [f for r in reports for f in r.failures])
