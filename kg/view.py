"""Interactive HTML view of a graph: a vis-network drawing in a page of kg's own, offline and safe with any text.

The page (kg/view_assets/: page.html, view.css, view.js) inlines pyvis's vis-network (nothing is loaded from
the network). Names and sentences come from articles, so nothing from the graph is ever read as HTML: tooltips
are plain strings (vis-network sets them as text), the data is one JSON block (`<`, `>`, `&`, U+2028 and U+2029
escaped, so it cannot end its <script> element), and the legend, search results, labels and details panel are
built in the browser with DOM text nodes or canvas text. Large graphs are cut to a neighbourhood (`focus`,
`depth`) or to some classes (`types`), and refused above `max_nodes`. Positions are computed here
(`positions`), so a large graph draws at once with physics off; labels are placed by the page, by importance,
at a readable size and never over each other. Above OVERVIEW entities the page opens on groups (`groups`: a
province with what is tied to it, the rest by class) that a click opens; `render_groups` draws the groups alone
for a graph too large to carry its entities.
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

import networkx as nx
from pyvis.network import Network
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .errors import AmbiguousFocus, UsageError, ViewTooLarge
from .knowledge import entity_types
from .model import ENTITY_TYPES
from .normalize import normalize_name
from .rdf import KG, ORG, SCHEMA, class_hierarchy, compact
from .rdf import label_of as ontology_label

label_of = cache(ontology_label)  # called for every node and edge: the ontology's labels, looked up once

COLOURS = {t.name: t.colour for t in entity_types().values()}
SHAPES = {t.name: t.shape for t in entity_types().values()}
IDENTIFIERS = (KG.documentNumber, KG.provinceCode, KG.provinceCode2025)
NAMES = (RDFS.label, SKOS.altLabel)
MAX_SENTENCES = 3  # per relation and per entity: the page stays small, the graph file has them all
MAX_NODES = 20_000  # `kg view` draws up to this many entities (above OVERVIEW, as groups a click opens)
BUILD_VIEW = 5000  # `kg build` draws its whole graph up to this many; beyond, only entities, names and links
BIG = 1000  # above this many nodes, edges are hidden while dragging or zooming
FULL, SAMPLE = 800, 200  # the layout's push: between all pairs up to FULL nodes, else from a sample of SAMPLE
SEEDED = 300  # above this many, the layout starts from `seed_positions` instead of vis-network's (slow) own
OVERVIEW = 2000  # above this many, the page opens on groups (provinces, then the rest) that a click expands


# ------------------------------------------------------------------ reading the graph


def qname(term: URIRef) -> str:
    """"org:memberOf" for a term of a known namespace, else the IRI."""
    return compact(str(term))


def top_types(graph: Graph) -> dict[URIRef, str]:
    """The scored type (Agency, Province, …) of every class the graph uses, through rdfs:subClassOf in the
    graph or, for a file without the hierarchy, in the ontology."""
    return scored_types(set(graph.objects(None, RDF.type)), graph.subject_objects(RDFS.subClassOf))


def scored_types(classes: Iterable[URIRef], below: Iterable[tuple[URIRef, URIRef]] = ()) -> dict[URIRef, str]:
    """The scored type of each of `classes` that has one, through the ontology's hierarchy and the (class,
    parent) pairs `below`."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, parent in [*class_hierarchy(), *below]:
        parents[child].add(parent)
    scored = {KG[t]: t for t in ENTITY_TYPES}
    found = {}
    for cls in classes:
        todo, seen = [cls], set()
        while todo:
            c = todo.pop()
            if c in scored:
                found[cls] = scored[c]
                break
            if c not in seen:
                seen.add(c)
                todo += sorted(parents[c])
    return found


def first_name(labels: Iterable[tuple[str, str]], node: str) -> str:
    """The name to draw from (text, language) labels: the first Vietnamese one, else the first, else the IRI's end."""
    labels = list(labels)
    vi = sorted(text for text, language in labels if language == "vi")
    return (vi or sorted(text for text, _ in labels) or [node.rstrip("/#").rsplit("/", 1)[-1]])[0]


def names_of(graph: Graph, node: URIRef) -> tuple[str, list[str]]:
    """The name to draw (the Vietnamese rdfs:label, else any label, else the IRI's end) and the others."""
    labels = list(graph.objects(node, RDFS.label))
    label = first_name(((str(x), getattr(x, "language", None)) for x in labels), str(node))
    others = {str(x) for p in NAMES for x in graph.objects(node, p)} - {label}
    return label, sorted(others)


