"""SHACL validation (kg.validate): the example graph conforms; broken graphs are caught, named and explained."""

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

import kg.gazetteer
from kg.cli import app
from kg.gazetteer import user_classes
from kg.pipeline import BuildResult, build
from kg.rdf import ELI, KG, ORG, SCHEMA
from kg.validate import SH, Report, describe, shapes, validate

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def built() -> BuildResult:
    """The example article that holds every kind of node the breakers below break (half the example graph:
    validation takes half the time)."""
    return build([ROOT / "examples" / "corpus" / "002_d1b7fc9568cbba03.txt"])


@pytest.fixture
def graph(built: BuildResult) -> Graph:
    """A fresh copy of the example graph for a test to break."""
    g = Graph()
    g += built.graph
    return g


def test_the_example_graph_conforms(built: BuildResult):
    report = validate(built.graph)
    assert report.conforms, describe(report)
    assert report.violations == [] and describe(report) == []


def test_a_dataset_is_checked_as_one_graph(built: BuildResult):
    """Each document's facts sit in their own named graph; entities are described in another."""
    assert validate(built.dataset).conforms


def test_validating_leaves_the_graph_unchanged(graph: Graph):
    before = set(graph)
    validate(graph)
    assert set(graph) == before


def test_every_shape_is_named_and_explained_in_english_and_vietnamese():
    g = shapes()
    for shape in set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape)):
        assert g.value(shape, SH.name) is not None, shape
        assert {m.language for m in g.objects(shape, SH.message)} == {"en", "vi"}, shape


def first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


Breaker = Callable[[Graph], tuple[URIRef, str, str]]


def value_as_text(g: Graph) -> tuple[URIRef, str, str]:
    obs = first(g, SCHEMA.Observation)
    g.set((obs, SCHEMA.value, Literal("nhiều")))
    return obs, "observation value", "exactly one numeric value"


def membership_without_member(g: Graph) -> tuple[URIRef, str, str]:
    m = first(g, ORG.Membership)
    g.remove((m, ORG.member, None))
    return m, "membership person", "exactly one org:member"


def legal_document_without_number(g: Graph) -> tuple[URIRef, str, str]:
    decree = first(g, KG.Decree)  # a subclass: the LegalDocument shape reaches it through rdfs:subClassOf
    g.remove((decree, KG.documentNumber, None))
    return decree, "legal document", "has its number (or, for a law cited by title only, its title)"


def legal_document_with_two_numbers(g: Graph) -> tuple[URIRef, str, str]:
    decree = first(g, KG.Decree)
    g.add((decree, KG.documentNumber, Literal("99/2099/NĐ-CP")))
    return decree, "legal document number", "at most one kg:documentNumber"


def document_without_identifier(g: Graph) -> tuple[URIRef, str, str]:
    doc = first(g, KG.SourceDocument)
    g.remove((doc, DCTERMS.identifier, None))
    return doc, "document identifier", "exactly one dcterms:identifier"


def entity_without_label(g: Graph) -> tuple[URIRef, str, str]:
    person = first(g, KG.Person)
    g.remove((person, RDFS.label, None))
    return person, "entity label", "exactly one rdfs:label"


def label_not_in_vietnamese(g: Graph) -> tuple[URIRef, str, str]:
    province = first(g, KG.Province)
    g.set((province, RDFS.label, Literal("Hanoi", lang="en")))
    return province, "entity label", "in Vietnamese (@vi)"


def issuer_is_a_province(g: Graph) -> tuple[URIRef, str, str]:
    decree = first(g, KG.Decree)
    g.add((decree, ELI.passed_by, first(g, KG.Province)))
    return decree, "issuing agency", "passed by an agency"


def member_is_not_a_person(g: Graph) -> tuple[URIRef, str, str]:
    province = first(g, KG.Province)
    g.add((province, ORG.memberOf, first(g, KG.Ministry)))
    return province, "person in agency", "Only a person"


def role_without_label(g: Graph) -> tuple[URIRef, str, str]:
    m = first(g, ORG.Membership)
    g.remove((g.value(m, ORG.role), RDFS.label, None))
    return m, "membership role", "rdfs:label"


def mention_of_a_sentence(g: Graph) -> tuple[URIRef, str, str]:
    doc = first(g, KG.SourceDocument)
    g.add((doc, SCHEMA.mentions, first(g, KG.Sentence)))
    return doc, "document mentions", "only entities of the six classes"


