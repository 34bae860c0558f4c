"""Interactive HTML view of a graph (pyvis), self-contained, offline and safe with any text.

vis.js is inlined and every link to a CDN is removed, so the page opens with
no network. Names and sentences come from articles, so they are never read as
HTML: node tooltips are plain strings (vis.js shows them as text), and the
side panel (details, relations with their evidence, statistics) is built in
the browser with DOM text nodes from JSON embedded with `<`, `>` and `&`
escaped. Large graphs are cut to a neighbourhood (`focus`, `depth`), to some
classes (`types`), and refused above `max_nodes`.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from importlib import resources

import networkx as nx
from pyvis.network import Network
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .model import ENTITY_TYPES
from .normalize import normalize_name
from .rdf import KG, ORG, PREDICATES, SCHEMA, label_of

COLOURS = {"Agency": "#1f77b4", "Province": "#2ca02c", "LegalDocument": "#9467bd", "IndustrialZone": "#ff7f0e",
           "Person": "#d62728", "Company": "#8c564b"}
SHAPES = {"Agency": "dot", "Province": "diamond", "LegalDocument": "square", "IndustrialZone": "triangle",
          "Person": "star", "Company": "hexagon"}
MAX_SENTENCES = 3
MAX_NODES = 5000


class ViewTooLarge(ValueError):
    """A graph with more nodes than a browser can lay out; the message suggests a focus."""


def top_type(graph: Graph, node: URIRef) -> str:
    """The scored type of a node, following rdfs:subClassOf."""
    todo, seen = list(graph.objects(node, RDF.type)), set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        name = str(cls).rsplit("#", 1)[-1]
        if name in ENTITY_TYPES and str(cls).startswith(str(KG)):
            return name
        todo += graph.objects(cls, RDFS.subClassOf)
    return ""


def _texts(graph: Graph, evidence: URIRef) -> list[str]:
    return [str(t) for s in graph.objects(evidence, KG.evidence) for t in graph.objects(s, KG.text)]


def _observations(graph: Graph) -> dict[str, list[dict[str, str]]]:
    table: dict[str, list[dict[str, str]]] = defaultdict(list)
    for obs in sorted(graph.subjects(RDF.type, SCHEMA.Observation)):
        about = graph.value(obs, SCHEMA.observationAbout)
        if about is None:
            continue
        row = {"indicator": str(graph.value(obs, SCHEMA.variableMeasured) or ""),
               "period": str(graph.value(obs, KG.period) or ""), "value": str(graph.value(obs, SCHEMA.value) or ""),
               "unit": str(graph.value(obs, SCHEMA.unitText) or "")}
        if row not in table[str(about)]:
            table[str(about)].append(row)
    return table


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (type, names, identifiers, documents, sentences, statistics), relations as edges
    (label from the ontology, or the role, and the sentences they were read from)."""
    g = nx.MultiDiGraph()
    documents: dict[URIRef, set[str]] = defaultdict(set)
    for doc, entity in graph.subject_objects(SCHEMA.mentions):
        documents[entity] |= {str(i) for i in graph.objects(doc, DCTERMS.identifier)}
    sentences: dict[URIRef, list[str]] = defaultdict(list)
    for mention, entity in sorted(graph.subject_objects(KG.mentionOf)):
        for s in graph.objects(mention, KG.inSentence):
            for text in graph.objects(s, KG.text):
                if str(text) not in sentences[entity]:
                    sentences[entity].append(str(text))
    observations = _observations(graph)
    for node in sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}):
        kind = top_type(graph, node)
        if not kind:
            continue
        ids = [f"{name}: {x}" for p, name in ((KG.documentNumber, "số"), (KG.provinceCode, "mã"),
                                              (KG.provinceCode2025, "mã từ 1/7/2025"))
               for x in graph.objects(node, p)]
        g.add_node(str(node), label=str(graph.value(node, RDFS.label) or node), type=kind,
                   cls=next((str(c).rsplit("#", 1)[-1] for c in graph.objects(node, RDF.type)), kind),
                   names=sorted(str(x) for x in graph.objects(node, SKOS.altLabel)), ids=[str(node), *ids],
                   documents=sorted(documents[node]), sentences=sentences[node][:MAX_SENTENCES],
                   observations=observations.get(str(node), []))
    evidence: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for st in graph.subjects(RDF.type, KG.Statement):
        key = (str(graph.value(st, RDF.subject)), str(graph.value(st, RDF.predicate)), str(graph.value(st, RDF.object)))
        evidence[key] += _texts(graph, st)
    roles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in sorted(graph.subjects(RDF.type, ORG.Membership)):
        key = (str(graph.value(m, ORG.member)), str(graph.value(m, ORG.organization)))
        role = graph.value(m, ORG.role)
        if role is not None and graph.value(role, RDFS.label) is not None:
            roles[key].append(str(graph.value(role, RDFS.label)))
        evidence[(key[0], str(ORG.memberOf), key[1])] += _texts(graph, m)
    for name, predicate in PREDICATES.items():
        for s, o in sorted(graph.subject_objects(predicate)):
            if str(s) in g and str(o) in g:
                label = ", ".join(sorted(set(roles.get((str(s), str(o)), [])))) or label_of(predicate) or name
                texts = list(dict.fromkeys(evidence[(str(s), str(predicate), str(o))]))[:MAX_SENTENCES]
                g.add_edge(str(s), str(o), label=label, predicate=name, sentences=texts)
    return g


