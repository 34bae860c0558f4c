"""A live graph: batches loaded in any order, by any command, give the graph of one build of them all;
a changed article replaces its own facts and nothing else."""

import shutil
import urllib.request
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from helpers import oxigraph_server
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted([*(ROOT / "examples" / "corpus").glob("*.txt"), *(ROOT / "tests" / "dev" / "corpus").glob("*.txt")])
runner = CliRunner()


def kg(*args: str) -> None:
    result = runner.invoke(app, [*map(str, args)])
    assert result.exit_code == 0, result.output


DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def same_value(quad) -> tuple:
    """A quad as a store compares it: Oxigraph keeps a decimal's value, not its spelling ("6.0" is "6")."""
    o = quad.object
    if isinstance(o, pyoxigraph.Literal) and o.datatype.value == DECIMAL:
        o = str(Decimal(o.value).normalize())
    return quad.subject, quad.predicate, o, quad.graph_name


def quads_of_file(path: Path) -> set:
    return {same_value(q) for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)}


def quads_of_store(db: Path) -> set:
    """The store's named graphs; its default graph must be their union (queries read it)."""
    quads = {same_value(q) for q in pyoxigraph.Store.read_only(str(db))}
    named = {q for q in quads if isinstance(q[3], pyoxigraph.NamedNode)}
    assert {q[:3] for q in quads - named} == {q[:3] for q in named}
    return named


def folder_of(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def whole(tmp_path_factory, cache) -> set:
    """The graph of every article built at once: what any sequence of loads must end with."""
    out = tmp_path_factory.mktemp("whole") / "graph.nq"
    kg("build", *ARTICLES, "-o", out, "--cache", cache, "-q")
    return quads_of_file(out)


def load_batch(files: list[Path], how: str, work: Path, db: Path, cache: Path) -> None:
    """One batch into the store, the way a user would: built straight into it, or built then loaded."""
    folder = folder_of(files, work / "articles")
    if how == "build":
        kg("build", folder, "-o", work / "graph.nq", "--store", db, "--cache", cache, "-q")
    else:
        kg("build", folder, "-o", work / "graph.nq", "--cache", cache, "-q")
        kg("load", work / "graph.nq", "--store", db)


@settings(max_examples=4, deadline=None, print_blob=False, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch_of=st.lists(st.integers(0, 2), min_size=len(ARTICLES), max_size=len(ARTICLES)),
       order=st.permutations([0, 1, 2]), how=st.lists(st.sampled_from(["build", "load"]), min_size=3, max_size=3))
def test_batches_in_any_order_by_any_command_give_the_graph_of_one_build(tmp_path_factory, whole, cache,
                                                                         batch_of, order, how):
    tmp = tmp_path_factory.mktemp("split")
    db = tmp / "db"
    for step, batch in enumerate(order):
        files = [a for a, b in zip(ARTICLES, batch_of, strict=True) if b == batch]
        if files:
            load_batch(files, how[step], tmp / f"batch{step}", db, cache)
    assert quads_of_store(db) == whole


def test_a_changed_article_replaces_its_own_facts_and_nothing_else(tmp_path, whole, cache):
    db = tmp_path / "db"
    kg("build", *ARTICLES, "-o", tmp_path / "all.nq", "--store", db, "--cache", cache, "-q")
    changed = folder_of(ARTICLES, tmp_path / "edited")
    article = changed / "dev01_bac_ninh_xuat_khau.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Bắc Ninh", "Hải Dương") + "\nCông ty Cổ phần Điện tử Tân Lập khởi công "
                       "nhà máy tại Khu công nghiệp Đại An.\n", encoding="utf-8")
    kg("build", article, "-o", tmp_path / "one.nq", "--store", db, "--cache", cache, "-q")
    kg("build", changed, "-o", tmp_path / "expected.nq", "--cache", cache, "-q")
    after = quads_of_store(db)
    assert after == quads_of_file(tmp_path / "expected.nq")
    assert after != whole
    labels = {o.value for _, p, o, _ in after if p.value.endswith("rdf-schema#label")}
    assert "Điện tử Tân Lập" in labels  # what the new version names is there, what only the old one named is not


def dump_server(base: str) -> set:
    request = urllib.request.Request(base + "/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {same_value(q) for q in pyoxigraph.parse(response.read(), pyoxigraph.RdfFormat.N_QUADS)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Oxigraph server, as it comes (no union default graph)."""
    with oxigraph_server(tmp_path_factory.mktemp("remote")) as base:
        yield base


def empty(base: str) -> None:
    request = urllib.request.Request(base + "/update", data=b"DROP ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=30).close()


@settings(max_examples=3, deadline=None, print_blob=False, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch_of=st.lists(st.integers(0, 2), min_size=len(ARTICLES), max_size=len(ARTICLES)),
       order=st.permutations([0, 1, 2]), how=st.lists(st.booleans(), min_size=3, max_size=3),
       gone=st.sampled_from(ARTICLES))
def test_batches_pushed_to_an_oxigraph_server_give_the_graph_of_one_build(tmp_path_factory, whole, cache, server,
                                                                          batch_of, order, how, gone):
    """Pushed one request per graph or in one update, in any split and order, then a document removed: the
    server holds what a direct build of the remaining articles gives."""
    empty(server)
    tmp = tmp_path_factory.mktemp("push")
    for step, batch in enumerate(order):
        files = [a for a, b in zip(ARTICLES, batch_of, strict=True) if b == batch]
        if files:
            kg("build", folder_of(files, tmp / f"batch{step}"), "-o", tmp / f"batch{step}.nq", "--cache", cache, "-q")
            way = ["--update", server + "/update"] if how[step] else ["--endpoint", server + "/store"]
            kg("push", tmp / f"batch{step}.nq", *way)
    assert dump_server(server) == whole
    kg("remove", gone, "--endpoint", server + "/store")
    kg("build", *[a for a in ARTICLES if a != gone], "-o", tmp / "rest.nq", "--cache", cache, "-q")
    assert dump_server(server) == quads_of_file(tmp / "rest.nq")


@settings(max_examples=3, deadline=None, print_blob=False, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gone=st.sets(st.sampled_from(ARTICLES), min_size=1, max_size=len(ARTICLES) - 1))
def test_removing_documents_leaves_the_graph_of_the_others(tmp_path_factory, whole, cache, gone):
    tmp = tmp_path_factory.mktemp("remove")
    db = tmp / "db"
    kg("build", *ARTICLES, "-o", tmp / "all.nq", "--store", db, "--cache", cache, "-q")
    kg("remove", *sorted(gone), "--store", db)
    kept = [a for a in ARTICLES if a not in gone]
    kg("build", *kept, "-o", tmp / "kept.nq", "--cache", cache, "-q")
    after = quads_of_store(db)
    assert after == quads_of_file(tmp / "kept.nq")  # entities, names and facts only they gave are gone too
    assert {g for *_, g in whole} - {g for *_, g in after} == {g for *_, g in quads_of_file(tmp / "all.nq")
                                                              if any(g.value.endswith("/" + a.stem) for a in gone)}
