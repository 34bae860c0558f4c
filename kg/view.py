"""Interactive HTML view of a graph: a pyvis network in a page of kg's own, offline and safe with any text.

The page inlines pyvis's vis-network (nothing is loaded from the network) and is assembled here rather than
with pyvis's template, because that template links Bootstrap from a CDN and, as soon as one tooltip contains
"href", writes every tooltip with innerHTML. Names and sentences come from articles, so nothing from the graph
is ever read as HTML: tooltips are plain strings (vis-network sets them as text), the data is one JSON block
(`<`, `>`, `&`, U+2028 and U+2029 escaped, so it cannot end its <script> element), and the legend, search
suggestions and details panel are built in the browser with DOM text nodes. Large graphs are cut to a
neighbourhood (`focus`, `depth`) or to some classes (`types`), and refused above `max_nodes`; the layout runs
a bounded number of physics iterations and then physics is switched off, so the page stops moving.
"""

from __future__ import annotations

import html
import json
import math
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

import networkx as nx
from pyvis.network import Network
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .errors import UsageError, ViewTooLarge
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
MAX_NODES = 5000
BIG = 1000  # above this many nodes, edges are hidden while dragging or zooming
SEEDED = 300  # above this many, the layout starts from `seed_positions` instead of vis-network's (slow) own


# ------------------------------------------------------------------ reading the graph


def qname(term: URIRef) -> str:
    """"org:memberOf" for a term of a known namespace, else the IRI."""
    return compact(str(term))


def top_types(graph: Graph) -> dict[URIRef, str]:
    """The scored type (Agency, Province, …) of every class the graph uses, through rdfs:subClassOf in the
    graph or, for a file without the hierarchy, in the ontology."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, parent in [*class_hierarchy(), *graph.subject_objects(RDFS.subClassOf)]:
        parents[child].add(parent)
    scored = {KG[t]: t for t in ENTITY_TYPES}
    found = {}
    for cls in set(graph.objects(None, RDF.type)):
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


def names_of(graph: Graph, node: URIRef) -> tuple[str, list[str]]:
    """The name to draw (the Vietnamese rdfs:label, else any label, else the IRI's end) and the others."""
    labels = list(graph.objects(node, RDFS.label))
    vi = sorted(str(x) for x in labels if getattr(x, "language", None) == "vi")
    label = (vi or sorted(str(x) for x in labels) or [str(node).rstrip("/#").rsplit("/", 1)[-1]])[0]
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
    """Each source document's identifier and title."""
    docs = {}
    for doc in graph.subjects(RDF.type, KG.SourceDocument):
        ident = str(graph.value(doc, DCTERMS.identifier) or qname(doc))
        docs[doc] = {"id": ident, "title": str(graph.value(doc, DCTERMS.title) or "")}
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


def _observations(graph: Graph, sentences: dict[URIRef, dict]) -> dict[URIRef, list[dict[str, str]]]:
    """Statistics about each entity: indicator, period, value (Vietnamese notation), unit, sentence."""
    table: dict[URIRef, list[dict[str, str]]] = defaultdict(list)
    for obs in graph.subjects(RDF.type, SCHEMA.Observation):
        about = graph.value(obs, SCHEMA.observationAbout)
        if about is None:
            continue
        quote = _quotes(sentences, set(graph.objects(obs, KG.evidence)))
        table[about].append({"indicator": str(graph.value(obs, SCHEMA.variableMeasured) or ""),
                             "period": str(graph.value(obs, KG.period) or ""),
                             "value": vi_number(str(graph.value(obs, SCHEMA.value) or "")),
                             "unit": str(graph.value(obs, SCHEMA.unitText) or ""),
                             "sentence": quote[0]["text"] if quote else ""})
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
                   sentences=_quotes(sentences, said[node]), observations=observations.get(node, []))
    evidence, roles = _evidence(graph)
    for node in list(g):
        s = URIRef(node)
        for p, o in sorted(graph.predicate_objects(s)):
            if p != RDF.type and isinstance(o, URIRef) and str(o) in g:
                label = ", ".join(sorted(roles.get((s, p, o), ()))) or label_of(p) or qname(p)
                g.add_edge(node, str(o), label=label, predicate=qname(p),
                           sentences=_quotes(sentences, evidence.get((s, p, o), set())))
    return g


# ------------------------------------------------------------------ choosing what to draw


