"""An on-disk triple store (Oxigraph) and its SPARQL endpoint (pushing to other stores: `kg.remote`).

`kg` keeps each document's contribution (its facts and what it says of its
entities) in a named graph of its own, so a store can add, replace or remove
one document; queries on a store read the union of all graphs,
as they do on a file.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Interrupted, StoreError
from .rdf import ID, PREFIXES, STORE_FORMATS

FORMATS = STORE_FORMATS
LEGACY_GRAPH = f"{ID}graph/entities"  # where kg 0.1 put every entity's description, shared by all documents
log = logging.getLogger("kg")


def open_store(path: Path, create: bool = False):
    """Open (or create) an Oxigraph store in a folder."""
    import pyoxigraph

    if not create and not path.is_dir():
        raise StoreError(f"{path}: no such store (create one with `kg load GRAPH --store {path}`)")
    try:
        return pyoxigraph.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({exc})") from None


def load_bytes(store, data: bytes, suffix: str) -> None:
    """Bulk-load serialised RDF (named graphs kept) into a store."""
    import pyoxigraph

    fmt = getattr(pyoxigraph.RdfFormat, FORMATS[suffix])
    try:
        store.bulk_load(data, fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"cannot load into the store: {exc}") from None
    store.flush()


def read_graph_file(graph: Path) -> bytes:
    """A graph file's bytes, checked to have an extension that says its format."""
    if graph.suffix.lower() not in FORMATS:
        raise StoreError(f"{graph}: unknown graph format (use one of {', '.join(FORMATS)})")
    try:
        return graph.read_bytes()
    except OSError as exc:
        raise StoreError(f"{graph}: cannot read ({exc.strerror or exc})") from None


def load_file(path: Path, graph: Path) -> int:
    """Load a graph file into the store at `path` (created if missing), all or nothing; the quads it then holds.
    The named graphs the file holds replace the store's graphs of those names (a rebuilt document replaces
    its old facts); triples outside named graphs are added to the default graph."""
    data = read_graph_file(graph)
    return update_store(path, lambda store: replace_graphs(store, data, graph.suffix.lower()))


def replace_documents(path: Path, data: bytes) -> int:
    """Load N-Quads into the store at `path`, first emptying every named graph they hold (so a rebuilt document
    replaces the old), all or nothing; the quads the store then holds."""
    return update_store(path, lambda store: replace_graphs(store, data, ".nq"))


def replace_graphs(store, data: bytes, suffix: str) -> None:
    """Empty the named graphs `data` holds, then load it: each document's graph is the document's whole
    contribution (its facts and what it says of its entities), so replacing graphs replaces documents.
    The default graph stays the union of the named graphs (see `keep_union`)."""
    import pyoxigraph

    fmt = getattr(pyoxigraph.RdfFormat, FORMATS[suffix])
    try:
        graphs = {q.graph_name for q in pyoxigraph.parse(data, fmt)} if fmt.supports_datasets else set()
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot load into the store: {exc}") from None
    named = [g for g in graphs if isinstance(g, pyoxigraph.NamedNode)]
    legacy = pyoxigraph.NamedNode(LEGACY_GRAPH)
    if legacy not in graphs and store.contains_named_graph(legacy):
        log.warning("the store holds the shared entity graph of an older kg (%s): rebuild the store from all "
                    "its articles so that each document carries its own entities", LEGACY_GRAPH)
    with keep_union(store, named):
        for g in named:
            store.clear_graph(g)
        load_bytes(store, data, suffix)
        _add_to_union(store, data, fmt)


def _add_to_union(store, data: bytes, fmt) -> None:
    """The triples of the named graphs of `data`, added to the default graph, a batch at a time."""
    import pyoxigraph

    if not fmt.supports_datasets:
        return  # a file without named graphs was loaded into the default graph itself
    batch = []
    for q in pyoxigraph.parse(data, fmt):
        if isinstance(q.graph_name, pyoxigraph.NamedNode):
            batch.append(pyoxigraph.Quad(q.subject, q.predicate, q.object))
            if len(batch) >= 100_000:
                store.extend(batch)
                batch = []
    store.extend(batch)