def vi_number(lexical: str) -> str:
    """A decimal as Vietnamese writes it: "3562.82" -> "3.562,82", "143000.0" -> "143.000"."""
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    text = format(value.normalize() if value != value.to_integral() else value.to_integral(), "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if text.startswith("-") else "") + grouped + (f",{fraction}" if fraction else "")


def _documents(graph: Graph) -> dict[URIRef, dict[str, str]]:
    """Each source document's identifier, title and web address (`dcterms:source`, "" when it has none)."""
    docs = {}
    for doc in graph.subjects(RDF.type, KG.SourceDocument):
        ident = str(graph.value(doc, DCTERMS.identifier) or qname(doc))
        url = next((str(u) for u in sorted(graph.objects(doc, DCTERMS.source))
                    if str(u).startswith(("http://", "https://"))), "")
        docs[doc] = {"id": ident, "title": str(graph.value(doc, DCTERMS.title) or ""), "url": url}
    return docs


def _sentences(graph: Graph, docs: dict[URIRef, dict[str, str]]) -> dict[URIRef, dict]:
    """Each evidence sentence's text, document and position (for ordering)."""
    out = {}
    for s in graph.subjects(RDF.type, KG.Sentence):
        doc = graph.value(s, KG.inDocument)
        index = graph.value(s, KG.sentenceIndex)
        out[s] = {"text": str(graph.value(s, KG.text) or ""), "doc": docs.get(doc, {}).get("id", ""),
                  "order": int(index) if isinstance(index, Literal) and str(index).isdigit() else 0}
    return out


def _quotes(sentences: dict[URIRef, dict], nodes: set[URIRef]) -> list[dict[str, str]]:
    """The first sentences of a set, in document order, as {text, doc}."""
    found = sorted((sentences[s] for s in nodes if s in sentences), key=lambda x: (x["doc"], x["order"]))
    unique = list({(x["text"], x["doc"]): x for x in found}.values())
    return [{"text": x["text"], "doc": x["doc"]} for x in unique[:MAX_SENTENCES]]


def _count(sentences: dict[URIRef, dict], nodes: set[URIRef]) -> int:
    """How many different sentences (text and document) a set holds: the total that `_quotes` cuts."""
    return len({(sentences[s]["text"], sentences[s]["doc"]) for s in nodes if s in sentences})


def _evidence(graph: Graph) -> tuple[dict[tuple, set[URIRef]], dict[tuple, set[str]]]:
    """Sentences behind each (subject, predicate, object), from kg:Statement and org:Membership, and the
    roles of each membership."""
    evidence: dict[tuple, set[URIRef]] = defaultdict(set)
    for st in graph.subjects(RDF.type, KG.Statement):
        key = (graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
        evidence[key] |= set(graph.objects(st, KG.evidence))
    roles: dict[tuple, set[str]] = defaultdict(set)
    for m in graph.subjects(RDF.type, ORG.Membership):
        key = (graph.value(m, ORG.member), ORG.memberOf, graph.value(m, ORG.organization))
        evidence[key] |= set(graph.objects(m, KG.evidence))
        for role in graph.objects(m, ORG.role):
            roles[key].add(names_of(graph, role)[0])
    return evidence, roles


@cache
def _indicator_names() -> dict[str, str]:
    from .quantity import indicators

    return {i.iri: i.name for i in indicators()}


def _observations(graph: Graph, sentences: dict[URIRef, dict]) -> dict[URIRef, list[dict[str, str]]]:
    """Statistics about each entity: indicator, period, value (Vietnamese notation), unit, sentence; and, for the
    panel's chart, the indicator concept's name, the value in its base unit, the unit code, the period's dates
    and the kind of figure."""
    table: dict[URIRef, list[dict[str, str]]] = defaultdict(list)
    for obs in graph.subjects(RDF.type, SCHEMA.Observation):
        about = graph.value(obs, SCHEMA.observationAbout)
        if about is None:
            continue
        quote = _quotes(sentences, set(graph.objects(obs, KG.evidence)))
        kind = graph.value(obs, KG.figureKind)
        table[about].append({"indicator": str(graph.value(obs, SCHEMA.variableMeasured) or ""),
                             "period": str(graph.value(obs, KG.period) or ""),
                             "value": vi_number(str(graph.value(obs, SCHEMA.value) or "")),
                             "unit": str(graph.value(obs, SCHEMA.unitText) or ""),
                             "sentence": quote[0]["text"] if quote else "",
                             "concept": _indicator_names().get(str(graph.value(obs, KG.indicator) or ""), ""),
                             "base": str(graph.value(obs, KG.normalizedValue) or ""),
                             "code": str(graph.value(obs, SCHEMA.unitCode) or ""),
                             "start": str(graph.value(obs, KG.periodStart) or ""),
                             "end": str(graph.value(obs, KG.periodEnd) or ""),
                             "kind": str(kind).rsplit("#", 1)[-1] if kind else ""})
    return {about: sorted({tuple(sorted(r.items())): r for r in rows}.values(),
                          key=lambda r: (r["indicator"].lower(), r["period"], r["value"]))
            for about, rows in table.items()}


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (type, class, names, identifiers, facts, documents, sentences, statistics) and the
    relations between them as edges (label from the ontology, or the post for a membership; evidence)."""
    types = top_types(graph)
    docs = _documents(graph)
    sentences = _sentences(graph, docs)
    mentioned: dict[URIRef, set[str]] = defaultdict(set)
    for doc, entity in graph.subject_objects(SCHEMA.mentions):
        if doc in docs:
            mentioned[entity].add(doc)
    said: dict[URIRef, set[URIRef]] = defaultdict(set)
    for mention, entity in graph.subject_objects(KG.mentionOf):
        said[entity] |= set(graph.objects(mention, KG.inSentence))
    observations = _observations(graph, sentences)
    g = nx.MultiDiGraph()
    for node in sorted({s for s, c in graph.subject_objects(RDF.type) if c in types and isinstance(s, URIRef)}):
        classes = sorted(c for c in graph.objects(node, RDF.type) if c in types)
        kind = types[classes[0]]
        cls = next((c for c in classes if c != KG[kind]), classes[0])
        label, names = names_of(graph, node)
        ids = [str(node), *(f"{label_of(p) or qname(p)}: {v}" for p in IDENTIFIERS
                            for v in sorted(graph.objects(node, p)))]
        facts = sorted(f"{label_of(p) or qname(p)}: {o}" for p, o in graph.predicate_objects(node)
                       if isinstance(o, Literal) and p not in NAMES and p not in IDENTIFIERS)
        g.add_node(str(node), label=label, type=kind, type_label=label_of(KG[kind]) or kind, cls=qname(cls),
                   cls_label=label_of(cls) or qname(cls), names=names, ids=ids, facts=facts,
                   documents=sorted((docs[d]["id"], docs[d]["title"]) for d in mentioned[node]),
                   sentences=_quotes(sentences, said[node]), sentence_count=_count(sentences, said[node]),
                   observations=observations.get(node, []))
    evidence, roles = _evidence(graph)
    for node in list(g):
        s = URIRef(node)
        for p, o in sorted(graph.predicate_objects(s)):
            if p != RDF.type and isinstance(o, URIRef) and str(o) in g:
                label = ", ".join(sorted(roles.get((s, p, o), ()))) or label_of(p) or qname(p)
                said_so = evidence.get((s, p, o), set())
                g.add_edge(node, str(o), label=label, predicate=qname(p), sentences=_quotes(sentences, said_so),
                           sentence_count=_count(sentences, said_so))
    g.graph["documents"] = {d["id"]: {"title": d["title"], "url": d["url"]} for d in docs.values()}
    return g


# ------------------------------------------------------------------ choosing what to draw


def fold(text: str) -> str:
    """A name without case or diacritics ("Thái Nguyên" -> "thai nguyen"), for search and focus."""
    decomposed = unicodedata.normalize("NFD", normalize_name(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find(g: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes with this IRI, else this name among their labels: as written (case and spacing aside), else
    without diacritics."""
    if name.strip() in g:
        return [name.strip()]

    def keys(node: str, key: Callable[[str], str]) -> set[str]:
        return {key(x) for x in [g.nodes[node]["label"], *g.nodes[node]["names"]]}

    for key in (normalize_name, fold):
        found = [n for n in g if key(name) in keys(n, key)]
        if found:
            return found
    return []


def select(g: nx.MultiDiGraph, focus: str | None = None, depth: int = 2, types: list[str] | None = None,
           max_nodes: int = MAX_NODES) -> nx.MultiDiGraph:
    """The part to draw: the neighbourhood of `focus` (`depth` steps, either direction), only `types` (scored
    types or classes, e.g. Agency, Ministry; the focus itself stays), and no more than `max_nodes`."""
    keep = set(g)
    centres: list[str] = []
    if focus:
        centres = find(g, focus)
        if not centres:
            raise UsageError(f"no entity is named {focus!r} in this graph (names match without case or diacritics)")
        if len(centres) > 1 and not _one_province(g, centres):
            raise ambiguous(g, focus, centres)
        undirected = g.to_undirected(as_view=True)
        keep = set().union(*(nx.single_source_shortest_path_length(undirected, c, cutoff=depth) for c in centres))
    if types:
        known = {*ENTITY_TYPES, *(g.nodes[n]["cls"].split(":", 1)[-1] for n in g)}
        unknown = sorted(set(types) - known)
        if unknown:
            raise UsageError(f"unknown type {', '.join(unknown)} (choose from {', '.join(ENTITY_TYPES)} or a class)")
        keep = {n for n in keep if {g.nodes[n]["type"], g.nodes[n]["cls"].split(":", 1)[-1]} & set(types)}
        keep |= set(centres)
    if len(keep) > max_nodes:
        raise too_large(len(keep), max_nodes)
    part = nx.MultiDiGraph(**g.graph)  # in the whole's order (g.subgraph(keep) would follow the set's hash order)
    part.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in keep)
    part.add_edges_from((s, o, k, d) for s, o, k, d in g.edges(keys=True, data=True) if s in keep and o in keep)
    return part


def _one_province(g: nx.MultiDiGraph, centres: list[str]) -> bool:
    """Whether the nodes are one province in two eras (the unit before 1 July 2025 and the merged one, with
    one name): a focus on the name draws both, as a reader of "Thái Nguyên" means either."""
    return all(g.nodes[c]["type"] == "Province" for c in centres) and len({g.nodes[c]["label"] for c in centres}) == 1


def ambiguous(g: nx.MultiDiGraph, focus: str, centres: list[str]) -> AmbiguousFocus:
    """The error for a focus that names several entities: one line, then each candidate's name, class and IRI
    (any of which `--focus` takes)."""
    rows = sorted((g.nodes[c]["label"], f'{g.nodes[c]["cls_label"]} ({g.nodes[c]["cls"]})', c) for c in centres)
    return AmbiguousFocus(f"{focus!r} names {len(centres)} entities: give --focus the IRI (or a fuller name) of "
                          "one of them:\n" + "\n".join(f"  {name} — {cls} — {iri}" for name, cls, iri in rows))


def too_large(count: int, max_nodes: int = MAX_NODES) -> ViewTooLarge:
    return ViewTooLarge(f"{count:,} entities to draw, more than a browser lays out usefully (the limit is "
                        f"{max_nodes:,}): draw a part with --focus \"<name>\" --depth 2, or only some classes "
                        f"with --types Agency,Province (or raise --max-nodes)")


# ------------------------------------------------------------------ the page


def shorten(text: str, width: int = 90) -> str:
    """At most `width` characters, cut at a space: document titles are often a whole first sentence."""
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def tooltip(data: dict) -> str:
    """Plain-text hover of a node: what it is, its names, identifiers and documents."""
    lines = [data["label"], f"{data['cls_label']} ({data['cls']})"]
    if data["names"]:
        lines.append("Tên khác: " + "; ".join(data["names"]))
    lines += data["ids"][1:]
    if data["documents"]:
        shown = [d for d, _ in data["documents"][:5]]
        more = len(data["documents"]) - len(shown)
        lines.append("Tài liệu: " + ", ".join(shown) + (f" và {more} tài liệu khác" if more > 0 else ""))
    if data["observations"]:
        lines.append(f"{len(data['observations'])} số liệu")
    return "\n".join([*lines, "(bấm để xem quan hệ và câu nguồn)"])


def edge_tooltip(source: str, label: str, target: str, sentences: list[dict[str, str]], count: int) -> str:
    """Plain-text hover of an edge: the relation, the sentences it was read from and how many there are."""
    more = [f"({len(sentences)} trên {count} câu, bấm để xem)"] if count > len(sentences) else []
    return "\n".join([f"{source} → {label} → {target}", *(f"“{s['text']}” ({s['doc']})" for s in sentences),
                      *more])


def details(g: nx.MultiDiGraph) -> dict[str, dict]:
    """What the panel shows for each node, and the folded names the search box matches."""
    documents = g.graph.get("documents", {})
    out = {}
    for node, d in g.nodes(data=True):
        relations = [{"from": s, "label": e["label"], "to": o, "sentences": e["sentences"],
                      "count": e.get("sentence_count", len(e["sentences"]))}
                     for s, o, e in [*g.out_edges(node, data=True), *g.in_edges(node, data=True)]]
        out[node] = {"label": d["label"], "names": d["names"], "type": d["type"], "typeLabel": d["type_label"],
                     "cls": d["cls"], "clsLabel": d["cls_label"], "ids": d["ids"], "facts": d["facts"],
                     "documents": [{"id": i, "title": shorten(t) if t else "",
                                    "url": documents.get(i, {}).get("url", "")} for i, t in d["documents"]],
                     "sentences": d["sentences"], "sentenceCount": d.get("sentence_count", len(d["sentences"])),
                     "observations": d["observations"], "relations": relations,
                     "search": sorted({fold(x) for x in [d["label"], *d["names"]]})}
    return out


def layout_options(n: int) -> dict:
    """vis-network options. Positions come from `positions`; up to SEEDED nodes, a bounded number of physics
    iterations then tidies them (no overlaps), above it physics is off from the start. Labels are drawn by the
    page's script (by importance, at a readable size, never over each other), not by vis-network."""
    big = n > BIG
    physics = n <= SEEDED
    return {"autoResize": True,
            "layout": {"improvedLayout": False, "randomSeed": 7},
            "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                        "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.012, "springLength": 110,
                                             "springConstant": 0.08, "damping": 0.4, "avoidOverlap": 0.8,
                                             "theta": 0.5},
                        "stabilization": {"enabled": physics, "iterations": 150, "updateInterval": 10,
                                          "fit": True}},
            "nodes": {"scaling": {"min": 10, "max": 40}},
            "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False, "width": 1.2,
                      "selectionWidth": 2.5, "hoverWidth": 1.5, "color": {"inherit": "from", "opacity": 0.7}},
            "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                            "navigationButtons": False, "keyboard": False, "multiselect": False}}


