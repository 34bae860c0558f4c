"""The graph contract, deterministic IRIs and provenance."""

from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal

from kg.rdf import entity_iri, nquads, slug, subject_spans, to_graph, triples_of


def test_slugs_are_readable_ascii():
    assert slug("Sở Công Thương Đắk Lắk") == "so-cong-thuong-dak-lak"
    assert str(entity_iri("legaldocument:nghị định 68/2017/nđ-cp")).endswith("/legal/nghi-dinh-68-2017-nd-cp")


def test_names_differing_only_by_diacritics_get_different_iris():
    assert entity_iri("person:nguyễn văn hùng") != entity_iri("person:nguyễn văn hưng")


def test_same_input_same_triples():
    text = "Tin Nghệ An\nGiám đốc Sở Công Thương Nghệ An Nguyễn Văn Hải cho biết xuất khẩu đạt 2 tỷ USD."
    a, b = to_graph([run(text)]), to_graph([run(text)])
    assert set(a) == set(b)


def test_batches_merge_by_union():
    one = run("Tin Nghệ An\nSở Công Thương Nghệ An và Bộ Công Thương.", "a")
    two = run("Tin Nghệ An\nUBND tỉnh Nghệ An và Bộ Công Thương.", "b")
    together = to_graph([one, two])
    union = to_graph([one]) + to_graph([two])
    assert set(together) == set(union)


def test_every_relation_traces_to_its_sentence():
    g = to_graph([run("Tin\nThứ trưởng Bộ Công Thương Nguyễn Sinh Nhật Tân dự họp.", "doc1")])
    rows = list(g.query("""
        SELECT ?text ?doc WHERE {
          ?m a org:Membership ; kg:evidence ?s .
          ?s kg:text ?text ; kg:inDocument/dcterms:identifier ?doc .
        }"""))
    assert rows == [(Literal("Thứ trưởng Bộ Công Thương Nguyễn Sinh Nhật Tân dự họp.", lang="vi"), Literal("doc1"))]


TERMS = st.sampled_from(['<https://e.vn/a>', '<https://e.vn/a/b>', '<https://e.vn/ab>', '"x"', '"x"@vi', '"x y"',
                         '"x"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"@vi-VN', '_:b1', '_:b12', '"Bộ"'])
GRAPHS = st.sampled_from(['<https://e.vn/doc/1>', '<https://e.vn/doc/2>', '<https://e.vn/entities>'])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TERMS, TERMS, TERMS, GRAPHS), max_size=40))
def test_nquads_and_ntriples_are_sorted_and_unique_whatever_the_chunks(quads):
    """Chunks merge into sorted unique N-Quads; dropping graphs gives sorted unique N-Triples."""
    lines = [f"{s} {p} {o} {g} .".encode() for s, p, o, g in quads]
    chunks = [b"".join(sorted({line + b"\n" for line in lines if line.endswith(g.encode() + b" .")}))
              for g in ('<https://e.vn/doc/1>', '<https://e.vn/doc/2>', '<https://e.vn/entities>')]
    merged = nquads([*chunks, chunks[0]])  # a chunk twice: its lines once
    assert merged == b"".join(line + b"\n" for line in sorted(set(lines)))
    triples = {f"{s} {p} {o} .".encode() for s, p, o, _ in quads}
    assert triples_of(merged) == b"".join(t + b"\n" for t in sorted(triples))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TERMS, TERMS, TERMS, GRAPHS), max_size=40), st.integers(1, 5))
def test_subject_spans_cover_the_quads_and_never_cut_a_subject(quads, parts):
    """The pieces Turtle is written in: together the whole, each subject's lines in one piece."""
    data = nquads([b"".join(sorted({f"{s} {p} {o} {g} .\n".encode() for s, p, o, g in quads}))])
    spans = subject_spans(data, parts)
    assert b"".join(data[a:b] for a, b in spans) == data
    assert len(spans) <= parts and all(a < b for a, b in spans if data)
    subjects = [{line.split(b" ")[0] for line in data[a:b].splitlines()} for a, b in spans]
    assert sum(map(len, subjects)) == len(set().union(*subjects))
