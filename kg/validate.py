"""Validate a graph against the contract's SHACL shapes (ontology/shapes.ttl) with pySHACL.

The report says, in plain words, which node broke which rule and with what
value, so a user can find it without reading SHACL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from .rdf import ontology

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    path: str
    value: str
    message: str
    shape: str


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


@cache
def shapes() -> Graph:
    g = Graph()
    g.parse(data=resources.files("kg.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in (("kg:", "https://w3id.org/kg-vn/ontology#"), ("schema:", "https://schema.org/"),
                       ("org:", "http://www.w3.org/ns/org#"), ("eli:", "http://data.europa.eu/eli/ontology#"),
                       ("rdfs:", str(RDFS)), ("dcterms:", "http://purl.org/dc/terms/"), ("rdf:", str(RDF)),
                       ("skos:", "http://www.w3.org/2004/02/skos/core#")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def validate(data: Graph) -> Report:
    """Run the shapes over `data` (the ontology supplies the class hierarchy)."""
    from pyshacl import validate as shacl

    conforms, results, _ = shacl(data, shacl_graph=shapes(), ont_graph=ontology(), inference="rdfs",
                                 abort_on_first=False, allow_warnings=True, advanced=False)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        name = results.value(shape, SH.name) if shape is not None else None
        parent = next(iter(shapes().subjects(SH.property, shape)), None) if shape is not None else None
        name = name or (shapes().value(parent, SH.name) if parent is not None else None)
        label = data.value(focus, RDFS.label) if isinstance(focus, URIRef) else None
        value = results.value(result, SH.value)
        violations.append(Violation(
            focus=str(focus), label=str(label) if label is not None else "",
            path=_short(results.value(result, SH.resultPath) or ""),
            value="" if value is None else (repr(str(value)) if isinstance(value, Literal) else _short(value)),
            message=str(results.value(result, SH.resultMessage) or ""), shape=str(name or "")))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), violations)


def describe(report: Report) -> list[str]:
    """One plain line per violation: the node, the rule, the value."""
    lines = []
    for v in report.violations:
        node = f"{v.label!r} <{v.focus}>" if v.label else f"<{v.focus}>"
        where = f" ({v.path}" + (f" = {v.value}" if v.value else "") + ")" if v.path else ""
        lines.append(f"{v.shape or 'node'} {node}{where}: {v.message}")
    return lines
