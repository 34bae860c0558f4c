"""Pushing graphs to other triple stores, and removing documents from them, over HTTP.

Two ways to write. The SPARQL 1.1 Graph Store Protocol sends one request per
named graph: every store has it, but a failure half-way leaves the store
half-written, so the error says how far it got. A SPARQL Update endpoint
(`--update`) takes the whole change (drop and insert every graph, drop the
pruned ones) as ONE request, which Oxigraph, Fuseki and GraphDB apply all or
nothing. That request is sent as it is made (chunked), graph by graph, so a
large file is never held twice. Credentials come from an environment variable
or ~/.netrc, never from the command line, where `ps` shows them to everyone.

A store in its default configuration (Oxigraph server, Jena TDB2/Fuseki)
answers a query without GRAPH from its default graph only, where kg writes
nothing. With `union_default_graph`, the same one update request also keeps
the default graph equal to the union of the named graphs, incrementally: a
graph's triples are copied in after it is written, and before a graph is
dropped its triples that no other graph holds are deleted. Each push then
costs in proportion to the graphs it changes, not to the store.
"""

from __future__ import annotations

import json
import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import StoreError, UsageError
from .query import FORMATS as RDFLIB_FORMATS
from .rdf import graph_iri

DOC_GRAPHS = str(graph_iri("x"))[:-1]  # the namespace of every document's named graph: what --prune may drop
NEEDS_CREDENTIALS = "needs credentials: --user NAME with KG_PASSWORD or ~/.netrc"
NEEDS_UPDATE = ("--union-default-graph needs --update URL: the default graph is kept the union of the named "
                "graphs in the same single request that changes them")


@dataclass(frozen=True)
class Server:
    """A store's endpoints and the user kg logs in as (the password is looked up, never passed in)."""

    store: str | None = None  # Graph Store Protocol, e.g. Oxigraph's …/store
    update: str | None = None  # SPARQL Update, e.g. Oxigraph's …/update
    query: str | None = None  # SPARQL query, e.g. Oxigraph's …/query
    user: str | None = None
    password_env: str = "KG_PASSWORD"
    timeout: float = 60

    def urls(self) -> list[str]:
        """The endpoints given, each checked to be an http(s) URL."""
        urls = [u for u in (self.store, self.update, self.query) if u]
        for url in urls:
            check_endpoint(url)
        return urls


@dataclass
class Pushed:
    """What a push wrote and pruned, and whether it was one update request."""

    sent: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    one_request: bool = False


class HttpFailure(StoreError):
    """A request that failed: `detail` says how (an HTTP status and the server's words, or no connection)."""

    def __init__(self, url: str, detail: str, code: int | None = None) -> None:
        super().__init__(f"{url}: {detail}")
        self.detail, self.code = detail, code


def check_endpoint(endpoint: str) -> None:
    """An http(s) URL with a host, or a StoreError that says so (before any file is read or sent)."""
    try:
        url = urllib.parse.urlsplit(endpoint)
        url.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError as exc:
        raise StoreError(f"{endpoint}: not a valid URL ({exc})") from None
    if url.scheme not in {"http", "https"} or not url.hostname:
        raise StoreError(f"{endpoint}: not an http:// or https:// URL of a store's endpoint")


# ------------------------------------------------------------------ credentials


def credentials(url: str, user: str | None, password_env: str = "KG_PASSWORD") -> tuple[str, str] | None:
    """(user, password) for a URL: the password from the environment, else the host's ~/.netrc entry (which
    also gives the user when --user is not given); None when kg should not log in."""
    host = urllib.parse.urlsplit(url).hostname or ""
    password = os.environ.get(password_env) if user else None
    if user and password:
        return user, password
    entry = _netrc_entry(host)
    if entry and (user is None or entry[0] in (user, "")):
        return user or entry[0], entry[1]
    if user:
        raise UsageError(f"--user {user}: no password for {host}: set {password_env} "
                         f"or add 'machine {host} login {user} password …' to ~/.netrc")
    return None


