"""`kg build --evidence full|sentences|none`: how much provenance a graph carries, through the CLI."""

from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf import KG, ORG, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def union(path: Path) -> Graph:
    """The triples of every named graph of an N-Quads file."""
    ds, g = Dataset(), Graph()
    ds.parse(path, format="nquads")
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def kg(*args: str | Path):
    result = runner.invoke(app, [str(a) for a in args])
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The examples at each level, one worker and two, and through the cache of a full build."""
    d = tmp_path_factory.mktemp("evidence")
    out = {"default": d / "default.nq"}
    assert kg("build", ROOT / "examples" / "corpus", "-o", out["default"], "-q").exit_code == 0
    for level in ("full", "sentences", "none"):
        out[level] = d / f"{level}.nq"
        result = kg("build", ROOT / "examples" / "corpus", "-o", out[level], "-q", "--no-cache", "--validate",
                    "--evidence", level)
        assert result.exit_code == 0, result.output
        out[f"{level}-2"] = d / f"{level}-2.nq"
        assert kg("build", ROOT / "examples" / "corpus", "-o", out[f"{level}-2"], "-q", "--no-cache", "--workers", "2",
                  "--evidence", level).exit_code == 0
    out["cached"] = d / "cached.nq"  # the default build's cache next to it holds full results
    assert kg("build", ROOT / "examples" / "corpus", "-o", out["cached"], "-q", "--evidence", "none").exit_code == 0
    return out


def test_full_is_todays_graph_and_every_level_is_the_same_bytes_whatever_the_workers_and_the_cache(built):
    assert built["full"].read_bytes() == built["default"].read_bytes()
    for level in ("full", "sentences", "none"):
        assert built[f"{level}-2"].read_bytes() == built[level].read_bytes()
    assert built["cached"].read_bytes() == built["none"].read_bytes()
    sizes = [built[level].stat().st_size for level in ("full", "sentences", "none")]
    assert sizes == sorted(sizes, reverse=True) and sizes[2] < 0.7 * sizes[0]


def test_each_level_keeps_the_facts_and_drops_only_provenance(built):
    graphs = {level: union(built[level]) for level in ("full", "sentences", "none")}
    def facts(g):
        return {(s, p, o) for s, p, o in g if p in (ORG.memberOf, SCHEMA.areaServed, SCHEMA.observationAbout,
                                                    SCHEMA.value, KG.normalizedValue, RDF.type)
                and o not in (KG.Mention, KG.Sentence, KG.Statement, RDF.Statement)}
    assert len(facts(graphs["full"])) > 300
    assert facts(graphs["full"]) == facts(graphs["sentences"]) == facts(graphs["none"])
    full, sentences, none = graphs["full"], graphs["sentences"], graphs["none"]
    assert any(full.subjects(RDF.type, KG.Mention)) and not any(sentences.subjects(RDF.type, KG.Mention))
    evidenced = {s for s in sentences.subjects(RDF.type, ORG.Membership)}
    assert evidenced and all((s, KG.evidence, None) in sentences for s in evidenced)  # every fact its sentence
    assert not any(none.subjects(RDF.type, KG.Sentence)) and not any(none.triples((None, KG.evidence, None)))
    assert any(none.triples((None, SCHEMA.mentions, None)))  # documents still say what they mention


def test_validate_takes_the_level_a_graph_was_built_at(built):
    assert kg("validate", built["none"], "--evidence", "none").exit_code == 0
    plain = kg("validate", built["none"])
    assert plain.exit_code == 1 and "needs the sentence it was read from" in plain.output
    assert kg("validate", built["sentences"]).exit_code == 0


def test_an_unknown_level_is_refused(tmp_path):
    bad = kg("build", ROOT / "examples" / "corpus", "-o", tmp_path / "g.nq", "--evidence", "some")
    assert bad.exit_code == 2 and "use one of full, sentences, none" in bad.output
    assert not (tmp_path / "g.nq").exists()
