"""The embedded store, the SPARQL endpoint and pushing to a real Oxigraph server, through the CLI."""

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from helpers import free_port, needs_dates, oxigraph_server, rows_of, same_order, wait_for
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
COUNT_PEOPLE = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Person }"


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
    with oxigraph_server(tmp_path / "remote") as base:
        for _ in range(2):  # pushing twice replaces, it does not double
            result = runner.invoke(app, ["push", str(built / "out" / "graph.nq"), "--endpoint", base + "/store"])
            assert result.exit_code == 0, result.output
        graphs = ask(base + "/query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert graphs[0]["n"]["value"] == "5"  # one per document, each with its own entities
        people = ask(base + "/query", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a kg:Person } }")
        assert people[0]["n"]["value"] == "6"
        first = sorted((ROOT / "examples" / "queries").glob("*.rq"))[0].read_text(encoding="utf-8")
        assert ask(base + "/query", first, prefixes=False) == []  # default configuration: no named graph read


def test_every_shipped_query_answers_on_an_oxigraph_server_as_on_the_file(built, tmp_path):
    """Started as the README says (--union-default-graph), after kg push: the same rows as `kg query`."""
    import csv
    import io

    with oxigraph_server(tmp_path / "remote", "--union-default-graph") as base:
        pushed = runner.invoke(app, ["push", str(built / "out" / "graph.nq"), "--endpoint", base + "/store"])
        assert pushed.exit_code == 0, pushed.output
        for query in sorted((ROOT / "examples" / "queries").glob("*.rq")):
            local = runner.invoke(app, ["query", str(built / "out" / "graph.nq"), str(query), "-f", "csv"])
            assert local.exit_code == 0, local.output
            table = list(csv.reader(io.StringIO(local.stdout)))
            header, body = table[0], sorted(same_order(r) for r in table[1:])
            remote = ask(base + "/query", query.read_text(encoding="utf-8"), prefixes=False)
            assert (body or needs_dates(query)) and rows_of(remote, header) == body, query.name


def test_push_to_nowhere_is_a_clear_error(built):
    result = runner.invoke(app, ["push", str(built / "out" / "graph.nq"), "--endpoint",
                                 f"http://127.0.0.1:{free_port()}/store"])
    assert result.exit_code == 2 and "cannot connect" in result.output


def raw_request(port: int, data: bytes) -> bytes:
    """What the endpoint answers to bytes sent as they are (what an HTTP library would not send)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


@pytest.fixture(scope="module")
def endpoint(built, tmp_path_factory):
    """`kg serve` on the examples, as a user starts it."""
    db = tmp_path_factory.mktemp("endpoint") / "db"
    assert runner.invoke(app, ["load", str(built / "out" / "graph.nq"), "--store", str(db)]).exit_code == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    yield port, server
    server.terminate()
    _, log = server.communicate(timeout=10)
    assert "Traceback" not in log


def get(port: int, query: str, accept: str = "text/csv") -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/query?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_endpoint_knows_the_prefixes_kg_query_knows(endpoint):
    """The README's curl example, as printed: no PREFIX line."""
    status, body = get(endpoint[0], "SELECT * WHERE { ?s a kg:Province } LIMIT 5")
    lines = body.split()
    assert status == 200 and lines[0] == "s" and len(lines) > 1
    assert all(line.startswith("https://w3id.org/kg-vn/id/province/") for line in lines[1:])
    status, body = get(endpoint[0], "PREFIX kg: <urn:other#> SELECT * WHERE { ?s a kg:Province } LIMIT 5")
    assert status == 200 and body.strip() == "s"  # the query's own declaration wins


def test_service_is_refused_and_no_request_leaves(endpoint):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        status, body = get(endpoint[0], f"SELECT * WHERE {{ service <{target}> {{ ?s ?p ?o }} }}")
        assert status == 403 and "--allow-service" in body
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    status, body = get(endpoint[0], 'SELECT ?x WHERE { BIND("a SERVICE desk" AS ?x) }')
    assert status == 200 and "a SERVICE desk" in body  # the word in a string is no call


