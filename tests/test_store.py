"""The embedded store, the SPARQL endpoint and pushing to a real Oxigraph server, through the CLI."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
COUNT_PEOPLE = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Person }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def ask(endpoint: str, query: str, prefixes: bool = True):
    sparql = SPARQLWrapper(endpoint)
    head = "PREFIX kg: <https://w3id.org/kg-vn/ontology#>\n" if prefixes else ""
    sparql.setQuery(head + query)
    sparql.setReturnFormat(JSON)
    sparql.setTimeout(60)
    return sparql.queryAndConvert()["results"]["bindings"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("store")
    result = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(d / "out"), "-q",
                                 "--format", "nq,ttl", "--store", str(d / "db")])
    assert result.exit_code == 0, result.output
    return d


def test_query_a_store_like_a_file(built):
    on_file = runner.invoke(app, ["query", str(built / "out" / "graph.ttl"), COUNT_PEOPLE, "-f", "csv"])
    on_store = runner.invoke(app, ["query", str(built / "db"), COUNT_PEOPLE, "-f", "csv"])
    assert on_store.exit_code == 0, on_store.output
    assert on_store.output == on_file.output and on_store.output.split()[-1] == "6"


def test_rebuilding_replaces_documents_instead_of_doubling_them(built):
    again = runner.invoke(app, ["build", str(ROOT / "examples" / "corpus"), "-o", str(built / "out2"), "-q",
                                "--format", "nq", "--store", str(built / "db")])
    assert again.exit_code == 0
    rows = runner.invoke(app, ["query", str(built / "db"), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv"])
    lines = (built / "out" / "graph.nq").read_text(encoding="utf-8").strip().splitlines()
    distinct = {" ".join(line.rsplit(" ", 2)[0].split(" ")[:3]) for line in lines}
    assert int(rows.output.split()[-1]) <= len(lines) and distinct


def test_load_command(tmp_path, built):
    result = runner.invoke(app, ["load", str(built / "out" / "graph.nq"), "--store", str(tmp_path / "db2")])
    assert result.exit_code == 0 and "quads" in result.output
    assert runner.invoke(app, ["query", str(tmp_path / "db2"), COUNT_PEOPLE, "-f", "csv"]).output.split()[-1] == "6"


def test_serve_is_read_only_and_bounds_query_time(built, tmp_path):
    db = tmp_path / "served"
    assert runner.invoke(app, ["load", str(built / "out" / "graph.nq"), "--store", str(db)]).exit_code == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(db), "--port", str(port),
                               "--timeout", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        wait_for(endpoint + "?query=ASK%7B%7D")
        assert ask(endpoint, COUNT_PEOPLE)[0]["n"]["value"] == "6"
        update = urllib.request.Request(f"http://127.0.0.1:{port}/update", method="POST",
                                        data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        started = time.monotonic()
        with pytest.raises(Exception):  # noqa: B017 - the server answers the runaway query with an error
            ask(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        assert time.monotonic() - started < 30
        assert ask(endpoint, COUNT_PEOPLE)[0]["n"]["value"] == "6"  # and it still answers afterwards
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_push_to_a_real_oxigraph_server(built, tmp_path):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "remote"), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/query?query=ASK%7B%7D")
        for _ in range(2):  # pushing twice replaces, it does not double
            result = runner.invoke(app, ["push", str(built / "out" / "graph.nq"), "--endpoint", base + "/store"])
            assert result.exit_code == 0, result.output
        graphs = ask(base + "/query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert graphs[0]["n"]["value"] == "6"  # five documents and the entity descriptions
        people = ask(base + "/query", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a kg:Person } }")
        assert people[0]["n"]["value"] == "6"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_push_to_nowhere_is_a_clear_error(built):
    result = runner.invoke(app, ["push", str(built / "out" / "graph.nq"), "--endpoint",
                                 f"http://127.0.0.1:{free_port()}/store"])
    assert result.exit_code == 2 and "cannot connect" in result.output
