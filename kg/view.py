"""Interactive HTML view of a graph (pyvis), self-contained and offline.

vis.js is inlined and every link to a CDN is removed, so the page opens
with no network. Node tooltips are plain text (vis.js shows a string title
as text), so names and sentences from articles are never read as HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict

import networkx as nx
from pyvis.network import Network
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from .model import ENTITY_TYPES
from .rdf import KG, ORG, PREDICATES, SCHEMA, label_of

COLOURS = {"Agency": "#1f77b4", "Province": "#2ca02c", "LegalDocument": "#9467bd", "IndustrialZone": "#ff7f0e",
           "Person": "#d62728", "Company": "#8c564b"}
SHAPES = {"Agency": "dot", "Province": "diamond", "LegalDocument": "square", "IndustrialZone": "triangle",
          "Person": "star", "Company": "hexagon"}
MAX_SENTENCES = 3


def top_type(graph: Graph, node: URIRef) -> str:
    """The scored type of a node, following rdfs:subClassOf."""
    todo = list(graph.objects(node, RDF.type))
    seen = set()
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


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (with type, names, documents, sentences) and relations as edges."""
    g = nx.MultiDiGraph()
    documents: dict[URIRef, set[str]] = defaultdict(set)
    for doc, entity in graph.subject_objects(SCHEMA.mentions):
        for identifier in graph.objects(doc, URIRef("http://purl.org/dc/terms/identifier")):
            documents[entity].add(str(identifier))
    sentences: dict[URIRef, list[str]] = defaultdict(list)
    for mention, entity in sorted(graph.subject_objects(KG.mentionOf)):
        for s in graph.objects(mention, KG.inSentence):
            for text in graph.objects(s, KG.text):
                if str(text) not in sentences[entity]:
                    sentences[entity].append(str(text))
    for node in sorted(set(graph.subjects(RDF.type, None))):
        kind = top_type(graph, node) if isinstance(node, URIRef) else ""
        if not kind:
            continue
        label = next((str(x) for x in graph.objects(node, RDFS.label)), str(node))
        alts = sorted(str(x) for x in graph.objects(node, SKOS.altLabel))
        cls = next((str(c).rsplit("#", 1)[-1] for c in graph.objects(node, RDF.type)), kind)
        g.add_node(str(node), label=label, type=kind, cls=cls, names=alts, documents=sorted(documents[node]),
                   sentences=sentences[node][:MAX_SENTENCES])
    roles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in sorted(graph.subjects(RDF.type, ORG.Membership)):
        role = graph.value(m, ORG.role)
        label = graph.value(role, RDFS.label) if role is not None else None
        key = (str(graph.value(m, ORG.member)), str(graph.value(m, ORG.organization)))
        if label is not None:
            roles[key].append(str(label))
    for name, predicate in PREDICATES.items():
        for s, o in sorted(graph.subject_objects(predicate)):
            if str(s) in g and str(o) in g:
                label = ", ".join(sorted(roles.get((str(s), str(o)), []))) or label_of(predicate) or name
                g.add_edge(str(s), str(o), label=label, predicate=name)
    return g


def tooltip(data: dict) -> str:
    lines = [f"{data['label']} ({data['cls']})"]
    if data["names"]:
        lines.append("Tên khác: " + "; ".join(data["names"]))
    if data["documents"]:
        lines.append("Tài liệu: " + ", ".join(data["documents"]))
    lines += [f"• {s}" for s in data["sentences"]]
    return "\n".join(lines)


def render(graph: Graph, heading: str = "") -> str:
    """The HTML page for a graph."""
    g = to_networkx(graph)
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    degree = dict(g.degree())
    for node, data in g.nodes(data=True):
        net.add_node(node, label=data["label"], title=tooltip(data), color=COLOURS[data["type"]],
                     shape=SHAPES[data["type"]], size=10 + 3 * min(degree.get(node, 0), 10), group=data["type"])
    seen = set()
    for s, o, data in g.edges(data=True):
        key = (s, o, data["label"])
        if key not in seen:
            seen.add(key)
            net.add_edge(s, o, label=data["label"], title=data["predicate"], arrows="to")
    options = {"physics": {"stabilization": {"iterations": 300}, "barnesHut": {"gravitationalConstant": -8000}},
               "edges": {"font": {"size": 10}, "smooth": False}}
    net.set_options(json.dumps(options))
    page = net.generate_html(notebook=False)
    page = re.sub(r"<link[^>]*https?://[^>]*>", "", page)
    page = re.sub(r"<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page)
    legend = "".join(f'<span style="margin-right:1em"><span style="color:{c}">●</span> {html.escape(t)}</span>'
                     for t, c in COLOURS.items())
    title = f"<h2 style=\"font-family:sans-serif\">{html.escape(heading)}</h2>" if heading else ""
    return page.replace("<body>", f'<body>{title}<div id="legend" style="font-family:sans-serif;padding:4px">'
                                  f"{legend}</div>", 1)
