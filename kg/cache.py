"""A cache of built documents, for incremental builds.

A document's result is stored under a key made of its content (id, text,
metadata) and the pipeline's fingerprint (kg's code, its data files and the
user's gazetteer entries), so a changed article, a new rule or a new
gazetteer entry rebuilds exactly what it must and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .gazetteer import Lexicon
from .model import Document


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


def lexicon_fingerprint(lex: Lexicon) -> str:
    """Hash of the user's additions to the lexicon (the package's own is in the code fingerprint)."""
    extra: dict[str, Any] = {"extra": sorted(lex.extra.items()), "agencies": sorted(lex.agency_surface.items()),
                             "provinces": sorted(lex.province_surface.items())}
    return hashlib.sha256(json.dumps(extra, ensure_ascii=False, default=str).encode()).hexdigest()


class Cache:
    """Pickled per-document results in a folder, one file per key, written atomically."""

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
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError) as exc:
            log.warning("%s: unreadable cache entry, built again (%s)", path, exc)
            return None

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError as exc:  # a cache that cannot be written only costs time
            log.warning("%s: cannot write the cache (%s)", path, exc.strerror or exc)