@contextmanager
def keep_union(store, changed: list) -> Iterator[None]:
    """Keep the store's default graph the union of its named graphs across a change of `changed` graphs.

    Oxigraph answers a query over the union of named graphs (its union-default-graph mode) thousands of
    times slower when, as in kg's layout, one triple sits in many graphs (386 s against 0.07 s for
    industrial-zones-by-province.rq on 369 articles): so kg keeps the union in the default graph itself,
    where queries are fast and any store, in its default configuration, finds it. The triples of the
    changed graphs that no named graph holds afterwards leave the default graph; new ones are added by
    the change. A store an older kg wrote (named graphs, empty default graph) gets its whole union once."""
    import pyoxigraph

    default = pyoxigraph.DefaultGraph()
    whole = not has_union(store) and next(store.named_graphs(), None) is not None
    stale = set() if whole else {(q.subject, q.predicate, q.object) for g in changed
                                 for q in store.quads_for_pattern(None, None, None, g)}
    yield
    if whole:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return
    for s, p, o in stale:
        if not any(q.graph_name != default for q in store.quads_for_pattern(s, p, o, None)):
            store.remove(pyoxigraph.Quad(s, p, o, default))


def has_union(store) -> bool:
    """Whether the store keeps the union of its named graphs in its default graph (kg's stores do)."""
    import pyoxigraph

    return next(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()), None) is not None


def update_store(path: Path, change: Callable[[Any], None]) -> int:
    """Change a store all or nothing: a copy (hard links, so cheap) takes the change, then replaces the store
    in one atomic exchange of folders. Interrupted or killed at any point, the store is the old one or the new
    one, whole; what an earlier killed run left beside it is cleaned first. Returns the quads it holds."""
    import pyoxigraph

    path = Path(path)
    _check_store_folder(path)
    if os.path.ismount(path):
        return _update_in_place(path, change)
    with _writer_lock(path):
        _recover(path)
        work = path.parent / f".{path.name}.kg-new-{os.getpid()}"
        try:
            try:
                if path.is_dir() and any(path.iterdir()):
                    current = pyoxigraph.Store(str(path))
                    current.backup(str(work))
                    del current  # closed: only the copy is written to
                store = pyoxigraph.Store(str(work))
            except OSError as exc:
                raise StoreError(f"{path}: cannot open the store ({exc})") from None
            change(store)
            try:
                store.flush()
                count = len(store)
            except OSError as exc:
                raise StoreError(f"{path}: cannot write the store ({exc})") from None
            del store
            _swap(work, path)
        except KeyboardInterrupt:
            raise Interrupted(f"{path}: interrupted: the store is unchanged") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot write the store ({exc.strerror or exc}); it is unchanged") from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return count


def _update_in_place(path: Path, change: Callable[[Any], None]) -> int:
    """A store folder that is a mount point (a container's volume) cannot be exchanged with another folder:
    it is changed in place, as the README says, without the all-or-nothing promise."""
    import pyoxigraph

    log.warning("%s: a mount point, changed in place: an interruption can leave it half-changed", path)
    try:
        store = pyoxigraph.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({exc})") from None
    change(store)
    return len(store)


def _check_store_folder(path: Path) -> None:
    """A store is a new or empty folder, or one Oxigraph wrote: never a file or a folder of other things (the
    update replaces the whole folder, so what else it held would be lost)."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: a file, not a store folder")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise StoreError(f"{path}: not an Oxigraph store (the folder holds other files); "
                         "give a new or empty folder for the store")


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """One writer at a time per store (a lock file beside it); a second one is told, not made to wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.parent / f".{path.name}.kg-lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write beside the store ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{path}: another kg is writing this store; try again when it is done") from None
        yield
    finally:
        os.close(fd)