def _netrc_entry(host: str) -> tuple[str, str] | None:
    """(login, password) of the host's entry in $NETRC or ~/.netrc, if there is one."""
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except netrc.NetrcParseError as exc:  # its message may quote a token of the file: a password
        raise UsageError(f"{path}: not a valid netrc file (line {exc.lineno})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not entry or not entry[2]:
        return None
    return entry[0] or "", entry[2]


@dataclass
class Client:
    """How kg talks to one store: its endpoints, a urllib opener, and the user it logs in as (if any)."""

    server: Server
    open_: urllib.request.OpenerDirector
    login: str | None = None


def connect(server: Server) -> Client:
    """A client that answers a Basic (GraphDB, Fuseki) or Digest (Virtuoso) challenge with the user's password;
    nothing is sent before the server asks, so a Digest server never sees the password itself."""
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    login = None
    for url in server.urls():
        found = credentials(url, server.user, server.password_env)
        if found:
            manager.add_password(None, url, *found)
            login = found[0]
    if login is None:
        return Client(server, urllib.request.build_opener())
    return Client(server, urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                                      urllib.request.HTTPBasicAuthHandler(manager)), login)


# ------------------------------------------------------------------ requests


class _Body:
    """A request body made while it is sent (never one big string); made again from the start when urllib
    sends the request a second time, to answer an authentication challenge."""

    def __init__(self, parts: Callable[[], Iterator[bytes]]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[bytes]:
        return self.parts()


def call(client: Client, method: str, url: str,
         body: bytes | _Body | None = None, content_type: str | None = None, accept: str | None = None) -> bytes:
    """One request; its answer's body, or an HttpFailure that says what the server said."""
    headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with client.open_.open(request, timeout=client.server.timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise HttpFailure(url, _refusal(exc, client.login), exc.code) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise HttpFailure(url, f"cannot connect ({getattr(exc, 'reason', exc)})") from None


def _refusal(exc: urllib.error.HTTPError, login: str | None) -> str:
    """An HTTP error as one line: its status, then what to do (401) or the server's own explanation."""
    if exc.code == 401:
        return f"HTTP 401: user {login} was refused" if login else f"HTTP 401: {NEEDS_CREDENTIALS}"
    said = _server_says(exc)
    return f"HTTP {exc.code} {exc.reason}" + (f": {said}" if said else "")


def _server_says(exc: urllib.error.HTTPError) -> str:
    """The start of the server's own explanation of an error, on one line (a store says what it refused)."""
    try:
        body = exc.read(2000).decode("utf-8", "replace")
    except OSError:
        return ""
    text = re.sub(r"<[^>]*>", " ", body)  # an HTML error page: its words
    return " ".join(text.split())[:300]


def _gsp(endpoint: str, name: str | None) -> str:
    """The Graph Store Protocol URL of one graph (`?default` for the default graph)."""
    return endpoint + ("&" if "?" in endpoint else "?") + (
        f"graph={urllib.parse.quote(name, safe='')}" if name else "default")


# ------------------------------------------------------------------ the file's graphs


def file_graphs(graph: Path, default_graph: str | None) -> list[tuple[str | None, Graph]]:
    """(graph IRI, its triples) for each non-empty graph of a file; a triples-only file's go to `default_graph`."""
    suffix = graph.suffix.lower()
    if suffix not in RDFLIB_FORMATS:
        raise StoreError(f"{graph}: unknown graph format (use one of {', '.join(RDFLIB_FORMATS)})")
    ds = Dataset()
    try:
        ds.parse(str(graph), format=RDFLIB_FORMATS[suffix])
    except Exception as exc:
        raise StoreError(f"{graph}: cannot parse ({' '.join(str(exc).split())[:200]})") from None
    found = []
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if len(g):
            name = None if g.identifier == ds.default_graph.identifier else str(g.identifier)
            found.append((name or default_graph, g))
    return found


def named_graphs(graph: Path, default_graph: str | None) -> Iterator[tuple[str | None, bytes]]:
    """(graph IRI, N-Triples) for each named graph of a file; a triples-only file goes to `default_graph`."""
    for name, g in file_graphs(graph, default_graph):
        yield name, g.serialize(format="nt", encoding="utf-8")


def _shown(name: str | None) -> str:
    return f"<{name}>" if name else "the default graph"


# ------------------------------------------------------------------ push


def push(graph: Path, server: Server, replace: bool = True, default_graph: str | None = None,
         prune: bool = False, union_default_graph: bool = False) -> Pushed:
    """Send a graph file's named graphs to a store: one SPARQL Update request when `server.update` is given
    (all or nothing), else one Graph Store Protocol request per graph (PUT replaces, POST appends).

    With `prune`, the store's document graphs the file does not hold (an article removed from the corpus)
    are dropped; other graphs are never touched. Oxigraph (`…/store`), Fuseki (`…/dataset/data`), GraphDB
    (`…/repositories/x/rdf-graphs/service`) and Virtuoso (`…/sparql-graph-crud`) take these requests.
    With `union_default_graph` (only with `server.update`) the request also keeps the store's default graph
    the union of its named graphs, so that a store in its default configuration answers queries without GRAPH.
    """
    if not server.store and not server.update:
        raise UsageError("give --endpoint URL (Graph Store Protocol) or --update URL (SPARQL Update)")
    if prune and not server.query:
        raise UsageError("--prune needs --query URL, the store's SPARQL query endpoint, to list its graphs")
    if union_default_graph and not server.update:
        raise UsageError(NEEDS_UPDATE)
    client = connect(server)
    parts = file_graphs(graph, default_graph)
    if union_default_graph and any(name is None for name, _ in parts):
        raise UsageError(f"{graph}: has triples outside named graphs; with --union-default-graph the default "
                         "graph holds the union of the named graphs only: give --graph IRI or push .nq/.trig")
    stale = stale_graphs(client, {name for name, _ in parts if name}) if prune else []
    done = Pushed([_shown(name) for name, _ in parts], stale, bool(server.update))
    if server.update:
        body = _Body(lambda: update_request(parts, replace, stale, union_default_graph))
        call(client, "POST", server.update, body, "application/sparql-update")
        return done
    _put_each(client, parts, replace)
    _delete_each(client, stale, f"wrote all {len(parts)} graphs")
    return done


def update_request(parts: list[tuple[str | None, Graph]], replace: bool, drop: Iterable[str],
                   union_default_graph: bool = False) -> Iterator[bytes]:
    """The one SPARQL Update of a push, made graph by graph: drop the pruned graphs, then for each graph of
    the file DROP SILENT it (unless appending) and INSERT DATA its triples; with `union_default_graph`, each
    drop and insert keeps the default graph the union of the named graphs."""
    return joined(_operations(parts, replace, drop, union_default_graph))


def joined(ops: Iterator[bytes]) -> Iterator[bytes]:
    """Operations as one SPARQL Update request body (separated by ` ;`), yielded as they are made."""
    first = next(ops, None)
    if first is None:
        return
    yield first
    for op in ops:
        yield b" ;\n"
        yield op


def _operations(parts: list[tuple[str | None, Graph]], replace: bool, drop: Iterable[str],
                union_default_graph: bool) -> Iterator[bytes]:
    """Each operation of the update request, as bytes."""
    for g in drop:
        yield from dropping(g, union_default_graph, silent=True)
    for name, triples in parts:
        if replace:
            yield from dropping(name, union_default_graph, silent=True) if name else [b"DROP SILENT DEFAULT"]
        data = triples.serialize(format="nt", encoding="utf-8")
        yield (f"INSERT DATA {{ GRAPH <{name}> {{\n".encode() + data + b"} }") if name else (
            b"INSERT DATA {\n" + data + b"}")
        if union_default_graph and name:
            yield f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}".encode()


def dropping(g: str, union_default_graph: bool, silent: bool) -> list[bytes]:
    """The operations that drop one named graph; with `union_default_graph`, first delete from the default
    graph the triples that only this graph holds (those another graph holds stay in the union)."""
    ops = [f"DROP {'SILENT ' if silent else ''}GRAPH <{g}>".encode()]
    if union_default_graph:
        ops.insert(0, f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} FILTER NOT EXISTS "
                      f"{{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{g}>) }} }}".encode())
    return ops