def seed_positions(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """A starting layout in linear time, so a few physics iterations suffice for a big graph: the best
    connected nodes on a sunflower spiral, the rest in rings around the neighbour that reached them first."""
    undirected = nx.Graph(g)
    pos: dict[str, tuple[float, float]] = {}
    golden = math.pi * (3 - math.sqrt(5))
    for k, hub in enumerate(n for n in sorted(undirected, key=lambda n: (-undirected.degree(n), n)) if n not in pos):
        pos[hub] = (180 * math.sqrt(k) * math.cos(k * golden), 180 * math.sqrt(k) * math.sin(k * golden))
        queue = deque([hub])
        while queue:
            u = queue.popleft()
            ring = [v for v in sorted(undirected[u]) if v not in pos]
            for i, v in enumerate(ring):
                angle, distance = 2 * math.pi * i / len(ring), 40 + 6 * math.sqrt(len(ring))
                pos[v] = (pos[u][0] + distance * math.cos(angle), pos[u][1] + distance * math.sin(angle))
                queue.append(v)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def positions(g: nx.MultiDiGraph, spacing: float = 90.0) -> dict[str, tuple[float, float]]:
    """Where each node goes, computed here so the page can draw at once: `seed_positions` (hubs such as provinces
    apart, each one's neighbours around it), then a force-directed refinement (Fruchterman–Reingold: edges pull,
    nodes push, gravity holds components together) in numpy. Above FULL nodes the push is estimated from a
    random (seeded) sample of SAMPLE nodes each round, so the cost grows linearly. The same graph gives the same
    layout."""
    import numpy as np

    seeds = seed_positions(g)
    ids = sorted(seeds)
    n = len(ids)
    if n < 2:
        return {i: (0.0, 0.0) for i in ids}
    index = {node: i for i, node in enumerate(ids)}
    pos = np.array([seeds[i] for i in ids], dtype=float)
    # in index order: a subgraph's edges come in the order of a set, and the sums below depend on the order
    pairs = np.array(sorted((min(index[u], index[v]), max(index[u], index[v])) for u, v in nx.Graph(g).edges()
                            if u != v) or [(0, 0)], dtype=int)
    rng = np.random.default_rng(7)
    k = spacing
    temperature = 4 * k
    rounds = 120 if n <= 300 else 60 if n <= FULL else 40
    for _ in range(rounds):
        if n <= FULL:
            others = pos[:, None, :] - pos[None, :, :]
            weight = 1.0
        else:
            sample = rng.choice(n, SAMPLE, replace=False)
            others = pos[:, None, :] - pos[sample][None, :, :]
            weight = n / SAMPLE
        d2 = (others ** 2).sum(-1) + 1.0
        push = (others * (k * k / d2)[..., None]).sum(1) * weight
        diff = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        dist = np.sqrt((diff ** 2).sum(-1)) + 1e-9
        pull = diff * (dist / k)[:, None]
        move = push - 0.02 * pos * np.sqrt(n)
        np.add.at(move, pairs[:, 0], -pull)
        np.add.at(move, pairs[:, 1], pull)
        length = np.sqrt((move ** 2).sum(-1)) + 1e-9
        pos += move / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature * 0.95, k / 20)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(ids, pos, strict=True)}


