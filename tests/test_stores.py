"""Every shipped query gives the rows `kg query` gives on the file, on stores as they come: an Oxigraph server
and Jena TDB2 (default graph = their own default graph, where kg writes nothing) once kg keeps the union of the
named graphs in it, and Virtuoso 7.2 from Debian (default graph = all graphs) as it is."""

import csv
import io
import json
import os
import shutil
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from helpers import free_port, missing, needs_dates, oxigraph_server, rows_of, same_order, wait_for
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))
runner = CliRunner()
Rows = dict[str, list[tuple[str, ...]]]


def kg(*args: object) -> None:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example corpus as kg writes it: graph.nq (a named graph per document) and graph.ttl (their union)."""
    out = tmp_path_factory.mktemp("stores") / "out"
    kg("build", ROOT / "examples" / "corpus", "-o", out, "-q", "--format", "nq,ttl")
    return out


@pytest.fixture(scope="module")
def on_file(built) -> tuple[dict[str, list[str]], Rows]:
    """Each shipped query's header and rows from `kg query` on the file: what every store must answer."""
    headers, rows = {}, {}
    for query in QUERIES:
        result = runner.invoke(app, ["query", str(built / "graph.nq"), str(query), "-f", "csv"])
        assert result.exit_code == 0, result.output
        table = list(csv.reader(io.StringIO(result.stdout)))
        headers[query.name], rows[query.name] = table[0], sorted(same_order(r) for r in table[1:])
        assert rows[query.name] or needs_dates(query), query.name  # rows on the examples: a 0 is a failure
    return headers, rows


def ask(endpoint: str, query: str) -> list[dict]:
    """A query's JSON bindings from a SPARQL endpoint (GET, as any client sends it)."""
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["results"]["bindings"]


def endpoint_rows(endpoint: str, headers: dict[str, list[str]]) -> Rows:
    return {q.name: rows_of(ask(endpoint, q.read_text(encoding="utf-8")), headers[q.name]) for q in QUERIES}


def counts(rows: Rows) -> dict[str, int]:
    return {name: len(r) for name, r in rows.items()}


