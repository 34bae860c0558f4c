"""The pipeline, end to end: read → normalise → tokenise → recognise → resolve → relate → measure.

`extract` runs every per-document stage on one `Document`; `build` runs it
over files and folders and hands the results to `rdf.to_graph`. The CLI is a
thin layer over these two functions.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .gazetteer import Lexicon, lexicon
from .measure import measure
from .model import Document, Extraction
from .rdf import to_dataset, union
from .read import InputError, find_sources, read_documents
from .recognize import recognize
from .relate import relate
from .resolve import resolve
from .tokenize import tokenize


def extract(document: Document, lex: Lexicon | None = None) -> Extraction:
    """Every per-document stage on one document."""
    lex = lex or lexicon()
    sentences = tokenize(document)
    mentions = recognize(sentences, lex)
    mentions, entities, province = resolve(sentences, mentions, lex)
    relations = relate(sentences, mentions, entities, province, lex)
    observations = measure(sentences, mentions, province, lex)
    mentions = [m for m in mentions if m.type != "Role"]
    return Extraction(document, sentences, mentions, entities, relations, observations)


@dataclass
class BuildResult:
    """A built graph (named graphs, and their union) with what the summary table reports."""

    dataset: Dataset
    graph: Graph
    documents: int = 0
    failures: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    observations: int = 0
    seconds: float = 0.0


def build(paths: Iterable[str | Path], lex: Lexicon | None = None,
          progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None, strict: bool = False) -> BuildResult:
    """Build one graph from article files and folders.

    Unreadable files are reported in `failures` and skipped; with `strict`
    the first one raises its `InputError` instead.
    """
    started = time.perf_counter()
    lex = lex or lexicon()
    sources = find_sources(paths)
    if strict and sources.problems:
        raise sources.problems[0]
    wrapped = progress(sources.files, len(sources.files)) if progress else sources.files
    extractions, failures = [], [str(p) for p in sources.problems]
    for item in read_documents(wrapped):
        if isinstance(item, InputError):
            if strict:
                raise item
            failures.append(str(item))
        else:
            extractions.append(extract(item, lex))
    dataset = to_dataset(extractions, lex)
    result = BuildResult(dataset, union(dataset), len(extractions), failures)
    types: dict[str, str] = {}
    facts: set[tuple[str, str, str, str]] = set()
    for x in extractions:
        mentioned = {m.key for m in x.mentions}
        types.update({k: e.type for k, e in x.entities.items() if k in mentioned})
        facts.update((r.subject, r.predicate, r.object, r.role) for r in x.relations)
        result.observations += len(x.observations)
    result.entities.update(types.values())
    result.relations.update(p for _, p, _, _ in facts)
    result.seconds = time.perf_counter() - started
    return result