def group_members(of: dict[str, str]) -> dict[str, list[str]]:
    """Each group's nodes, in node order."""
    members: dict[str, list[str]] = defaultdict(list)
    for n in sorted(of):
        members[of[n]].append(n)
    return members


def undirected(g: nx.Graph) -> nx.Graph:
    """Who is linked to whom, either way, once: the graph itself when it is so already (the page of groups
    reads a graph of every entity that way, and a copy would double its memory)."""
    return g if type(g) is nx.Graph else nx.Graph(g)


def group_links(g: nx.Graph, of: dict[str, str]) -> nx.Graph:
    """The groups, linked with the number of links between their members as weight."""
    links = nx.Graph()
    links.add_nodes_from(sorted(set(of.values())))
    for u, v in undirected(g).edges():
        if of[u] != of[v]:
            w = links.get_edge_data(of[u], of[v], {"weight": 0})["weight"]
            links.add_edge(of[u], of[v], weight=w + 1)
    return links


def discs(links: nx.Graph, radius: dict[str, float], spacing: float = 90.0) -> dict[str, tuple[float, float, float]]:
    """Each group's centre and radius: a spring layout of the groups (linked groups near each other), then the
    discs pushed apart until none overlaps."""
    import numpy as np

    ids = sorted(links)
    total = math.sqrt(sum(r * r for r in radius.values()))
    start = nx.spring_layout(links, seed=7, weight="weight") if len(ids) > 1 else {ids[0]: (0.0, 0.0)}
    pos = np.array([start[i] for i in ids], dtype=float) * 2 * total
    r = np.array([radius[i] for i in ids])
    for _ in range(200):  # push overlapping discs apart, half the overlap each
        diff = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((diff ** 2).sum(-1)) + np.eye(len(ids))
        overlap = np.clip(r[:, None] + r[None, :] + spacing - dist, 0, None) * (1 - np.eye(len(ids)))
        if not overlap.any():
            break
        pos += (diff / dist[..., None] * overlap[..., None] / 2).sum(1)
    return {i: (round(float(x), 1), round(float(y), 1), round(radius[i], 1))
            for i, (x, y) in zip(ids, pos, strict=True)}


