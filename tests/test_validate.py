"""SHACL validation through the CLI: the example graph conforms; broken graphs are caught in plain words."""

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
KG = Namespace("https://w3id.org/kg-vn/ontology#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
runner = CliRunner()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("v") / "graph.ttl"
    assert runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q"]).exit_code == 0
    return out


def test_the_example_graph_conforms(graph_file):
    result = runner.invoke(app, ["validate", str(graph_file)])
    assert result.exit_code == 0 and "conforms" in result.output


def first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def break_value(g):
    obs = first(g, SCHEMA.Observation)
    g.set((obs, SCHEMA.value, Literal("nhiều")))
    return obs, "numeric value"


def break_membership(g):
    m = first(g, ORG.Membership)
    g.remove((m, ORG.member, None))
    return m, "exactly one org:member"


def break_number(g):
    doc = first(g, KG.Decree)
    g.remove((doc, KG.documentNumber, None))
    return doc, "kg:documentNumber"


def break_identifier(g):
    doc = first(g, KG.SourceDocument)
    g.remove((doc, DCTERMS.identifier, None))
    return doc, "dcterms:identifier"


def break_label(g):
    person = first(g, KG.Person)
    g.remove((person, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
    return person, "rdfs:label"


@pytest.mark.parametrize("breaker", [break_value, break_membership, break_number, break_identifier, break_label])
def test_a_broken_graph_is_caught_naming_node_and_rule(graph_file, tmp_path, breaker):
    g = Graph().parse(graph_file)
    node, rule = breaker(g)
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if str(node) in line]
    assert lines and any(rule in line for line in lines), result.output


def test_build_with_validate_writes_when_the_graph_conforms(tmp_path):
    out = tmp_path / "g.ttl"
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q", "--validate"])
    assert result.exit_code == 0 and out.is_file()


def test_build_with_validate_fails_on_a_violation_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"  # a user entry typed with a class whose shape it cannot meet
    bad.write_text("type,name,aliases,class\nCompany,Tổ hợp Lạ,,Sentence\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Tin\nTổ hợp Lạ mở nhà máy ở Nghệ An.", encoding="utf-8")
    out = tmp_path / "g.ttl"
    result = runner.invoke(app, ["build", str(article), "-o", str(out), "-q", "--validate", "--gazetteer", str(bad)])
    assert result.exit_code == 1
    assert "violation" in result.output and "kg:text" in result.output
    assert not out.exists()
