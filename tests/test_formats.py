"""Every RDF format parses back to the same triples; an independent parser (rapper) accepts them."""

import subprocess
from pathlib import Path

import pytest
from helpers import debian_tool
from rdflib import RDF, RDFS, Dataset, Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf import SCHEMA

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("formats")
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(d), "-q",
                                 "--format", ",".join(FORMATS)])
    assert result.exit_code == 0, result.output
    return d


def test_all_formats_hold_the_same_triples(out):
    reference = set(Graph().parse(out / "graph.nt", format="nt"))
    for ext, fmt in FORMATS.items():
        if fmt in {"nquads", "trig"}:
            ds = Dataset().parse(out / f"graph.{ext}", format=fmt)
            got = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
        else:
            got = set(Graph().parse(out / f"graph.{ext}", format=fmt))
        assert got == reference, ext


def test_each_document_has_its_own_named_graph(out):
    ds = Dataset().parse(out / "graph.nq", format="nquads")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    docs = {p.stem for p in (ROOT / "examples" / "corpus").glob("*.txt")}
    assert {n.rsplit("/", 1)[-1] for n in names if "/graph/doc/" in n} == docs
    assert all("/graph/doc/" in n for n in names)  # no shared graph: each document's graph stands alone
    for g in (g for g in ds.graphs() if len(g)):
        mentioned = set(g.objects(None, SCHEMA.mentions))
        assert mentioned, g.identifier
        for entity in mentioned:  # what a document names, it describes: removing it removes its share
            assert g.value(entity, RDF.type) is not None and g.value(entity, RDFS.label) is not None, entity


def test_ntriples_are_byte_identical_across_runs(tmp_path, out):
    again = tmp_path / "again.nt"
    assert runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(again), "-q"]).exit_code == 0
    assert again.read_bytes() == (out / "graph.nt").read_bytes()


@pytest.fixture(scope="module")
def rapper():
    return debian_tool("rapper", "raptor2-utils")


@pytest.mark.parametrize(("ext", "syntax"), [("ttl", "turtle"), ("nt", "ntriples"), ("nq", "nquads"),
                                              ("trig", "trig")])
def test_an_independent_parser_accepts_the_output(out, rapper, ext, syntax):
    result = subprocess.run([rapper, "-i", syntax, "-c", str(out / f"graph.{ext}")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    count = int(result.stderr.split("returned")[1].split()[0])
    if ext in {"nq", "trig"}:  # a relation stated by two documents sits in both their graphs
        ds = Dataset().parse(out / f"graph.{ext}", format="nquads" if ext == "nq" else "trig")
        assert count == len(list(ds.quads((None, None, None, None))))
    else:
        assert count == len(Graph().parse(out / "graph.nt", format="nt"))
