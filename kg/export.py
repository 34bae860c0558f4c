"""Exporters, registered by format name, and safe writing of their output.

Every file is written to a temporary file beside its target and renamed
over it, so an interrupted run leaves the previous output whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

Exporter = Callable[[Graph], bytes]
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


@exporter("ttl", ".ttl")
def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


@exporter("nt", ".nt")
def ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples: the same graph gives byte-identical files."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


@exporter("html", ".html")
def html(graph: Graph) -> bytes:
    from .view import render  # pyvis is only loaded when a view is asked for

    return render(graph).encode("utf-8")


def export(graph: Graph, target: Path, formats: list[str]) -> list[Path]:
    """Write `graph` in each format: `target` is a folder (graph.<ext>) or, for one format, a file."""
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)} (choose from {', '.join(EXPORTERS)})")
    written = []
    for name in formats:
        suffix, fn = EXPORTERS[name]
        path = target if target.suffix == suffix else target / f"graph{suffix}"
        write_atomic(path, fn(graph))
        written.append(path)
    return written
