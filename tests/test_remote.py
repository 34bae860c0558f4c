"""kg push (one update request, --prune, credentials, a failure half-way) and kg remove, through the CLI, against a
real Oxigraph server on the examples (and, for what Oxigraph cannot show, a small local HTTP server)."""

import base64
import hashlib
import http.client
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from helpers import oxigraph_server
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf import graph_iri
from kg.remote import DOC_GRAPHS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
runner = CliRunner()
SECRET = "s3cr3t-Passw0rd"


def build(corpus: Path, output: Path) -> Path:
    result = runner.invoke(app, ["build", str(corpus), "-o", str(output), "-q"])
    assert result.exit_code == 0, result.output
    return output


def file_graphs(nq: Path) -> set[str]:
    """The named graphs an N-Quads file holds (its last term on each line)."""
    lines = nq.read_text(encoding="utf-8").splitlines()
    return {line.rstrip(" .").rsplit(" ", 1)[-1].strip("<>") for line in lines if line.strip()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(CORPUS, tmp_path_factory.mktemp("remote") / "graph.nq")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """One real Oxigraph server for the module, as a user starts it."""
    with oxigraph_server(tmp_path_factory.mktemp("ox") / "db") as base:
        yield base


@pytest.fixture
def ox(oxigraph):
    """The server, emptied."""
    sparql_update(oxigraph, "DROP ALL")
    return oxigraph


def sparql_update(base: str, text: str) -> None:
    request = urllib.request.Request(base + "/update", data=text.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=30).close()


def quads(base: str) -> dict[str, set[tuple[str, ...]]]:
    """Every named graph on the server with its triples (terms as their JSON results)."""
    query = urllib.parse.urlencode({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"})
    request = urllib.request.Request(f"{base}/query?{query}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        rows = json.load(r)["results"]["bindings"]
    graphs: dict[str, set[tuple[str, ...]]] = {}
    for row in rows:
        graphs.setdefault(row["g"]["value"], set()).add(tuple(json.dumps(row[v], sort_keys=True) for v in "spo"))
    return graphs


def documents(base: str) -> dict[str, set[tuple[str, ...]]]:
    return {g: t for g, t in quads(base).items() if g.startswith(DOC_GRAPHS)}


def push(*args: str):
    return runner.invoke(app, ["push", *args])


def test_push_update_is_one_request_and_gives_what_a_graph_store_push_gives(built, ox, monkeypatch):
    assert push(str(built), "--endpoint", ox + "/store").exit_code == 0
    by_gsp = quads(ox)
    assert set(by_gsp) == file_graphs(built) and len(documents(ox)) == 5
    sparql_update(ox, "DROP ALL")
    sent: list[tuple[str, str]] = []
    putrequest = http.client.HTTPConnection.putrequest
    monkeypatch.setattr(http.client.HTTPConnection, "putrequest",
                        lambda self, method, url, *a, **k: sent.append((method, url)) or putrequest(
                            self, method, url, *a, **k))
    for _ in range(2):  # twice: the second replaces, it does not double
        sent.clear()
        result = push(str(built), "--update", ox + "/update")
        assert result.exit_code == 0, result.output
        assert sent == [("POST", "/update")]
    assert quads(ox) == by_gsp
    assert "in one update request" in result.output


@pytest.mark.parametrize("how", ["gsp", "update"])
def test_push_prune_drops_the_graph_of_an_article_no_longer_in_the_corpus(ox, tmp_path, how):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    write = ["--endpoint", ox + "/store"] if how == "gsp" else ["--update", ox + "/update"]
    assert push(str(build(corpus, tmp_path / "out" / "graph.nq")), *write).exit_code == 0
    assert len(documents(ox)) == 5
    others = ("<urn:x-test:mine> { <urn:x-test:a> <urn:x-test:b> \"kept\" }",
              f"<{DOC_GRAPHS[:-1]}s-mine> {{ <urn:x-test:a> <urn:x-test:b> \"kept too\" }}")
    sparql_update(ox, "INSERT DATA { " + " ".join(f"GRAPH {g}" for g in others) + " }")
    before = quads(ox)
    gone = sorted(corpus.glob("*.txt"))[2]
    gone.unlink()
    rebuilt = build(corpus, tmp_path / "out" / "graph.nq")
    result = push(str(rebuilt), *write, "--query", ox + "/query", "--prune")
    assert result.exit_code == 0, result.output
    assert f"pruned 1 graph(s): <{graph_iri(gone.stem)}>" in result.output
    after = quads(ox)
    assert set(documents(ox)) == {str(graph_iri(p.stem)) for p in corpus.glob("*.txt")}
    assert set(after) == file_graphs(rebuilt) | {"urn:x-test:mine", DOC_GRAPHS[:-1] + "s-mine"}
    for g in ("urn:x-test:mine", DOC_GRAPHS[:-1] + "s-mine"):
        assert after[g] == before[g]
    again = push(str(rebuilt), *write, "--query", ox + "/query", "--prune")
    assert again.exit_code == 0 and "pruned 0 graph(s)" in again.output


def test_prune_without_a_query_endpoint_is_refused_before_anything_is_sent(built, ox):
    result = push(str(built), "--endpoint", ox + "/store", "--prune")
    assert result.exit_code == 2 and "--prune needs --query URL" in result.output
    assert quads(ox) == {}


@pytest.mark.parametrize("how", ["gsp", "update"])
def test_remove_from_a_server(built, ox, how):
    assert push(str(built), "--endpoint", ox + "/store").exit_code == 0
    before = documents(ox)
    by_path, by_id = sorted(CORPUS.glob("*.txt"))[:2]
    extra = ["--update", ox + "/update"] if how == "update" else []
    result = runner.invoke(app, ["remove", str(by_path), by_id.stem, "no-such-doc", "--endpoint", ox + "/store",
                                 *extra])
    assert result.exit_code == 1, result.output
    assert f"removed 2 document(s): {by_path.stem}, {by_id.stem}" in result.output
    assert "not in the store: no-such-doc" in result.output
    gone = {str(graph_iri(by_path.stem)), str(graph_iri(by_id.stem))}
    assert documents(ox) == {g: t for g, t in before.items() if g not in gone}
    again = runner.invoke(app, ["remove", by_id.stem, "--endpoint", ox + "/store", *extra])
    assert again.exit_code == 1 and f"not in the store: {by_id.stem}" in again.output


def store_documents(db: Path) -> dict[str, int]:
    store = pyoxigraph.Store.read_only(str(db))
    return {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()
            if g.value.startswith(DOC_GRAPHS)}


def test_remove_from_a_store_folder(built, tmp_path):
    db = tmp_path / "db"
    assert runner.invoke(app, ["load", str(built), "--store", str(db)]).exit_code == 0
    before = store_documents(db)
    by_path, by_id = sorted(CORPUS.glob("*.txt"))[3:5]
    result = runner.invoke(app, ["remove", by_id.stem, str(by_path), "no-such-doc", "--store", str(db)])
    assert result.exit_code == 1, result.output
    assert f"removed 2 document(s): {by_id.stem}, {by_path.stem}" in result.output
    assert "not in the store: no-such-doc" in result.output
    gone = {str(graph_iri(by_path.stem)), str(graph_iri(by_id.stem))}
    assert store_documents(db) == {g: n for g, n in before.items() if g not in gone}
    nothing = runner.invoke(app, ["remove", by_id.stem, "--store", str(db)])
    assert nothing.exit_code == 1 and "removed" not in nothing.output
    for bad in (tmp_path / "missing", built):
        refused = runner.invoke(app, ["remove", by_id.stem, "--store", str(bad)])
        assert refused.exit_code == 2 and str(bad) in refused.output
    both = runner.invoke(app, ["remove", by_id.stem, "--store", str(db), "--endpoint", "http://127.0.0.1:1/store"])
    assert both.exit_code == 2 and "exactly one of --store DIR and --endpoint URL" in both.output


class FakeStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store Protocol endpoint that may demand Basic credentials and fail after some writes."""

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        seen = self.server.seen  # type: ignore[attr-defined]
        seen.append({"auth": self.headers.get("Authorization"), "path": self.path, "argv": self._client_argv()})
        login = self.server.login  # type: ignore[attr-defined]
        if login and self.headers.get("Authorization") != "Basic " + base64.b64encode(login.encode()).decode():
            self._answer(401, b"", {"WWW-Authenticate": 'Basic realm="kg test"'})
        elif len(seen) > self.server.fail_after:  # type: ignore[attr-defined]
            self._answer(500, b"disk full", {})
        else:
            self._answer(204, b"", {})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _client_argv(self) -> str:
        """The command line of the kg process that sent this request, when the test started one."""
        pid = self.server.client_pid  # type: ignore[attr-defined]
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ") if pid else ""

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeStore)
    server.seen, server.login, server.fail_after, server.client_pid = [], None, 10**6, None
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_push_logs_in_with_the_password_from_the_environment(built, fake, monkeypatch):
    fake.login = f"kg:{SECRET}"
    url = f"http://127.0.0.1:{fake.server_port}/store"
    monkeypatch.setenv("KG_PASSWORD", SECRET)
    monkeypatch.setenv("NETRC", "/nonexistent")
    args = [sys.executable, "-m", "kg.cli", "push", str(built), "--endpoint", url, "--user", "kg"]
    client = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    fake.client_pid = client.pid
    output = "".join(client.communicate(timeout=60))
    assert client.returncode == 0, output
    written = [s for s in fake.seen if s["auth"]]
    assert len(written) == len(file_graphs(built))
    assert all(s["auth"] == basic("kg", SECRET) for s in written)
    assert all("push" in s["argv"] and SECRET not in s["argv"] for s in fake.seen)
    assert SECRET not in output
    fake.client_pid = None
    monkeypatch.delenv("KG_PASSWORD")
    monkeypatch.setenv("KG_PW", SECRET)
    named = push(str(built), "--endpoint", url, "--user", "kg", "--password-env", "KG_PW")
    assert named.exit_code == 0 and SECRET not in named.output, named.output


def test_push_logs_in_with_the_password_from_netrc(built, fake, monkeypatch, tmp_path):
    fake.login = f"kg:{SECRET}"
    url = f"http://127.0.0.1:{fake.server_port}/store"
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login kg password {SECRET}\n")
    netrc.chmod(0o600)
    monkeypatch.delenv("KG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    for args in (["--user", "kg"], []):  # the entry's login is the user when --user is not given
        fake.seen.clear()
        result = push(str(built), "--endpoint", url, *args)
        assert result.exit_code == 0, result.output
        assert {s["auth"] for s in fake.seen if s["auth"]} == {basic("kg", SECRET)}
        assert SECRET not in result.output


def test_push_without_or_with_wrong_credentials_is_one_clear_line(built, fake, monkeypatch):
    fake.login = f"kg:{SECRET}"
    url = f"http://127.0.0.1:{fake.server_port}/store"
    monkeypatch.setenv("NETRC", "/nonexistent")
    monkeypatch.delenv("KG_PASSWORD", raising=False)
    anonymous = push(str(built), "--endpoint", url)
    assert anonymous.exit_code == 2
    assert "HTTP 401: needs credentials: --user NAME with KG_PASSWORD or ~/.netrc" in anonymous.output
    no_password = push(str(built), "--endpoint", url, "--user", "kg")
    assert no_password.exit_code == 2 and "no password for 127.0.0.1: set KG_PASSWORD" in no_password.output
    monkeypatch.setenv("KG_PASSWORD", SECRET + "-wrong")
    refused = push(str(built), "--endpoint", url, "--user", "kg")
    assert refused.exit_code == 2 and "HTTP 401: user kg was refused" in refused.output
    assert SECRET not in refused.output and "Traceback" not in refused.output


class DigestUpdate(http.server.BaseHTTPRequestHandler):
    """A SPARQL Update endpoint behind Digest authentication (as Virtuoso's is) that reads chunked bodies."""

    def do_POST(self) -> None:
        body = b""
        while size := int(self.rfile.readline(), 16):
            body += self.rfile.read(size)
            self.rfile.readline()
        self.rfile.readline()
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', self.headers.get("Authorization") or ""))
        ha1 = md5(f"kg:kg test:{SECRET}")
        expected = md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:auth:"
                       + md5(f"POST:{fields.get('uri')}"))
        ok = fields.get("response") == expected
        self.server.seen.append((ok, body))  # type: ignore[attr-defined]
        self.send_response(204 if ok else 401)
        if not ok:
            self.send_header("WWW-Authenticate", 'Digest realm="kg test", nonce="n0nce", qop="auth"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_push_update_answers_a_digest_challenge_sending_the_whole_body_again(built, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DigestUpdate)
    server.seen = []
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        monkeypatch.setenv("KG_PASSWORD", SECRET)
        result = push(str(built), "--update", f"http://127.0.0.1:{server.server_port}/update", "--user", "kg")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert [ok for ok, _ in server.seen] == [False, True]
    assert server.seen[0][1] == server.seen[1][1] and server.seen[1][1].count(b"INSERT DATA") == len(
        file_graphs(built))
    assert SECRET.encode() not in server.seen[1][1]


def test_a_graph_store_push_failing_half_way_says_what_was_written(built, fake):
    fake.fail_after = 3
    graphs = sorted(file_graphs(built))
    result = push(str(built), "--endpoint", f"http://127.0.0.1:{fake.server_port}/store")
    assert result.exit_code == 2
    assert (f"wrote 3 of {len(graphs)} graphs; failed at <{graphs[3]}>: HTTP 500 Internal Server Error: "
            "disk full; the others were not sent") in " ".join(result.output.split())
    assert len(fake.seen) == 4
