"""Exporters, registered by format name, and safe writing of their output.

Every file is written to a temporary file beside its target and renamed
over it, so an interrupted run leaves the previous output whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from .rdf import PREFIXES, union


@dataclass(frozen=True)
class Output:
    """What exporters read: the named graphs, and their union as one graph."""

    dataset: Dataset
    graph: Graph

    @classmethod
    def of(cls, dataset: Dataset) -> Output:
        return cls(dataset, union(dataset))


Exporter = Callable[[Output], bytes]
EXPORTERS: dict[str, tuple[str, Exporter]] = {}


def exporter(name: str, suffix: str) -> Callable[[Exporter], Exporter]:
    """Register an exporter: adding a format touches this registry only."""

    def register(fn: Exporter) -> Exporter:
        EXPORTERS[name] = (suffix, fn)
        return fn

    return register


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sorted_lines(data: bytes) -> bytes:
    """Sorted lines: the same graph gives byte-identical N-Triples and N-Quads."""
    lines = data.decode("utf-8").split("\n")
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


@exporter("ttl", ".ttl")
def turtle(out: Output) -> bytes:
    return out.graph.serialize(format="turtle", encoding="utf-8")


@exporter("nt", ".nt")
def ntriples(out: Output) -> bytes:
    return _sorted_lines(out.graph.serialize(format="nt", encoding="utf-8"))


@exporter("nq", ".nq")
def nquads(out: Output) -> bytes:
    """One named graph per document (replaceable on its own in a store), one for entity descriptions."""
    return _sorted_lines(out.dataset.serialize(format="nquads", encoding="utf-8"))


@exporter("trig", ".trig")
def trig(out: Output) -> bytes:
    return out.dataset.serialize(format="trig", encoding="utf-8")


@exporter("jsonld", ".jsonld")
def jsonld(out: Output) -> bytes:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return out.graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")


@exporter("html", ".html")
def html(out: Output) -> bytes:
    from .view import render  # pyvis is only loaded when a view is asked for

    return render(out.graph).encode("utf-8")


def export(dataset: Dataset, target: Path, formats: list[str]) -> list[Path]:
    """Write the graph in each format: `target` is a folder (graph.<ext>) or, for one format, a file."""
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)} (choose from {', '.join(EXPORTERS)})")
    out = Output.of(dataset)
    written = []
    for name in formats:
        suffix, fn = EXPORTERS[name]
        path = target if target.suffix == suffix else target / f"graph{suffix}"
        write_atomic(path, fn(out))
        written.append(path)
    return written