def grouped_positions(g: nx.MultiDiGraph, of: dict[str, str], spacing: float = 90.0
                      ) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float, float]]]:
    """Positions for an overview: each group laid out on its own (`positions` of its members), as a disc, the
    discs placed by `discs`. Returns the nodes' positions and each group's centre and radius."""
    import numpy as np

    members = group_members(of)
    inner, radius = {}, {}
    for gid, inside in members.items():
        inner[gid] = positions(g.subgraph(inside), spacing)
        xy = np.array(list(inner[gid].values()))
        centre = xy.mean(0)
        inner[gid] = {n: (x - centre[0], y - centre[1]) for n, (x, y) in inner[gid].items()}
        radius[gid] = float(np.sqrt(((xy - centre) ** 2).sum(-1)).max()) + spacing
    centres = discs(group_links(g, of), radius, spacing)
    at = {n: (round(centres[gid][0] + x, 1), round(centres[gid][1] + y, 1))
          for gid, xy in inner.items() for n, (x, y) in xy.items()}
    return at, centres


def network(g: nx.MultiDiGraph, at: dict[str, tuple[float, float]] | None = None) -> tuple[list[dict], list[dict]]:
    """vis-network's nodes and edges (through pyvis): one colour and shape per type, size by degree (distinct
    neighbours), positions from `positions`, plain-text tooltips; names and relation labels travel as `name` and
    `relation`, for the page's own labels."""
    net = Network(directed=True)
    undirected = nx.Graph(g)
    at = at or positions(g)
    for node, d in g.nodes(data=True):
        net.add_node(node, label=d["label"], title=tooltip(d), color=COLOURS[d["type"]], shape=SHAPES[d["type"]],
                     value=undirected.degree(node) + 1, kgtype=d["type"], x=at[node][0], y=at[node][1])
    seen = set()
    for s, o, e in g.edges(data=True):
        if (s, o, e["label"]) not in seen:
            seen.add((s, o, e["label"]))
            count = e.get("sentence_count", len(e["sentences"]))
            net.add_edge(s, o, label=e["label"], predicate=e["predicate"], sentences=e["sentences"], count=count,
                         title=edge_tooltip(g.nodes[s]["label"], e["label"], g.nodes[o]["label"], e["sentences"],
                                            count))
    nodes, edges, *_ = net.get_network_data()
    for n in nodes:
        n["name"] = n.pop("label")
    for i, e in enumerate(edges):
        e["relation"] = e.pop("label")
        e["id"] = f"e{i}"
    return nodes, edges


