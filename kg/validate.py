"""Check a graph against the graph contract's SHACL shapes (ontology/shapes.ttl) with pySHACL.

A report names, in plain words, which node broke which rule and with what
value, so a user can fix the input (or the code) without reading SHACL.

pySHACL runs with no inference: the shapes' class targets follow the
rdfs:subClassOf triples that the graph and ontology/kg.ttl carry, and RDFS
inference would type nodes from kg.ttl's ranges, hiding the very errors the
sh:class constraints are there to catch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rdflib import RDF, RDFS, ConjunctiveGraph, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .rdf import KG, SHORT_PREFIXES, compact, ontology

SH = Namespace("http://www.w3.org/ns/shacl#")
PRINTED_PREFIXES = {**SHORT_PREFIXES, "rdf": str(RDF), "sh": str(SH)}


@dataclass(frozen=True)
class Violation:
    """One broken rule: the node (IRI and label), the property, the offending value and the rule in words."""

    focus: str  # the node's IRI (or blank node id)
    label: str  # its rdfs:label, "" if it has none
    path: str  # the property, prefixed ("schema:value"); "" for a rule on the node itself
    value: str  # the offending value as a user reads it; "" when a value is missing or one too many
    message: str  # the rule (sh:message), in English
    shape: str  # the rule's sh:name ("observation value")
    message_vi: str = ""  # the rule in Vietnamese, when the shape gives one


@dataclass
class Report:
    """The verdict, and every violation in a stable order (by node, then property)."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)


@cache
def shapes() -> Graph:
    """The contract's shapes, shipped in the package as kg.ontology/shapes.ttl."""
    text = resources.files("kg.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


@cache
def _ontology() -> Graph:
    return ontology()


@cache
def shapes_at(evidence: str = "full") -> Graph:
    """The shapes a graph built at an evidence level (`kg build --evidence`) answers to: without sentences,
    a fact needs none (the property shapes on kg:evidence and kg:endEvidence are left out)."""
    if evidence != "none":
        return shapes()
    kept = Graph()
    dropped = {shape for path in (KG.evidence, KG.endEvidence) for shape in shapes().subjects(SH.path, path)}
    for triple in shapes():
        if triple[0] not in dropped and triple[2] not in dropped:
            kept.add(triple)
    return kept


def validate(data: Graph, evidence: str = "full") -> Report:
    """Run the shapes over `data`, which is left unchanged (pySHACL validates a copy with kg.ttl mixed in)."""
    from pyshacl import validate as shacl

    flat = _flat(data)
    conforms, results, _ = shacl(flat, shacl_graph=shapes_at(evidence), ont_graph=_ontology(), inference="none",
                                 advanced=False, abort_on_first=False, allow_warnings=False)
    found = [_violation(results, r, flat) for r in results.subjects(RDF.type, SH.ValidationResult)]
    return Report(bool(conforms), sorted(set(found), key=lambda v: (v.focus, v.path, v.message, v.value)))


def describe(report: Report, lang: str = "en") -> list[str]:
    """One plain line per violation: the node (its label, else its IRI), the rule, and the offending value."""
    lines = []
    for v in report.violations:
        node = f'"{v.label}"' if v.label else f"<{v.focus}>"
        rule = v.message_vi if lang == "vi" and v.message_vi else v.message
        value = f" Value: {v.value}." if v.value else ""
        lines.append(f"{node} breaks rule \"{v.shape}\": {rule}{value}")
    return lines


def _flat(data: Graph) -> Graph:
    """One graph: pySHACL would check each named graph of a dataset alone, and split entities from documents."""
    if not isinstance(data, ConjunctiveGraph):
        return data
    flat = Graph()
    flat += ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    return flat


def _violation(results: Graph, result: Node, data: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    value = None if value == focus and path is None else value  # a rule on the node itself: the node is the value
    english, vietnamese = _messages(results, result)
    return Violation(focus=str(focus), label=_label(data, focus), path=_short(path) if path is not None else "",
                     value=_shown(data, value) if value is not None else "", message=english,
                     shape=_shape_name(results.value(result, SH.sourceShape)), message_vi=vietnamese)


def _messages(results: Graph, result: Node) -> tuple[str, str]:
    """The rule in English (or pySHACL's own words when a shape has no message) and in Vietnamese.

    Read from the shape itself where it has them: pySHACL drops the language tags of the messages of a
    SPARQL-based constraint, which would leave the language of the line to chance."""
    by_lang = {getattr(m, "language", None): str(m) for m in results.objects(result, SH.resultMessage)}
    shape = results.value(result, SH.sourceShape)
    own = {m.language: str(m) for m in shapes().objects(shape, SH.message)
           if shape is not None and getattr(m, "language", None)}
    if "en" in own:
        by_lang = own
    english = by_lang.get("en") or by_lang.get(None) or next(iter(sorted(by_lang.values())), "")
    return english, by_lang.get("vi", "")


def _shape_name(shape: Node | None) -> str:
    """The shape's sh:name, else its parent node shape's, else its IRI."""
    if shape is None:
        return ""
    name = shapes().value(shape, SH.name)
    parent = shapes().value(None, SH.property, shape)
    if name is None and parent is not None:
        name = shapes().value(parent, SH.name)
    return str(name) if name is not None else _short(shape)


def _label(g: Graph, node: Node | None) -> str:
    """A node's rdfs:label for people to read: the Vietnamese one first, the same one every run."""
    if node is None:
        return ""
    labels = sorted(g.objects(node, RDFS.label), key=lambda x: (getattr(x, "language", None) != "vi", str(x)))
    return str(labels[0]) if labels else ""


def _shown(g: Graph, value: Node) -> str:
    """A value as a user reads it: a literal quoted with its language or datatype, a node by label or IRI."""
    if isinstance(value, Literal):
        if value.language:
            return f'"{value}"@{value.language}'
        return f'"{value}" ({_short(value.datatype)})' if value.datatype else f'"{value}" (a plain string)'
    label = _label(g, value)
    node = f"<{value}>" if isinstance(value, URIRef) else f"_:{value}"
    return f'"{label}" {node}' if label else node


def _short(term: Node) -> str:
    """A prefixed name ("schema:value") where the project has a prefix, else the full IRI."""
    return compact(str(term), PRINTED_PREFIXES)
