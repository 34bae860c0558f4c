"""Remove documents from a store folder or a store server: an article left the corpus, its facts must go.

A document is named by its identifier (`dcterms:identifier`, e.g.
`bac-ninh-2024`) or by its article file, whose identifiers are the ones
`kg build` gives it (read by `kg.read`, so the two never disagree). Its facts
are its named graph, `kg.rdf.graph_iri(identifier)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, UsageError
from .rdf import graph_iri
from .read import read_path
from .remote import Server, remove_graphs


@dataclass
class Removal:
    """Identifiers removed, and those the store did not hold."""

    removed: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def identifiers(doc: str) -> list[str]:
    """The document identifiers a DOC argument names: an article file's (as `kg build` reads them), else itself."""
    path = Path(doc)
    if not path.is_file():
        return [doc]
    ids = []
    for item in read_path(path):
        if isinstance(item, InputError):
            raise item
        ids.append(item.id)
    return ids


def remove(docs: list[str], store: Path | None = None, server: Server | None = None,
           union_default_graph: bool = False) -> Removal:
    """Remove documents from exactly one of a store folder (all or nothing) or a store server (whose default
    graph, with `union_default_graph`, is kept the union of its named graphs)."""
    if (store is None) == (server is None):
        raise UsageError("give exactly one of --store DIR and --endpoint URL")
    ids = list(dict.fromkeys(i for doc in docs for i in identifiers(doc)))
    if store is not None:
        from .store import remove_documents

        return Removal(*remove_documents(store, ids))
    assert server is not None
    by_graph = {str(graph_iri(i)): i for i in ids}
    removed, absent = remove_graphs(server, list(by_graph), union_default_graph)
    return Removal([by_graph[g] for g in removed], [by_graph[g] for g in absent])