def groups(g: nx.Graph) -> dict[str, str]:
    """Each node's group for the overview of a large graph: a province (both eras under one name) and what is
    tied to it (its agencies, zones, people: the group most of its links reach), found in a few rounds outwards;
    what stays tied to several provinces or to none is grouped by class ("Cơ quan" not of one province)."""
    linked = undirected(g)
    group = {n: "province:" + d["label"] for n, d in g.nodes(data=True) if d["type"] == "Province"}
    for _ in range(3):
        found = {}
        for n in linked:
            if n in group:
                continue
            near = [group[v] for v in linked[n] if v in group]
            if near:
                best = max(sorted(set(near)), key=near.count)
                # most of its placed links, and not a hub with one link there among hundreds (a ministry)
                if near.count(best) * 2 > len(near) and near.count(best) * 20 >= linked.degree(n):
                    found[n] = best
        if not found:
            break
        group.update(found)
    return {n: "group:" + (group.get(n) or "class:" + g.nodes[n]["type"]) for n in g}


def overview(g: nx.MultiDiGraph, nodes: list[dict], of: dict[str, str],
             centres: dict[str, tuple[float, float, float]]) -> list[dict]:
    """The groups the page first shows above OVERVIEW nodes: each a disc where its members will appear, with its
    name, size and a tooltip of its classes; each node dict gets its `group`."""
    members: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        n["group"] = of[n["id"]]
        members[n["group"]].append(n)
    out = []
    for gid, inside in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        kind, _, key = gid[len("group:"):].partition(":")
        name = key if kind == "province" else f"{label_of(KG[key]) or key} khác"  # not of one province
        where = "" if kind == "province" else " không thuộc riêng một tỉnh"
        kinds: dict[str, int] = defaultdict(int)
        for n in inside:
            kinds[n["kgtype"]] += 1
        classes = "\n".join(f"{label_of(KG[t]) or t}: {c:,}" for t, c in sorted(kinds.items(), key=lambda x: -x[1]))
        x, y, radius = centres[gid]
        out.append({"id": gid, "name": name, "count": len(inside), "size": radius, "x": x, "y": y, "shape": "dot",
                    "color": "#c9d3e3" if kind == "province" else "#dedede",
                    "title": f"{name}: {len(inside):,} thực thể{where}, bấm để mở\n{classes}"})
    return out