def test_odd_requests_get_a_4xx_and_leave_the_endpoint_serving(endpoint):
    port = endpoint[0]
    close = b"Host: x\r\nConnection: close\r\n"
    assert raw_request(port, b"GET @127.0.0.1:1/ HTTP/1.1\r\n" + close + b"\r\n").startswith(b"HTTP/1.1 400")
    assert raw_request(port, b"POST /query HTTP/1.1\r\n" + close + b"Content-Length: abc\r\n"
                       b"Content-Type: application/sparql-query\r\n\r\n").startswith(b"HTTP/1.1 400")
    no_query = raw_request(port, b"GET /query HTTP/1.1\r\n" + close + b"\r\n")
    assert no_query.startswith(b"HTTP/1.1 400") and b"query=" in no_query  # not the backend's description
    parts = [b"ASK { ?s ", b"a kg:Pers", b"on . }"]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
    answer = raw_request(port, b"POST /query HTTP/1.1\r\n" + close + b"Transfer-Encoding: chunked\r\n"
                         b"Content-Type: application/sparql-query\r\nAccept: text/csv\r\n\r\n" + chunked)
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"true")
    head = raw_request(port, b"HEAD /query?query=ASK%7B%7D HTTP/1.1\r\n" + close + b"\r\n")
    assert head.startswith(b"HTTP/1.1 200") and head.endswith(b"\r\n\r\n")  # headers only
    options = raw_request(port, b"OPTIONS /query HTTP/1.1\r\n" + close + b"\r\n")
    assert b"Access-Control-Allow-Methods: GET, HEAD, POST, OPTIONS\r\n" in options  # no PUT: read-only
    assert get(port, COUNT_PEOPLE)[1].split() == ["n", "6"]


def serve_in_background(db: Path, *options: str) -> tuple[int, subprocess.Popen]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(db), "--port", str(port),
                               *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    return port, server


def timed(port: int, query: str) -> tuple[object, float]:
    """(status, or the exception a client sees) and the seconds it took."""
    started = time.monotonic()
    url = f"http://127.0.0.1:{port}/query?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/csv"}), timeout=60) as r:
            r.read()
            return r.status, time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, time.monotonic() - started
    except http.client.IncompleteRead:
        return "incomplete", time.monotonic() - started


def test_a_runaway_query_is_cut_alone_and_the_endpoint_stays_small(built, tmp_path):
    db = tmp_path / "served"
    assert runner.invoke(app, ["load", str(built / "out" / "graph.nq"), "--store", str(db)]).exit_code == 0
    port, server = serve_in_background(db, "--timeout", "2")
    try:
        outcome: dict[str, tuple[object, float]] = {}
        streamed = threading.Thread(target=lambda: outcome.update(
            streamed=timed(port, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")))
        streamed.start()
        time.sleep(0.3)
        outcome["light"] = timed(port, COUNT_PEOPLE)
        streamed.join()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        outcome["summed"] = timed(port, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    assert outcome["light"][0] == 200 and outcome["light"][1] < 1.5  # answered while the runaway ran
    assert outcome["streamed"][0] == "incomplete" and outcome["streamed"][1] < 2 + 2  # never a whole 200
    assert outcome["summed"][0] == 503 and outcome["summed"][1] < 2 + 2
    assert peak < 300 * 1024, f"kg serve peaked at {peak // 1024} MB"
    assert "Traceback" not in log


def test_fifty_clients_at_once_all_get_their_answer(endpoint):
    port = endpoint[0]
    queries = sorted((ROOT / "examples" / "queries").glob("*.rq"))
    expected = {q.name: get(port, q.read_text(encoding="utf-8")) for q in queries}
    failures: list[str] = []

    def client(i: int) -> None:
        for q in queries[i % len(queries):] + queries[:i % len(queries)]:
            answer = get(port, q.read_text(encoding="utf-8"))
            if answer != expected[q.name]:
                failures.append(f"client {i}, {q.name}: {answer[0]}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status == 200 for status, _ in expected.values())
    assert failures == []


def test_a_refused_push_says_what_the_server_said(built, endpoint):
    result = runner.invoke(app, ["push", str(built / "out" / "graph.nq"), "--endpoint",
                                 f"http://127.0.0.1:{endpoint[0]}/store"])
    assert result.exit_code == 2
    assert "HTTP 403" in result.output and "start it with --allow-update" in " ".join(result.output.split())