def _put_each(client: Client, parts: list[tuple[str | None, Graph]],
              replace: bool) -> None:
    """One Graph Store Protocol request per graph; a failure says how many were written and which failed."""
    server = client.server
    assert server.store
    for done, (name, triples) in enumerate(parts):
        data = triples.serialize(format="nt", encoding="utf-8")
        try:
            call(client, "PUT" if replace else "POST", _gsp(server.store, name), data,
                 "application/n-triples")
        except HttpFailure as exc:
            rest = "nothing was written" if done == 0 else "the others were not sent"
            raise HttpFailure(server.store, f"wrote {done} of {len(parts)} graphs; failed at {_shown(name)}: "
                              f"{exc.detail}; {rest}", exc.code) from None


def _delete_each(client: Client, graphs: list[str], before: str) -> None:
    """Delete graphs one by one over the Graph Store Protocol (one not there is fine)."""
    server = client.server
    assert server.store
    for done, g in enumerate(graphs):
        try:
            call(client, "DELETE", _gsp(server.store, g))
        except HttpFailure as exc:
            if exc.code != 404:
                raise HttpFailure(server.store, f"{before}; deleted {done} of {len(graphs)} graphs; failed at "
                                  f"<{g}>: {exc.detail}", exc.code) from None


def stale_graphs(client: Client, keep: set[str]) -> list[str]:
    """The store's document graphs (under kg's document-graph namespace) that are not in `keep`."""
    server = client.server
    assert server.query
    sparql = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER(STRSTARTS(STR(?g), "
              f'"{DOC_GRAPHS}")) }}')
    url = server.query + ("&" if "?" in server.query else "?") + urllib.parse.urlencode({"query": sparql})
    try:
        answer = call(client, "GET", url, accept="application/sparql-results+json")
    except HttpFailure as exc:
        raise HttpFailure(server.query, f"cannot list its graphs for --prune: {exc.detail}", exc.code) from None
    try:
        rows = json.loads(answer)["results"]["bindings"]
        found = {row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(f"{server.query}: not a SPARQL query endpoint (its answer is not SPARQL JSON results)") \
            from None
    return sorted(g for g in found if g.startswith(DOC_GRAPHS) and g not in keep)


# ------------------------------------------------------------------ remove


def remove_graphs(server: Server, graphs: list[str],
                  union_default_graph: bool = False) -> tuple[list[str], list[str]]:
    """Drop named graphs from a store: (removed, not there). Over the Graph Store Protocol one DELETE each
    (404: not there); with `server.update`, the graphs there (asked with HEAD) go in one update request,
    which with `union_default_graph` also deletes from the default graph what only they held."""
    if not server.store:
        raise UsageError("give --endpoint URL, the store's Graph Store Protocol URL")
    if union_default_graph and not server.update:
        raise UsageError(NEEDS_UPDATE)
    client = connect(server)
    if not server.update:
        return _delete_present(client, graphs)
    present = [g for g in graphs if _holds(client, g)]
    if present:
        body = b"".join(joined(op for g in present for op in dropping(g, union_default_graph, silent=False)))
        call(client, "POST", server.update, body, "application/sparql-update")
    return present, [g for g in graphs if g not in present]


def _delete_present(client: Client,
                    graphs: list[str]) -> tuple[list[str], list[str]]:
    """DELETE each graph; (deleted, answered 404)."""
    server = client.server
    assert server.store
    removed, absent = [], []
    for g in graphs:
        try:
            call(client, "DELETE", _gsp(server.store, g))
            removed.append(g)
        except HttpFailure as exc:
            if exc.code != 404:
                raise HttpFailure(server.store, f"removed {len(removed)} graph(s); failed at <{g}>: {exc.detail}",
                                  exc.code) from None
            absent.append(g)
    return removed, absent


def _holds(client: Client, g: str) -> bool:
    """Whether the store holds a graph (Graph Store Protocol HEAD: 404 when it does not)."""
    server = client.server
    assert server.store
    try:
        call(client, "HEAD", _gsp(server.store, g))
    except HttpFailure as exc:
        if exc.code == 404:
            return False
        raise
    return True
