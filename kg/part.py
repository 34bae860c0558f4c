"""The part of a large N-Quads graph that a focus view needs, read by scanning lines instead of parsing it all.

`kg view big.nq --focus NAME` draws a few hundred entities out of tens of thousands; loading the whole graph into
rdflib for that took minutes and gigabytes. Here the file is streamed four times, keeping only small indexes:

1. the entities named NAME (a label or other name equal to it, as `view.find` matches: case and spacing aside,
   else without diacritics; or the IRI itself), and the links between entities;
2. the neighbourhood (`depth` steps, either direction, as `view.select` draws it), then every line about those
   entities, and the nodes that point at them (statements, memberships, mentions, observations, documents);
3. those nodes' lines (a document's `schema:mentions` of entities outside the part are skipped);
4. the sentences and roles those lines cite.

The lines kept are then parsed with rdflib, and `view.render` draws them exactly as from the whole graph. The
file needs not be sorted. Several entities with the name: only they are read, and `view.select` lists them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError
from .normalize import normalize_name
from .rdf import ID, KG, PREFIXES, SEGMENTS, each_triple_once

ENTITY = tuple(f"<{ID}{segment}/".encode() for segment in SEGMENTS.values())
NAMES = (b"<http://www.w3.org/2000/01/rdf-schema#label>", b"<http://www.w3.org/2004/02/skos/core#altLabel>")
SUBCLASS = b"<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# predicates by which a statement, membership, mention, observation or document points at an entity
POINTERS = {b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>", b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>",
            b"<http://www.w3.org/ns/org#member>", b"<http://www.w3.org/ns/org#organization>",
            b"<https://w3id.org/kg-vn/ontology#mentionOf>", b"<https://schema.org/observationAbout>",
            b"<https://schema.org/mentions>"}
MENTIONS = b"<https://schema.org/mentions>"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# predicates whose objects (sentences, roles) the view reads in turn
CITED = {b"<https://w3id.org/kg-vn/ontology#evidence>", b"<https://w3id.org/kg-vn/ontology#inSentence>",
         b"<http://www.w3.org/ns/org#role>"}


LABEL_LINE = rb'(rdf-schema#label|core#altLabel)> "'
# what an overview of a whole graph reads of each entity, besides its links to other entities
ATTRIBUTES = {b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", *NAMES,
              b"<https://w3id.org/kg-vn/ontology#documentNumber>", b"<https://w3id.org/kg-vn/ontology#provinceCode>",
              b"<https://w3id.org/kg-vn/ontology#provinceCode2025>"}


def _entity() -> bytes:
    """An extended regular expression for an entity's IRI."""
    return rb"<" + str(ID).replace(".", "\\.").encode() + rb"(" + b"|".join(
        e[len(str(ID)) + 1:-1] for e in ENTITY) + rb")/[^>]*>"


def _link_line() -> bytes:
    """An extended regular expression for a line from an entity to an entity."""
    return rb"^" + _entity() + rb" <[^>]*> " + _entity()


def _attribute_line() -> bytes:
    """An extended regular expression for a line giving an entity's class, name or identifier."""
    return rb"^" + _entity() + rb" <(" + b"|".join(p[1:-1].replace(b".", rb"\.") for p in sorted(ATTRIBUTES)) + rb")> "