def _recover(path: Path) -> None:
    """Remove what a killed writer left beside the store (its copy), and put back a store that a crash between
    two renames (where folders cannot be exchanged) left aside."""
    leftovers = sorted(path.parent.glob(f".{glob.escape(path.name)}.kg-*-*"))
    old = [p for p in leftovers if ".kg-old-" in p.name]
    if not path.exists() and old:
        os.rename(old[-1], path)
    for p in leftovers:
        if p.exists():
            shutil.rmtree(p, ignore_errors=True)


def _swap(new: Path, path: Path) -> None:
    """Put the folder `new` at `path` atomically; the old store ends up at `new` (removed by the caller)."""
    if not path.exists():
        os.rename(new, path)
        return
    if _exchange(new, path):
        return
    aside = path.parent / f".{path.name}.kg-old-{os.getpid()}"
    os.rename(path, aside)  # a crash between these two renames is repaired by the next writer (`_recover`)
    os.rename(new, path)
    os.rename(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@dataclass
class Rows:
    """A query's answer on a store, in the shape `kg.query.rows` gives for files."""

    kind: str
    header: list[str]
    body: list[tuple[str, ...]]
    triples: bytes = b""


def query_store(store, sparql: str) -> Rows:
    """Run SPARQL on a store over the union of its graphs (kept in its default graph by kg, see
    `keep_union`; read as Oxigraph's union for a store kg did not write), with the project's prefixes."""
    import pyoxigraph

    try:
        result = store.query(sparql, use_default_graph_as_union=not has_union(store),
                             prefixes={k: str(v) for k, v in PREFIXES.items()})
    except SyntaxError as exc:
        raise StoreError(f"query failed: {exc}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Rows("ASK", ["ask"], [(str(bool(result)).lower(),)])
    if isinstance(result, pyoxigraph.QueryTriples):
        return Rows("CONSTRUCT", [], [], result.serialize(format=pyoxigraph.RdfFormat.TURTLE))
    header = [v.value for v in result.variables]
    body = [tuple("" if s[v] is None else s[v].value for v in header) for s in result]
    return Rows("SELECT", header, body)


def oxigraph_binary() -> str:
    """The Oxigraph server program (PyPI package `oxigraph`, installed with `kg[store]`)."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        raise StoreError("the Oxigraph server is not installed (pip install 'kg[store]')")
    return binary


def serve(store: Path, port: int = 7878, allow_update: bool = False, timeout: float = 30,
          allow_service: bool = False, backends: int = 2, max_result_mb: int = 1024) -> None:
    """Serve the SPARQL 1.1 Protocol on 127.0.0.1 until interrupted (see `kg.endpoint`), with the prefixes
    `kg query` predeclares."""
    from .endpoint import Policy, run

    if not store.is_dir():
        raise StoreError(f"{store}: no such store (create one with `kg load GRAPH --store {store}`)")
    prologue = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())
    policy = Policy(port, timeout, allow_update, allow_service, prologue, max_result_mb << 20)
    try:
        run(oxigraph_binary(), store, port, policy, backends)
    except OSError as exc:
        raise StoreError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc})") from None
    except RuntimeError as exc:
        raise StoreError(str(exc)) from None
    except KeyboardInterrupt:
        return


def remove_documents(path: Path, ids: list[str]) -> tuple[list[str], list[str]]:
    """Drop the named graphs of documents from the store at `path`, all or nothing (their articles left the
    corpus); (removed, not in the store) identifiers."""
    import pyoxigraph

    from .rdf import graph_iri

    if not Path(path).is_dir():
        raise StoreError(f"{path}: no such store")
    removed: list[str] = []
    absent: list[str] = []

    def change(store) -> None:
        graphs = {doc: pyoxigraph.NamedNode(str(graph_iri(doc))) for doc in dict.fromkeys(ids)}
        held = {doc: g for doc, g in graphs.items()
                if store.contains_named_graph(g) and next(store.quads_for_pattern(None, None, None, g), None)}
        removed.extend(held)
        absent.extend(doc for doc in graphs if doc not in held)
        with keep_union(store, list(held.values())):
            for g in held.values():
                store.remove_graph(g)

    update_store(Path(path), change)
    return removed, absent