def select(g: nx.MultiDiGraph, focus: str | None = None, depth: int = 2, types: list[str] | None = None,
           max_nodes: int = MAX_NODES) -> nx.MultiDiGraph:
    """The part of the graph to draw: some classes, the neighbourhood of an entity, at most `max_nodes`."""
    if types:
        unknown = set(types) - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown type {', '.join(sorted(unknown))} (choose from {', '.join(ENTITY_TYPES)})")
        g = g.subgraph([n for n, d in g.nodes(data=True) if d["type"] in types]).copy()
    if focus:
        wanted = normalize_name(focus)
        centres = [n for n, d in g.nodes(data=True)
                   if wanted in {normalize_name(x) for x in [d["label"], *d["names"]]}]
        if not centres:
            raise ValueError(f"no entity is named {focus!r} in this graph")
        undirected = g.to_undirected(as_view=True)
        keep = set()
        for c in centres:
            keep |= set(nx.single_source_shortest_path_length(undirected, c, cutoff=depth))
        g = g.subgraph(keep).copy()
    if g.number_of_nodes() > max_nodes:
        raise ViewTooLarge(f"{g.number_of_nodes()} nodes is more than a browser can draw usefully (limit "
                           f"{max_nodes}): draw a part with --focus \"<name>\" --depth 2, or --types Agency,Province")
    return g


def tooltip(data: dict) -> str:
    """Plain-text hover: what it is, its other names, where it comes from."""
    lines = [f"{data['label']} ({data['cls']})"]
    if data["names"]:
        lines.append("Tên khác: " + "; ".join(data["names"]))
    if data["documents"]:
        lines.append("Tài liệu: " + ", ".join(data["documents"]))
    lines += [f"• {s}" for s in data["sentences"]]
    return "\n".join(lines)


def _safe_json(value: object) -> str:
    """JSON that cannot end a <script> element or break a JavaScript string."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _details(g: nx.MultiDiGraph) -> dict[str, dict]:
    """What the side panel shows for each node."""
    details = {}
    for node, d in g.nodes(data=True):
        relations = []
        for _, other, e in g.out_edges(node, data=True):
            relations.append({"text": f"{e['label']} → {g.nodes[other]['label']}", "sentences": e["sentences"]})
        for other, _, e in g.in_edges(node, data=True):
            relations.append({"text": f"{g.nodes[other]['label']} → {e['label']}", "sentences": e["sentences"]})
        details[node] = {"label": d["label"], "type": d["type"], "cls": d["cls"], "names": d["names"],
                         "ids": d["ids"], "documents": d["documents"], "sentences": d["sentences"],
                         "relations": relations, "observations": d["observations"],
                         "search": " ".join(normalize_name(x) for x in [d["label"], *d["names"]])}
    return details


def render(graph: Graph, focus: str | None = None, depth: int = 2, types: list[str] | None = None,
           max_nodes: int = MAX_NODES, heading: str = "") -> str:
    """The HTML page for a graph (or the part of it that `focus`, `types` and `max_nodes` allow)."""
    g = select(to_networkx(graph), focus, depth, types, max_nodes)
    rank = dict(g.degree())  # importance: how connected a node is
    top = max(rank.values(), default=1) or 1
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node, data in g.nodes(data=True):
        net.add_node(node, label=data["label"], title=tooltip(data), color=COLOURS[data["type"]],
                     shape=SHAPES[data["type"]], size=10 + 25 * rank.get(node, 0) / top, kgtype=data["type"])
    seen = set()
    for s, o, data in g.edges(data=True):
        if (s, o, data["label"]) not in seen:
            seen.add((s, o, data["label"]))
            net.add_edge(s, o, label=data["label"], title=data["predicate"], arrows="to")
    iterations = 300 if g.number_of_nodes() < 500 else 120
    options = {"physics": {"stabilization": {"iterations": iterations, "updateInterval": 50},
                           "barnesHut": {"gravitationalConstant": -8000, "springLength": 120}},
               "nodes": {"font": {"size": 16}}, "edges": {"font": {"size": 11}, "smooth": False},
               "interaction": {"hover": True}}
    net.set_options(json.dumps(options))
    page = net.generate_html(notebook=False)
    page = re.sub(r"<link[^>]*https?://[^>]*>", "", page)
    page = re.sub(r"<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page)
    legend = "".join(f'<label class="kg-class"><input type="checkbox" checked value="{html.escape(t)}"> '
                     f'<span style="color:{c}">●</span> {html.escape(t)}</label>' for t, c in COLOURS.items())
    title = f"<h2>{html.escape(heading)}</h2>" if heading else ""
    panel = (f'<div id="kg-bar">{title}<input id="kg-search" type="search" placeholder="Tìm theo tên…" '
             f'aria-label="search"> <span id="legend">{legend}</span></div>'
             '<div id="kg-panel" aria-live="polite"><p class="kg-hint">Bấm vào một nút để xem chi tiết.</p></div>')
    script = resources.files("kg.static").joinpath("view.js").read_text(encoding="utf-8")
    style = resources.files("kg.static").joinpath("view.css").read_text(encoding="utf-8")
    data = f'<script type="application/json" id="kg-data">{_safe_json(_details(g))}</script>'
    page = page.replace("</head>", f"<style>{style}</style></head>", 1)
    page = page.replace("<body>", f"<body>{panel}", 1)
    return page.replace("</body>", f"{data}<script>{script}</script></body>", 1)