def fold(text: str) -> str:
    """A name without case or diacritics ("Thái Nguyên" -> "thai nguyen"), for search and focus."""
    decomposed = unicodedata.normalize("NFD", normalize_name(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find(g: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes with this name among their labels: as written (case and spacing aside), else without diacritics."""
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
    return g.subgraph(keep).copy()


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


def edge_tooltip(source: str, label: str, target: str, sentences: list[dict[str, str]]) -> str:
    """Plain-text hover of an edge: the relation and the sentences it was read from."""
    return "\n".join([f"{source} → {label} → {target}", *(f"“{s['text']}” ({s['doc']})" for s in sentences)])


def details(g: nx.MultiDiGraph) -> dict[str, dict]:
    """What the panel shows for each node, and the folded names the search box matches."""
    out = {}
    for node, d in g.nodes(data=True):
        relations = [{"from": s, "label": e["label"], "to": o, "sentences": e["sentences"]}
                     for s, o, e in [*g.out_edges(node, data=True), *g.in_edges(node, data=True)]]
        out[node] = {"label": d["label"], "names": d["names"], "type": d["type"], "typeLabel": d["type_label"],
                     "cls": d["cls"], "clsLabel": d["cls_label"], "ids": d["ids"], "facts": d["facts"],
                     "documents": [f"{i} — {shorten(t)}" if t else i for i, t in d["documents"]],
                     "sentences": d["sentences"], "observations": d["observations"], "relations": relations,
                     "search": sorted({fold(x) for x in [d["label"], *d["names"]]})}
    return out


def layout_options(n: int) -> dict:
    """vis-network options: bounded physics (about 150,000 node moves in all: 400 iterations up to 375 nodes,
    30 at 5,000), then `physics: false` from the page's script; big graphs hide edges while moving."""
    big = n > BIG
    return {"autoResize": True,
            "layout": {"improvedLayout": n <= SEEDED, "randomSeed": 7},
            "physics": {"solver": "forceAtlas2Based",
                        "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.012, "springLength": 150,
                                             "springConstant": 0.08, "damping": 0.4, "avoidOverlap": 0.6,
                                             "theta": 0.9 if big else 0.5},
                        "stabilization": {"iterations": max(30, min(400, 150_000 // max(n, 1))),
                                          "updateInterval": 10, "fit": True}},
            "nodes": {"font": {"size": 18, "face": "system-ui, sans-serif", "strokeWidth": 3,
                               "strokeColor": "#ffffff"},
                      "scaling": {"min": 10, "max": 40, "label": {"enabled": True, "min": 16, "max": 30}}},
            "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                      "color": {"inherit": "from", "opacity": 0.7},
                      "font": {"size": 12, "color": "#555555", "strokeWidth": 0,
                               "background": "rgba(255,255,255,0.85)"}},
            "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                            "navigationButtons": False, "keyboard": False}}


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


def network(g: nx.MultiDiGraph) -> Network:
    """The pyvis network: one colour and shape per type, size by degree (distinct neighbours), plain-text
    tooltips, edges labelled from the ontology."""
    net = Network(directed=True)
    undirected = nx.Graph(g)
    seeds = seed_positions(g) if g.number_of_nodes() > SEEDED else {}
    for node, d in g.nodes(data=True):
        at = {"x": seeds[node][0], "y": seeds[node][1]} if node in seeds else {}
        net.add_node(node, label=d["label"], title=tooltip(d), color=COLOURS[d["type"]], shape=SHAPES[d["type"]],
                     value=undirected.degree(node) + 1, kgtype=d["type"], **at)
    seen = set()
    for s, o, e in g.edges(data=True):
        if (s, o, e["label"]) not in seen:
            seen.add((s, o, e["label"]))
            net.add_edge(s, o, label=e["label"],
                         title=edge_tooltip(g.nodes[s]["label"], e["label"], g.nodes[o]["label"], e["sentences"]))
    return net


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


def legend(g: nx.MultiDiGraph) -> list[dict]:
    """The types present, with their colour, shape, Vietnamese label and count (the legend and filters)."""
    counts = defaultdict(int)
    for _, t in g.nodes(data="type"):
        counts[t] += 1
    return [{"type": t, "label": label_of(KG[t]) or t, "colour": COLOURS[t], "shape": SHAPES[t], "count": counts[t]}
            for t in ENTITY_TYPES if counts[t]]


def render(graph: Graph, focus: str | None = None, depth: int = 2, types: list[str] | None = None,
           max_nodes: int = MAX_NODES, heading: str = "") -> str:
    """The HTML page for a graph, or for the part that `focus`, `depth` and `types` choose; raises
    ViewTooLarge above `max_nodes` and UsageError for an unknown focus or type."""
    g = select(to_networkx(graph), focus, depth, types, max_nodes)
    nodes, edges, *_ = network(g).get_network_data()
    data = {"nodes": nodes, "edges": edges, "options": layout_options(g.number_of_nodes()), "details": details(g),
            "legend": legend(g)}
    title = heading or (f"Đồ thị tri thức: {focus}" if focus else "Đồ thị tri thức ngành Công Thương")
    script, style = vis_assets()
    return PAGE.format(title=html.escape(title), vis_style=style, style=STYLE, vis_script=script,
                       data=safe_json(data), script=SCRIPT,
                       summary=html.escape(f"{g.number_of_nodes():,} thực thể · {len(edges):,} quan hệ"))


PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_style}</style>
<style>{style}</style>
<script>{vis_script}</script>
</head>
<body>
<header id="kg-bar">
<h1>{title}</h1>
<span id="kg-summary">{summary}</span>
<input id="kg-search" type="search" list="kg-names" autocomplete="off" aria-label="Tìm theo tên"
 placeholder="Tìm theo tên, có dấu hay không…"><datalist id="kg-names"></datalist>
<span id="kg-found" aria-live="polite"></span>
<span id="kg-progress" aria-live="polite">Đang bố trí…</span>
<div id="kg-legend" role="group" aria-label="Chú giải, bỏ chọn để ẩn một lớp"></div>
</header>
<main>
<div id="kg-network"></div>
<aside id="kg-panel" aria-live="polite"><p class="kg-hint">Bấm vào một nút (hoặc tìm theo tên) để xem loại, tên,
định danh, tài liệu, các quan hệ với câu nguồn và số liệu của nó.</p></aside>
</main>
<script type="application/json" id="kg-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""

STYLE = """
html, body { margin: 0; height: 100%; font-family: system-ui, "DejaVu Sans", sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
#kg-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; padding: 8px 12px;
          border-bottom: 1px solid #ddd; background: #fafafa; }
#kg-bar h1 { font-size: 17px; margin: 0; }
#kg-summary, #kg-found, #kg-progress { color: #666; font-size: 13px; }
#kg-search { padding: 5px 8px; min-width: 20em; font-size: 14px; }
#kg-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; flex-basis: 100%; font-size: 13px; }
#kg-legend label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; white-space: nowrap; }
#kg-legend svg { width: 16px; height: 16px; }
main { flex: 1; display: flex; min-height: 0; }
#kg-network { flex: 1; min-width: 0; position: relative; }
#kg-panel { width: 380px; overflow: auto; border-left: 1px solid #ddd; padding: 8px 14px; font-size: 13px; }
#kg-panel h2 { font-size: 18px; margin: 6px 0 2px; }
#kg-panel .kg-class { color: #555; margin-bottom: 6px; }
#kg-panel details { margin: 8px 0; }
#kg-panel summary { font-weight: 600; cursor: pointer; }
#kg-panel ul { margin: 4px 0; padding-left: 18px; }
#kg-panel .kg-relation { margin: 6px 0 2px; }
#kg-panel button.kg-link { border: 0; background: none; padding: 0; color: #0645ad; cursor: pointer; font: inherit;
                           text-align: left; text-decoration: underline; }
#kg-panel .kg-quote { color: #555; font-style: italic; margin: 2px 0 4px 10px; }
#kg-panel .kg-doc { color: #888; font-style: normal; font-size: 12px; }
#kg-panel table { border-collapse: collapse; width: 100%; }
#kg-panel th, #kg-panel td { border: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top; }
#kg-panel td.kg-value { text-align: right; white-space: nowrap; }
#kg-panel .kg-hint { color: #777; }
div.vis-tooltip { white-space: pre-wrap; max-width: 440px; font-family: inherit; font-size: 13px; }
"""

SCRIPT = """
// The view: the network, then its legend and class filters, search, and the details panel.
// Every text from the graph reaches the page through textContent, an attribute or vis-network's text tooltips.
var kg = (function () {
  "use strict";
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, data.options);
  var info = data.details;
  var panel = document.getElementById("kg-panel");
  var progress = document.getElementById("kg-progress");
  var view = { network: network, nodes: nodes, edges: edges, ready: false, show: show, choose: choose, search: search };

  // Layout: a bounded number of iterations, then physics off so the page stops moving and stays responsive.
  function settled() {
    network.setOptions({ physics: false });
    progress.textContent = "";
    view.ready = true;
    root.dataset.kgReady = "1";
    var wanted = new URLSearchParams(location.hash.slice(1));
    if (wanted.get("select")) { choose(wanted.get("select")); }
    if (wanted.get("q")) { document.getElementById("kg-search").value = wanted.get("q"); search(wanted.get("q")); }
  }
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "Đang bố trí… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  if (!data.nodes.length) { settled(); }

  function add(parent, tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (className) { el.className = className; }
    parent.appendChild(el);
    return el;
  }

  // Legend: one entry per type (its shape, colour, label and count); unticking one hides that type.
  var SHAPES = {
    dot: "<circle cx='8' cy='8' r='6'/>", square: "<rect x='2' y='2' width='12' height='12'/>",
    diamond: "<polygon points='8,1 15,8 8,15 1,8'/>", triangle: "<polygon points='8,1 15,14 1,14'/>",
    star: "<polygon points='8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6'/>",
    hexagon: "<polygon points='4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8'/>"
  };
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (entry) {
    var label = add(legend, "label");
    var box = add(label, "input");
    box.type = "checkbox";
    box.checked = true;
    box.value = entry.type;
    var svg = new DOMParser().parseFromString(
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>" + (SHAPES[entry.shape] || SHAPES.dot) + "</svg>",
      "image/svg+xml").documentElement;
    svg.setAttribute("fill", entry.colour);
    label.appendChild(document.importNode(svg, true));
    add(label, "span", entry.label + " (" + entry.count + ")");
    box.addEventListener("change", function () {
      nodes.update(nodes.get({ filter: function (n) { return n.kgtype === entry.type; } })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; }));
    });
  });

  // Search: any of a node's names, without case or diacritics; suggestions from every name.
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
      .toLowerCase().replace(/\\s+/g, " ").trim();
  }
  var names = document.getElementById("kg-names");
  var seen = {};
  Object.keys(info).forEach(function (id) {
    [info[id].label].concat(info[id].names).forEach(function (name) {
      if (!seen[name]) { seen[name] = true; add(names, "option").value = name; }
    });
  });
  function search(query) {
    var q = fold(query || "");
    var found = document.getElementById("kg-found");
    if (!q) { network.unselectAll(); found.textContent = ""; return []; }
    var exact = [], partial = [];
    Object.keys(info).forEach(function (id) {
      var keys = info[id].search;
      if (keys.indexOf(q) >= 0) { exact.push(id); }
      else if (keys.some(function (k) { return k.indexOf(q) >= 0; })) { partial.push(id); }
    });
    var hits = exact.concat(partial).filter(function (id) { return !nodes.get(id).hidden; });
    found.textContent = hits.length ? hits.length + " kết quả" : "không tìm thấy";
    network.selectNodes(hits);
    if (hits.length) { network.focus(hits[0], { scale: 1.1, animation: false }); show(hits[0]); }
    return hits;
  }
  document.getElementById("kg-search").addEventListener("input", function (event) { search(event.target.value); });

  // The details panel.
  function section(title, open) {
    var box = add(panel, "details");
    box.open = open !== false;
    add(box, "summary", title);
    return box;
  }
  function list(title, items) {
    if (!items || !items.length) { return; }
    var ul = add(section(title + " (" + items.length + ")"), "ul");
    items.forEach(function (item) { add(ul, "li", item); });
  }
  function quote(parent, s) {
    var q = add(parent, "div", "“" + s.text + "” ", "kg-quote");
    if (s.doc) { add(q, "span", s.doc, "kg-doc"); }
  }
  function link(parent, id) {
    var b = add(parent, "button", info[id] ? info[id].label : id, "kg-link");
    b.type = "button";
    b.addEventListener("click", function () { choose(id); });
  }
  function choose(id) {
    if (!info[id]) { return; }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.1, animation: false });
    show(id);
  }
  function show(id) {
    var d = info[id];
    if (!d) { return; }
    panel.replaceChildren();
    add(panel, "h2", d.label);
    add(panel, "div", d.clsLabel + " (" + d.cls + ")" + (d.cls.indexOf(d.type) < 0 ? " · " + d.typeLabel : ""),
        "kg-class");
    list("Tên khác", d.names);
    list("Định danh", d.ids);
    list("Thông tin", d.facts);
    list("Tài liệu nhắc đến", d.documents);
    if (d.relations.length) {
      var rel = section("Quan hệ (" + d.relations.length + ")");
      d.relations.forEach(function (r) {
        var line = add(rel, "div", null, "kg-relation");
        link(line, r.from);
        add(line, "span", " → " + r.label + " → ");
        link(line, r.to);
        r.sentences.forEach(function (s) { quote(rel, s); });
      });
    }
    if (d.observations.length) {
      var table = add(section("Số liệu (" + d.observations.length + ")"), "table");
      var head = add(table, "tr");
      ["Chỉ tiêu", "Kỳ", "Giá trị", "Đơn vị"].forEach(function (h) { add(head, "th", h); });
      d.observations.forEach(function (o) {
        var row = add(table, "tr");
        row.title = o.sentence;
        add(row, "td", o.indicator);
        add(row, "td", o.period);
        add(row, "td", o.value, "kg-value");
        add(row, "td", o.unit);
      });
    }
    if (d.sentences.length) {
      var said = section("Câu nhắc đến (" + d.sentences.length + ")");
      d.sentences.forEach(function (s) { quote(said, s); });
    }
    panel.scrollTop = 0;
    root.dataset.kgSelected = id;
  }
  network.on("click", function (params) { if (params.nodes.length) { show(params.nodes[0]); } });
  return view;
})();
"""
