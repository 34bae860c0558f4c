"""A cache of built documents, for incremental builds.

A document's result is stored under a key made of its content (id, text,
metadata) and the pipeline's fingerprint (kg's code, its data files and the
user's gazetteer entries), so a changed article, a new rule or a new
gazetteer entry rebuilds exactly what it must and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .gazetteer import Lexicon
from .model import DocResult, Document


@cache
def code_fingerprint() -> str:
    """Hash of every module and data file of the installed package."""
    h = hashlib.sha256()
    root = resources.files("kg")
    for folder in (root, root.joinpath("data"), resources.files("kg.ontology")):
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.is_file() and item.name.endswith((".py", ".json", ".ttl", ".csv", ".txt")):
                h.update(item.name.encode())
                h.update(item.read_bytes())
    return h.hexdigest()

log = logging.getLogger("kg")
FORMAT = "kg-cache/2"  # the entry layout: a new one makes every old entry fail its check


def lexicon_fingerprint(lex: Lexicon) -> str:
    """Hash of the user's additions to the lexicon (the package's own is in the code fingerprint)."""
    extra: dict[str, Any] = {"extra": sorted(lex.extra.items()), "agencies": sorted(lex.agency_surface.items()),
                             "provinces": sorted(lex.province_surface.items()),
                             "known": sorted((a.name, a.cls, a.parent or "") for a in lex.agencies.values() if a.user)}
    return hashlib.sha256(json.dumps(extra, ensure_ascii=False, default=str).encode()).hexdigest()


class Cache:
    """Per-document results in a folder, one JSON file per key, written atomically and checked on reading.

    An entry is data, never code (JSON, not pickle), and carries a SHA-256 of the
    pipeline's fingerprint, its key and its content: an entry that is corrupt,
    edited, truncated or written by another version of kg fails the check, is
    logged and built again; it is never trusted.
    """

    def __init__(self, folder: Path, lex: Lexicon) -> None:
        self.folder = folder
        self.salt = f"{code_fingerprint()}:{lexicon_fingerprint(lex)}"

    def key(self, doc: Document) -> str:
        h = hashlib.sha256(self.salt.encode())
        for part in (doc.id, doc.text, json.dumps(doc.metadata, sort_keys=True), doc.title,
                     Path(doc.source).name if doc.source else ""):
            h.update(b"\x1f" + part.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _digest(self, key: str, body: bytes) -> str:
        return hashlib.sha256(f"{FORMAT}\x1f{self.salt}\x1f{key}\x1f".encode() + body).hexdigest()

    def get(self, key: str) -> DocResult | None:
        """The entry for `key` if there is one and it passes the check; None (and a warning) otherwise."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("%s: unreadable cache entry, built again (%s)", path, exc.strerror or exc)
            return None
        digest, _, body = data.partition(b"\n")
        if not hmac.compare_digest(digest, self._digest(key, body).encode()):
            log.warning("%s: cache entry fails its check (corrupt, edited or from another kg), built again", path)
            return None
        try:
            return decode(json.loads(body))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            log.warning("%s: cache entry has an unexpected shape, built again (%s)", path, exc)
            return None

    def put(self, key: str, value: DocResult) -> None:
        path = self._path(key)
        body = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(self._digest(key, body).encode() + b"\n" + body)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:  # a cache that cannot be written only costs time
            log.warning("%s: cannot write the cache (%s)", path, exc.strerror or exc)


def encode(r: DocResult) -> dict[str, Any]:
    """A document's result as JSON values."""
    return {"doc_id": r.doc_id, "quads": r.quads.decode("utf-8", "surrogatepass"),
            "mentioned": r.mentioned, "facts": [list(f) for f in r.facts], "observations": r.observations}


def decode(d: dict[str, Any]) -> DocResult:
    """The inverse of `encode`, checking every type on the way (a wrong one raises TypeError)."""
    mentioned = d["mentioned"]
    _strings(d["doc_id"], d["quads"], *mentioned.keys(), *mentioned.values())
    facts = [tuple(f) for f in d["facts"]]
    if any(len(f) != 4 for f in facts):
        raise TypeError("a fact is not (subject, predicate, object, role)")
    _strings(*(x for f in facts for x in f))
    if type(d["observations"]) is not int:
        raise TypeError("observations is not a number")
    return DocResult(d["doc_id"], d["quads"].encode("utf-8", "surrogatepass"), dict(mentioned),
                     facts, d["observations"])


def _strings(*values: object) -> None:
    if not all(type(v) is str for v in values):
        raise TypeError("a value that should be text is not")