def mention_outside_a_sentence(g: Graph) -> tuple[URIRef, str, str]:
    mention = first(g, KG.Mention)
    g.set((mention, KG.inSentence, first(g, KG.Person)))
    return mention, "mention sentence", "exactly one sentence"


def province_merged_into_an_agency(g: Graph) -> tuple[URIRef, str, str]:
    """Missed under RDFS inference: kg:mergedInto's range would make the ministry a province."""
    province = first(g, KG.Province)
    g.set((province, KG.mergedInto, first(g, KG.Ministry)))
    return province, "province merged into", "at most one province"


def sentence_starting_after_its_end(g: Graph) -> tuple[URIRef, str, str]:
    sentence = first(g, KG.Sentence)
    g.set((sentence, KG.startOffset, Literal(10**6)))
    return sentence, "sentence start", "not after its kg:endOffset"


def membership_without_role(g: Graph) -> tuple[URIRef, str, str]:
    m = first(g, ORG.Membership)
    g.remove((m, ORG.role, None))
    return m, "membership role", "exactly one org:role"


def statement_without_type_or_evidence(g: Graph) -> tuple[URIRef, str, str]:
    """Checked by what it says (rdf:subject), not only when it is typed kg:Statement."""
    statement = first(g, KG.Statement)
    g.remove((statement, RDF.type, None))
    g.remove((statement, KG.evidence, None))
    return statement, "statement evidence", "needs the sentence it was read from"


def person_that_is_a_province(g: Graph) -> tuple[URIRef, str, str]:
    """Checked once per type (the focus), the offending node given as the value."""
    person = first(g, KG.Person)
    g.add((person, RDF.type, KG.Province))
    return KG.Person, "one kind of entity", "one of the six entity types only"


def author_as_text(g: Graph) -> tuple[URIRef, str, str]:
    doc = first(g, KG.SourceDocument)
    g.add((doc, DCTERMS.creator, Literal("Thu Hà", lang="vi")))
    return doc, "document author", "is an agent node"


BREAKERS: list[Breaker] = [value_as_text, membership_without_member, legal_document_without_number,
                           legal_document_with_two_numbers,
                           document_without_identifier, entity_without_label, label_not_in_vietnamese,
                           issuer_is_a_province, member_is_not_a_person, role_without_label, mention_of_a_sentence,
                           mention_outside_a_sentence, province_merged_into_an_agency,
                           sentence_starting_after_its_end, membership_without_role,
                           statement_without_type_or_evidence, person_that_is_a_province, author_as_text]


@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda b: b.__name__)
def test_a_broken_graph_is_caught_naming_the_node_and_the_rule(graph: Graph, breaker: Breaker):
    node, shape, rule = breaker(graph)
    report = validate(graph)
    assert not report.conforms
    assert [v for v in report.violations if v.focus == str(node) and v.shape == shape and rule in v.message], \
        describe(report)
    label = graph.value(node, RDFS.label)
    shown = f'"{label}"' if label is not None else f"<{node}>"
    assert [line for line in describe(report) if line.startswith(shown) and rule in line], describe(report)


def test_the_offending_value_is_shown_as_written(graph: Graph):
    obs, _, _ = value_as_text(graph)
    [line] = [line for line in describe(validate(graph)) if str(obs) in line]
    assert line == (f'<{obs}> breaks rule "observation value": An observation needs exactly one numeric value '
                    '(schema:value, xsd:decimal). Value: "nhiều" (a plain string).')


def test_a_node_value_is_shown_by_its_label(graph: Graph):
    decree, _, _ = issuer_is_a_province(graph)
    province = first(graph, KG.Province)
    report = validate(graph)
    [v] = [v for v in report.violations if v.focus == str(decree)]
    assert v.path == "eli:passed_by" and v.value == f'"{graph.value(province, RDFS.label)}" <{province}>'


def test_rules_read_in_vietnamese_too(graph: Graph):
    legal_document_without_number(graph)
    rule = "Văn bản pháp lý có số hiệu (hoặc, với luật chỉ được nêu tên, tên của luật)"
    assert any(rule in line for line in describe(validate(graph), "vi"))