def _grep(path: Path, patterns: list[bytes], extended: bool = False) -> Iterator[bytes]:
    """The lines of `path` containing any of `patterns` (fixed strings, or extended regular expressions), as grep
    finds them (Aho–Corasick over the file at hundreds of MB a second, read as it writes them: a corpus's lines
    are never all held), else by Python, much more slowly."""
    if not patterns:
        return
    grep = shutil.which("grep")
    if grep:
        found = 0
        with tempfile.NamedTemporaryFile("wb", suffix=".txt") as f:
            f.write(b"\n".join(patterns) + b"\n")
            f.flush()
            with subprocess.Popen([grep, "-E" if extended else "-F", "-f", f.name, "--", str(path)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={**os.environ, "LC_ALL": "C"}) as done:
                for line in done.stdout:
                    found += 1
                    yield line.rstrip(b"\n")
                error = done.stderr.read().decode("utf-8", "replace").strip()
        if done.returncode in (0, 1):
            return
        if found:  # half read: Python's search would repeat those lines
            raise QueryError(f"{path}: grep stopped ({error or done.returncode}): read again or check the disk")
    regexes = [re.compile(p) for p in patterns] if extended else None
    with path.open("rb") as f:
        for line in f:
            if any(r.search(line) for r in regexes) if regexes else any(p in line for p in patterns):
                yield line.rstrip(b"\n")


def _split(line: bytes) -> tuple[bytes, bytes, bytes]:
    """Subject, predicate and object of an N-Quads line (a literal object cut at its first space)."""
    s, p, o, *_ = [*line.split(b" ", 3), b"", b""]
    return s, p, o


def _literal(rest: bytes) -> str:
    """The text of an N-Quads literal at the start of `rest` ('"Bắc Ninh"@vi <g> .' -> 'Bắc Ninh')."""
    end = 1
    while True:
        end = rest.find(b'"', end)
        if end < 0:
            return ""
        if rest[end - 1:end] != b"\\" or rest[end - 2:end] == b"\\\\":
            break
        end += 1
    raw = rest[1:end].decode("utf-8", "replace")
    if "\\" not in raw:
        return raw
    try:
        return json.loads(f'"{raw}"')
    except ValueError:
        return raw


def _term(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> Node:
    """An oxigraph term as rdflib's."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _graph(lines: Iterable[bytes]) -> Graph:
    """N-Quads lines as one rdflib Graph: parsed by oxigraph (Rust), handed to rdflib term by term, several times
    faster than rdflib's own parser. A triple's copies in several graphs, side by side in sorted lines (an
    entity's name in each document's graph), are parsed once."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    unique = list(each_triple_once(lines))
    if unique:
        quads = pyoxigraph.parse(b"\n".join(unique) + b"\n", format=pyoxigraph.RdfFormat.N_QUADS)
        del unique
        for triple in {q.triple for q in quads}:
            graph.add(tuple(_term(t) for t in triple))
    return graph


def read_overview(path: Path) -> Graph:
    """The entities of an N-Quads graph with their classes, names and identifiers, and the links between them:
    what the overview of a whole corpus draws, without the statements, evidence, documents and statistics (the
    bulk of the file), which `kg view --focus` reads for a part."""
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file")
    return _graph(_grep(path, [_attribute_line(), _link_line()], extended=True))


TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_BATCH = 1 << 14  # name lines parsed at a time


def read_entity_links(path: Path) -> nx.Graph:
    """The entities of an N-Quads graph (those of a scored type), each with its type, name and type's name, and
    who links to whom (either way, once): what the page of groups draws (`view.render_groups`), as
    `view.to_networkx` would give them from `read_overview`. Read a line at a time into integer ids (names
    parsed by oxigraph a batch at a time), never into rdflib: at 100 MB of text, 455,000 lines of classes, names
    and links took 817 MB as rdflib triples and 300 MB more as a directed multigraph."""
    from .view import first_name, label_of, scored_types

    if not path.is_file():
        raise QueryError(f"{path}: no such graph file")
    number: dict[bytes, int] = {}  # an entity's IRI ("<…>") -> its id
    classes: dict[int, set[bytes]] = defaultdict(set)
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    ends = array("q")  # the links' ends, two ids a link
    batch: list[bytes] = []

    def parse_names() -> None:
        for quad in pyoxigraph.parse(b"\n".join(batch) + b"\n", format=pyoxigraph.RdfFormat.N_QUADS):
            subject = number.setdefault(f"<{quad.subject.value}>".encode(), len(number))
            names[subject].append((quad.object.value, quad.object.language))
        batch.clear()

    for line in each_triple_once(_grep(path, [_attribute_line(), _link_line()], extended=True)):
        s, p, o = _split(line)
        if p == TYPE:
            classes[number.setdefault(s, len(number))].add(o)
        elif p == NAMES[0]:
            batch.append(line)
            if len(batch) >= _BATCH:
                parse_names()
        elif o.startswith(ENTITY):
            ends.extend((number.setdefault(s, len(number)), number.setdefault(o, len(number))))
    if batch:
        parse_names()
    iris = {i: iri[1:-1].decode() for iri, i in number.items()}
    number.clear()
    types = scored_types({URIRef(c[1:-1].decode()) for found in classes.values() for c in found})
    g = nx.Graph()
    for iri, i in sorted((iris[i], i) for i in classes):
        scored = sorted(c for c in (URIRef(c[1:-1].decode()) for c in classes[i]) if c in types)
        if scored:
            kind = types[scored[0]]
            g.add_node(iri, label=first_name(names.get(i, ()), iri), type=kind,
                       type_label=label_of(KG[kind]) or kind)
    for k in range(0, len(ends), 2):
        a, b = iris[ends[k]], iris[ends[k + 1]]
        if a in g and b in g:
            g.add_edge(a, b)
    return g


def read_part(path: Path, focus: str, depth: int = 2, max_nodes: int | None = None) -> Graph:
    """The triples `view.render(graph, focus, depth)` reads, from an N-Quads file, as an rdflib Graph; raises
    ViewTooLarge early when the neighbourhood has more than `max_nodes` entities."""
    from .view import fold, too_large

    if not path.is_file():
        raise QueryError(f"{path}: no such graph file")
    wanted = normalize_name(focus)
    folded = fold(focus)
    iri = f"<{focus.strip()}>".encode()
    exact: set[bytes] = set()
    loose: set[bytes] = set()
    links: dict[bytes, set[bytes]] = defaultdict(set)
    verdicts: dict[bytes, int] = {}  # literal -> 2 the name as written, 1 without diacritics, 0 another
    for line in _grep(path, [LABEL_LINE, _link_line()], extended=True):  # 1. who is named so; the links
        s, p, o = _split(line)
        if not s.startswith(ENTITY):
            continue
        if s == iri:
            exact.add(s)
        if p in NAMES:
            literal = line[len(s) + len(p) + 2:].rsplit(b" <", 1)[0]  # a label repeats in each document's graph
            if literal not in verdicts:
                text = _literal(literal)
                verdicts[literal] = 2 if normalize_name(text) == wanted else 1 if fold(text) == folded else 0
            if verdicts[literal] == 2:
                exact.add(s)
            elif verdicts[literal] == 1:
                loose.add(s)
        elif o.startswith(ENTITY) and o != s:
            links[s].add(o)
            links[o].add(s)
    if iri.startswith(ENTITY) and iri in links:
        exact.add(iri)
    centres = exact or loose
    keep = set(centres)
    province = f"<{ID}{SEGMENTS['Province']}/".encode()  # one province in two eras (before and after 1 July 2025)
    if len(centres) == 1 or all(c.startswith(province) for c in centres):
        frontier = set(centres)
        for _ in range(depth):
            frontier = {n for f in frontier for n in links.get(f, ())} - keep
            keep |= frontier
    del links
    if max_nodes is not None and len(keep) > max_nodes:
        raise too_large(len(keep), max_nodes)
    kept: list[bytes] = []
    pointing: set[bytes] = set()
    for line in _grep(path, [*(k + b" " for k in sorted(keep)), SUBCLASS + b" "]):  # 2. about them, or at them
        s, p, o = _split(line)
        if s in keep or p == SUBCLASS:
            kept.append(line)
        elif p in POINTERS and o in keep:
            pointing.add(s)
    cited: set[bytes] = set()
    for line in _grep(path, [x + b" " for x in sorted(pointing)]):  # 3. statements, memberships, documents…
        s, p, o = _split(line)
        if s in pointing and not (p == MENTIONS and o not in keep):
            kept.append(line)
            if p in CITED:
                cited.add(o)
    cited -= keep | pointing
    for line in _grep(path, [x + b" " for x in sorted(cited)]):  # 4. sentences and roles
        if _split(line)[0] in cited:
            kept.append(line)
    return _graph(kept)