def safe_json(value: object) -> str:
    """JSON to embed in a <script> element: it cannot close the element nor start a comment in it, and
    U+2028/U+2029 cannot end a JavaScript line."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's script and style as pyvis ships them, to inline (no source-map link)."""
    lib = resources.files("pyvis") / "templates" / "lib"
    folder = max((p for p in lib.iterdir() if p.name.startswith("vis-")), key=lambda p: p.name)
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    script = "\n".join(x for x in script.split("\n") if not x.startswith("//# sourceMappingURL"))
    return script.replace("</script", "<\\/script"), (folder / "vis-network.css").read_text(encoding="utf-8")


@cache
def page_assets() -> dict[str, str]:
    """kg's own page, style and script (kg/view_assets/), read once."""
    folder = resources.files("kg.view_assets")
    return {name: (folder / name).read_text(encoding="utf-8")
            for name in ("page.html", "view.css", "view.js")}


def fill(template: str, **values: str) -> str:
    """The template with each {{name}} replaced, in one pass: a value is never searched for further names."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def legend(g: nx.MultiDiGraph) -> list[dict]:
    """The types present, with their colour, shape, Vietnamese label and count (the legend and filters)."""
    counts = defaultdict(int)
    for _, t in g.nodes(data="type"):
        counts[t] += 1
    return [{"type": t, "label": label_of(KG[t]) or t, "colour": COLOURS[t], "shape": SHAPES[t], "count": counts[t]}
            for t in ENTITY_TYPES if counts[t]]


def relation_legend(edges: list[dict], most: int = 15) -> list[dict]:
    """The relation labels drawn, with how many edges carry each (the relation filter): the `most` commonest,
    then one entry for the rest (posts of memberships are many and rare)."""
    counts: dict[str, int] = defaultdict(int)
    for e in edges:
        counts[e["relation"]] += 1
    ranked = sorted(counts, key=lambda x: (-counts[x], x))
    entries = [{"label": x, "count": counts[x], "labels": [x]} for x in ranked[:most]]
    rest = ranked[most:]
    if len(rest) == 1:
        entries.append({"label": rest[0], "count": counts[rest[0]], "labels": rest})
    elif rest:
        entries.append({"label": f"{len(rest)} quan hệ khác", "count": sum(counts[x] for x in rest), "labels": rest})
    return entries


def render(graph: Graph, focus: str | None = None, depth: int = 2, types: list[str] | None = None,
           max_nodes: int = MAX_NODES, heading: str = "") -> str:
    """The HTML page for a graph, or for the part that `focus`, `depth` and `types` choose (the focus selected
    and centred when the page opens); raises ViewTooLarge above `max_nodes`, AmbiguousFocus for a name several
    entities carry and UsageError for an unknown focus or type."""
    whole = to_networkx(graph)
    g = select(whole, focus, depth, types, max_nodes)
    big = g.number_of_nodes() > OVERVIEW
    of = groups(g) if big else {}
    at, centres = grouped_positions(g, of) if big else (None, {})
    nodes, edges = network(g, at)
    centre = find(g, focus)[0] if focus else None
    used = {s["doc"] for d in g.nodes.values() for s in d["sentences"]} | {
        s["doc"] for *_, e in g.edges(data=True) for s in e["sentences"]} | {
        i for d in g.nodes.values() for i, _ in d["documents"]}
    data = {"nodes": nodes, "edges": edges, "options": layout_options(g.number_of_nodes()), "details": details(g),
            "legend": legend(g), "relations": relation_legend(edges), "focus": centre,
            "documents": {i: d for i, d in whole.graph.get("documents", {}).items() if i in used},
            "groups": overview(g, nodes, of, centres) if big else []}
    title = heading or (f"Đồ thị tri thức: {g.nodes[centre]['label']}" if centre
                        else "Đồ thị tri thức ngành Công Thương")
    return page(title, data, f"{g.number_of_nodes():,} thực thể · {len(edges):,} quan hệ" + (
        f" · {len(data['groups']):,} nhóm: bấm một nhóm để mở" if data["groups"] else ""))


def page(title: str, data: dict, summary: str) -> str:
    """kg's page around the data the script draws: vis-network, kg's style and script, inlined."""
    script, style = vis_assets()
    assets = page_assets()
    return fill(assets["page.html"], title=html.escape(title), vis_style=style, style=assets["view.css"],
                vis_script=script, data=safe_json(data), script=assets["view.js"].replace("</script", "<\\/script"),
                summary=html.escape(summary))


def render_groups(g: nx.Graph, heading: str, per_group: int = 8) -> str:
    """The page of a graph too large to draw entity by entity: its groups alone (as the overview groups them),
    sized by content and linked by how many links join their members; a click on a group lists its best
    connected entities, each with the `kg view --focus` command that draws its neighbourhood. `g`: the entities
    with their type, name and type's name, as `part.read_entity_links` reads them (or `to_networkx` makes them)."""
    of = groups(g)
    linked = undirected(g)
    members = group_members(of)
    links = group_links(g, of)
    centres = discs(links, {gid: 50 * math.sqrt(len(inside)) + 90 for gid, inside in members.items()})
    nodes = [{"id": n, "kgtype": d["type"]} for n, d in g.nodes(data=True)]
    found = overview(g, nodes, of, centres)
    carriers: dict[str, int] = defaultdict(int)  # a name several entities carry: the IRI is the focus
    for _, label in g.nodes(data="label"):
        carriers[normalize_name(label)] += 1
    for group in found:
        best = sorted(members[group["id"]], key=lambda n: (-linked.degree(n), n))[:per_group]
        group["best"] = [{"name": g.nodes[n]["label"], "cls": g.nodes[n]["type_label"], "links": linked.degree(n),
                          "focus": g.nodes[n]["label"] if carriers[normalize_name(g.nodes[n]["label"])] == 1 else n}
                         for n in best]
    data = {"nodes": [], "edges": [], "options": layout_options(g.number_of_nodes()), "details": {},
            "legend": legend(g), "relations": [], "focus": None, "documents": {}, "groups": found,
            "joins": [{"from": u, "to": v, "count": w} for u, v, w in sorted(links.edges(data="weight"))]}
    return page(heading, data, f"{g.number_of_nodes():,} thực thể · {len(found):,} nhóm: bấm một nhóm để xem các "
                "thực thể chính và lệnh vẽ vùng lân cận của chúng")