TINY = """
@prefix kg: <https://w3id.org/kg-vn/ontology#> . @prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix : <https://example.org/> .
:d a kg:SourceDocument ; dcterms:identifier "bai-1" ; schema:mentions :tn , :nd , :cp .
:tn a kg:Province ; rdfs:label "Thái Nguyên"@vi .
:cp a kg:CentralAgency ; rdfs:label "Chính phủ"@vi .
:nd a kg:Decree ; rdfs:label "Nghị định 68/2017/NĐ-CP"@vi ; kg:documentNumber "68/2017/NĐ-CP" ; eli:passed_by :cp .
:s a kg:Sentence ; kg:inDocument :d ; kg:text "GRDP tăng 7,7%."@vi ; kg:startOffset 0 ; kg:endOffset 15 .
:o a schema:Observation ; schema:observationAbout :tn ; schema:value 7.7 ; schema:unitText "%" ; kg:evidence :s ;
   kg:normalizedValue 7.7 ; schema:unitCode "P1" ; kg:figureKind kg:Change ; kg:periodUnknown true .
"""


def tiny(without: str = "") -> Report:
    """A graph written by hand, with no rdfs:subClassOf triples: kg.ttl says what kg:Decree is."""
    return validate(Graph().parse(data="\n".join(line for line in TINY.splitlines() if not without or
                                                  not line.startswith(without)), format="turtle"))


def test_a_hand_written_graph_conforms_with_classes_from_the_ontology():
    assert tiny().conforms, describe(tiny())


@pytest.mark.parametrize(("line", "rule"), [(":cp", "passed by an agency"), (":tn", "six classes"),
                                            (":s", "kg:evidence, a kg:Sentence")])
def test_a_node_missing_from_a_hand_written_graph_is_caught(line: str, rule: str):
    report = tiny(without=line)
    assert not report.conforms and any(rule in v.message for v in report.violations), describe(report)


# ---------------------------------------------------------------- through the CLI, as a user runs it


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("v") / "graph.ttl"
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


def test_kg_validate_says_the_example_graph_conforms(graph_file: Path):
    result = runner.invoke(app, ["validate", str(graph_file)])
    assert result.exit_code == 0 and "conforms" in result.output


@pytest.mark.parametrize("breaker", BREAKERS[:2], ids=lambda b: b.__name__)
def test_kg_validate_prints_one_line_per_violation_and_exits_1(graph_file: Path, tmp_path: Path, breaker: Breaker):
    g = Graph().parse(graph_file)
    node, _, rule = breaker(g)
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    label = g.value(node, RDFS.label)
    shown = f'"{label}"' if label is not None else f"<{node}>"
    assert [line for line in result.output.splitlines() if line.startswith(shown) and rule in line], result.output
    assert "1 violation(s)" in " ".join(result.output.split())


def test_kg_validate_reads_named_graphs_as_one(tmp_path: Path):
    out = tmp_path / "graph.nq"
    assert runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q"]).exit_code == 0
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0 and "conforms" in result.output


def test_kg_build_validate_writes_a_conforming_graph(tmp_path: Path):
    out = tmp_path / "g.ttl"
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(out), "-q", "--validate"])
    assert result.exit_code == 0 and out.is_file()


def test_kg_build_validate_fails_on_a_violation_and_writes_nothing(tmp_path: Path, monkeypatch):
    # a gazetteer may not give a Company the class Sentence (tests/test_gazetteer_input.py): let it through
    # here, to make a graph that breaks a shape
    monkeypatch.setattr(kg.gazetteer, "user_classes", lambda: {**user_classes(), "Company": ("Company", "Sentence")})
    gazetteer = tmp_path / "mine.csv"  # the user's own entity, typed with a class whose shape it cannot meet
    gazetteer.write_text("type,name,aliases,class\nCompany,Tổ hợp Lạ,,Sentence\n", encoding="utf-8")
    article = tmp_path / "bai.txt"
    article.write_text("Tin\nTổ hợp Lạ mở nhà máy ở Nghệ An.", encoding="utf-8")
    out = tmp_path / "g.ttl"
    result = runner.invoke(app, ["build", str(article), "-o", str(out), "-q", "--validate", "-g", str(gazetteer)])
    assert result.exit_code == 1
    assert 'violation: "Tổ hợp Lạ" breaks rule "sentence text"' in result.output
    assert "nothing was written" in result.output and not out.exists()
