"""SPARQL over graph files, and the counts `kg stats` prints.

Results come back as plain rows (header + tuples of strings) so the CLI
can print them as a table, CSV or JSON.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.query import Result

from .errors import QueryError
from .rdf import GRAPH_FORMATS, PREFIXES, compact

FORMATS = {suffix: f.rdflib for suffix, f in GRAPH_FORMATS.items()}


def load_graph(path: str | Path) -> Graph:
    """Parse a graph file (format from its extension); named graphs are united."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file")
    if fmt is None:
        raise QueryError(f"{path}: unknown graph format (use one of {', '.join(FORMATS)})")
    try:
        if fmt in {"nquads", "trig"}:
            ds = Dataset()
            ds.parse(str(path), format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g = Graph()
            g.parse(str(path), format=fmt)
    except Exception as exc:
        raise QueryError(f"{path}: cannot parse as {fmt}: {' '.join(str(exc).split())[:300]}") from None
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def read_query(path: Path) -> str:
    """The text of a .rq file."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None


def run(graph: Graph, sparql: str) -> Result:
    """Run a query; the project's prefixes (kg:, org:, schema:…) are predeclared."""
    try:
        return graph.query(sparql, initNs=PREFIXES)
    except Exception as exc:
        raise QueryError(f"query failed: {' '.join(str(exc).split())[:300]}") from None


def rows(result: Result) -> tuple[list[str], list[tuple[str, ...]]]:
    """Header and rows of a SELECT or ASK result, as strings."""
    if result.type == "ASK":
        return ["ask"], [(str(bool(result.askAnswer)).lower(),)]
    header = [str(v) for v in result.vars or []]
    return header, [tuple("" if v is None else str(v) for v in row) for row in result]


def to_csv(header: list[str], body: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue()


def to_json(header: list[str], body: list[tuple[str, ...]]) -> str:
    return json.dumps([dict(zip(header, r, strict=True)) for r in body], ensure_ascii=False, indent=1) + "\n"


CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PROPERTY_COUNTS = """
SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } GROUP BY ?property ORDER BY DESC(?n) ?property
"""


def stats(graph: Graph) -> dict[str, list[tuple[str, int]]]:
    """Instances per class and triples per property, most frequent first."""
    return {
        "classes": [(compact(str(r[0])), int(r[1])) for r in run(graph, CLASS_COUNTS)],
        "properties": [(compact(str(r[0])), int(r[1])) for r in run(graph, PROPERTY_COUNTS)],
    }