# ------------------------------------------------------------------ Oxigraph server, default configuration


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server started without --union-default-graph: as it comes."""
    with oxigraph_server(tmp_path_factory.mktemp("ox") / "db") as base:
        yield base


def union_holds(base: str) -> bool:
    """Whether the store's default graph is exactly the set of triples of its named graphs."""
    default = ask(base + "/query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    named = ask(base + "/query", "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    as_set = lambda rows: {tuple(sorted((k, v["value"]) for k, v in r.items())) for r in rows}  # noqa: E731
    return len(default) == len(as_set(default)) and as_set(default) == as_set(named)


def test_oxigraph_as_it_comes_answers_every_shipped_query_once_push_keeps_the_union(built, on_file, oxigraph):
    headers, expected = on_file
    kg("push", built / "graph.nq", "--update", oxigraph + "/update")
    assert set(counts(endpoint_rows(oxigraph + "/query", headers)).values()) == {0}  # the problem is real
    kg("push", built / "graph.nq", "--update", oxigraph + "/update", "--union-default-graph")
    assert endpoint_rows(oxigraph + "/query", headers) == expected


def test_the_default_graph_stays_the_union_through_pushes_prune_and_removes(built, oxigraph, tmp_path):
    update = ["--update", oxigraph + "/update", "--union-default-graph"]
    dev = tmp_path / "dev.nq"
    kg("build", ROOT / "tests" / "dev" / "corpus", "-o", dev, "-q")
    kg("push", built / "graph.nq", *update)
    kg("push", dev, *update, "--append")  # a second batch: documents naming the same provinces and ministries
    assert union_holds(oxigraph)
    kg("push", built / "graph.nq", *update, "--query", oxigraph + "/query", "--prune")  # the dev batch goes
    assert union_holds(oxigraph)
    first = sorted((ROOT / "examples" / "corpus").glob("*.txt"))[0]
    kg("remove", first, "--endpoint", oxigraph + "/store", *update)
    assert union_holds(oxigraph)
    triples = ask(oxigraph + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"]
    whole = {q.triple for q in pyoxigraph.parse(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS)}
    assert 0 < int(triples) < len(whole)  # fewer than the 5 articles' triples, more than none


def test_union_default_graph_needs_one_update_request(built, oxigraph):
    result = runner.invoke(app, ["push", str(built / "graph.nq"), "--endpoint", oxigraph + "/store",
                                 "--union-default-graph"])
    assert result.exit_code == 2 and "--union-default-graph needs --update URL" in result.output
    result = runner.invoke(app, ["push", str(built / "graph.ttl"), "--update", oxigraph + "/update",
                                 "--union-default-graph"])
    assert result.exit_code == 2 and "has triples outside named graphs" in result.output


# ------------------------------------------------------------------ Jena TDB2 from Debian, default configuration


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> Path:
    """Debian's Jena (scripts/jena.sh installs it) and RunQueries compiled against its jars: the folder of both."""
    home = tmp_path_factory.mktemp("jena")
    classpath = subprocess.run(["bash", str(ROOT / "scripts" / "jena.sh"), "--classpath"], capture_output=True,
                               text=True, timeout=900, env={**os.environ, "KG_JENA_FIX": str(home / "fix")})
    if classpath.returncode != 0 or shutil.which("javac") is None:
        missing(f"Jena from Debian (libapache-jena-java) and javac: {classpath.stderr.strip()[-300:]}")
    (home / "classpath").write_text(classpath.stdout.strip())
    compiled = subprocess.run(["javac", "-d", str(home), "-cp", classpath.stdout.strip(),
                               str(ROOT / "tests" / "jena" / "RunQueries.java")], capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr
    return home


def jena_rows(jena: Path, files: list[Path], headers: dict[str, list[str]]) -> Rows:
    """Load files into a new TDB2 dataset with tdb2.tdbloader (quads to their graphs, triples to the default
    graph), then every shipped query on it as Jena opens it by default."""
    db, out = jena / f"db{len(list(jena.glob('db*')))}", jena / "out"
    env = {**os.environ, "KG_JENA_FIX": str(jena / "fix")}
    loaded = subprocess.run(["bash", str(ROOT / "scripts" / "jena.sh"), "tdb2.tdbloader", "--loc", str(db),
                             *map(str, files)], capture_output=True, text=True, env=env, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    out.mkdir(exist_ok=True)
    ran = subprocess.run(["java", "-cp", f"{jena}:{(jena / 'classpath').read_text()}", "RunQueries", str(db),
                          str(out), *map(str, QUERIES)], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    return {q.name: rows_of(json.loads((out / f"{q.name}.json").read_text())["results"]["bindings"],
                            headers[q.name]) for q in QUERIES}


def test_jena_tdb2_as_it_comes_reads_no_named_graph(built, on_file, jena):
    assert set(counts(jena_rows(jena, [built / "graph.nq"], on_file[0])).values()) == {0}


def test_jena_tdb2_as_it_comes_answers_every_shipped_query_with_the_union_in_its_default_graph(built, on_file, jena):
    headers, expected = on_file
    assert jena_rows(jena, [built / "graph.nq", built / "graph.ttl"], headers) == expected


# ------------------------------------------------------------------ Virtuoso 7.2 from Debian, as it comes


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """Virtuoso run by scripts/virtuoso.sh (Debian's configuration, a folder of its own, free ports)."""
    folder = tmp_path_factory.mktemp("virtuoso")
    http, sql = free_port(), free_port()
    server = subprocess.Popen(["bash", str(ROOT / "scripts" / "virtuoso.sh"), str(folder), str(http), str(sql)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{http}"
    try:
        try:
            wait_for(base + "/sparql?query=ASK%7B%7D", seconds=900 if shutil.which("virtuoso-t") is None else 60)
        except TimeoutError:
            missing(f"Virtuoso (Debian package virtuoso-opensource-7-bin) did not start: {server.poll()=}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_virtuoso_as_it_comes_answers_every_shipped_query(built, on_file, virtuoso, monkeypatch):
    headers, expected = on_file
    monkeypatch.setenv("KG_PASSWORD", "dba")
    kg("push", built / "graph.nq", "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--user", "dba")
    assert endpoint_rows(virtuoso + "/sparql", headers) == expected
