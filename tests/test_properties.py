"""Property-based tests: any text, however odd, gives a graph that parses, the same every time."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from kg.export import Output, jsonld, nquads, ntriples, trig, turtle
from kg.model import Document
from kg.pipeline import extract
from kg.rdf import extraction_nquads

VIETNAMESE = st.sampled_from(["Sở Công Thương", "UBND tỉnh", "Nghị định số 68/2017/NĐ-CP", "KCN", "ông",
                              "Nguyễn Văn A", "Thái Nguyên", "tăng 7,7%", "143.000 tỷ đồng", "Bộ", "Công ty",
                              "các khu công nghiệp", "\n", ", ", "; ", " - ", "(", ")", "188bet"])
TEXT = st.lists(st.one_of(st.text(max_size=30), VIETNAMESE), max_size=25).map(" ".join)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_any_text_builds_a_graph_that_parses_back(text):
    out = Output(extraction_nquads([extract(Document(id="p", text="Tin\n" + text))]))
    for fmt, data in (("turtle", turtle(out)), ("nt", ntriples(out)), ("json-ld", jsonld(out))):
        assert len(Graph().parse(data=data, format=fmt)) == len(out.graph)
    for fmt, data in (("nquads", nquads(out)), ("trig", trig(out))):
        quads = Dataset().parse(data=data, format=fmt).quads((None, None, None, None))
        assert len(list(quads)) == len(out.nquads.splitlines())


@SETTINGS
@given(TEXT)
def test_the_build_is_deterministic(text):
    doc = Document(id="p", text="Tin\n" + text)
    assert extraction_nquads([extract(doc)]) == extraction_nquads([extract(doc)])
